//! Exceptions for one region of a round, each with a reason for the audit history: a later
//! deadline, and opening its submitted response again.

use super::{begin_round_write, parse_state};
use crate::domain::round::{check_reason, RoundState};
use crate::domain::time::format_date;
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use serde_json::json;
use sqlx::AnyPool;

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
         approved_at = NULL, approved_by = NULL, agreed_with = NULL, agreed_on = NULL \
         WHERE id = $1 AND status = $2",
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
