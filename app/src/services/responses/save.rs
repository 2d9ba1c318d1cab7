//! Saving answers (with conflict detection between colleagues) and resolving conflicts.

use super::*;
use crate::domain::access::SignedInUser;
use crate::domain::questionnaire::answer::{parse_answer, RawAnswer};
use crate::domain::questionnaire::model::Item;
use crate::domain::response::{decide, AnswerInput, ConflictInfo, Decision, SaveOutcome, Stored};
use crate::error::AppError;
use crate::services::questionnaires::LoadedVersion;
use crate::services::state::AppState;
use crate::services::{new_id, now_ms};

/// Saves answers of a response: each is decided against the stored version (see
/// `domain::response::decide`). Invalid input is stored, flagged, with its problems; a save
/// based on an outdated version is kept aside as a conflict for its author and reported.
pub async fn save(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    inputs: Vec<AnswerInput>,
) -> Result<Vec<SaveOutcome>, AppError> {
    let (response, version) = writable(state, user, response_id).await?;
    check_request(&version, &inputs)?;
    // Only an item with a condition can be hidden; the others need no look at the rest.
    let conditional = inputs
        .iter()
        .any(|input| item_of(&version, &input.key).visible_if.is_some());
    if conditional {
        let stored = answers(&state.pool, &response.id).await?;
        let compared = compared(state, &response, &version).await?;
        check_visibility(&version, &stored, &compared, &inputs)?;
    }

    let (_turn, mut tx) = begin_writing(state, &response).await?;
    // The time of the write, taken once it holds the lock: history is in commit order.
    let now = now_ms();
    let saving = Saving {
        version: &version,
        response_id: &response.id,
        user_id: &user.id,
        now,
    };
    let mut outcomes = Vec::with_capacity(inputs.len());
    let mut wrote_any = false;
    for input in inputs {
        let outcome = save_one(&mut tx, &saving, input).await?;
        wrote_any |= matches!(outcome, SaveOutcome::Saved { .. });
        outcomes.push(outcome);
    }
    if wrote_any {
        mark_updated(&mut tx, &response.id, &user.id, now).await?;
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// What every answer of one save shares.
struct Saving<'a> {
    version: &'a LoadedVersion,
    response_id: &'a str,
    user_id: &'a str,
    /// The time of the write.
    now: i64,
}

/// The stored answer a save is decided against, with who saved it.
#[derive(sqlx::FromRow)]
struct CurrentRow {
    raw: String,
    version: i64,
    updated_at: i64,
    display_name: String,
}

/// Decides and stores one answer of a save, inside its transaction (see `decide`).
async fn save_one(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    saving: &Saving<'_>,
    input: AnswerInput,
) -> Result<SaveOutcome, AppError> {
    let raw = input.raw.normalized();
    let current = current_answer(tx, saving.response_id, &input.key).await?;
    let mut decision = decide(
        current.as_ref().map(|(row, stored)| Stored {
            raw: stored,
            version: row.version,
        }),
        input.base_version,
        &raw,
    );
    // A whole section posted at once carries every answer, also the ones this person did
    // not touch: an answer still as it was at its base version is no change of theirs.
    if decision == Decision::Conflict
        && unchanged_since(tx, saving.response_id, &input.key, input.base_version, &raw).await?
    {
        decision = Decision::Unchanged;
    }
    match decision {
        // A conflict stays until its author decides: a save that changes nothing (for
        // instance from another tab of the same person) does not decide it.
        Decision::Unchanged => Ok(SaveOutcome::Unchanged {
            version: current.as_ref().map_or(0, |(row, _)| row.version),
            saved_at: current.as_ref().map_or(0, |(row, _)| row.updated_at),
        }),
        Decision::Write { version } => {
            let old_raw = current.map(|(row, _)| row.raw);
            write_saved(tx, saving, &input.key, old_raw, &raw, version).await
        }
        Decision::Conflict => keep_conflict(tx, saving, input, raw, current).await,
    }
}

/// The stored answer to an item, read inside the saving transaction, with its input read
/// back; `None` when the item has no answer yet.
async fn current_answer(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    response_id: &str,
    key: &str,
) -> Result<Option<(CurrentRow, RawAnswer)>, AppError> {
    let row: Option<CurrentRow> = sqlx::query_as(
        "SELECT a.raw, a.version, a.updated_at, u.display_name FROM answers a \
         JOIN users u ON u.id = a.updated_by WHERE a.response_id = $1 AND a.item_key = $2",
    )
    .bind(response_id)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| {
        let stored: RawAnswer = serde_json::from_str(&row.raw).map_err(unreadable)?;
        Ok((row, stored))
    })
    .transpose()
}

