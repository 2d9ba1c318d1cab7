//! Measurement rounds: a questionnaire version, the regions taking part (a snapshot of the
//! regions as they are when the round is made), an opening date, a deadline and the round it
//! is compared with. Admins move rounds through their states, extend one region's deadline
//! and reopen one region's submitted response; every change goes into the audit history.

use super::audit::{self, Actor, Event};
use crate::domain::round::{
    check_reason, ComparisonChoice, RoundDetail, RoundRegion, RoundState, RoundSummary,
};
use crate::domain::time::format_date;
use crate::error::AppError;
use serde_json::json;
use sqlx::AnyPool;

pub struct NewRound {
    pub name: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub state: RoundState,
    pub opens_at: i64,
    pub deadline: i64,
    /// The round answers are compared with; `None` takes the latest round opened before this
    /// one, if there is one.
    pub compared_round_id: Option<String>,
    /// The regions taking part; `None` for every region there is.
    pub region_codes: Option<Vec<String>>,
}

/// How many regions a round may name; far more than the 45 there are.
const MAX_ROUND_REGIONS: usize = 1000;

mod creation;

pub use creation::create;

const SUMMARY_SELECT: &str =
    "SELECT ro.id, ro.name, ro.questionnaire_id, ro.questionnaire_version, \
     ro.state, ro.opens_at, ro.deadline, ro.compared_round_id, cr.name AS compared_name, \
     (SELECT COUNT(*) FROM round_regions rr WHERE rr.round_id = ro.id) AS region_count, \
     (SELECT COUNT(*) FROM responses re WHERE re.round_id = ro.id \
        AND re.status IN ('submitted', 'approved')) AS submitted_count \
     FROM rounds ro LEFT JOIN rounds cr ON cr.id = ro.compared_round_id";

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

/// Every round, newest first.
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
    Ok(RoundDetail {
        summary,
        compared_round_id,
        regions: regions.into_iter().map(RoundRegion::from).collect(),
    })
}

