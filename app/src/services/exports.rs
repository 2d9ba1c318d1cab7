//! Exports of a round for reviewers and admins: long and wide CSV, XLSX, JSON and the
//! codebook. What each cell says comes from `domain::export`; this module reads the round
//! and writes the files.
//!
//! Memory stays flat however large the round: the participating regions are listed first
//! (a few bytes each), then each region's answers are read, evaluated with the completeness
//! engine (which decides what was not asked), written and dropped before the next region is
//! read. The bytes go to the client through a small channel while the next region is read;
//! the XLSX file is kept in temporary files row by row (`constant_memory`) and zipped
//! straight into the channel. `cargo run --release -p server --example export_memory`
//! measures it.

use super::questionnaires::{self, LoadedVersion};
use super::responses::{self, StoredAnswer};
use super::state::AppState;
use crate::domain::access::SignedInUser;
use crate::domain::comparison::VersionMapping;
use crate::domain::export::{
    codebook_entry, columns, csv_row, export_item, json_answer, response_status, sheet_name,
    Format, Status, Stored, STATUSES,
};
use crate::domain::questionnaire::answer::Answer;
use crate::domain::questionnaire::completeness::{evaluate, ItemStatus, ResponseAnswers};
use crate::domain::questionnaire::model::Item;
use crate::domain::round::RoundState;
use crate::error::AppError;
use sqlx::Row;
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// Bytes are handed to the client in pieces of about this size.
const CHUNK_BYTES: usize = 64 * 1024;
/// Pieces waiting for the client; the reader waits when they are all taken.
const CHANNEL_CHUNKS: usize = 4;

/// The round being exported.
#[derive(Debug, Clone)]
struct RoundFacts {
    name: String,
    questionnaire_id: String,
    questionnaire_version: String,
    compared_round_id: Option<String>,
}

/// A region taking part in the round, with its response if it has one.
#[derive(Debug, Clone)]
struct Participant {
    region_code: String,
    region_name: String,
    response_id: Option<String>,
    status: Option<String>,
}

/// An export ready to be written: access checked, round and version known, regions listed.
pub struct Export {
    pub format: Format,
    /// The download's file name, naming the round and the questionnaire version.
    pub file_name: String,
    round: RoundFacts,
    version: Arc<LoadedVersion>,
    participants: Vec<Participant>,
    /// The compared round and the mapping onto it, when a condition reads the previous
    /// round (`prev`, `changed`): what was asked then depends on those answers too.
    previous: Option<(String, VersionMapping)>,
}

