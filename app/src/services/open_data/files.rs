//! The open data files of one edition, made from its snapshot: long and wide CSV, JSON and
//! the codebook.

use super::MadeFile;
use crate::domain::export::{columns, csv_row, value_text, STATUSES};
use crate::domain::publication::catalogue::OpenFile;
use crate::domain::publication::{
    period, PublishedAnswer, PublishedRegion, Snapshot, NO_DATA, NO_DATA_MEANING,
};
use crate::domain::questionnaire::answer::AnswerValue;
use crate::domain::questionnaire::model::Item;
use crate::error::AppError;
use crate::services::exports::{codebook_code_row, codebook_item_row, CODEBOOK_HEADER};
use crate::services::publications::EditionRecord;
use crate::services::questionnaires::LoadedVersion;
use crate::services::state::AppState;

pub(super) fn make(
    state: &AppState,
    record: &EditionRecord,
    snapshot: &Snapshot,
    version: &LoadedVersion,
    file: OpenFile,
) -> Result<MadeFile, AppError> {
    let bytes = match file {
        OpenFile::Long => long_csv(record, snapshot, version),
        OpenFile::Wide => wide_csv(record, snapshot, version),
        OpenFile::Json => json(state, record, snapshot, version),
        OpenFile::Codebook => codebook_csv(snapshot, version),
    }
    .map_err(|error| AppError::internal("making an open data file failed", error))?;
    Ok(MadeFile {
        sha256: crate::services::sha256_hex_bytes(&bytes),
        download_name: format!(
            "{}-{}-editie-{}-{}",
            snapshot.questionnaire_id,
            record.edition.slug,
            record.edition.edition,
            file.name()
        ),
        bytes: bytes.into(),
    })
}

/// One region's cells for one public item: per column (matrix row), the status code and the
/// value. A region without published answers has `GEEN_GEGEVENS` everywhere.
fn cells(item: &Item, region: &PublishedRegion) -> Vec<(String, &'static str, String)> {
    let answer = region.answers.as_ref().map(|a| a.get(&item.key));
    columns(item)
        .into_iter()
        .map(|column| {
            let (status, value) = match answer {
                None => (NO_DATA, String::new()),
                Some(None) => (PublishedAnswer::NotAnswered.status(), String::new()),
                Some(Some(PublishedAnswer::Given(value))) => match (value, column.row.as_deref()) {
                    (AnswerValue::Rows(rows), Some(row)) => match rows.get(row) {
                        Some(cell) => (
                            PublishedAnswer::Given(cell.clone()).status(),
                            value_text(cell),
                        ),
                        None => (PublishedAnswer::NotAnswered.status(), String::new()),
                    },
                    (value, _) => (
                        PublishedAnswer::Given(value.clone()).status(),
                        value_text(value),
                    ),
                },
                Some(Some(other)) => (other.status(), String::new()),
            };
            (column.name, status, value)
        })
        .collect()
}

fn public_items(version: &LoadedVersion) -> Vec<(&str, &Item)> {
    version
        .questionnaire
        .sections
        .iter()
        .flat_map(|section| {
            section
                .items
                .iter()
                .filter(|item| item.public)
                .map(move |item| (section.key.as_str(), item))
        })
        .collect()
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, String> {
    writer.into_inner().map_err(|e| e.error().to_string())
}

fn long_csv(
    record: &EditionRecord,
    snapshot: &Snapshot,
    version: &LoadedVersion,
) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let edition = record.edition.edition.to_string();
    let write = |writer: &mut csv::Writer<Vec<u8>>, row: &[&str]| {
        writer
            .write_record(csv_row(row.iter().copied()))
            .map_err(|e| e.to_string())
    };
    write(
        &mut writer,
        &[
            "publicatie",
            "editie",
            "regio_code",
            "regio_naam",
            "sectie",
            "item_key",
            "kolom",
            "status",
            "waarde",
        ],
    )?;
    let items = public_items(version);
    for region in &snapshot.regions {
        for (section, item) in &items {
            for (column, status, value) in cells(item, region) {
                write(
                    &mut writer,
                    &[
                        &record.edition.slug,
                        &edition,
                        &region.code,
                        &region.name,
                        section,
                        &item.key,
                        &column,
                        status,
                        &value,
                    ],
                )?;
            }
        }
    }
    finish(writer)
}

