//! Review: the completeness overview of a round, sending a response back, approving it with
//! the reviewer's password, voiding an approval, comment threads on items and each answer's
//! history. The rules live in `domain::review`; this module checks who asks and stores.

use super::audit::{self, Event};
use super::counts::Figures;
use super::notices;
use super::questionnaires::LoadedVersion;
use super::request::actor;
use super::responses::{self, Compared, Response};
use super::state::AppState;
use super::{new_id, now_ms};
use crate::domain::access::SignedInUser;
use crate::domain::attribution::Attribution;
use crate::domain::questionnaire::answer::RawAnswer;
use crate::domain::questionnaire::completeness::{evaluate, Evaluation, ResponseAnswers};
use crate::domain::review::findings::{self, Finding};
use crate::domain::review::{
    check_action, check_comment, may_resolve, CommentMessage, CommentThread, FilledInBy,
    OverviewRow, ReviewAction, ReviewStatus,
};
use crate::domain::role::Role;
use crate::domain::round::{check_reason, RoundRegion, RoundState, RoundSummary};
use crate::error::AppError;
use serde_json::json;
use sqlx::AnyPool;
use std::collections::{HashMap, HashSet};

mod comments;
mod decisions;

/// A question as a notice names it: its label, or its key when the version lacks it.
fn question_label(version: &LoadedVersion, key: &str) -> String {
    version
        .questionnaire
        .item(key)
        .map_or_else(|| key.to_string(), |item| item.label.clone())
}

pub use comments::{add_comment, set_resolved, threads};
pub use decisions::{approve, send_back};

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
    let rows = round
        .regions
        .iter()
        .map(|region| {
            let found = region
                .response_id
                .as_ref()
                .and_then(|id| Some((*stored.get(id.as_str())?, figures.get(id)?)));
            match found {
                Some((response, figures)) => {
                    started_row(region, response, figures, &open_comments, &last_comments)
                }
                None => not_started_row(region, &blank),
            }
        })
        .collect();
    Ok((round.summary, rows))
}

/// The row of a region that has not written anything yet.
fn not_started_row(region: &RoundRegion, blank: &Evaluation) -> OverviewRow {
    OverviewRow {
        response_id: region.response_id.clone(),
        ..OverviewRow::new(
            &region.code,
            &region.name,
            ReviewStatus::NotStarted,
            blank.overall.required,
            blank.overall.complete,
        )
    }
}

/// The row of a region's stored response, with its figures and its latest activity.
fn started_row(
    region: &RoundRegion,
    response: &Response,
    figures: &Figures,
    open_comments: &HashMap<String, usize>,
    last_comments: &HashMap<String, Attribution>,
) -> OverviewRow {
    let counts = &figures.counts;
    let response_id = &response.id;
    let last_activity = [
        Attribution::from_parts(response.updated_by.clone(), response.updated_at),
        Attribution::from_parts(response.submitted_by.clone(), response.submitted_at),
        response
            .returned
            .as_ref()
            .map(|returned| returned.attribution.clone()),
        response.approved.clone(),
        last_comments.get(response_id).cloned(),
    ]
    .into_iter()
    .flatten()
    .max_by_key(|activity| activity.at);
    OverviewRow {
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
        filled_in_by: figures.filled_in_by,
        agreement: response.agreement.clone(),
    }
}

/// Who gave the current answers of each response of a round, for the exports (the overview
/// keeps it with each response's figures, `counts::Figures`): an answer saved by a reviewer
/// was saved by the region's adviser (no other reviewer may save one).
pub async fn filled_in_by(
    pool: &AnyPool,
    round_id: &str,
) -> Result<HashMap<String, FilledInBy>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT a.response_id, u.role FROM answers a \
         JOIN responses r ON r.id = a.response_id JOIN users u ON u.id = a.updated_by \
         WHERE r.round_id = $1",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    let mut found: HashMap<String, (bool, bool)> = HashMap::new();
    for (response_id, role) in rows {
        let entry = found.entry(response_id).or_default();
        if role == Role::Reviewer.code() {
            entry.1 = true;
        } else {
            entry.0 = true;
        }
    }
    Ok(found
        .into_iter()
        .map(|(id, (region, adviser))| (id, FilledInBy::of(region, adviser)))
        .collect())
}

