//! Measurement rounds: a questionnaire version, the regions taking part (a copy of the
//! regions and their gemeenten, made when the round is set up and made again when it first
//! opens), an opening date, a deadline and the round it is compared with. Admins move rounds
//! through their states (`state.rs`), change their name and dates (`details.rs`), choose the
//! compared round (`comparison.rs`), extend one region's deadline and reopen one region's
//! submitted response (`exceptions.rs`); every change goes into the audit history.

use crate::domain::programme::Programme;
use crate::domain::round::{RoundDetail, RoundRegion, RoundState, RoundSummary};
use crate::error::AppError;
use sqlx::AnyPool;

pub struct NewRound {
    pub name: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub state: RoundState,
    pub opens_at: i64,
    pub deadline: i64,
    /// The round answers are compared with; `None` takes the latest earlier round of the same
    /// questionnaire (`comparison::earlier_rounds`), if there is one.
    pub compared_round_id: Option<String>,
    /// The regions taking part; `None` for every region there is.
    pub region_codes: Option<Vec<String>>,
}

/// How many regions a round may name; far more than the 45 there are.
const MAX_ROUND_REGIONS: usize = 1000;

mod comparison;
mod creation;
mod details;
mod exceptions;
mod state;

pub use comparison::{choose_compared, comparison_choices, set_compared};
pub use creation::create;
pub use details::{update_details, DetailsChange};
pub use exceptions::{extend_deadline, reopen_response};
pub use state::{change_state, change_state_with_reason};

const SUMMARY_SELECT: &str =
    "SELECT ro.id, ro.name, ro.questionnaire_id, ro.questionnaire_version, \
     ro.state, ro.opens_at, ro.deadline, ro.compared_round_id, cr.name AS compared_name, \
     ro.state_reason, p.code AS programme_code, p.name AS programme_name, \
     p.short_name AS programme_short_name, p.colour AS programme_colour, \
     (SELECT COUNT(*) FROM round_regions rr WHERE rr.round_id = ro.id) AS region_count, \
     (SELECT COUNT(*) FROM responses re WHERE re.round_id = ro.id \
        AND re.status IN ('submitted', 'approved')) AS submitted_count \
     FROM rounds ro JOIN programmes p ON p.code = ro.programme_code \
     LEFT JOIN rounds cr ON cr.id = ro.compared_round_id";

/// A round's state as stored in column `column` of `row`.
pub fn stored_state(row: &sqlx::any::AnyRow, column: &str) -> Result<RoundState, AppError> {
    parse_state(&sqlx::Row::try_get::<String, _>(row, column)?)
}

/// A round's state from its stored code.
pub(super) fn parse_state(text: &str) -> Result<RoundState, AppError> {
    text.parse()
        .map_err(|_| AppError::internal("a round's stored state is unknown", text))
}

/// A round as `SUMMARY_SELECT` reads it.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    questionnaire_id: String,
    questionnaire_version: String,
    state: String,
    opens_at: i64,
    deadline: i64,
    compared_round_id: Option<String>,
    compared_name: Option<String>,
    state_reason: Option<String>,
    programme_code: String,
    programme_name: String,
    programme_short_name: String,
    programme_colour: String,
    region_count: i64,
    submitted_count: i64,
}

impl TryFrom<SummaryRow> for RoundSummary {
    type Error = AppError;

    fn try_from(row: SummaryRow) -> Result<Self, AppError> {
        Ok(RoundSummary {
            state: parse_state(&row.state)?,
            id: row.id,
            name: row.name,
            programme: Programme {
                code: row.programme_code,
                name: row.programme_name,
                short_name: row.programme_short_name,
                colour: row.programme_colour,
            },
            questionnaire: format!("{}/{}", row.questionnaire_id, row.questionnaire_version),
            opens_at: row.opens_at,
            deadline: row.deadline,
            compared_round: row.compared_name,
            region_count: row.region_count,
            submitted_count: row.submitted_count,
        })
    }
}

/// A participating region of a round with its response, if it has one.
#[derive(sqlx::FromRow)]
struct RegionRow {
    region_code: String,
    region_name: String,
    lead_gemeente: String,
    deadline: Option<i64>,
    response_id: Option<String>,
    status: Option<String>,
}

impl From<RegionRow> for RoundRegion {
    fn from(row: RegionRow) -> Self {
        RoundRegion {
            code: row.region_code,
            name: row.region_name,
            lead_gemeente: row.lead_gemeente,
            deadline: row.deadline,
            response_id: row.response_id,
            status: row.status,
        }
    }
}

/// Every round of every programme, newest first.
pub async fn list(pool: &AnyPool) -> Result<Vec<RoundSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} ORDER BY ro.opens_at DESC, ro.created_at DESC"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(RoundSummary::try_from).collect()
}

/// One round with its regions and their responses.
pub async fn find(pool: &AnyPool, id: &str) -> Result<RoundDetail, AppError> {
    let row: SummaryRow = sqlx::query_as(&format!("{SUMMARY_SELECT} WHERE ro.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let compared_round_id = row.compared_round_id.clone();
    let state_reason = row.state_reason.clone();
    let summary = RoundSummary::try_from(row)?;
    let regions: Vec<RegionRow> = sqlx::query_as(
        "SELECT rr.region_code, rr.region_name, rr.lead_gemeente, rr.deadline, re.id AS response_id, \
         re.status FROM round_regions rr \
         LEFT JOIN responses re ON re.round_id = rr.round_id AND re.region_code = rr.region_code \
         WHERE rr.round_id = $1 ORDER BY rr.region_code",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let comparison_choices = comparison_choices(pool, id).await?;
    Ok(RoundDetail {
        summary,
        compared_round_id,
        state_reason,
        comparison_choices,
        regions: regions.into_iter().map(RoundRegion::from).collect(),
    })
}

/// Begins a transaction that changes a round by writing its row first: on SQLite a
/// transaction that read first fails at once, instead of waiting, when another writer (the
/// mail delivery, say) holds the lock at its first write.
pub(super) async fn begin_round_write(
    pool: &AnyPool,
    round_id: &str,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE rounds SET state = state WHERE id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}