fn wide_csv(
    record: &EditionRecord,
    snapshot: &Snapshot,
    version: &LoadedVersion,
) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let items = public_items(version);
    let mut header: Vec<String> = [
        "publicatie",
        "editie",
        "regio_code",
        "regio_naam",
        "gemeenten",
        "gegevens",
    ]
    .map(str::to_string)
    .to_vec();
    header.extend(
        items
            .iter()
            .flat_map(|(_, item)| columns(item).into_iter().map(|c| c.name)),
    );
    writer
        .write_record(csv_row(header.iter().map(String::as_str)))
        .map_err(|e| e.to_string())?;
    for region in &snapshot.regions {
        let mut row = vec![
            record.edition.slug.clone(),
            record.edition.edition.to_string(),
            region.code.clone(),
            region.name.clone(),
            region.gemeenten.join("; "),
            if region.answers.is_some() {
                "JA"
            } else {
                NO_DATA
            }
            .to_string(),
        ];
        for (_, item) in &items {
            for (_, status, value) in cells(item, region) {
                row.push(if value.is_empty() && status != "BEANTWOORD" {
                    status.to_string()
                } else {
                    value
                });
            }
        }
        writer
            .write_record(csv_row(row.iter().map(String::as_str)))
            .map_err(|e| e.to_string())?;
    }
    finish(writer)
}

/// The status codes that occur in the files, with their meaning.
fn codes() -> Vec<(&'static str, &'static str)> {
    let mut codes: Vec<(&str, &str)> = STATUSES
        .iter()
        .filter(|s| PublishedAnswer::status_codes().contains(&s.code()))
        .map(|s| (s.code(), s.meaning()))
        .collect();
    codes.push((NO_DATA, NO_DATA_MEANING));
    codes
}

fn json(
    state: &AppState,
    record: &EditionRecord,
    snapshot: &Snapshot,
    version: &LoadedVersion,
) -> Result<Vec<u8>, String> {
    let items = public_items(version);
    let branding = &state.config.branding;
    let regions: Vec<serde_json::Value> = snapshot
        .regions
        .iter()
        .map(|region| {
            let answers: serde_json::Map<String, serde_json::Value> = match &region.answers {
                None => serde_json::Map::new(),
                Some(_) => items
                    .iter()
                    .map(|(_, item)| {
                        let answer = region.answers.as_ref().and_then(|a| a.get(&item.key));
                        let value = match answer {
                            Some(PublishedAnswer::Given(value)) => {
                                serde_json::json!({ "status": "BEANTWOORD", "waarde": crate::domain::export::JsonValue(value) })
                            }
                            Some(other) => serde_json::json!({ "status": other.status() }),
                            None => serde_json::json!({ "status": PublishedAnswer::NotAnswered.status() }),
                        };
                        (item.key.clone(), value)
                    })
                    .collect(),
            };
            serde_json::json!({
                "code": region.code,
                "naam": region.name,
                "gemeenten": region.gemeenten,
                "gegevens": if region.answers.is_some() { "JA" } else { NO_DATA },
                "antwoorden": answers,
            })
        })
        .collect();
    let document = serde_json::json!({
        "publicatie": {
            "naam": record.edition.slug,
            "editie": record.edition.edition,
            "gepubliceerd": crate::domain::publication::catalogue::iso_date(record.edition.published_at),
            "correctie": record.edition.note,
            "meting": snapshot.round_name,
            "periode": period(snapshot.deadline),
            "vragenlijst": { "identifier": snapshot.questionnaire_id, "versie": snapshot.questionnaire_version },
            "licentie": { "naam": branding.licence_name, "url": branding.licence_url },
            "uitgever": branding.publisher,
        },
        "codes": codes().into_iter().map(|(code, meaning)| (code.to_string(), serde_json::Value::from(meaning))).collect::<serde_json::Map<_, _>>(),
        "regios": regions,
    });
    serde_json::to_vec_pretty(&document).map_err(|e| e.to_string())
}

fn codebook_csv(snapshot: &Snapshot, version: &LoadedVersion) -> Result<Vec<u8>, String> {
    let questionnaire = &version.questionnaire;
    let label = format!("{}/{}", questionnaire.identifier, questionnaire.version);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(csv_row(CODEBOOK_HEADER))
        .map_err(|e| e.to_string())?;
    for section in &questionnaire.sections {
        for item in section.items.iter().filter(|item| item.public) {
            let row = codebook_item_row(
                &snapshot.round_name,
                &label,
                section,
                item,
                questionnaire.previous_version.as_deref(),
            );
            writer
                .write_record(csv_row(row.iter().map(String::as_str)))
                .map_err(|e| e.to_string())?;
        }
    }
    for (code, meaning) in codes() {
        let row = codebook_code_row(&snapshot.round_name, &label, code, meaning);
        writer
            .write_record(csv_row(row.iter().map(String::as_str)))
            .map_err(|e| e.to_string())?;
    }
    finish(writer)
}