async fn open_comment_counts(
    pool: &AnyPool,
    round_id: &str,
) -> Result<HashMap<String, usize>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.response_id, COUNT(*) AS open_count FROM comment_threads t \
         JOIN responses r ON r.id = t.response_id \
         WHERE r.round_id = $1 AND t.resolved = 0 GROUP BY t.response_id",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(response_id, count)| (response_id, count as usize))
        .collect())
}

/// The latest comment on each response of a round, by whom.
async fn last_comments(
    pool: &AnyPool,
    round_id: &str,
) -> Result<HashMap<String, Attribution>, AppError> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT t.response_id, c.created_at, u.display_name FROM comments c \
         JOIN comment_threads t ON t.id = c.thread_id \
         JOIN responses r ON r.id = t.response_id \
         JOIN users u ON u.id = c.author_id \
         WHERE r.round_id = $1 ORDER BY c.created_at",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    // In time order: the latest comment of a response is the one kept.
    Ok(rows
        .into_iter()
        .map(|(response_id, at, by)| (response_id, Attribution::new(by, at)))
        .collect())
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

/// One change in an answer's history.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub old_raw: Option<RawAnswer>,
    pub new_raw: RawAnswer,
    pub version: i64,
    pub changed_by: String,
    pub changed_at: i64,
}

/// One change in an answer's history as `history` reads it, the inputs as JSON.
#[derive(sqlx::FromRow)]
struct HistoryRow {
    item_key: String,
    old_raw: Option<String>,
    new_raw: String,
    version: i64,
    changed_at: i64,
    display_name: String,
}

/// The history of every answer of a response, per item, oldest change first.
pub async fn history(
    pool: &AnyPool,
    response_id: &str,
) -> Result<HashMap<String, Vec<HistoryEntry>>, AppError> {
    let rows: Vec<HistoryRow> = sqlx::query_as(
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
        history.entry(row.item_key).or_default().push(HistoryEntry {
            old_raw: row.old_raw.as_deref().map(parse).transpose()?,
            new_raw: parse(&row.new_raw)?,
            version: row.version,
            changed_by: row.display_name,
            changed_at: row.changed_at,
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
    /// Items whose taken-over answer the region confirmed unchanged.
    pub confirmed_unchanged: HashSet<String>,
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
    let confirmed_unchanged = confirmed_unchanged(&state.pool, &response.id).await?;
    Ok(ReviewData {
        response,
        version,
        stored,
        evaluation,
        compared,
        threads,
        history,
        confirmed_unchanged,
    })
}

/// The items of a response whose taken-over answer the region confirmed unchanged.
async fn confirmed_unchanged(
    pool: &AnyPool,
    response_id: &str,
) -> Result<HashSet<String>, AppError> {
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT item_key FROM answers WHERE response_id = $1 AND confirmed_unchanged = 1",
    )
    .bind(response_id)
    .fetch_all(pool)
    .await?;
    Ok(keys.into_iter().collect())
}

/// The open points of a response (`domain::review::findings`), with the response and its
/// version; readable by whoever may read its review page.
pub async fn findings(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
) -> Result<(Response, std::sync::Arc<LoadedVersion>, Vec<Finding>), AppError> {
    let (response, version) = responses::readable(state, user, response_id).await?;
    let stored = responses::answers(&state.pool, &response.id).await?;
    let compared = responses::compared(state, &response, &version).await?;
    let evaluation = responses::evaluation(&version, &stored, &compared);
    let threads = threads(&state.pool, &response.id).await?;
    let prefilled = stored
        .iter()
        .filter(|(_, answer)| answer.prefilled)
        .map(|(key, _)| key.clone())
        .collect();
    let found = findings::findings(&version.questionnaire, &evaluation, &prefilled, &threads);
    Ok((response, version, found))
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