/// Checks who asks, which file and which round, and lists the round's regions. Reviewers and
/// admins only; a concept round only for admins (it is not visible to reviewers yet).
pub async fn prepare(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
    file: &str,
) -> Result<Export, AppError> {
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    let format = Format::from_url_name(file).ok_or(AppError::NotFound)?;
    if round_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let row = sqlx::query(
        "SELECT name, state, questionnaire_id, questionnaire_version, compared_round_id \
         FROM rounds WHERE id = $1",
    )
    .bind(round_id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let round_state = super::rounds::stored_state(&row, "state")?;
    // A concept round is invisible to everyone but admins, as if it did not exist.
    if round_state == RoundState::Concept && !user.is_admin() {
        return Err(AppError::NotFound);
    }
    let round = RoundFacts {
        name: row.try_get("name")?,
        questionnaire_id: row.try_get("questionnaire_id")?,
        questionnaire_version: row.try_get("questionnaire_version")?,
        compared_round_id: row.try_get("compared_round_id")?,
    };
    let version = state
        .questionnaires
        .get(
            &state.pool,
            &round.questionnaire_id,
            &round.questionnaire_version,
        )
        .await?;
    let reads_previous = version
        .questionnaire
        .items()
        .filter_map(|item| item.visible_if.as_ref())
        .any(|condition| condition.expr.reads_previous());
    let previous = match (&round.compared_round_id, reads_previous) {
        (Some(compared), true) => {
            let (identifier, old_version): (String, String) = sqlx::query_as(
                "SELECT questionnaire_id, questionnaire_version FROM rounds WHERE id = $1",
            )
            .bind(compared)
            .fetch_one(&state.pool)
            .await?;
            let mapping = questionnaires::mapping(
                &state.pool,
                &state.questionnaires,
                &version,
                &identifier,
                &old_version,
            )
            .await?;
            Some((compared.clone(), mapping))
        }
        _ => None,
    };
    let participants = if format == Format::Codebook {
        Vec::new()
    } else {
        sqlx::query(
            "SELECT rr.region_code, rr.region_name, r.id AS response_id, r.status \
             FROM round_regions rr LEFT JOIN responses r \
               ON r.round_id = rr.round_id AND r.region_code = rr.region_code \
             WHERE rr.round_id = $1 ORDER BY rr.region_code",
        )
        .bind(round_id)
        .fetch_all(&state.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Participant {
                region_code: row.try_get("region_code")?,
                region_name: row.try_get("region_name")?,
                response_id: row.try_get("response_id")?,
                status: row.try_get("status")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?
    };
    let file_name = format.file_name(
        &round.name,
        &round.questionnaire_id,
        &round.questionnaire_version,
    );
    Ok(Export {
        format,
        file_name,
        round,
        version,
        participants,
        previous,
    })
}

type Chunk = Result<Vec<u8>, std::io::Error>;

/// Writes the export on a task of its own and returns its bytes as they come. A failure
/// halfway ends the stream with an error (the client sees an incomplete download, never a
/// complete-looking wrong file) and is logged.
pub fn stream(state: AppState, export: Export) -> ReceiverStream<Chunk> {
    let (sender, receiver) = mpsc::channel(CHANNEL_CHUNKS);
    tokio::spawn(async move {
        let sink = Sink {
            sender: sender.clone(),
            pending: Vec::with_capacity(CHUNK_BYTES),
        };
        let written = match export.format {
            Format::Long => long_csv(&state, &export, sink).await,
            Format::Wide => wide_csv(&state, &export, sink).await,
            Format::Codebook => codebook_csv(&export, sink).await,
            Format::Json => json(&state, &export, sink).await,
            Format::Xlsx => xlsx(&state, &export, sink).await,
        };
        match written {
            Ok(()) | Err(Failure::Gone) => {}
            Err(Failure::App(error)) => {
                tracing::error!(?error, file = %export.file_name, "an export failed halfway");
                let _ = sender
                    .send(Err(std::io::Error::other("the export failed")))
                    .await;
            }
        }
    });
    ReceiverStream::new(receiver)
}

/// Why writing stopped.
#[derive(Debug)]
enum Failure {
    /// The client went away: nothing to do.
    Gone,
    App(AppError),
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure::App(error)
    }
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::App(error.into())
    }
}

fn internal(error: impl std::fmt::Display) -> Failure {
    Failure::App(AppError::internal("writing an export failed", error))
}

/// Where the bytes go: collected into chunks of about `CHUNK_BYTES`.
struct Sink {
    sender: mpsc::Sender<Chunk>,
    pending: Vec<u8>,
}

impl Sink {
    async fn send(&self, bytes: Vec<u8>) -> Result<(), Failure> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.sender.send(Ok(bytes)).await.map_err(|_| Failure::Gone)
    }

    /// Adds bytes, sending a chunk once there is enough.
    async fn push(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= CHUNK_BYTES {
            let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK_BYTES));
            self.send(chunk).await?;
        }
        Ok(())
    }

    /// Adds what a CSV writer wrote.
    async fn push_csv(&mut self, writer: csv::Writer<Vec<u8>>) -> Result<(), Failure> {
        let bytes = writer
            .into_inner()
            .map_err(|error| internal(error.error()))?;
        self.push(&bytes).await
    }

    /// Sends what is left.
    async fn finish(&mut self) -> Result<(), Failure> {
        let chunk = std::mem::take(&mut self.pending);
        self.send(chunk).await
    }
}

/// One region's answers with what the completeness engine decided for each item.
struct RegionAnswers {
    stored: HashMap<String, StoredAnswer>,
    statuses: HashMap<String, ItemStatus>,
}

impl RegionAnswers {
    fn status(&self, key: &str) -> ItemStatus {
        self.statuses.get(key).copied().unwrap_or(ItemStatus::Empty)
    }

