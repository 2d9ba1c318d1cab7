//! Review: the completeness overview of a round, sending a response back, approving it with
//! the reviewer's password, voiding an approval, comment threads on items and each answer's
//! history. The rules live in `domain::review`; this module checks who asks and stores.

use super::audit::{self, Event};
use super::request::actor;
use super::responses::{self, Compared, Response};
use super::state::AppState;
use super::{new_id, now_ms};
use crate::domain::access::SignedInUser;
use crate::domain::questionnaire::answer::RawAnswer;
use crate::domain::questionnaire::completeness::{evaluate, ResponseAnswers};
use crate::domain::review::{
    check_action, check_comment, may_resolve, CommentMessage, CommentThread, OverviewRow,
    ReviewAction, ReviewStatus,
};
use crate::domain::role::Role;
use crate::domain::round::{check_reason, RoundState, RoundSummary};
use crate::error::AppError;
use serde_json::json;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;

/// Every participating region of a round with its completeness, for reviewers and admins.
pub async fn overview(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
) -> Result<(RoundSummary, Vec<OverviewRow>), AppError> {
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    if round_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let round = super::rounds::find(&state.pool, round_id).await?;
    if !round.summary.state.visible_to(user.role) {
        return Err(AppError::NotFound);
    }
    let (identifier, version) = round.summary.questionnaire.split_once('/').ok_or_else(|| {
        AppError::internal(
            "a round's questionnaire has no version",
            &round.summary.questionnaire,
        )
    })?;
    let version = state
        .questionnaires
        .get(&state.pool, identifier, version)
        .await?;
    let open_comments = open_comment_counts(&state.pool, round_id).await?;
    let last_comments = last_comments(&state.pool, round_id).await?;
    let round_responses = responses::of_round(&state.pool, round_id).await?;
    let figures = super::counts::of_round(state, &version, &round_responses).await?;
    let stored: HashMap<&str, &Response> = round_responses
        .iter()
        .map(|response| (response.id.as_str(), response))
        .collect();
    // A region that has not opened the round has no answers: one evaluation serves them all.
    let blank = evaluate(
        &version.questionnaire,
        &version.index,
        &ResponseAnswers::default(),
    );
    let mut rows = Vec::with_capacity(round.regions.len());
    for region in &round.regions {
        let found = region
            .response_id
            .as_ref()
            .and_then(|id| Some((*stored.get(id.as_str())?, figures.get(id)?)));
        let Some((response, counts)) = found else {
            rows.push(OverviewRow {
                region_code: region.code.clone(),
                region_name: region.name.clone(),
                response_id: region.response_id.clone(),
                status: ReviewStatus::NotStarted,
                required: blank.overall.required,
                complete: blank.overall.complete,
                blocking: 0,
                warnings: 0,
                open_comments: 0,
                last_activity: None,
            });
            continue;
        };
        let response_id = &response.id;
        let last_activity = [
            response.updated_by.clone().zip(response.updated_at),
            response.submitted_by.clone().zip(response.submitted_at),
            response
                .returned
                .as_ref()
                .map(|(by, at, _)| (by.clone(), *at)),
            response.approved.clone(),
            last_comments.get(response_id).cloned(),
        ]
        .into_iter()
        .flatten()
        .max_by_key(|(_, at)| *at);
        rows.push(OverviewRow {
            region_code: region.code.clone(),
            region_name: region.name.clone(),
            response_id: Some(response_id.clone()),
            status: ReviewStatus::of(Some(response.status), counts.answered),
            required: counts.required,
            complete: counts.complete,
            blocking: counts.blocking + counts.invalid,
            warnings: counts.warnings,
            open_comments: open_comments.get(response_id).copied().unwrap_or(0),
            last_activity,
        });
    }
    Ok((round.summary, rows))
}

