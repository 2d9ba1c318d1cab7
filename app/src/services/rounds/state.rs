//! A round's life: concept, open, closed (and open again), published. A change of state is
//! checked by `domain::round`, written with its reason and audited in one transaction; the
//! first opening makes the round's copy of its regions and their gemeenten again, so a
//! concept round takes part with the division as it is when it opens.

use super::{begin_round_write, parse_state};
use crate::domain::round::{check_reason, reason_required, RoundState};
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use crate::services::mail::MailSettings;
use serde_json::json;
use sqlx::AnyPool;

/// Moves a round to another state, if its life allows it, without a reason (as the demo and
/// a round's set-up do). Opening a closed round again needs one: see
/// `change_state_with_reason`.
pub async fn change_state(
    pool: &AnyPool,
    mail: &MailSettings,
    actor: &Actor,
    round_id: &str,
    target: RoundState,
) -> Result<(), AppError> {
    move_round(pool, mail, actor, round_id, target, None).await
}

/// Moves a round to another state with the admin's reason (`reason`, empty for none): stored
/// with the round and in the audit history. Opening a closed round again needs a reason; the
/// error is on the field `reason`.
pub async fn change_state_with_reason(
    pool: &AnyPool,
    mail: &MailSettings,
    actor: &Actor,
    round_id: &str,
    target: RoundState,
    reason: &str,
) -> Result<(), AppError> {
    let reason = if reason.trim().is_empty() {
        None
    } else {
        Some(check_reason(reason).map_err(|message| AppError::field("reason", message))?)
    };
    move_round(pool, mail, actor, round_id, target, reason.as_deref()).await
}

async fn move_round(
    pool: &AnyPool,
    mail: &MailSettings,
    actor: &Actor,
    round_id: &str,
    target: RoundState,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = begin_round_write(pool, round_id).await?;
    let current: String = sqlx::query_scalar("SELECT state FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = parse_state(&current)?;
    current.change_to(target).map_err(AppError::Conflict)?;
    if reason.is_none() && reason_required(current, target) {
        return Err(AppError::field(
            "reason",
            "Geef een reden om de gesloten meting weer te openen; die komt in de auditgeschiedenis.",
        ));
    }
    // The state in the WHERE makes two admins clicking at once change it only once.
    let changed =
        sqlx::query("UPDATE rounds SET state = $1, state_reason = $2 WHERE id = $3 AND state = $4")
            .bind(target.code())
            .bind(reason)
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
    if current == RoundState::Concept && target == RoundState::Open {
        copy_regions_again(&mut tx, round_id).await?;
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "round_state_changed",
            region_code: None,
            subject: Some(round_id),
            details: json!({ "from": current.code(), "to": target.code(), "reason": reason }),
        },
    )
    .await?;
    if target == RoundState::Open {
        crate::services::notices::round_opened(&mut tx, mail, round_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Makes a concept round's copy of its regions' names, centrumgemeenten and gemeenten again,
/// from the regions as they are now: changes an admin made while the round was being prepared
/// count for it. From here on the round keeps this copy.
async fn copy_regions_again(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    round_id: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE round_regions SET \
         region_name = (SELECT r.name FROM regions r WHERE r.code = round_regions.region_code), \
         lead_gemeente = (SELECT r.lead_gemeente FROM regions r \
            WHERE r.code = round_regions.region_code) \
         WHERE round_id = $1",
    )
    .bind(round_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM round_gemeenten WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut **tx)
        .await?;
    crate::services::gemeenten::snapshot(tx, round_id).await
}
