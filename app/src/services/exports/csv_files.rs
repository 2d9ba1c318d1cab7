//! The CSV files: long (one row per region × item), wide (one row per region) and the
//! codebook (one row per item and code).

use super::*;

/// The first columns of both layouts: the round, the questionnaire version, the region and
/// its response's status.
const REGION_COLUMNS: [&str; 6] = [
    "meting",
    "vragenlijst",
    "regio_code",
    "regio_naam",
    "status_respons",
    "status_respons_omschrijving",
];

/// One row per region × item (× matrix row).
pub(super) async fn long_csv(
    state: &AppState,
    export: &Export,
    mut sink: Sink,
) -> Result<(), Failure> {
    let mut writer = new_csv();
    writer
        .write_record(csv_row(
            REGION_COLUMNS
                .into_iter()
                .chain(["sectie", "item_key", "rij", "status", "waarde", "invoer"]),
        ))
        .map_err(internal)?;
    sink.push_csv(writer).await?;
    let version = version_label(export);
    let mut regions = read_round(state, export);
    for participant in export.participants.iter() {
        let answers = next_region(&mut regions).await?;
        let (status_code, status_label) = response_status(participant.status.as_deref());
        let mut writer = new_csv();
        for section in &export.version.questionnaire.sections {
            for item in &section.items {
                let values =
                    export_item(item, answers.status(&item.key), answers.stored(&item.key));
                for (column, value) in columns(item).iter().zip(&values) {
                    writer
                        .write_record(csv_row([
                            export.round.name.as_str(),
                            &version,
                            &participant.region_code,
                            &participant.region_name,
                            status_code,
                            status_label,
                            &section.key,
                            &item.key,
                            column.row.as_deref().unwrap_or(""),
                            value.status.code(),
                            &value.value,
                            &value.input,
                        ]))
                        .map_err(internal)?;
                }
            }
        }
        sink.push_csv(writer).await?;
    }
    sink.finish().await
}

/// The wide formats' columns: every item's, in questionnaire order.
pub(super) fn item_columns(export: &Export) -> Vec<(&Item, String)> {
    export
        .version
        .questionnaire
        .items()
        .flat_map(|item| columns(item).into_iter().map(move |c| (item, c.name)))
        .collect()
}

/// The wide layout's columns after the region's: who filled in (`regio`, `regioadviseur`,
/// `regio_en_regioadviseur`) and the agreement its adviser recorded (with whom, on which day).
const FILLED_IN_COLUMNS: [&str; 3] = ["ingevuld_door", "afgestemd_met", "afgestemd_op"];

/// One row per region, one column per item (per matrix row); a cell holds the value or the
/// code in its place.
pub(super) async fn wide_csv(
    state: &AppState,
    export: &Export,
    mut sink: Sink,
) -> Result<(), Failure> {
    let mut writer = new_csv();
    let mut header: Vec<String> = REGION_COLUMNS
        .into_iter()
        .chain(FILLED_IN_COLUMNS)
        .map(str::to_string)
        .collect();
    header.extend(item_columns(export).into_iter().map(|(_, name)| name));
    writer
        .write_record(csv_row(header.iter().map(String::as_str)))
        .map_err(internal)?;
    sink.push_csv(writer).await?;
    let version = version_label(export);
    let mut regions = read_round(state, export);
    for participant in export.participants.iter() {
        let answers = next_region(&mut regions).await?;
        let (status_code, status_label) = response_status(participant.status.as_deref());
        let mut record: Vec<String> = vec![
            export.round.name.clone(),
            version.clone(),
            participant.region_code.clone(),
            participant.region_name.clone(),
            status_code.to_string(),
            status_label.to_string(),
            participant.filled_in_by.code().to_string(),
            participant
                .agreement
                .as_ref()
                .map(|a| a.with.clone())
                .unwrap_or_default(),
            participant
                .agreement
                .as_ref()
                .map(|a| input_date(a.on))
                .unwrap_or_default(),
        ];
        for item in export.version.questionnaire.items() {
            for value in export_item(item, answers.status(&item.key), answers.stored(&item.key)) {
                record.push(value.cell().to_string());
            }
        }
        let mut writer = new_csv();
        writer
            .write_record(csv_row(record.iter().map(String::as_str)))
            .map_err(internal)?;
        sink.push_csv(writer).await?;
    }
    sink.finish().await
}

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "ja"
    } else {
        "nee"
    }
}

/// The codebook's columns, shared by the CSV and the XLSX sheet.
pub(crate) const CODEBOOK_HEADER: [&str; 18] = [
    "soort",
    "meting",
    "vragenlijst",
    "sectie",
    "sectie_titel",
    "item_key",
    "kolommen",
    "vraag",
    "type",
    "opties",
    "rijen",
    "eenheid",
    "verplicht",
    "onbekend_mogelijk",
    "nvt_mogelijk",
    "voorwaarde",
    "vorige_sleutel",
    "herkomst",
];

/// The codebook's lines: one per item (`soort` = `vraag`), then one per status code
/// (`soort` = `code`, the code under `item_key` and its meaning under `vraag`).
pub(super) fn codebook_rows(export: &Export) -> Vec<[String; 18]> {
    let questionnaire = &export.version.questionnaire;
    let version = version_label(export);
    let mut rows = Vec::new();
    for section in &questionnaire.sections {
        for item in &section.items {
            rows.push(codebook_item_row(
                &export.round.name,
                &version,
                section,
                item,
                questionnaire.previous_version.as_deref(),
            ));
        }
    }
    for status in STATUSES {
        rows.push(codebook_code_row(
            &export.round.name,
            &version,
            status.code(),
            status.meaning(),
        ));
    }
    rows
}

/// A codebook line for one item (`soort` = `vraag`); the open-data codebook has the same.
pub(crate) fn codebook_item_row(
    round: &str,
    version: &str,
    section: &Section,
    item: &Item,
    previous_version: Option<&str>,
) -> [String; 18] {
    let entry = codebook_entry(&section.key, item, previous_version);
    [
        "vraag".to_string(),
        round.to_string(),
        version.to_string(),
        entry.section,
        section.title.clone(),
        entry.key,
        entry.columns,
        entry.label,
        entry.kind,
        entry.options,
        entry.rows,
        entry.unit,
        yes_no(entry.required).to_string(),
        yes_no(entry.allow_unknown).to_string(),
        yes_no(entry.allow_not_applicable).to_string(),
        entry.condition,
        entry.previous_key,
        entry.lineage,
    ]
}

/// A codebook line for one status code: the code under `item_key`, its meaning under `vraag`.
pub(crate) fn codebook_code_row(
    round: &str,
    version: &str,
    code: &str,
    meaning: &str,
) -> [String; 18] {
    let mut row: [String; 18] = Default::default();
    row[0] = "code".to_string();
    row[1] = round.to_string();
    row[2] = version.to_string();
    row[5] = code.to_string();
    row[7] = meaning.to_string();
    row
}

pub(super) async fn codebook_csv(export: &Export, mut sink: Sink) -> Result<(), Failure> {
    let mut writer = new_csv();
    writer
        .write_record(csv_row(CODEBOOK_HEADER))
        .map_err(internal)?;
    for row in codebook_rows(export) {
        writer
            .write_record(csv_row(row.iter().map(String::as_str)))
            .map_err(internal)?;
    }
    sink.push_csv(writer).await?;
    sink.finish().await
}
