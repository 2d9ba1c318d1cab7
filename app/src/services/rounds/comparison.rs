//! Which earlier round a round's answers are compared with. A round is compared only with an
//! earlier round of the same series: the same programme and questionnaire identifier (its
//! versions share item keys through their lineage). `earlier_rounds` is the one place that
//! says so.

use super::begin_round_write;
use crate::domain::round::ComparisonChoice;
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use serde_json::json;
use sqlx::{Any, AnyPool, Executor};

/// The rounds of the series of `questionnaire_id` that opened before `opens_at` and are no
/// longer a concept: (id, name, opening), in no particular order.
pub(super) async fn earlier_rounds<'e, E>(
    executor: E,
    questionnaire_id: &str,
    opens_at: i64,
) -> Result<Vec<(String, String, i64)>, AppError>
where
    E: Executor<'e, Database = Any>,
{
    Ok(sqlx::query_as(
        "SELECT id, name, opens_at FROM rounds \
         WHERE questionnaire_id = $1 AND opens_at < $2 AND state <> 'concept' \
         AND programme_code = (SELECT MIN(programme_code) FROM questionnaire_versions WHERE identifier = $1)",
    )
    .bind(questionnaire_id)
    .bind(opens_at)
    .fetch_all(executor)
    .await?)
}

/// The round a new round of `questionnaire_id` opening at `opens_at` is compared with when
/// the admin chose none: the latest earlier round of its series, if there is one.
pub(super) async fn default_compared(
    pool: &AnyPool,
    questionnaire_id: &str,
    opens_at: i64,
) -> Result<Option<String>, AppError> {
    let earlier = earlier_rounds(pool, questionnaire_id, opens_at).await?;
    Ok(crate::domain::round::comparison_choices(opens_at, &earlier)
        .into_iter()
        .next()
        .map(|choice| choice.id))
}

/// The rounds a round can be compared with (the earlier rounds of its series), newest first,
/// with the previous round and the one a year earlier marked.
pub async fn comparison_choices(
    pool: &AnyPool,
    round_id: &str,
) -> Result<Vec<ComparisonChoice>, AppError> {
    let (questionnaire_id, opens_at): (String, i64) =
        sqlx::query_as("SELECT questionnaire_id, opens_at FROM rounds WHERE id = $1")
            .bind(round_id)
            .fetch_optional(pool)
            .await?
            .ok_or(AppError::NotFound)?;
    let earlier = earlier_rounds(pool, &questionnaire_id, opens_at).await?;
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
            "Kies een eerdere meting van dezelfde vragenlijst om mee te vergelijken.",
        )),
    }
}

/// Sets the round a round is compared with: one of its choices, or none at all (`None` or
/// empty: the round's figures then stand alone). Audited with the change.
pub async fn set_compared(
    pool: &AnyPool,
    actor: &Actor,
    round_id: &str,
    chosen: Option<&str>,
) -> Result<(), AppError> {
    let chosen = chosen.map(str::trim).filter(|id| !id.is_empty());
    let choices = comparison_choices(pool, round_id).await?;
    let compared = choose_compared(&choices, chosen, None, "compared_round_id")?;
    let mut tx = begin_round_write(pool, round_id).await?;
    let (state, before): (String, Option<String>) =
        sqlx::query_as("SELECT state, compared_round_id FROM rounds WHERE id = $1")
            .bind(round_id)
            .fetch_one(&mut *tx)
            .await?;
    if super::parse_state(&state)? == crate::domain::round::RoundState::Published {
        return Err(AppError::field(
            "compared_round_id",
            "Deze meting is gepubliceerd; waarmee ze vergeleken wordt, verandert niet meer.",
        ));
    }
    if before == compared {
        return Ok(());
    }
    sqlx::query("UPDATE rounds SET compared_round_id = $1 WHERE id = $2")
        .bind(compared.as_deref())
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "round_comparison_changed",
            region_code: None,
            subject: Some(round_id),
            details: json!({ "from": before, "to": compared }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
