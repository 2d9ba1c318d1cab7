//! Responses: finding a region's response to a round, reading its answers, saving answers
//! (with conflict detection between colleagues), resolving conflicts and submitting. Every
//! function checks who is asking before it reads or writes.

use super::now_ms;
use super::questionnaires::LoadedVersion;
use super::state::AppState;
use crate::domain::access::SignedInUser;
use crate::domain::attribution::{Attribution, Returned};
use crate::domain::programme::Programme;
use crate::domain::questionnaire::answer::{Answer, RawAnswer};
use crate::domain::response::agreement::Agreement;
use crate::domain::response::ResponseStatus;
use crate::domain::round::RoundState;
use crate::error::AppError;
use sqlx::{Any, AnyPool, Executor};
use std::sync::Arc;

/// A round as a response needs it.
#[derive(Debug, Clone)]
pub struct Round {
    pub id: String,
    pub name: String,
    /// The programme of its questionnaire.
    pub programme: Programme,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub state: RoundState,
    pub opens_at: i64,
    pub deadline: i64,
    pub compared_round_id: Option<String>,
}

/// A response with what every page about it shows.
#[derive(Debug, Clone)]
pub struct Response {
    pub id: String,
    pub region_code: String,
    pub region_name: String,
    pub status: ResponseStatus,
    /// The region's deadline: the round's, or the one extended for this region.
    pub deadline: i64,
    pub updated_at: Option<i64>,
    pub updated_by: Option<String>,
    pub submitted_at: Option<i64>,
    pub submitted_by: Option<String>,
    /// Who sent it back, when, and why; kept until it is sent back again.
    pub returned: Option<Returned>,
    /// Who approved it, and when; cleared when the approval is voided.
    pub approved: Option<Attribution>,
    /// The region's agreement a region adviser recorded when submitting it.
    pub agreement: Option<Agreement>,
    pub round: Round,
    /// Raised by every write to the answers (0: none yet); see `services::counts`.
    pub revision: i64,
}

impl Response {
    /// Whether coordinators may change answers now, and if not, why not (in Dutch).
    pub fn closed_reason(&self, now: i64) -> Option<&'static str> {
        if self.round.state != RoundState::Open {
            Some("Deze meting is niet open; antwoorden kunnen niet meer worden gewijzigd.")
        } else if now < self.round.opens_at {
            Some("Deze meting is nog niet begonnen; antwoorden kunnen vanaf de openingsdatum worden ingevuld.")
        } else if now > self.deadline {
            Some("De termijn van deze meting is verstreken; antwoorden kunnen niet meer worden gewijzigd.")
        } else if !self.status.accepts_answers() {
            Some("Deze vragenlijst is ingediend en kan niet meer worden gewijzigd.")
        } else {
            None
        }
    }
}

/// A stored answer with who saved it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub raw: RawAnswer,
    pub value: Option<Answer>,
    pub version: i64,
    pub prefilled: bool,
    pub updated_by: String,
    pub updated_at: i64,
    /// Saved by the region's adviser (a reviewer: no other reviewer may save an answer).
    pub by_adviser: bool,
}

impl StoredAnswer {
    /// Who saved it, and when.
    pub fn attribution(&self) -> Attribution {
        Attribution::new(self.updated_by.clone(), self.updated_at)
    }
}

pub(super) const RESPONSE_COLUMNS: &str =
    "r.id, r.region_code, r.status, r.updated_at, r.submitted_at, \
     rr.region_name, COALESCE(rr.deadline, ro.deadline) AS region_deadline, \
     ub.display_name AS updated_by_name, sb.display_name AS submitted_by_name, \
     ro.id AS round_id, ro.name AS round_name, ro.questionnaire_id, ro.questionnaire_version, \
     ro.state AS round_state, ro.deadline AS round_deadline, ro.opens_at AS round_opens_at, \
     ro.compared_round_id, r.returned_at, r.return_reason, rb.display_name AS returned_by_name, \
     r.approved_at, ab.display_name AS approved_by_name, r.revision, r.agreed_with, r.agreed_on, \
     p.code AS programme_code, p.name AS programme_name, p.short_name AS programme_short_name, \
     p.colour AS programme_colour";
