//! Adding an edition: publishing a closed round (its first edition) and correcting a
//! published one (a later edition with a note). Each edition freezes the round's public
//! snapshot as it was previewed; a change since then refuses.

use super::{stored_editions, EditionRecord};
use crate::domain::publication::{check_conclusions, check_note, round_slug, Edition, Snapshot};
use crate::domain::round::RoundState;
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use crate::services::state::AppState;
use crate::services::{exports, new_id, now_ms, open_data, sha256_hex};
use serde_json::json;
use sqlx::AnyConnection;

/// Why a round in `round_state` with `editions` editions can't be published (`first`) or
/// corrected (`!first`) now.
pub(super) fn refusal(round_state: RoundState, editions: usize, first: bool) -> Option<String> {
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

/// A round's public snapshot as it is stored in an edition.
struct Frozen {
    snapshot: Snapshot,
    json: String,
    sha256: String,
}

impl Frozen {
    fn new(snapshot: Snapshot) -> Result<Frozen, AppError> {
        let json = serde_json::to_string(&snapshot)
            .map_err(|error| AppError::internal("a snapshot does not serialise", error))?;
        let sha256 = sha256_hex(&json);
        Ok(Frozen {
            snapshot,
            json,
            sha256,
        })
    }
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
    let programme = super::programme_of_round(&state.pool, round_id).await?;
    let (snapshot, round_state, stamp) = exports::public_snapshot(state, round_id).await?;
    let frozen = Frozen::new(snapshot)?;
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
    let editions = stored_editions(&mut *tx, round_id).await?;
    let stored_state = stored_state(&mut tx, round_id).await?;
    if let Some(why) = refusal(stored_state, editions.len(), first) {
        return Err(AppError::Conflict(why));
    }
    if stored_state != round_state || exports::responses_stamp(&mut *tx, round_id).await? != stamp {
        return Err(AppError::Conflict(
            "Er is net iets veranderd aan de antwoorden of beoordelingen van deze meting. Bekijk het voorbeeld opnieuw en publiceer dan."
                .into(),
        ));
    }
    refuse_if_unchanged(editions.last(), &frozen, &conclusions)?;
    let edition = Edition {
        slug: slug(&mut tx, editions.last(), &programme, &frozen.snapshot).await?,
        edition: editions.len() as i64 + 1,
        published_at,
        note: note.unwrap_or_default(),
    };
    insert(&mut tx, round_id, &edition, &conclusions, &frozen).await?;
    if stored_state != RoundState::Published {
        mark_published(&mut tx, actor, round_id, stored_state).await?;
    }
    record(&mut tx, actor, round_id, first, &edition, &frozen).await?;
    tx.commit().await?;
    state.publications.clear();
    open_data::warm_up(state);
    Ok(edition)
}

async fn stored_state(conn: &mut AnyConnection, round_id: &str) -> Result<RoundState, AppError> {
    let stored_state: String = sqlx::query_scalar("SELECT state FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_one(&mut *conn)
        .await?;
    stored_state
        .parse()
        .map_err(|_| AppError::internal("a round's stored state is unknown", &stored_state))
}

/// A new edition must differ from the latest in its data or its conclusions.
fn refuse_if_unchanged(
    latest: Option<&EditionRecord>,
    frozen: &Frozen,
    conclusions: &str,
) -> Result<(), AppError> {
    match latest {
        Some(latest)
            if latest.snapshot_sha256 == frozen.sha256 && latest.conclusions == conclusions =>
        {
            Err(AppError::field(
                "note",
                "Er is niets veranderd sinds de vorige editie: dezelfde gegevens en dezelfde conclusies.",
            ))
        }
        _ => Ok(()),
    }
}

/// The publication's slug: the latest edition's, or for a first edition a new one from the
/// programme and the deadline that no other publication has.
async fn slug(
    conn: &mut AnyConnection,
    latest: Option<&EditionRecord>,
    programme: &str,
    snapshot: &Snapshot,
) -> Result<String, AppError> {
    Ok(match latest {
        Some(latest) => latest.edition.slug.clone(),
        None => {
            let taken: Vec<String> = sqlx::query_scalar("SELECT DISTINCT slug FROM publications")
                .fetch_all(&mut *conn)
                .await?;
            round_slug(programme, snapshot.deadline, &taken)
        }
    })
}

async fn insert(
    conn: &mut AnyConnection,
    round_id: &str,
    edition: &Edition,
    conclusions: &str,
    frozen: &Frozen,
) -> Result<(), AppError> {
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
    .bind(conclusions)
    .bind(&frozen.json)
    .bind(&frozen.sha256)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks a closed round (or one published before publications existed) published, audited.
async fn mark_published(
    conn: &mut AnyConnection,
    actor: &Actor,
    round_id: &str,
    stored_state: RoundState,
) -> Result<(), AppError> {
    sqlx::query("UPDATE rounds SET state = $1 WHERE id = $2")
        .bind(RoundState::Published.code())
        .bind(round_id)
        .execute(&mut *conn)
        .await?;
    audit::record(
        &mut *conn,
        actor,
        Event {
            kind: "round_state_changed",
            region_code: None,
            subject: Some(round_id),
            details: json!({ "from": stored_state.code(), "to": "published" }),
        },
    )
    .await
}

/// Audits the new edition.
async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    round_id: &str,
    first: bool,
    edition: &Edition,
    frozen: &Frozen,
) -> Result<(), AppError> {
    audit::record(
        &mut *conn,
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
                "regions": frozen.snapshot.regions.len(),
                "regions_with_data": frozen.snapshot.with_data().count(),
                "snapshot_sha256": frozen.sha256,
            }),
        },
    )
    .await
}