/// Stores an answer that won, and drops this person's kept conflict on it.
async fn write_saved(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    saving: &Saving<'_>,
    key: &str,
    old_raw: Option<String>,
    raw: &RawAnswer,
    version: i64,
) -> Result<SaveOutcome, AppError> {
    let problems = write_answer(
        tx,
        AnswerWrite {
            response_id: saving.response_id,
            item: item_of(saving.version, key),
            old_raw,
            raw,
            version,
            prefilled: false,
            user_id: saving.user_id,
            at: saving.now,
        },
    )
    .await?;
    clear_conflict(tx, saving.response_id, key, saving.user_id).await?;
    Ok(SaveOutcome::Saved {
        version,
        saved_at: saving.now,
        problems,
    })
}

/// Keeps an input that lost to a colleague's save aside for its author, and reports both.
async fn keep_conflict(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    saving: &Saving<'_>,
    input: AnswerInput,
    raw: RawAnswer,
    current: Option<(CurrentRow, RawAnswer)>,
) -> Result<SaveOutcome, AppError> {
    let raw_json = serde_json::to_string(&raw).map_err(unwritable)?;
    let Some((row, theirs)) = current else {
        return Err(AppError::Validation(vec![(
            input.key,
            vec!["Ongeldige versie.".to_string()],
        )]));
    };
    let (response_id, user_id) = (saving.response_id, saving.user_id);
    // One kept conflict per person and item: the newest input replaces an older one.
    clear_conflict(tx, response_id, &input.key, user_id).await?;
    sqlx::query(
        "INSERT INTO answer_conflicts (response_id, item_key, user_id, raw, base_version, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(response_id)
    .bind(&input.key)
    .bind(user_id)
    .bind(&raw_json)
    .bind(input.base_version)
    .bind(saving.now)
    .execute(&mut **tx)
    .await?;
    Ok(SaveOutcome::Conflict(ConflictInfo {
        key: input.key,
        mine: raw,
        theirs,
        their_version: row.version,
        changed_by: row.display_name,
        changed_at: row.updated_at,
    }))
}

/// Whether `raw` is what the answer held at `version` (0: no answer yet).
pub(super) async fn unchanged_since(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response_id: &str,
    key: &str,
    version: i64,
    raw: &RawAnswer,
) -> Result<bool, AppError> {
    if version == 0 {
        return Ok(raw.is_blank());
    }
    let then: Option<String> = sqlx::query_scalar(
        "SELECT new_raw FROM answer_history WHERE response_id = $1 AND item_key = $2 AND version = $3",
    )
    .bind(response_id)
    .bind(key)
    .bind(version)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(then
        .and_then(|text| serde_json::from_str::<RawAnswer>(&text).ok())
        .is_some_and(|then| crate::domain::response::same_input(&then, raw)))
}

/// Begins a transaction that writes a response's answers. On SQLite it first waits its turn in
/// the process's writer queue. Touching the response row first takes the write lock (SQLite)
/// or the row lock (PostgreSQL): writes to one response are decided one after another, so two
/// saves can never both win. The guard must live as long as the transaction. The same update
/// raises the response's revision, which tells the review overview's cached counts
/// (`services::counts`) that they are stale.
///
/// Whether the response still accepts answers is decided again inside the transaction, after
/// the lock: a submit, approval or closed round that landed while this request was on its way
/// wins, and nothing is written after it. On PostgreSQL the round's row is also share-locked,
/// so closing the round waits for saves in flight and saves after it see it closed.
pub(super) async fn begin_writing<'s>(
    state: &'s AppState,
    response: &Response,
) -> Result<
    (
        Option<tokio::sync::MutexGuard<'s, ()>>,
        sqlx::Transaction<'static, sqlx::Any>,
    ),
    AppError,
