//! The open data files of every edition, made from its frozen snapshot: long and wide CSV,
//! JSON and the codebook. An edition never changes, so each file is made once and kept
//! (within a budget of bytes), with its SHA-256 as checksum and ETag; size and checksum are
//! kept for every file made.

use super::exports::{yes_no, CODEBOOK_HEADER};
use super::publications::{self, EditionRecord};
use super::questionnaires::LoadedVersion;
use super::state::AppState;
use crate::domain::export::{codebook_entry, columns, csv_row, value_text, STATUSES};
use crate::domain::publication::catalogue::{
    file_path, Catalogue, CatalogueEdition, CataloguePublication, Distribution, OpenFile,
};
use crate::domain::publication::{
    period, PublishedAnswer, PublishedRegion, Snapshot, NO_DATA, NO_DATA_MEANING,
};
use crate::domain::questionnaire::answer::AnswerValue;
use crate::domain::questionnaire::model::Item;
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A made file.
pub struct MadeFile {
    pub bytes: axum::body::Bytes,
    pub sha256: String,
    /// The name a download is saved under: `nad-2026-06-editie-1-lang.csv`.
    pub download_name: String,
}

/// What the catalogue says of a file: kept for every file ever made, a few bytes each.
#[derive(Clone)]
struct Facts {
    bytes: usize,
    sha256: String,
}

/// How many bytes of made files are kept; beyond that the kept files start over. A file
/// larger than `LARGEST_KEPT` is made again when asked (mirrors ask once, then send its ETag).
/// The NAD's files are about a megabyte; at 1,000 organisations the JSON is 25 MB.
const KEPT_BYTES: usize = 64 << 20;
const LARGEST_KEPT: usize = 32 << 20;

type Key = (String, i64, OpenFile);

#[derive(Default)]
pub struct Cache {
    files: Mutex<KeptFiles>,
    facts: Mutex<HashMap<Key, Facts>>,
    /// One edition's files are made at a time: a burst of requests for a file that is not
    /// kept makes it once, and memory holds one snapshot being turned into files, not dozens.
    making: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct KeptFiles {
    files: HashMap<Key, Arc<MadeFile>>,
    bytes: usize,
}

impl Cache {
    fn kept(&self, key: &Key) -> Option<Arc<MadeFile>> {
        let kept = self.files.lock().unwrap_or_else(|e| e.into_inner());
        kept.files.get(key).cloned()
    }

    fn facts(&self, key: &Key) -> Option<Facts> {
        let facts = self.facts.lock().unwrap_or_else(|e| e.into_inner());
        facts.get(key).cloned()
    }

    fn keep(&self, key: Key, made: &Arc<MadeFile>) {
        self.facts.lock().unwrap_or_else(|e| e.into_inner()).insert(
            key.clone(),
            Facts {
                bytes: made.bytes.len(),
                sha256: made.sha256.clone(),
            },
        );
        let size = made.bytes.len();
        if size > LARGEST_KEPT {
            return;
        }
        let mut kept = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if kept.bytes + size > KEPT_BYTES {
            *kept = KeptFiles::default();
        }
        kept.bytes += size;
        kept.files.insert(key, made.clone());
    }
}

/// The checksum of a file when it is known without making it: for a request that has the
/// file already (`If-None-Match`).
pub fn known_sha256(state: &AppState, slug: &str, edition: i64, file: OpenFile) -> Option<String> {
    let key = (slug.to_string(), edition, file);
    state.open_data.facts(&key).map(|facts| facts.sha256)
}

/// One file of one edition, made on first request.
pub async fn file(
    state: &AppState,
    slug: &str,
    edition: i64,
    file: OpenFile,
) -> Result<Arc<MadeFile>, AppError> {
    let key = (slug.to_string(), edition, file);
    if let Some(made) = state.open_data.kept(&key) {
        return Ok(made);
    }
    let _turn = state.open_data.making.lock().await;
    if let Some(made) = state.open_data.kept(&key) {
        return Ok(made);
    }
    let made = make_files(state, slug, edition, &[file]).await?;
    made.into_iter()
        .next()
        .ok_or_else(|| AppError::internal("no file was made", slug))
}

/// Makes `files` of one edition from its snapshot (read once), off the async workers, and
/// keeps what fits. The caller holds `Cache::making`.
async fn make_files(
    state: &AppState,
    slug: &str,
    edition: i64,
    files: &[OpenFile],
) -> Result<Vec<Arc<MadeFile>>, AppError> {
    let (record, snapshot) = publications::stored_snapshot(state, slug, edition).await?;
    let version = state
        .questionnaires
        .get(
            &state.pool,
            &snapshot.questionnaire_id,
            &snapshot.questionnaire_version,
        )
        .await?;
    let (for_json, wanted) = (state.clone(), files.to_vec());
    let made = tokio::task::spawn_blocking(move || {
        wanted
            .into_iter()
            .map(|file| make(&for_json, &record, &snapshot, &version, file).map(Arc::new))
            .collect::<Result<Vec<_>, AppError>>()
    })
    .await
    .map_err(|error| AppError::internal("making open data files stopped", error))??;
    for (file, made) in files.iter().zip(&made) {
        state
            .open_data
            .keep((slug.to_string(), edition, *file), made);
    }
    Ok(made)
}

/// Makes the catalogue in the background, so that its first visitor does not wait for every
/// file's checksum: at start and after each new edition.
pub fn warm_up(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(error) = catalogue(&state).await {
            tracing::warn!(%error, "the open data catalogue could not be made ahead");
        }
    });
}