    fn stored(&self, key: &str) -> Option<Stored<'_>> {
        self.stored.get(key).map(|answer| Stored {
            raw: &answer.raw,
            value: answer.value.as_ref(),
            prefilled: answer.prefilled,
        })
    }
}

/// Reads one region's answers and decides, with the same engine as the task list and the
/// national picture, which items were asked.
async fn read_region(
    state: &AppState,
    export: &Export,
    participant: &Participant,
) -> Result<RegionAnswers, Failure> {
    let stored = match &participant.response_id {
        Some(id) => responses::answers(&state.pool, id).await?,
        None => HashMap::new(),
    };
    let mut answers = responses::engine_answers(&stored);
    if let Some((compared_round, mapping)) = &export.previous {
        answers.previous = previous_answers(state, compared_round, mapping, participant).await?;
    }
    let statuses = evaluate_statuses(&export.version, &answers);
    Ok(RegionAnswers { stored, statuses })
}

fn evaluate_statuses(
    version: &LoadedVersion,
    answers: &ResponseAnswers,
) -> HashMap<String, ItemStatus> {
    evaluate(&version.questionnaire, &version.index, answers)
        .items
        .into_iter()
        .map(|(key, state)| (key, state.status))
        .collect()
}

/// The region's valid answers in the compared round, in this version's keys and codes.
async fn previous_answers(
    state: &AppState,
    compared_round: &str,
    mapping: &VersionMapping,
    participant: &Participant,
) -> Result<HashMap<String, Answer>, Failure> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM responses WHERE round_id = $1 AND region_code = $2")
            .bind(compared_round)
            .bind(&participant.region_code)
            .fetch_optional(&state.pool)
            .await?;
    let Some(id) = id else {
        return Ok(HashMap::new());
    };
    let values: HashMap<String, Answer> = responses::answers(&state.pool, &id)
        .await?
        .into_iter()
        .filter_map(|(key, answer)| Some((key, answer.value?)))
        .collect();
    Ok(mapping.answers(&values))
}

/// `nad/2026-06`: the questionnaire and its version, as every row names them.
fn version_label(export: &Export) -> String {
    format!(
        "{}/{}",
        export.round.questionnaire_id, export.round.questionnaire_version
    )
}

/// A CSV writer for a few rows (the header, or one region's), handed to the sink whole.
fn new_csv() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer(Vec::new())
}