/// Begins a transaction that changes a round by writing its row first: on SQLite a
/// transaction that read first fails at once, instead of waiting, when another writer (the
/// mail delivery, say) holds the lock at its first write.
async fn begin_round_write(
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

/// Moves a round to another state, if its life allows it.
pub async fn change_state(
    pool: &AnyPool,
    mail: &super::mail::MailSettings,
    actor: &Actor,
    round_id: &str,
    target: RoundState,
) -> Result<(), AppError> {
    let mut tx = begin_round_write(pool, round_id).await?;
    let current: String = sqlx::query_scalar("SELECT state FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = parse_state(&current)?;
    current.change_to(target).map_err(AppError::Conflict)?;
    // The state in the WHERE makes two admins clicking at once change it only once.
    let changed = sqlx::query("UPDATE rounds SET state = $1 WHERE id = $2 AND state = $3")
        .bind(target.code())
        .bind(round_id)
        .bind(current.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Err(AppError::Conflict(
            "Iemand anders heeft de status van deze meting net gewijzigd. Laad de pagina opnieuw."
                .to_string(),
        ));
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "round_state_changed",
            region_code: None,
            subject: Some(round_id),
            details: json!({ "from": current.code(), "to": target.code() }),
        },
    )
    .await?;
    if target == RoundState::Open {
        super::notices::round_opened(&mut tx, mail, round_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A region's deadline in a round, beside the round's own.
#[derive(sqlx::FromRow)]
struct DeadlineRow {
    round_deadline: i64,
    state: String,
    region_deadline: Option<i64>,
}

/// Gives one region of a round a later deadline, with a reason.
pub async fn extend_deadline(
    pool: &AnyPool,
    actor: &Actor,
    round_id: &str,
    region_code: &str,
    deadline: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = check_reason(reason).map_err(|message| AppError::field("reason", message))?;
    let mut tx = begin_round_write(pool, round_id).await?;
    let row: DeadlineRow = sqlx::query_as(
        "SELECT ro.deadline AS round_deadline, ro.state, rr.deadline AS region_deadline \
         FROM round_regions rr JOIN rounds ro ON ro.id = rr.round_id \
         WHERE rr.round_id = $1 AND rr.region_code = $2",
    )
    .bind(round_id)
    .bind(region_code)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::field("region_code", "Deze regio doet niet mee aan deze meting."))?;
    if parse_state(&row.state)? == RoundState::Published {
        return Err(AppError::field(
            "deadline",
            "Deze meting is gepubliceerd; de deadline kan niet meer veranderen.",
        ));
    }
    let current = row
        .region_deadline
        .unwrap_or(row.round_deadline)
        .max(row.round_deadline);
    if deadline <= current {
        return Err(AppError::field(
            "deadline",
            format!(
                "Kies een datum na de huidige deadline van deze regio ({}).",
                format_date(current)
            ),
        ));
    }
    sqlx::query("UPDATE round_regions SET deadline = $1 WHERE round_id = $2 AND region_code = $3")
        .bind(deadline)
        .bind(round_id)
        .bind(region_code)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "deadline_extended",
            region_code: Some(region_code),
            subject: Some(round_id),
            details: json!({ "from": current, "to": deadline, "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A region's response to a round, with the round's state.
#[derive(sqlx::FromRow)]
struct SubmittedRow {
    id: String,
    status: String,
    state: String,
}

/// Opens a submitted (or approved) response again for its coordinators, with a reason. An
/// approval is voided by this.
pub async fn reopen_response(
    pool: &AnyPool,
    actor: &Actor,
    round_id: &str,
    region_code: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reason = check_reason(reason).map_err(|message| AppError::field("reason", message))?;
    let mut tx = begin_round_write(pool, round_id).await?;
    let row: SubmittedRow = sqlx::query_as(
        "SELECT re.id, re.status, ro.state FROM responses re JOIN rounds ro ON ro.id = re.round_id \
         WHERE re.round_id = $1 AND re.region_code = $2",
    )
    .bind(round_id)
    .bind(region_code)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::field(
            "region_code",
            "Deze regio heeft voor deze meting nog niets ingediend.",
        )
    })?;
    let SubmittedRow {
        id: response_id,
        status,
        state,
    } = row;
    if parse_state(&state)? == RoundState::Published {
        return Err(AppError::field(
            "region_code",
            "Deze meting is gepubliceerd; ingediende antwoorden kunnen niet meer worden heropend.",
        ));
    }
    if status != "submitted" && status != "approved" {
        return Err(AppError::field(
            "region_code",
            "Deze regio heeft voor deze meting nog niets ingediend; er is niets te heropenen.",
        ));
    }
    let changed = sqlx::query(
        "UPDATE responses SET status = 'open', submitted_at = NULL, submitted_by = NULL, \
         approved_at = NULL, approved_by = NULL WHERE id = $1 AND status = $2",
    )
    .bind(&response_id)
    .bind(&status)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::Conflict(
            "De status van deze vragenlijst is net gewijzigd. Laad de pagina opnieuw.".to_string(),
        ));
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "response_reopened",
            region_code: Some(region_code),
            subject: Some(&response_id),
            details: json!({
                "round": round_id,
                "from": status,
                "reason": reason,
                "approval_voided": status == "approved",
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The rounds a round can be compared with (every round opened before it), newest first,
/// with the previous round and the one a year earlier marked.
pub async fn comparison_choices(
    pool: &AnyPool,
    round_id: &str,
) -> Result<Vec<ComparisonChoice>, AppError> {
    let opens_at: i64 = sqlx::query_scalar("SELECT opens_at FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let earlier: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, name, opens_at FROM rounds WHERE opens_at < $1 AND state <> 'concept'",
    )
    .bind(opens_at)
    .fetch_all(pool)
    .await?;
    Ok(crate::domain::round::comparison_choices(opens_at, &earlier))
}

/// The round to compare with: the one asked for (`chosen`, checked against the choices) or
/// the round's own compared round. A round that is not among the choices is a field error on
/// `field`.
pub fn choose_compared(
    choices: &[ComparisonChoice],
    chosen: Option<&str>,
    default: Option<&str>,
    field: &str,
) -> Result<Option<String>, AppError> {
    match chosen.filter(|id| !id.is_empty()) {
        None => Ok(default.map(str::to_string)),
        Some(id) if choices.iter().any(|choice| choice.id == id) => Ok(Some(id.to_string())),
        Some(_) => Err(AppError::field(
            field,
            "Kies een eerdere meting om mee te vergelijken.",
        )),
    }
}
