//! Publishing rounds, and reading what was published. Publishing a closed round freezes a
//! snapshot of its approved responses' public answers (`exports::public_snapshot`) as the
//! first edition of its publication; a correction freezes a new edition with a dated note.
//! The public pages and the open data read editions only, through a cache that is filled
//! once and dropped whenever an edition is added: editions never change.

use super::audit::{self, Actor, Event};
use super::questionnaires::{self, LoadedVersion};
use super::state::AppState;
use super::{new_id, now_ms, sha256_hex};
use crate::domain::comparison::VersionMapping;
use crate::domain::national::RoundTally;
use crate::domain::publication::dashboard::{
    self, Earlier, NationalDashboard, Preview, PublicDashboard, PublicRegion, PublicationLink,
    Published,
};
use crate::domain::publication::{
    self, check_conclusions, check_note, is_slug, period, round_slug, Edition, Snapshot,
};
use crate::domain::round::RoundState;
use crate::error::AppError;
use serde_json::json;
use sqlx::AnyPool;
use std::sync::{Arc, OnceLock, RwLock};

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
    /// Every edition, the first first.
    pub editions: Vec<EditionRecord>,
    /// The latest edition's snapshot.
    pub snapshot: Arc<Snapshot>,
    pub version: Arc<LoadedVersion>,
    /// The national page of the latest edition, made on first request.
    national: OnceLock<Arc<NationalDashboard>>,
    /// The national figures of the latest edition, made on first request (region pages).
    tally: OnceLock<RoundTally>,
    /// For each earlier publication: the mapping of this version onto its version (`None`:
    /// another questionnaire), made on first request.
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

/// Every publication, oldest round (by deadline) first.
pub struct Publications {
    pub rounds: Vec<PublishedRound>,
    /// Rendered public pages, as anonymous visitors get them: dropped with the publications.
    pub pages: KeptPages,
}

/// How many bytes of rendered public pages are kept; beyond that they start over.
const KEPT_PAGE_BYTES: usize = 32 << 20;

/// Rendered public pages by path, with their script nonce replaced by `NONCE_MARK`.
#[derive(Default)]
pub struct KeptPages(
    std::sync::Mutex<(std::collections::HashMap<String, axum::body::Bytes>, usize)>,
);

/// What stands for a kept page's nonce; each response gets a fresh one in its place.
pub const NONCE_MARK: &str = "@@NONCE@@";

impl KeptPages {
    pub fn get(&self, path: &str) -> Option<axum::body::Bytes> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.0.get(path).cloned()
    }

    pub fn keep(&self, path: &str, page: axum::body::Bytes) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.1 + page.len() > KEPT_PAGE_BYTES {
            *kept = Default::default();
        }
        kept.1 += page.len();
        kept.0.insert(path.to_string(), page);
    }
}

impl Publications {
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.rounds.iter().position(|r| r.slug == slug)
    }

    /// The publication a public URL names (`None`: the latest), or 404.
    fn chosen(&self, slug: Option<&str>) -> Result<usize, AppError> {
        match slug {
            None if self.rounds.is_empty() => Err(AppError::NotFound),
            None => Ok(self.rounds.len() - 1),
            Some(slug) if !is_slug(slug) => Err(AppError::NotFound),
            Some(slug) => self.position(slug).ok_or(AppError::NotFound),
        }
    }
}