/// One row per region × item (× matrix row).
async fn long_csv(state: &AppState, export: &Export, mut sink: Sink) -> Result<(), Failure> {
    let mut writer = new_csv();
    writer
        .write_record(csv_row([
            "meting",
            "vragenlijst",
            "regio_code",
            "regio_naam",
            "status_respons",
            "status_respons_omschrijving",
            "sectie",
            "item_key",
            "rij",
            "status",
            "waarde",
            "invoer",
        ]))
        .map_err(internal)?;
    sink.push_csv(writer).await?;
    let version = version_label(export);
    for participant in &export.participants {
        let answers = read_region(state, export, participant).await?;
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
fn item_columns(export: &Export) -> Vec<(&Item, String)> {
    export
        .version
        .questionnaire
        .items()
        .flat_map(|item| columns(item).into_iter().map(move |c| (item, c.name)))
        .collect()
}

/// One row per region, one column per item (per matrix row); a cell holds the value or the
/// code in its place.
async fn wide_csv(state: &AppState, export: &Export, mut sink: Sink) -> Result<(), Failure> {
    let mut writer = new_csv();
    let mut header: Vec<String> = [
        "meting",
        "vragenlijst",
        "regio_code",
        "regio_naam",
        "status_respons",
        "status_respons_omschrijving",
    ]
    .map(str::to_string)
    .to_vec();
    header.extend(item_columns(export).into_iter().map(|(_, name)| name));
    writer
        .write_record(csv_row(header.iter().map(String::as_str)))
        .map_err(internal)?;
    sink.push_csv(writer).await?;
    let version = version_label(export);
    for participant in &export.participants {
        let answers = read_region(state, export, participant).await?;
        let (status_code, status_label) = response_status(participant.status.as_deref());
        let mut record: Vec<String> = vec![
            export.round.name.clone(),
            version.clone(),
            participant.region_code.clone(),
            participant.region_name.clone(),
            status_code.to_string(),
            status_label.to_string(),
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
const CODEBOOK_HEADER: [&str; 18] = [
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
fn codebook_rows(export: &Export) -> Vec<[String; 18]> {
    let questionnaire = &export.version.questionnaire;
    let version = version_label(export);
    let mut rows = Vec::new();
    for section in &questionnaire.sections {
        for item in &section.items {
            let entry = codebook_entry(
                &section.key,
                item,
                questionnaire.previous_version.as_deref(),
            );
            rows.push([
                "vraag".to_string(),
                export.round.name.clone(),
                version.clone(),
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
            ]);
        }
    }
    for status in STATUSES {
        let mut row: [String; 18] = Default::default();
        row[0] = "code".to_string();
        row[1] = export.round.name.clone();
        row[2] = version.clone();
        row[5] = status.code().to_string();
        row[7] = status.meaning().to_string();
        rows.push(row);
    }
    rows
}

async fn codebook_csv(export: &Export, mut sink: Sink) -> Result<(), Failure> {
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

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `{round, questionnaire, exported_at, codes, regions: [...]}`, one region at a time.
async fn json(state: &AppState, export: &Export, mut sink: Sink) -> Result<(), Failure> {
    let questionnaire = &export.version.questionnaire;
    let codes: serde_json::Map<String, serde_json::Value> = STATUSES
        .iter()
        .map(|status| (status.code().to_string(), status.meaning().into()))
        .collect();
    let head = serde_json::json!({
        "round": { "name": export.round.name },
        "questionnaire": {
            "identifier": questionnaire.identifier,
            "version": questionnaire.version,
            "title": questionnaire.title,
        },
        "exported_at": now_rfc3339(),
        "codes": codes,
    });
    // The head without its closing brace, then the regions one by one.
    let mut buffer = serde_json::to_vec(&head).map_err(internal)?;
    buffer.pop();
    buffer.extend_from_slice(b",\"regions\":[");
    for (n, participant) in export.participants.iter().enumerate() {
        let answers = read_region(state, export, participant).await?;
        let (status_code, status_label) = response_status(participant.status.as_deref());
        let items: serde_json::Map<String, serde_json::Value> = questionnaire
            .items()
            .map(|item| {
                (
                    item.key.clone(),
                    json_answer(answers.status(&item.key), answers.stored(&item.key)),
                )
            })
            .collect();
        let region = serde_json::json!({
            "code": participant.region_code,
            "name": participant.region_name,
            "status": status_code,
            "status_label": status_label,
            "answers": items,
        });
        if n > 0 {
            buffer.push(b',');
        }
        serde_json::to_writer(&mut buffer, &region).map_err(internal)?;
        sink.push(&buffer).await?;
        buffer.clear();
    }
    buffer.extend_from_slice(b"]}");
    sink.push(&buffer).await?;
    sink.finish().await
}

/// Hands the zipped workbook to the channel from a blocking thread, a chunk at a time.
struct ChannelWriter {
    sender: mpsc::Sender<Chunk>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES));
        self.sender
            .blocking_send(Ok(bytes))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// A sheet per section (regions × items), an Info sheet naming round and version with the
/// codes, and the Codeboek sheet. Section sheets keep their rows in temporary files.
async fn xlsx(state: &AppState, export: &Export, sink: Sink) -> Result<(), Failure> {
    use rust_xlsxwriter::{DocProperties, Format as CellFormat, Workbook};
    let questionnaire = &export.version.questionnaire;
    let bold = CellFormat::new().set_bold();
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} – {} {}",
                export.round.name, questionnaire.identifier, questionnaire.version
            ))
            .set_subject("NAD-monitor export"),
    );

    let info = workbook.add_worksheet();
    info.set_name("Info").map_err(internal)?;
    let facts = [
        ("Meting", export.round.name.clone()),
        ("Vragenlijst", questionnaire.identifier.clone()),
        ("Versie", questionnaire.version.clone()),
        ("Titel", questionnaire.title.clone()),
        ("Geëxporteerd op", now_rfc3339()),
        ("Regio's", export.participants.len().to_string()),
    ];
    for (row, (name, value)) in facts.iter().enumerate() {
        info.write_string_with_format(row as u32, 0, *name, &bold)
            .map_err(internal)?;
        info.write_string(row as u32, 1, value).map_err(internal)?;
    }
    let mut row = facts.len() as u32 + 1;
    info.write_string(
        row,
        0,
        "Elk tabblad met een onderdeel heeft één regel per regio en één kolom per vraag \
         (tabelvragen: vraag.rij; meerdere keuzes gescheiden door ;). Een cel zonder \
         antwoord bevat een van deze codes:",
    )
    .map_err(internal)?;
    row += 1;
    info.write_string_with_format(row, 0, "Code", &bold)
        .map_err(internal)?;
    info.write_string_with_format(row, 1, "Betekenis", &bold)
        .map_err(internal)?;
    for status in STATUSES.into_iter().filter(|s| *s != Status::Answered) {
        row += 1;
        info.write_string(row, 0, status.code()).map_err(internal)?;
        info.write_string(row, 1, status.meaning())
            .map_err(internal)?;
    }
    info.set_column_width(0, 18).map_err(internal)?;
    info.set_column_width(1, 60).map_err(internal)?;

    // Section sheets, in the order of the questionnaire.
    let first_section_sheet = 1;
    for section in &questionnaire.sections {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(internal)?;
        sheet
            .set_name(sheet_name(&section.key, &section.title))
            .map_err(internal)?;
        let mut column = 0u16;
        for name in ["regio_code", "regio_naam", "status_respons"] {
            sheet
                .write_string_with_format(0, column, name, &bold)
                .map_err(internal)?;
            column += 1;
        }
        for item in &section.items {
            for c in columns(item) {
                sheet
                    .write_string_with_format(0, column, &c.name, &bold)
                    .map_err(internal)?;
                column += 1;
            }
        }
        sheet.set_freeze_panes(1, 2).map_err(internal)?;
    }

    let codebook = workbook
        .add_worksheet_with_constant_memory()
        .map_err(internal)?;
    codebook.set_name("Codeboek").map_err(internal)?;
    for (column, name) in CODEBOOK_HEADER.iter().enumerate() {
        codebook
            .write_string_with_format(0, column as u16, *name, &bold)
            .map_err(internal)?;
    }
    for (n, line) in codebook_rows(export).iter().enumerate() {
        for (column, text) in line.iter().enumerate() {
            if !text.is_empty() {
                codebook
                    .write_string(n as u32 + 1, column as u16, text)
                    .map_err(internal)?;
            }
        }
    }

    for (n, participant) in export.participants.iter().enumerate() {
        let answers = read_region(state, export, participant).await?;
        let (status_code, _) = response_status(participant.status.as_deref());
        let row = n as u32 + 1;
        for (s, section) in questionnaire.sections.iter().enumerate() {
            let sheet = workbook
                .worksheet_from_index(first_section_sheet + s)
                .map_err(internal)?;
            sheet
                .write_string(row, 0, &participant.region_code)
                .map_err(internal)?;
            sheet
                .write_string(row, 1, &participant.region_name)
                .map_err(internal)?;
            sheet.write_string(row, 2, status_code).map_err(internal)?;
            let mut column = 3u16;
            for item in &section.items {
                for value in export_item(item, answers.status(&item.key), answers.stored(&item.key))
                {
                    match (value.status, value.number) {
                        (Status::Answered, Some(number)) => {
                            sheet.write_number(row, column, number).map_err(internal)?;
                        }
                        _ => {
                            sheet
                                .write_string(row, column, value.cell())
                                .map_err(internal)?;
                        }
                    }
                    column += 1;
                }
            }
        }
        // Yield now and then: the rows go to temporary files, nothing is sent yet.
        tokio::task::yield_now().await;
    }

    let sender = sink.sender.clone();
    let saved = tokio::task::spawn_blocking(move || {
        let mut writer = ChannelWriter {
            sender,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        };
        workbook.save_to_writer(&mut writer)?;
        writer.flush()?;
        Ok::<_, rust_xlsxwriter::XlsxError>(())
    })
    .await
    .map_err(internal)?;
    match saved {
        Ok(()) => Ok(()),
        Err(rust_xlsxwriter::XlsxError::IoError(error))
            if error.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            Err(Failure::Gone)
        }
        Err(error) => Err(internal(error)),
    }
}