pub(super) const RESPONSE_JOINS: &str = "FROM responses r \
     JOIN rounds ro ON ro.id = r.round_id \
     JOIN programmes p ON p.code = ro.programme_code \
     JOIN round_regions rr ON rr.round_id = r.round_id AND rr.region_code = r.region_code \
     LEFT JOIN users ub ON ub.id = r.updated_by \
     LEFT JOIN users sb ON sb.id = r.submitted_by \
     LEFT JOIN users rb ON rb.id = r.returned_by \
     LEFT JOIN users ab ON ab.id = r.approved_by";

/// A stored answer that does not read back: the database holds what this code never wrote.
pub(super) fn unreadable(error: serde_json::Error) -> AppError {
    AppError::internal("a stored answer does not read back", error)
}

/// An answer that does not serialise (it always does: the types are plain data).
pub(super) fn unwritable(error: serde_json::Error) -> AppError {
    AppError::internal("an answer does not serialise", error)
}

/// A round's columns as `RESPONSE_COLUMNS` names them.
#[derive(sqlx::FromRow)]
struct RoundRow {
    round_id: String,
    round_name: String,
    questionnaire_id: String,
    questionnaire_version: String,
    round_state: String,
    round_opens_at: i64,
    round_deadline: i64,
    compared_round_id: Option<String>,
    programme_code: String,
    programme_name: String,
    programme_short_name: String,
    programme_colour: String,
}

impl TryFrom<RoundRow> for Round {
    type Error = AppError;

    fn try_from(row: RoundRow) -> Result<Self, AppError> {
        Ok(Round {
            state: super::rounds::parse_state(&row.round_state)?,
            id: row.round_id,
            name: row.round_name,
            programme: Programme {
                code: row.programme_code,
                name: row.programme_name,
                short_name: row.programme_short_name,
                colour: row.programme_colour,
            },
            questionnaire_id: row.questionnaire_id,
            questionnaire_version: row.questionnaire_version,
            opens_at: row.round_opens_at,
            deadline: row.round_deadline,
            compared_round_id: row.compared_round_id,
        })
    }
}

/// A stored response as `RESPONSE_COLUMNS` reads it.
#[derive(sqlx::FromRow)]
struct ResponseRow {
    id: String,
    region_code: String,
    region_name: String,
    status: String,
    region_deadline: i64,
    updated_at: Option<i64>,
    updated_by_name: Option<String>,
    submitted_at: Option<i64>,
    submitted_by_name: Option<String>,
    returned_by_name: Option<String>,
    returned_at: Option<i64>,
    return_reason: Option<String>,
    approved_by_name: Option<String>,
    approved_at: Option<i64>,
    revision: i64,
    agreed_with: Option<String>,
    agreed_on: Option<i64>,
    #[sqlx(flatten)]
    round: RoundRow,
}

impl TryFrom<ResponseRow> for Response {
    type Error = AppError;

    fn try_from(row: ResponseRow) -> Result<Self, AppError> {
        Ok(Response {
            status: ResponseStatus::parse(&row.status).ok_or_else(|| {
                AppError::internal("a response's stored status is unknown", &row.status)
            })?,
            id: row.id,
            region_code: row.region_code,
            region_name: row.region_name,
            deadline: row.region_deadline,
            updated_at: row.updated_at,
            updated_by: row.updated_by_name,
            submitted_at: row.submitted_at,
            submitted_by: row.submitted_by_name,
            returned: match (row.returned_by_name, row.returned_at, row.return_reason) {
                (Some(by), Some(at), Some(reason)) => Some(Returned {
                    attribution: Attribution::new(by, at),
                    reason,
                }),
                _ => None,
            },
            approved: Attribution::from_parts(row.approved_by_name, row.approved_at),
            agreement: match (row.agreed_with, row.agreed_on) {
                (Some(with), Some(on)) => Some(Agreement { with, on }),
                _ => None,
            },
            round: row.round.try_into()?,
            revision: row.revision,
        })
    }
}

