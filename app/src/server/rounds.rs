//! Measurement rounds: a questionnaire version, the regions taking part (a snapshot of the
//! regions as they are when the round is made), an opening date and a deadline.

use super::audit::{self, Actor, Event};
use super::{new_id, now_ms};
use crate::error::AppError;
use serde_json::json;
use sqlx::AnyPool;

pub struct NewRound {
    pub name: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub state: &'static str,
    pub opens_at: i64,
    pub deadline: i64,
}

/// Makes a round in which every current region takes part; returns its id.
pub async fn create(pool: &AnyPool, actor: &Actor, round: NewRound) -> Result<String, AppError> {
    let id = new_id();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO rounds (id, name, questionnaire_id, questionnaire_version, state, opens_at, \
         deadline, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&round.name)
    .bind(&round.questionnaire_id)
    .bind(&round.questionnaire_version)
    .bind(round.state)
    .bind(round.opens_at)
    .bind(round.deadline)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO round_regions (round_id, region_code, region_name, lead_gemeente) \
         SELECT $1, code, name, lead_gemeente FROM regions",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "round_created",
            region_code: None,
            subject: Some(&id),
            details: json!({
                "name": round.name,
                "questionnaire": format!("{}/{}", round.questionnaire_id, round.questionnaire_version),
                "state": round.state,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
