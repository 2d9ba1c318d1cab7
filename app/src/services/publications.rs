//! Publishing rounds, and reading what was published. Publishing a closed round freezes a
//! snapshot of its approved responses' public answers (`exports::public_snapshot`) as the
//! first edition of its publication; a correction freezes a new edition with a dated note.
//! The public pages and the open data read editions only, through a cache that is filled
//! once and dropped whenever an edition is added: editions never change.
//!
//! Each programme's publications form a series of their own: the NAD's at `/dashboard`,
//! another programme's at `/dashboard/{code}` (its newest) and under its own names
//! ("bt-2026-12"); trends and "compared with the previous publication" stay within a series.
//!
//! Here: what a publication is and how it is read. The cache is `publications/cache.rs`,
//! the public pages `pages.rs`, the preview `preview.rs`, adding an edition `edition.rs`.

mod cache;
mod edition;
mod pages;
mod preview;

pub use cache::{all, Cache, KeptPages, NONCE_MARK};
pub use edition::{correct, publish, publish_as_of};
pub use pages::{national, region};
pub use preview::preview;

use super::questionnaires::LoadedVersion;
use super::state::AppState;
use crate::domain::comparison::VersionMapping;
use crate::domain::national::RoundTally;
use crate::domain::programme::{self, Programme, DEFAULT_PROGRAMME};
use crate::domain::publication::dashboard::{NationalDashboard, Published};
use crate::domain::publication::{is_slug, Edition, Snapshot};
use crate::error::AppError;
use sqlx::AnyPool;
use std::sync::{Arc, OnceLock};

/// The programme a round belongs to (its code); 404 for an unknown round.
async fn programme_of_round(pool: &AnyPool, round_id: &str) -> Result<String, AppError> {
    sqlx::query_scalar("SELECT programme_code FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// One edition as stored, without its snapshot.
#[derive(Debug, Clone)]
pub struct EditionRecord {
    pub id: String,
    pub edition: Edition,
    pub conclusions: String,
    pub snapshot_sha256: String,
}

/// A published round: its editions and its latest snapshot.
pub struct PublishedRound {
    pub round_id: String,
    pub slug: String,
    /// The programme of the round: its publications form a series of their own.
    pub programme: Programme,
    /// Every edition, the first first.
    pub editions: Vec<EditionRecord>,
    /// The latest edition's snapshot.
    pub snapshot: Arc<Snapshot>,
    pub version: Arc<LoadedVersion>,
    /// The national page of the latest edition, made on first request.
    national: OnceLock<Arc<NationalDashboard>>,
    /// The national figures of the latest edition, made on first request (region pages).
    tally: OnceLock<RoundTally>,
    /// For each earlier publication of the programme: the mapping of this version onto its
    /// version (`None`: another questionnaire), made on first request.
    mappings: OnceLock<Vec<Option<VersionMapping>>>,
}

impl PublishedRound {
    pub fn latest(&self) -> &EditionRecord {
        self.editions
            .last()
            .expect("a published round has an edition")
    }

    fn public_editions(&self) -> Vec<Edition> {
        self.editions.iter().map(|e| e.edition.clone()).collect()
    }

    fn published(&self) -> Published<'_> {
        Published {
            edition: &self.latest().edition,
            snapshot: &self.snapshot,
        }
    }
}

/// Every publication of every programme, oldest round (by deadline) first.
pub struct Publications {
    pub rounds: Vec<PublishedRound>,
    /// Rendered public pages, as anonymous visitors get them: dropped with the publications.
    pub pages: KeptPages,
}

impl Publications {
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.rounds.iter().position(|r| r.slug == slug)
    }

    /// The positions of a programme's publications, oldest first.
    fn series<'a>(&'a self, programme: &'a str) -> impl Iterator<Item = usize> + 'a {
        (0..self.rounds.len()).filter(move |&n| self.rounds[n].programme.code == programme)
    }

    /// The publication a public URL names: a publication's name, a programme's code (its
    /// newest publication) or nothing (the NAD's newest); anything else is 404.
    fn chosen(&self, name: Option<&str>) -> Result<usize, AppError> {
        let newest = |programme: &str| self.series(programme).last().ok_or(AppError::NotFound);
        match name {
            None => newest(DEFAULT_PROGRAMME),
            Some(slug) if is_slug(slug) => self.position(slug).ok_or(AppError::NotFound),
            Some(code) if programme::check_code(code).is_ok() => newest(code),
            Some(_) => Err(AppError::NotFound),
        }
    }

    /// Whether the publication at `position` is the newest of its programme.
    fn is_newest(&self, position: usize) -> bool {
        self.series(&self.rounds[position].programme.code).last() == Some(position)
    }

    /// The publications of the same programme before the one at `position`, oldest first.
    fn before(&self, position: usize) -> Vec<&PublishedRound> {
        let programme = &self.rounds[position].programme.code;
        self.rounds[..position]
            .iter()
            .filter(|round| round.programme.code == *programme)
            .collect()
    }

    /// The programmes with a publication, each once, in the order of their first publication.
    pub fn programmes(&self) -> Vec<Programme> {
        let mut programmes: Vec<Programme> = Vec::new();
        for round in &self.rounds {
            if !programmes.iter().any(|p| p.code == round.programme.code) {
                programmes.push(round.programme.clone());
            }
        }
        programmes
    }
}

