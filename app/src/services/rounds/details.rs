//! A round's name, opening date and deadline, changed afterwards by an admin: checked by
//! `domain::round` against the round's state, written and audited (before and after) in one
//! transaction, or not at all.

use super::{begin_round_write, parse_state};
use crate::domain::round::{check_name, check_period_change, Period};
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use crate::services::now_ms;
use serde_json::json;
use sqlx::AnyPool;

/// What the admin's form gives: the whole new name and period.
pub struct DetailsChange {
    pub name: String,
    pub opens_at: i64,
    pub deadline: i64,
}

#[derive(sqlx::FromRow)]
struct CurrentRow {
    name: String,
    state: String,
    opens_at: i64,
    deadline: i64,
}

/// Changes a round's name and period; returns whether anything changed. Errors name the
/// field: `name`, `opens_at` or `deadline`.
pub async fn update_details(
    pool: &AnyPool,
    actor: &Actor,
    round_id: &str,
    change: DetailsChange,
) -> Result<bool, AppError> {
    let name = check_name(&change.name).map_err(|message| AppError::field("name", message))?;
    let mut tx = begin_round_write(pool, round_id).await?;
    let current: CurrentRow =
        sqlx::query_as("SELECT name, state, opens_at, deadline FROM rounds WHERE id = $1")
            .bind(round_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let state = parse_state(&current.state)?;
    let before = Period {
        opens_at: current.opens_at,
        deadline: current.deadline,
    };
    let after = Period {
        opens_at: change.opens_at,
        deadline: change.deadline,
    }
    .keeping_days_of(before);
    if name != current.name && state == crate::domain::round::RoundState::Published {
        return Err(AppError::field(
            "name",
            "Deze meting is gepubliceerd; haar naam verandert niet meer.",
        ));
    }
    check_period_change(state, before, after, now_ms())
        .map_err(|(field, message)| AppError::field(field, message))?;
    if name == current.name && after == before {
        return Ok(false);
    }
    let compared_opens: Option<i64> = sqlx::query_scalar(
        "SELECT cr.opens_at FROM rounds ro JOIN rounds cr ON cr.id = ro.compared_round_id \
         WHERE ro.id = $1",
    )
    .bind(round_id)
    .fetch_optional(&mut *tx)
    .await?;
    if compared_opens.is_some_and(|opens| opens >= after.opens_at) {
        return Err(AppError::field(
            "opens_at",
            "De meting waarmee deze vergeleken wordt, opent niet vóór deze datum. Kies eerst een \
             andere meting om mee te vergelijken.",
        ));
    }
    sqlx::query("UPDATE rounds SET name = $1, opens_at = $2, deadline = $3 WHERE id = $4")
        .bind(&name)
        .bind(after.opens_at)
        .bind(after.deadline)
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "round_changed",
            region_code: None,
            subject: Some(round_id),
            details: json!({
                "name": { "from": current.name, "to": name },
                "opens_at": { "from": before.opens_at, "to": after.opens_at },
                "deadline": { "from": before.deadline, "to": after.deadline },
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