async fn open_comment_counts(
    pool: &AnyPool,
    round_id: &str,
) -> Result<HashMap<String, usize>, AppError> {
    let rows = sqlx::query(
        "SELECT t.response_id, COUNT(*) AS open_count FROM comment_threads t \
         JOIN responses r ON r.id = t.response_id \
         WHERE r.round_id = $1 AND t.resolved = 0 GROUP BY t.response_id",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let count: i64 = row.try_get("open_count")?;
            Ok((row.try_get("response_id")?, count as usize))
        })
        .collect()
}

/// The latest comment on each response of a round, by whom.
async fn last_comments(
    pool: &AnyPool,
    round_id: &str,
) -> Result<HashMap<String, (String, i64)>, AppError> {
    let rows = sqlx::query(
        "SELECT t.response_id, c.created_at, u.display_name FROM comments c \
         JOIN comment_threads t ON t.id = c.thread_id \
         JOIN responses r ON r.id = t.response_id \
         JOIN users u ON u.id = c.author_id \
         WHERE r.round_id = $1 ORDER BY c.created_at",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    let mut latest = HashMap::new();
    for row in rows {
        latest.insert(
            row.try_get("response_id")?,
            (row.try_get("display_name")?, row.try_get("created_at")?),
        );
    }
    Ok(latest)
}

/// The number of open threads on one response.
pub async fn open_comments(pool: &AnyPool, response_id: &str) -> Result<usize, AppError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM comment_threads WHERE response_id = $1 AND resolved = 0",
    )
    .bind(response_id)
    .fetch_one(pool)
    .await?;
    Ok(count as usize)
}

/// Sends a response back to the region's coordinators with a reason: a submitted one
/// (`ReviewAction::Return`) or an approved one, voiding the approval (`ReviewAction::Reopen`).
pub async fn send_back(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    action: ReviewAction,
    reason: &str,
) -> Result<(), AppError> {
    if action == ReviewAction::Approve {
        return Err(AppError::internal(
            "an approval reached the path for returns",
            "act_with_reason",
        ));
    }
    let reason = check_reason(reason).map_err(|message| AppError::field("reason", message))?;
    act(state, user, response_id, action, Some(&reason)).await
}