#[derive(sqlx::FromRow)]
struct EditionRow {
    id: String,
    round_id: String,
    slug: String,
    edition: i64,
    published_at: i64,
    note: String,
    conclusions: String,
    snapshot_sha256: String,
}

impl EditionRow {
    fn record(self) -> EditionRecord {
        EditionRecord {
            id: self.id,
            edition: Edition {
                slug: self.slug,
                edition: self.edition,
                published_at: self.published_at,
                note: self.note,
            },
            conclusions: self.conclusions,
            snapshot_sha256: self.snapshot_sha256,
        }
    }
}

const EDITION_COLUMNS: &str =
    "p.id, p.round_id, p.slug, p.edition, p.published_at, p.note, p.conclusions, p.snapshot_sha256";

async fn read_all(state: &AppState) -> Result<Publications, AppError> {
    let rows: Vec<EditionRow> = sqlx::query_as(&format!(
        "SELECT {EDITION_COLUMNS} FROM publications p JOIN rounds r ON r.id = p.round_id \
         ORDER BY r.deadline, r.opens_at, r.id, p.edition"
    ))
    .fetch_all(&state.pool)
    .await?;
    let rounds = by_round(rows);
    let programmes = programmes_of_published(&state.pool).await?;
    let mut published = Vec::with_capacity(rounds.len());
    for (round_id, editions) in rounds {
        let programme = programmes
            .iter()
            .find(|(round, _)| *round == round_id)
            .map(|(_, programme)| programme.clone())
            .ok_or_else(|| AppError::internal("a published round has no programme", &round_id))?;
        published.push(read_round(state, round_id, programme, editions).await?);
    }
    Ok(Publications {
        rounds: published,
        pages: KeptPages::default(),
    })
}

/// The editions grouped by round, in the order of the rows (which come round by round).
fn by_round(rows: Vec<EditionRow>) -> Vec<(String, Vec<EditionRecord>)> {
    let mut rounds: Vec<(String, Vec<EditionRecord>)> = Vec::new();
    for row in rows {
        let round_id = row.round_id.clone();
        match rounds.last_mut() {
            Some((id, editions)) if *id == round_id => editions.push(row.record()),
            _ => rounds.push((round_id, vec![row.record()])),
        }
    }
    rounds
}

/// The programme of each published round, by round.
async fn programmes_of_published(pool: &AnyPool) -> Result<Vec<(String, Programme)>, AppError> {
    let programmes = crate::services::programmes::list(pool).await?;
    let rounds: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT r.id, r.programme_code FROM rounds r \
         JOIN publications p ON p.round_id = r.id",
    )
    .fetch_all(pool)
    .await?;
    rounds
        .into_iter()
        .map(|(round_id, code)| {
            let programme = programmes
                .iter()
                .find(|p| p.code == code)
                .cloned()
                .ok_or_else(|| AppError::internal("a round's programme is unknown", &code))?;
            Ok((round_id, programme))
        })
        .collect()
}

/// A published round with its latest edition's snapshot and questionnaire version.
async fn read_round(
    state: &AppState,
    round_id: String,
    programme: Programme,
    editions: Vec<EditionRecord>,
) -> Result<PublishedRound, AppError> {
    let latest = editions.last().expect("grouped rows");
    let snapshot = Arc::new(read_snapshot(&state.pool, &latest.id).await?);
    let version = state
        .questionnaire_version(&snapshot.questionnaire_id, &snapshot.questionnaire_version)
        .await?;
    Ok(PublishedRound {
        slug: latest.edition.slug.clone(),
        round_id,
        programme,
        editions,
        snapshot,
        version,
        national: OnceLock::new(),
        tally: OnceLock::new(),
        mappings: OnceLock::new(),
    })
}

async fn read_snapshot(pool: &AnyPool, publication_id: &str) -> Result<Snapshot, AppError> {
    let text: String = sqlx::query_scalar("SELECT snapshot FROM publications WHERE id = $1")
        .bind(publication_id)
        .fetch_one(pool)
        .await?;
    serde_json::from_str(&text)
        .map_err(|error| AppError::internal("a published snapshot does not read back", error))
}

/// The snapshot of one edition exactly as stored (JSON), for the open data of earlier
/// editions.
pub async fn stored_snapshot(
    state: &AppState,
    slug: &str,
    edition: i64,
) -> Result<(EditionRecord, Snapshot), AppError> {
    if !is_slug(slug) {
        return Err(AppError::NotFound);
    }
    let row: EditionRow = sqlx::query_as(&format!(
        "SELECT {EDITION_COLUMNS} FROM publications p WHERE p.slug = $1 AND p.edition = $2"
    ))
    .bind(slug)
    .bind(edition)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let record = row.record();
    let snapshot = read_snapshot(&state.pool, &record.id).await?;
    Ok((record, snapshot))
}

/// Every edition of a round, the first first.
async fn stored_editions<'e, E>(executor: E, round_id: &str) -> Result<Vec<EditionRecord>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<EditionRow> = sqlx::query_as(&format!(
        "SELECT {EDITION_COLUMNS} FROM publications p WHERE p.round_id = $1 ORDER BY p.edition"
    ))
    .bind(round_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(EditionRow::record).collect())
}