/// How long the kept publications are served before the database is asked whether another
/// instance added an edition (a count of a small table).
const RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// The publications, loaded on first use and dropped when an edition is added here; another
/// instance's editions show within `RECHECK`.
#[derive(Default)]
pub struct Cache {
    loaded: RwLock<Option<Kept>>,
    /// One load at a time: a burst of first requests reads the database once.
    loading: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Kept {
    publications: Arc<Publications>,
    /// How many editions there were when they were read: editions are only ever added.
    editions: i64,
    checked: std::time::Instant,
}

impl Cache {
    pub fn clear(&self) {
        *self.loaded.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn current(&self) -> Option<Kept> {
        self.loaded
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn keep(&self, kept: Kept) {
        *self.loaded.write().unwrap_or_else(|e| e.into_inner()) = Some(kept);
    }
}

/// Every publication, from the cache or read once.
pub async fn all(state: &AppState) -> Result<Arc<Publications>, AppError> {
    let fresh = |kept: &Kept| kept.checked.elapsed() < RECHECK;
    if let Some(kept) = state.publications.current().filter(fresh) {
        return Ok(kept.publications);
    }
    let _turn = state.publications.loading.lock().await;
    let kept = state.publications.current();
    if let Some(kept) = kept.clone().filter(fresh) {
        return Ok(kept.publications);
    }
    let editions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM publications")
        .fetch_one(&state.pool)
        .await?;
    let publications = match kept {
        Some(kept) if kept.editions == editions => kept.publications,
        _ => Arc::new(read_all(state).await?),
    };
    state.publications.keep(Kept {
        publications: publications.clone(),
        editions,
        checked: std::time::Instant::now(),
    });
    Ok(publications)
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
    let mut rounds: Vec<(String, Vec<EditionRecord>)> = Vec::new();
    for row in rows {
        let round_id = row.round_id.clone();
        match rounds.last_mut() {
            Some((id, editions)) if *id == round_id => editions.push(row.record()),
            _ => rounds.push((round_id, vec![row.record()])),
        }
    }
    let mut published = Vec::with_capacity(rounds.len());
    for (round_id, editions) in rounds {
        let latest = editions.last().expect("grouped rows");
        let snapshot = Arc::new(read_snapshot(&state.pool, &latest.id).await?);
        let version = state
            .questionnaires
            .get(
                &state.pool,
                &snapshot.questionnaire_id,
                &snapshot.questionnaire_version,
            )
            .await?;
        published.push(PublishedRound {
            slug: latest.edition.slug.clone(),
            round_id,
            editions,
            snapshot,
            version,
            national: OnceLock::new(),
            tally: OnceLock::new(),
            mappings: OnceLock::new(),
        });
    }
    Ok(Publications {
        rounds: published,
        pages: KeptPages::default(),
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

/// The earlier publications of the round at `position`, each with the mapping of its
/// version onto the round's (for trends, following lineage).
async fn earlier<'a>(
    state: &AppState,
    publications: &'a Publications,
    position: usize,
) -> Result<Vec<Earlier<'a>>, AppError> {
    let current = &publications.rounds[position];
    let before = &publications.rounds[..position];
    let mappings = match current.mappings.get() {
        Some(mappings) => mappings,
        None => {
            let mut made = Vec::with_capacity(position);
            for round in before {
                made.push(mapping_onto(state, &current.version, &round.snapshot).await?);
            }
            current.mappings.get_or_init(|| made)
        }
    };
    Ok(before
        .iter()
        .zip(mappings)
        .map(|(round, mapping)| Earlier {
            published: round.published(),
            mapping: mapping.as_ref(),
        })
        .collect())
}

/// The mapping of `version` onto the version of an earlier snapshot; `None` when that is of
/// another questionnaire.
async fn mapping_onto(
    state: &AppState,
    version: &LoadedVersion,
    earlier: &Snapshot,
) -> Result<Option<VersionMapping>, AppError> {
    if earlier.questionnaire_id != version.questionnaire.identifier {
        return Ok(None);
    }
    let mapping = questionnaires::mapping(
        &state.pool,
        &state.questionnaires,
        version,
        &earlier.questionnaire_id,
        &earlier.questionnaire_version,
    )
    .await?;
    Ok(Some(mapping))
}

fn links(publications: &Publications) -> Vec<PublicationLink> {
    publications
        .rounds
        .iter()
        .rev()
        .map(|round| PublicationLink {
            slug: round.slug.clone(),
            round_name: round.snapshot.round_name.clone(),
            period: period(round.snapshot.deadline),
            editions: round.latest().edition.edition,
            published_at: round.editions[0].edition.published_at,
        })
        .collect()
}

/// The national page of the publication `slug` names (`None`: the latest).
pub async fn national(state: &AppState, slug: Option<&str>) -> Result<PublicDashboard, AppError> {
    let publications = all(state).await?;
    let position = publications.chosen(slug)?;
    let round = &publications.rounds[position];
    let dashboard = match round.national.get() {
        Some(dashboard) => dashboard.clone(),
        None => {
            let earlier = earlier(state, &publications, position).await?;
            let made = Arc::new(dashboard::national(
                round.published(),
                round.public_editions(),
                &round.version.questionnaire,
                &earlier,
            ));
            round.national.get_or_init(|| made).clone()
        }
    };
    Ok(PublicDashboard {
        dashboard: (*dashboard).clone(),
        // Below the page's title and its "Conclusies" heading: "# …" becomes an h3.
        conclusions_html: super::content::render_within(&round.latest().conclusions, 2),
        is_latest: position + 1 == publications.rounds.len(),
        publications: links(&publications),
    })
}

/// A region's page in the publication `slug` names (`None`: the latest); 404 for a region
/// that did not take part in it.
pub async fn region(
    state: &AppState,
    slug: Option<&str>,
    code: &str,
) -> Result<PublicRegion, AppError> {
    if code.is_empty() || code.len() > 16 {
        return Err(AppError::NotFound);
    }
    let publications = all(state).await?;
    let position = publications.chosen(slug)?;
    let round = &publications.rounds[position];
    let earlier = earlier(state, &publications, position).await?;
    let now = round
        .tally
        .get_or_init(|| dashboard::tally(&round.snapshot));
    let dashboard = dashboard::region(
        round.published(),
        round.public_editions(),
        &round.version.questionnaire,
        &earlier,
        code,
        now,
    )
    .ok_or(AppError::NotFound)?;
    let taking_part = links(&publications)
        .into_iter()
        .filter(|link| {
            publications
                .position(&link.slug)
                .is_some_and(|n| publications.rounds[n].snapshot.region(code).is_some())
        })
        .collect();
    Ok(PublicRegion {
        dashboard,
        is_latest: position + 1 == publications.rounds.len(),
        publications: taking_part,
    })
}

/// Why a round in `round_state` with `editions` editions can't be published (`first`) or
/// corrected (`!first`) now.
fn refusal(round_state: RoundState, editions: usize, first: bool) -> Option<String> {
    match (round_state, editions, first) {
        (RoundState::Closed, 0, true) | (RoundState::Published, 0, true) => None,
        (RoundState::Published, 1.., false) => None,
        (RoundState::Published, 1.., true) => Some(
            "Deze meting is al gepubliceerd. Een wijziging publiceert u als correctie, met een toelichting."
                .into(),
        ),
        (RoundState::Closed | RoundState::Published, _, false) => {
            Some("Deze meting is nog niet gepubliceerd; er is niets te corrigeren.".into())
        }
        _ => Some(
            "Alleen een gesloten meting kan worden gepubliceerd. Sluit de meting eerst.".into(),
        ),
    }
}

async fn stored_editions(pool: &AnyPool, round_id: &str) -> Result<Vec<EditionRecord>, AppError> {
    let rows: Vec<EditionRow> = sqlx::query_as(&format!(
        "SELECT {EDITION_COLUMNS} FROM publications p WHERE p.round_id = $1 ORDER BY p.edition"
    ))
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(EditionRow::record).collect())
}

/// The preview of publishing (or correcting) a round: its national page as it would be,
/// compared with the publications before it.
pub async fn preview(state: &AppState, round_id: &str) -> Result<Preview, AppError> {
    let (snapshot, round_state, _) = super::exports::public_snapshot(state, round_id).await?;
    let editions = stored_editions(&state.pool, round_id).await?;
    let first = editions.is_empty();
    let version = state
        .questionnaires
        .get(
            &state.pool,
            &snapshot.questionnaire_id,
            &snapshot.questionnaire_version,
        )
        .await?;
    let publications = all(state).await?;
    // Compared with the publications of rounds before this one, as the public page will be.
    let before = publications
        .rounds
        .iter()
        .take_while(|round| {
            round.snapshot.deadline <= snapshot.deadline && round.round_id != round_id
        })
        .count();
    let edition = Edition {
        slug: editions.last().map_or_else(
            || round_slug(snapshot.deadline, &[]),
            |e| e.edition.slug.clone(),
        ),
        edition: editions.len() as i64 + 1,
        published_at: now_ms(),
        note: String::new(),
    };
    let mut mappings = Vec::with_capacity(before);
    for round in &publications.rounds[..before] {
        mappings.push(mapping_onto(state, &version, &round.snapshot).await?);
    }
    let earlier: Vec<Earlier<'_>> = publications.rounds[..before]
        .iter()
        .zip(&mappings)
        .map(|(round, mapping)| Earlier {
            published: round.published(),
            mapping: mapping.as_ref(),
        })
        .collect();
    let changes = publications
        .rounds
        .iter()
        .find(|round| round.round_id == round_id)
        .map(|round| publication::changes(&round.snapshot, &snapshot))
        .unwrap_or_default();
    let dashboard = dashboard::national(
        Published {
            edition: &edition,
            snapshot: &snapshot,
        },
        editions.iter().map(|e| e.edition.clone()).collect(),
        &version.questionnaire,
        &earlier,
    );
    Ok(Preview {
        round_id: round_id.to_string(),
        round_name: snapshot.round_name.clone(),
        state: round_state,
        first,
        refused: refusal(round_state, editions.len(), first),
        conclusions: editions
            .last()
            .map(|e| e.conclusions.clone())
            .unwrap_or_default(),
        editions: editions.into_iter().map(|e| e.edition).collect(),
        not_approved: dashboard.without_data.clone(),
        changes,
        dashboard,
    })
}

/// Publishes a closed round: freezes its first edition and marks the round published. A
/// round marked published before publications existed gets its first edition the same way.
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    round_id: &str,
    conclusions: &str,
) -> Result<Edition, AppError> {
    publish_as_of(state, actor, round_id, conclusions, now_ms()).await
}

/// `publish`, dated `published_at` (the demo's history is published after each deadline).
pub async fn publish_as_of(
    state: &AppState,
    actor: &Actor,
    round_id: &str,
    conclusions: &str,
    published_at: i64,
) -> Result<Edition, AppError> {
    let conclusions =
        check_conclusions(conclusions).map_err(|m| AppError::field("conclusions", m))?;
    add_edition(state, actor, round_id, None, conclusions, published_at).await
}

/// Publishes a correction of a published round: a new edition, frozen now, with a note that
/// says what changed. The earlier editions stay as they were.
pub async fn correct(
    state: &AppState,
    actor: &Actor,
    round_id: &str,
    note: &str,
    conclusions: &str,
) -> Result<Edition, AppError> {
    let note = check_note(note).map_err(|m| AppError::field("note", m))?;
    let conclusions =
        check_conclusions(conclusions).map_err(|m| AppError::field("conclusions", m))?;
    add_edition(state, actor, round_id, Some(note), conclusions, now_ms()).await
}

/// Freezes a new edition: the first when `note` is `None`, else a correction.
async fn add_edition(
    state: &AppState,
    actor: &Actor,
    round_id: &str,
    note: Option<String>,
    conclusions: String,
    published_at: i64,
) -> Result<Edition, AppError> {
    let first = note.is_none();
    let (snapshot, round_state, stamp) = super::exports::public_snapshot(state, round_id).await?;
    let snapshot_json = serde_json::to_string(&snapshot)
        .map_err(|error| AppError::internal("a snapshot does not serialise", error))?;
    let snapshot_sha256 = sha256_hex(&snapshot_json);
    let _turn = match &state.sqlite_writes {
        Some(writes) => Some(writes.lock().await),
        None => None,
    };
    let mut tx = state.pool.begin().await?;
    // Taking the round's row first: reviews and comments take it too (see
    // `review::comments::refuse_if_published`), so none can slip in while this commits.
    sqlx::query("UPDATE rounds SET state = state WHERE id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    let editions: Vec<EditionRow> = sqlx::query_as(&format!(
        "SELECT {EDITION_COLUMNS} FROM publications p WHERE p.round_id = $1 ORDER BY p.edition"
    ))
    .bind(round_id)
    .fetch_all(&mut *tx)
    .await?;
    let stored_state: String = sqlx::query_scalar("SELECT state FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_one(&mut *tx)
        .await?;
    let stored_state: RoundState = stored_state
        .parse()
        .map_err(|_| AppError::internal("a round's stored state is unknown", &stored_state))?;
    if let Some(why) = refusal(stored_state, editions.len(), first) {
        return Err(AppError::Conflict(why));
    }
    if stored_state != round_state
        || super::exports::responses_stamp(&mut *tx, round_id).await? != stamp
    {
        return Err(AppError::Conflict(
            "Er is net iets veranderd aan de antwoorden of beoordelingen van deze meting. Bekijk het voorbeeld opnieuw en publiceer dan."
                .into(),
        ));
    }
    if let Some(latest) = editions.last() {
        if latest.snapshot_sha256 == snapshot_sha256 && latest.conclusions == conclusions {
            return Err(AppError::field(
                "note",
                "Er is niets veranderd sinds de vorige editie: dezelfde gegevens en dezelfde conclusies.",
            ));
        }
    }
    let slug = match editions.last() {
        Some(latest) => latest.slug.clone(),
        None => {
            let taken: Vec<String> = sqlx::query_scalar("SELECT DISTINCT slug FROM publications")
                .fetch_all(&mut *tx)
                .await?;
            round_slug(snapshot.deadline, &taken)
        }
    };
    let edition = Edition {
        slug,
        edition: editions.len() as i64 + 1,
        published_at,
        note: note.unwrap_or_default(),
    };
    sqlx::query(
        "INSERT INTO publications (id, round_id, slug, edition, published_at, note, conclusions, \
         snapshot, snapshot_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(round_id)
    .bind(&edition.slug)
    .bind(edition.edition)
    .bind(edition.published_at)
    .bind(&edition.note)
    .bind(&conclusions)
    .bind(&snapshot_json)
    .bind(&snapshot_sha256)
    .execute(&mut *tx)
    .await?;
    if stored_state != RoundState::Published {
        sqlx::query("UPDATE rounds SET state = $1 WHERE id = $2")
            .bind(RoundState::Published.code())
            .bind(round_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut *tx,
            actor,
            Event {
                kind: "round_state_changed",
                region_code: None,
                subject: Some(round_id),
                details: json!({ "from": stored_state.code(), "to": "published" }),
            },
        )
        .await?;
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: if first {
                "round_published"
            } else {
                "publication_corrected"
            },
            region_code: None,
            subject: Some(round_id),
            details: json!({
                "slug": edition.slug,
                "edition": edition.edition,
                "note": edition.note,
                "regions": snapshot.regions.len(),
                "regions_with_data": snapshot.with_data().count(),
                "snapshot_sha256": snapshot_sha256,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    state.publications.clear();
    super::open_data::warm_up(state);
    Ok(edition)
}
