//! The open data files of every edition, made from its frozen snapshot: long and wide CSV,
//! JSON and the codebook. An edition never changes, so each file is made once and kept
//! (within a budget of bytes), with its SHA-256 as checksum and ETag; size and checksum are
//! kept for every file made. The files themselves are made in `open_data/files.rs`.

mod files;

use super::publications::{self, EditionRecord};
use super::state::AppState;
use crate::domain::publication::catalogue::{
    file_path, Catalogue, CatalogueEdition, CataloguePublication, Distribution, OpenFile,
};
use crate::domain::publication::period;
use crate::error::AppError;
use files::make;
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
        .questionnaire_version(&snapshot.questionnaire_id, &snapshot.questionnaire_version)
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
            editions.push(catalogue_edition(state, record).await?);
        }
        listed.push(CataloguePublication {
            slug: round.slug.clone(),
            programme: round.programme.clone(),
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

/// One edition in the catalogue, with the size and checksum of each of its files (made
/// first when they were not yet).
async fn catalogue_edition(
    state: &AppState,
    record: &EditionRecord,
) -> Result<CatalogueEdition, AppError> {
    let (slug, edition) = (&record.edition.slug, record.edition.edition);
    let key = |file: OpenFile| (slug.clone(), edition, file);
    make_unknown(state, slug, edition).await?;
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
    Ok(CatalogueEdition {
        edition: record.edition.edition,
        published_at: record.edition.published_at,
        note: record.edition.note.clone(),
        files,
    })
}

/// Makes the files of one edition whose facts are not known yet, looking again once it is
/// this edition's turn (another request may have made them meanwhile).
async fn make_unknown(state: &AppState, slug: &str, edition: i64) -> Result<(), AppError> {
    let unknown = || -> Vec<OpenFile> {
        OpenFile::ALL
            .into_iter()
            .filter(|file| {
                state
                    .open_data
                    .facts(&(slug.to_string(), edition, *file))
                    .is_none()
            })
            .collect()
    };
    if unknown().is_empty() {
        return Ok(());
    }
    let _turn = state.open_data.making.lock().await;
    let missing = unknown();
    if !missing.is_empty() {
        make_files(state, slug, edition, &missing).await?;
    }
    Ok(())
}