/// Approves a submitted response. The reviewer signs with their password, as on paper: a
/// wrong password approves nothing and is recorded.
pub async fn approve(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> Result<(), AppError> {
    let response = reviewable(state, user, response_id).await?;
    if password.is_empty() {
        return Err(AppError::field(
            "password",
            "Vul uw wachtwoord in om de goedkeuring te ondertekenen.",
        ));
    }
    if password.len() > 1024 {
        return Err(AppError::field("password", "Het wachtwoord klopt niet."));
    }
    // The same back-off as logging in: signing is no way around it.
    if !super::auth::confirm_password(&state.pool, user, password, client).await? {
        audit::record(
            &state.pool,
            &actor(user),
            Event {
                kind: "approval_failed",
                region_code: Some(&response.region_code),
                subject: Some(&response.id),
                details: json!({ "round": response.round.name, "why": "wrong password" }),
            },
        )
        .await?;
        return Err(AppError::field(
            "password",
            "Het wachtwoord klopt niet. De vragenlijst is niet goedgekeurd.",
        ));
    }
    act(state, user, response_id, ReviewAction::Approve, None).await
}

/// A response a reviewer or admin may act on. Coordinators are refused before anything else.
async fn reviewable(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
) -> Result<Response, AppError> {
    if !matches!(user.role, Role::Reviewer | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let (response, _) = responses::readable(state, user, response_id).await?;
    Ok(response)
}

async fn act(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    action: ReviewAction,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let response = reviewable(state, user, response_id).await?;
    let target = check_action(user.role, response.status, response.round.state, action)
        .map_err(AppError::Conflict)?;
    let now = now_ms();
    let mut tx = state.pool.begin().await?;
    let query = match action {
        // The submission stays in the audit log; the response shows the return instead.
        ReviewAction::Return | ReviewAction::Reopen => sqlx::query(
            "UPDATE responses SET status = $1, returned_at = $2, returned_by = $3, \
             return_reason = $4, submitted_at = NULL, submitted_by = NULL, approved_at = NULL, \
             approved_by = NULL WHERE id = $5 AND status = $6",
        )
        .bind(target.as_str())
        .bind(now)
        .bind(&user.id)
        .bind(reason)
        .bind(&response.id)
        .bind(response.status.as_str()),
        ReviewAction::Approve => sqlx::query(
            "UPDATE responses SET status = $1, approved_at = $2, approved_by = $3 \
             WHERE id = $4 AND status = $5",
        )
        .bind(target.as_str())
        .bind(now)
        .bind(&user.id)
        .bind(&response.id)
        .bind(response.status.as_str()),
    };
    let changed = query.execute(&mut *tx).await?.rows_affected();
    if changed != 1 {
        return Err(AppError::Conflict(
            "De status van deze vragenlijst is net gewijzigd. Laad de pagina opnieuw.".to_string(),
        ));
    }
    audit::record(
        &mut *tx,
        &actor(user),
        Event {
            kind: action.audit_kind(),
            region_code: Some(&response.region_code),
            subject: Some(&response.id),
            details: json!({
                "round": response.round.name,
                "from": response.status.as_str(),
                "to": target.as_str(),
                "reason": reason,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every thread on a response, oldest first, for anyone who may read the response.
pub async fn threads(pool: &AnyPool, response_id: &str) -> Result<Vec<CommentThread>, AppError> {
    let rows = sqlx::query(
        "SELECT t.id, t.item_key, t.resolved, t.resolved_at, ru.display_name AS resolved_by, \
         c.body, c.created_at, u.display_name AS author, u.role AS author_role \
         FROM comment_threads t \
         JOIN comments c ON c.thread_id = t.id \
         JOIN users u ON u.id = c.author_id \
         LEFT JOIN users ru ON ru.id = t.resolved_by \
         WHERE t.response_id = $1 ORDER BY t.created_at, t.id, c.created_at, c.id",
    )
    .bind(response_id)
    .fetch_all(pool)
    .await?;
    let mut threads: Vec<CommentThread> = Vec::new();
    for row in rows {
        let id: String = row.try_get("id")?;
        if threads.last().is_none_or(|thread| thread.id != id) {
            let resolved: i64 = row.try_get("resolved")?;
            let resolved_by: Option<String> = row.try_get("resolved_by")?;
            let resolved_at: Option<i64> = row.try_get("resolved_at")?;
            threads.push(CommentThread {
                id,
                item_key: row.try_get("item_key")?,
                resolved: (resolved == 1)
                    .then(|| resolved_by.zip(resolved_at))
                    .flatten(),
                messages: Vec::new(),
            });
        }
        let role: String = row.try_get("author_role")?;
        if let Some(thread) = threads.last_mut() {
            thread.messages.push(CommentMessage {
                author: row.try_get("author")?,
                author_role: role.parse().map_err(|_| {
                    AppError::internal("a comment author's stored role is unknown", &role)
                })?,
                body: row.try_get("body")?,
                at: row.try_get("created_at")?,
            });
        }
    }
    Ok(threads)
}

/// Adds a comment on an item: a new thread, or a reply in `thread_id` (which opens a resolved
/// thread again). Reviewers, admins and the region's own coordinators may comment, until the
/// round is published. Returns the thread's id.
pub async fn add_comment(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    item_key: &str,
    thread_id: Option<&str>,
    body: &str,
) -> Result<String, AppError> {
    let (response, version) = responses::readable(state, user, response_id).await?;
    if response.round.state == RoundState::Published {
        return Err(AppError::Conflict(
            "Deze meting is gepubliceerd; er kunnen geen opmerkingen meer bij.".to_string(),
        ));
    }
    if !version.index.position.contains_key(item_key) {
        return Err(AppError::BadRequest(format!(
            "Onbekende vraag '{}' in deze vragenlijst.",
            item_key.chars().take(80).collect::<String>()
        )));
    }
    let body = check_comment(body).map_err(|message| AppError::field("body", message))?;
    let now = now_ms();
    let mut tx = state.pool.begin().await?;
    refuse_if_published(
        &mut tx,
        &response.round.id,
        "er kunnen geen opmerkingen meer bij",
    )
    .await?;
    // A comment is a write: a response that existed only as its key gets its row now.
    responses::materialize(&mut tx, &response).await?;
    let (thread, reopened) = match thread_id.filter(|id| !id.is_empty()) {
        Some(thread_id) => {
            let row = sqlx::query(
                "SELECT resolved FROM comment_threads \
                 WHERE id = $1 AND response_id = $2 AND item_key = $3",
            )
            .bind(thread_id)
            .bind(&response.id)
            .bind(item_key)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                AppError::BadRequest("Deze opmerking hoort niet bij deze vraag.".to_string())
            })?;
            let resolved: i64 = row.try_get("resolved")?;
            if resolved == 1 {
                sqlx::query(
                    "UPDATE comment_threads SET resolved = 0, resolved_by = NULL, \
                     resolved_at = NULL WHERE id = $1",
                )
                .bind(thread_id)
                .execute(&mut *tx)
                .await?;
            }
            (thread_id.to_string(), resolved == 1)
        }
        None => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO comment_threads (id, response_id, item_key, resolved, created_by, \
                 created_at) VALUES ($1, $2, $3, 0, $4, $5)",
            )
            .bind(&id)
            .bind(&response.id)
            .bind(item_key)
            .bind(&user.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            (id, false)
        }
    };
    sqlx::query(
        "INSERT INTO comments (id, thread_id, author_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(&thread)
    .bind(&user.id)
    .bind(&body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        &actor(user),
        Event {
            kind: "comment_added",
            region_code: Some(&response.region_code),
            subject: Some(&response.id),
            details: json!({
                "round": response.round.name,
                "item": item_key,
                "thread": thread,
                "reply": thread_id.is_some_and(|id| !id.is_empty()),
                "reopened": reopened,
                "text": body,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(thread)
}

/// Decides inside the writing transaction that the round is not published, locking the
/// round's row (PostgreSQL) or holding the write lock (SQLite) until the transaction ends: a
/// publication that lands first wins, and nothing is written after it.
async fn refuse_if_published(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round_id: &str,
    what: &str,
) -> Result<(), AppError> {
    let unpublished = sqlx::query("UPDATE rounds SET state = state WHERE id = $1 AND state <> $2")
        .bind(round_id)
        .bind(RoundState::Published.code())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if unpublished == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "Deze meting is gepubliceerd; {what}."
        )))
    }
}

/// Marks a thread resolved, or open again. Only reviewers and admins do this.
pub async fn set_resolved(
    state: &AppState,
    user: &SignedInUser,
    thread_id: &str,
    resolved: bool,
) -> Result<String, AppError> {
    if !may_resolve(user.role) {
        return Err(AppError::Forbidden);
    }
    let row = sqlx::query("SELECT response_id, item_key FROM comment_threads WHERE id = $1")
        .bind(thread_id)
        .fetch_optional(&state.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let response_id: String = row.try_get("response_id")?;
    let item_key: String = row.try_get("item_key")?;
    let (response, _) = responses::readable(state, user, &response_id).await?;
    if response.round.state == RoundState::Published {
        return Err(AppError::Conflict(
            "Deze meting is gepubliceerd; opmerkingen veranderen niet meer.".to_string(),
        ));
    }
    let mut tx = state.pool.begin().await?;
    refuse_if_published(
        &mut tx,
        &response.round.id,
        "opmerkingen veranderen niet meer",
    )
    .await?;
    let changed = sqlx::query(
        "UPDATE comment_threads SET resolved = $1, resolved_by = $2, resolved_at = $3 \
         WHERE id = $4 AND resolved = $5",
    )
    .bind(i64::from(resolved))
    .bind(resolved.then_some(user.id.as_str()))
    .bind(resolved.then(now_ms))
    .bind(thread_id)
    .bind(i64::from(!resolved))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 1 {
        audit::record(
            &mut *tx,
            &actor(user),
            Event {
                kind: if resolved {
                    "comment_resolved"
                } else {
                    "comment_reopened"
                },
                region_code: Some(&response.region_code),
                subject: Some(&response.id),
                details: json!({ "round": response.round.name, "item": item_key, "thread": thread_id }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(response_id)
}

/// One change in an answer's history.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub old_raw: Option<RawAnswer>,
    pub new_raw: RawAnswer,
    pub version: i64,
    pub changed_by: String,
    pub changed_at: i64,
}

/// The history of every answer of a response, per item, oldest change first.
pub async fn history(
    pool: &AnyPool,
    response_id: &str,
) -> Result<HashMap<String, Vec<HistoryEntry>>, AppError> {
    let rows = sqlx::query(
        "SELECT h.item_key, h.old_raw, h.new_raw, h.version, h.changed_at, u.display_name \
         FROM answer_history h JOIN users u ON u.id = h.changed_by \
         WHERE h.response_id = $1 ORDER BY h.item_key, h.version, h.changed_at",
    )
    .bind(response_id)
    .fetch_all(pool)
    .await?;
    let parse = |text: &str| -> Result<RawAnswer, AppError> {
        serde_json::from_str(text)
            .map_err(|error| AppError::internal("a stored answer does not read back", error))
    };
    let mut history: HashMap<String, Vec<HistoryEntry>> = HashMap::new();
    for row in rows {
        let old_raw: Option<String> = row.try_get("old_raw")?;
        let new_raw: String = row.try_get("new_raw")?;
        history
            .entry(row.try_get("item_key")?)
            .or_default()
            .push(HistoryEntry {
                old_raw: old_raw.as_deref().map(parse).transpose()?,
                new_raw: parse(&new_raw)?,
                version: row.try_get("version")?,
                changed_by: row.try_get("display_name")?,
                changed_at: row.try_get("changed_at")?,
            });
    }
    Ok(history)
}

/// What the reviewer's page of one response reads: the response, its version, answers,
/// evaluation, compared round, threads and history.
pub struct ReviewData {
    pub response: Response,
    pub version: std::sync::Arc<super::questionnaires::LoadedVersion>,
    pub stored: HashMap<String, responses::StoredAnswer>,
    pub evaluation: crate::domain::questionnaire::completeness::Evaluation,
    pub compared: Compared,
    pub threads: Vec<CommentThread>,
    pub history: HashMap<String, Vec<HistoryEntry>>,
}

/// Reads everything the review page of a response shows; coordinators of the region may read
/// it too (they answer the comments there), others get 403.
pub async fn review_data(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
) -> Result<ReviewData, AppError> {
    let (response, version) = responses::readable(state, user, response_id).await?;
    let stored = responses::answers(&state.pool, &response.id).await?;
    let compared = responses::compared(state, &response, &version).await?;
    let evaluation = responses::evaluation(&version, &stored, &compared);
    let threads = threads(&state.pool, &response.id).await?;
    let history = history(&state.pool, &response.id).await?;
    Ok(ReviewData {
        response,
        version,
        stored,
        evaluation,
        compared,
        threads,
        history,
    })
}

/// The review actions `user` may take on a response now, in the order the page offers them.
pub fn allowed_actions(user: &SignedInUser, response: &Response) -> Vec<ReviewAction> {
    let round_state = response.round.state;
    [
        ReviewAction::Approve,
        ReviewAction::Return,
        ReviewAction::Reopen,
    ]
    .into_iter()
    .filter(|action| check_action(user.role, response.status, round_state, *action).is_ok())
    .collect()
}