> {
    let turn = match &state.sqlite_writes {
        Some(writes) => Some(writes.lock().await),
        None => None,
    };
    let response_id = &response.id;
    let mut tx = state.pool.begin().await?;
    materialize(&mut tx, response).await?;
    sqlx::query("UPDATE responses SET revision = revision + 1 WHERE id = $1")
        .bind(response_id)
        .execute(&mut *tx)
        .await?;
    if state.sqlite_writes.is_none() {
        sqlx::query(
            "SELECT ro.id FROM rounds ro JOIN responses r ON r.round_id = ro.id \
             WHERE r.id = $1 FOR SHARE OF ro",
        )
        .bind(response_id)
        .fetch_optional(&mut *tx)
        .await?;
    }
    let current = find_stored(&mut *tx, response_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(reason) = current.closed_reason(now_ms()) {
        return Err(AppError::Conflict(reason.to_string()));
    }
    Ok((turn, tx))
}

/// One answer to store: the new input of an item, the version it becomes, and by whom.
pub(super) struct AnswerWrite<'a> {
    pub(super) response_id: &'a str,
    pub(super) item: &'a Item,
    /// The stored input before (JSON); `None` when the item had no answer row yet.
    pub(super) old_raw: Option<String>,
    pub(super) raw: &'a RawAnswer,
    pub(super) version: i64,
    /// Taken over from the compared round, awaiting confirmation.
    pub(super) prefilled: bool,
    pub(super) user_id: &'a str,
    pub(super) at: i64,
}

/// Stores an answer (parsed, flagged invalid when it does not parse) and appends the change to
/// its history. Returns why the input is not a valid answer, if it is not.
pub(super) async fn write_answer(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    write: AnswerWrite<'_>,
) -> Result<Vec<String>, AppError> {
    let (value, problems) = match parse_answer(write.item, write.raw) {
        Ok(value) => (value, Vec::new()),
        Err(problems) => (None, problems),
    };
    let raw_json = serde_json::to_string(write.raw).map_err(unwritable)?;
    let value_json = value
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(unwritable)?;
    let valid = i64::from(problems.is_empty());
    let prefilled = i64::from(write.prefilled);
    let key = &write.item.key;
    if write.old_raw.is_some() {
        sqlx::query(
            "UPDATE answers SET raw = $1, value = $2, valid = $3, version = $4, prefilled = $5, \
             confirmed_unchanged = 0, updated_by = $6, updated_at = $7 \
             WHERE response_id = $8 AND item_key = $9",
        )
        .bind(&raw_json)
        .bind(&value_json)
        .bind(valid)
        .bind(write.version)
        .bind(prefilled)
        .bind(write.user_id)
        .bind(write.at)
        .bind(write.response_id)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO answers (response_id, item_key, raw, value, valid, version, prefilled, \
             updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(write.response_id)
        .bind(key)
        .bind(&raw_json)
        .bind(&value_json)
        .bind(valid)
        .bind(write.version)
        .bind(prefilled)
        .bind(write.user_id)
        .bind(write.at)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO answer_history (id, response_id, item_key, old_raw, new_raw, version, \
         changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(write.response_id)
    .bind(key)
    .bind(&write.old_raw)
    .bind(&raw_json)
    .bind(write.version)
    .bind(write.user_id)
    .bind(write.at)
    .execute(&mut **tx)
    .await?;
    Ok(problems)
}

/// Notes on the response who changed its answers last, and when.
pub(super) async fn mark_updated(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response_id: &str,
    user_id: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE responses SET updated_at = $1, updated_by = $2 WHERE id = $3")
        .bind(now)
        .bind(user_id)
        .bind(response_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn clear_conflict(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response_id: &str,
    key: &str,
    user_id: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "DELETE FROM answer_conflicts WHERE response_id = $1 AND item_key = $2 AND user_id = $3",
    )
    .bind(response_id)
    .bind(key)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends a conflict: keep this user's answer (saved over the colleague's, which they have now
/// seen) or take the colleague's (this user's input is dropped).
pub async fn resolve_conflict(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    key: &str,
    keep_mine: bool,
) -> Result<Option<SaveOutcome>, AppError> {
    let (response, _) = writable(state, user, response_id).await?;
    let stored = answers(&state.pool, &response.id).await?;
    let conflict = conflicts_of(&state.pool, &response.id, &user.id, &stored)
        .await?
        .into_iter()
        .find(|conflict| conflict.key == key)
        .ok_or(AppError::NotFound)?;
    if keep_mine {
        let mut outcomes = save(
            state,
            user,
            response_id,
            vec![AnswerInput {
                key: conflict.key,
                raw: conflict.mine,
                base_version: conflict.their_version,
            }],
        )
        .await?;
        let outcome = outcomes.pop();
        if matches!(outcome, Some(SaveOutcome::Unchanged { .. })) {
            // The colleague's answer already says what this person typed: decided.
            let mut tx = state.pool.begin().await?;
            clear_conflict(&mut tx, &response.id, key, &user.id).await?;
            tx.commit().await?;
        }
        Ok(outcome)
    } else {
        let mut tx = state.pool.begin().await?;
        clear_conflict(&mut tx, &response.id, key, &user.id).await?;
        tx.commit().await?;
        Ok(None)
    }
}