/// Every publication with every edition's files, newest publication first.
pub async fn catalogue(state: &AppState) -> Result<Catalogue, AppError> {
    let all = publications::all(state).await?;
    let mut listed = Vec::with_capacity(all.rounds.len());
    for round in all.rounds.iter().rev() {
        let mut editions = Vec::with_capacity(round.editions.len());
        for record in &round.editions {
            let (slug, edition) = (&record.edition.slug, record.edition.edition);
            let key = |file: OpenFile| (slug.clone(), edition, file);
            let missing: Vec<OpenFile> = OpenFile::ALL
                .into_iter()
                .filter(|file| state.open_data.facts(&key(*file)).is_none())
                .collect();
            if !missing.is_empty() {
                let _turn = state.open_data.making.lock().await;
                let missing: Vec<OpenFile> = missing
                    .into_iter()
                    .filter(|file| state.open_data.facts(&key(*file)).is_none())
                    .collect();
                if !missing.is_empty() {
                    make_files(state, slug, edition, &missing).await?;
                }
            }
            let mut files = Vec::with_capacity(OpenFile::ALL.len());
            for kind in OpenFile::ALL {
                let facts = state
                    .open_data
                    .facts(&key(kind))
                    .ok_or_else(|| AppError::internal("a made file has no facts", slug))?;
                files.push(Distribution {
                    file: kind,
                    path: file_path(slug, edition, kind),
                    bytes: facts.bytes,
                    sha256: facts.sha256,
                });
            }
            editions.push(CatalogueEdition {
                edition: record.edition.edition,
                published_at: record.edition.published_at,
                note: record.edition.note.clone(),
                files,
            });
        }
        listed.push(CataloguePublication {
            slug: round.slug.clone(),
            round_name: round.snapshot.round_name.clone(),
            period: period(round.snapshot.deadline),
            questionnaire: format!(
                "{}/{}",
                round.snapshot.questionnaire_id, round.snapshot.questionnaire_version
            ),
            editions,
        });
    }
    let branding = &state.config.branding;
    Ok(Catalogue {
        title: branding.platform_name.clone(),
        publisher: branding.publisher.clone(),
        licence_name: branding.licence_name.clone(),
        licence_url: branding.licence_url.clone(),
        publications: listed,
    })
}

fn make(
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
        sha256: super::sha256_hex_bytes(&bytes),
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
                                serde_json::json!({ "status": "BEANTWOORD", "waarde": crate::domain::export::json_value(value) })
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
            let entry = codebook_entry(
                &section.key,
                item,
                questionnaire.previous_version.as_deref(),
            );
            let row = [
                "vraag".to_string(),
                snapshot.round_name.clone(),
                label.clone(),
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
            ];
            writer
                .write_record(csv_row(row.iter().map(String::as_str)))
                .map_err(|e| e.to_string())?;
        }
    }
    for (code, meaning) in codes() {
        let mut row: [String; 18] = Default::default();
        row[0] = "code".to_string();
        row[1] = snapshot.round_name.clone();
        row[2] = label.clone();
        row[5] = code.to_string();
        row[7] = meaning.to_string();
        writer
            .write_record(csv_row(row.iter().map(String::as_str)))
            .map_err(|e| e.to_string())?;
    }
    finish(writer)
}