/// A region taking part in a round, before its response is made.
#[derive(sqlx::FromRow)]
struct UnmadeRow {
    region_code: String,
    region_name: String,
    region_deadline: i64,
    #[sqlx(flatten)]
    round: RoundRow,
}

/// The id of a region's response to a round: the round's id and the region's code. Pages
/// link to it before the response's row exists; the row is made, with this id, by the first
/// write (`materialize`), never by a visit. (Responses made before this rule have random ids;
/// `find` leads from the key to them.)
pub fn response_key(round_id: &str, region_code: &str) -> String {
    format!("{round_id}.{region_code}")
}

/// A response by id: a stored one, or, for a `response_key` whose region takes part in the
/// round but has not written anything yet, the response as it will be when it is made (open,
/// no answers).
pub async fn find(pool: &AnyPool, id: &str) -> Result<Response, AppError> {
    if let Some(response) = find_stored(pool, id).await? {
        return Ok(response);
    }
    let Some((round_id, region_code)) = id.split_once('.') else {
        return Err(AppError::NotFound);
    };
    // Made since under an older, random id.
    let stored: Option<String> =
        sqlx::query_scalar("SELECT id FROM responses WHERE round_id = $1 AND region_code = $2")
            .bind(round_id)
            .bind(region_code)
            .fetch_optional(pool)
            .await?;
    if let Some(stored) = stored {
        return find_stored(pool, &stored).await?.ok_or(AppError::NotFound);
    }
    let row: UnmadeRow = sqlx::query_as(
        "SELECT rr.region_code, rr.region_name, COALESCE(rr.deadline, ro.deadline) AS region_deadline, \
         ro.id AS round_id, ro.name AS round_name, ro.questionnaire_id, ro.questionnaire_version, \
         ro.state AS round_state, ro.deadline AS round_deadline, ro.opens_at AS round_opens_at, \
         ro.compared_round_id, p.code AS programme_code, p.name AS programme_name, \
         p.short_name AS programme_short_name, p.colour AS programme_colour \
         FROM round_regions rr JOIN rounds ro ON ro.id = rr.round_id \
         JOIN programmes p ON p.code = ro.programme_code \
         WHERE rr.round_id = $1 AND rr.region_code = $2",
    )
    .bind(round_id)
    .bind(region_code)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Response {
        id: id.to_string(),
        region_code: row.region_code,
        region_name: row.region_name,
        status: ResponseStatus::Open,
        deadline: row.region_deadline,
        updated_at: None,
        updated_by: None,
        submitted_at: None,
        submitted_by: None,
        returned: None,
        approved: None,
        agreement: None,
        round: row.round.try_into()?,
        revision: 0,
    })
}

/// Every stored response of a round (a region that has not started has none).
pub async fn of_round(pool: &AnyPool, round_id: &str) -> Result<Vec<Response>, AppError> {
    let rows: Vec<ResponseRow> = sqlx::query_as(&format!(
        "SELECT {RESPONSE_COLUMNS} {RESPONSE_JOINS} WHERE r.round_id = $1"
    ))
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(Response::try_from).collect()
}

/// A stored response by id.
pub(super) async fn find_stored<'e, E>(executor: E, id: &str) -> Result<Option<Response>, AppError>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<ResponseRow> = sqlx::query_as(&format!(
        "SELECT {RESPONSE_COLUMNS} {RESPONSE_JOINS} WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?;
    row.map(Response::try_from).transpose()
}

/// Makes the row of a response that so far existed only as its key, inside the transaction of
/// its first write. A response that has a row already is left as it is.
pub async fn materialize(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response: &Response,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO responses (id, round_id, region_code, status, created_at) \
         VALUES ($1, $2, $3, 'open', $4) ON CONFLICT (round_id, region_code) DO NOTHING",
    )
    .bind(&response.id)
    .bind(&response.round.id)
    .bind(&response.region_code)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A response the user may read: their own region's, or any for reviewers and admins.
/// Another region's response is refused exactly like one that does not exist is not: with
/// 403, so a coordinator learns nothing about it beyond that it is not theirs.
pub async fn readable(
    state: &AppState,
    user: &SignedInUser,
    id: &str,
) -> Result<(Response, Arc<LoadedVersion>), AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let response = find(&state.pool, id).await?;
    if !user.may_view_region(&response.region_code) {
        return Err(AppError::Forbidden);
    }
    if !response.round.state.visible_to(user.role) {
        return Err(AppError::NotFound);
    }
    let version = state
        .questionnaire_version(
            &response.round.questionnaire_id,
            &response.round.questionnaire_version,
        )
        .await?;
    Ok((response, version))
}

/// A response the user may change answers of: only the region's own coordinators and its
/// advisers, only while the round is open and the response not submitted.
pub(super) async fn writable(
    state: &AppState,
    user: &SignedInUser,
    id: &str,
) -> Result<(Response, Arc<LoadedVersion>), AppError> {
    let (response, version) = readable(state, user, id).await?;
    if !user.may_fill_in(&response.region_code) {
        return Err(AppError::Forbidden);
    }
    if let Some(reason) = response.closed_reason(now_ms()) {
        return Err(AppError::Conflict(reason.to_string()));
    }
    Ok((response, version))
}

/// The rounds (not in concept) a region takes part in, each with the region's response,
/// newest first. Reading them makes nothing: a response the region has not written to yet is
/// listed under its key (`response_key`).
pub async fn responses_of_region(
    pool: &AnyPool,
    region_code: &str,
) -> Result<Vec<Response>, AppError> {
    let rounds: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT ro.id, re.id AS response_id FROM rounds ro \
         JOIN round_regions rr ON rr.round_id = ro.id \
         LEFT JOIN responses re ON re.round_id = ro.id AND re.region_code = rr.region_code \
         WHERE rr.region_code = $1 AND ro.state <> 'concept' ORDER BY ro.opens_at DESC",
    )
    .bind(region_code)
    .fetch_all(pool)
    .await?;
    let mut responses = Vec::new();
    for (round_id, response_id) in rounds {
        let id = response_id.unwrap_or_else(|| response_key(&round_id, region_code));
        responses.push(find(pool, &id).await?);
    }
    Ok(responses)
}

/// The response of a region to a round, made when it does not exist yet (for the command
/// line, the demo and tests; pages never make one by looking).
pub async fn ensure_response(
    pool: &AnyPool,
    round_id: &str,
    region_code: &str,
) -> Result<String, AppError> {
    sqlx::query(
        "INSERT INTO responses (id, round_id, region_code, status, created_at) \
         VALUES ($1, $2, $3, 'open', $4) ON CONFLICT (round_id, region_code) DO NOTHING",
    )
    .bind(response_key(round_id, region_code))
    .bind(round_id)
    .bind(region_code)
    .bind(now_ms())
    .execute(pool)
    .await?;
    sqlx::query_scalar("SELECT id FROM responses WHERE round_id = $1 AND region_code = $2")
        .bind(round_id)
        .bind(region_code)
        .fetch_one(pool)
        .await
        .map_err(AppError::from)
}

mod checks;
mod compare;
mod save;
mod stored;
mod submit;

use checks::{check_request, check_visibility, item_of};

pub use compare::*;
pub use save::*;
pub use stored::*;
pub use submit::*;
