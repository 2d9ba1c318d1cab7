//! Admins add, rename, retire and reinstate regions. A change counts from the next round on:
//! every round keeps its own copy of its regions (`round_regions`) and their gemeenten. A
//! retired region takes part in no new round and keeps its history; retiring is refused while
//! the region takes part in a round that is still a concept or open, or still has gemeenten.

use crate::domain::region::{as_sentence, check_region_code, check_region_text, Region};
use crate::domain::round::check_reason;
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use crate::services::now_ms;
use serde_json::json;
use sqlx::AnyPool;

/// The checked, trimmed name and centrumgemeente of a region; errors on the fields `name` and
/// `lead_gemeente`.
fn checked_names(name: &str, lead_gemeente: &str) -> Result<(String, String), AppError> {
    let (name, lead_gemeente) = (name.trim(), lead_gemeente.trim());
    let mut errors = Vec::new();
    for (field, what, value) in [
        ("name", "regionaam", name),
        ("lead_gemeente", "centrumgemeente", lead_gemeente),
    ] {
        if let Err(message) = check_region_text(what, value) {
            errors.push((field.to_string(), vec![as_sentence(&message)]));
        }
    }
    if errors.is_empty() {
        Ok((name.to_string(), lead_gemeente.to_string()))
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Adds a region to a programme's region set; it takes part in that programme's rounds set up
/// from now on.
pub async fn add(
    pool: &AnyPool,
    actor: &Actor,
    programme: &str,
    code: &str,
    name: &str,
    lead_gemeente: &str,
) -> Result<Region, AppError> {
    let code = code.trim();
    check_region_code(code).map_err(|message| AppError::field("code", as_sentence(&message)))?;
    let (name, lead_gemeente) = checked_names(name, lead_gemeente)?;
    crate::services::programmes::find(pool, programme)
        .await
        .map_err(|_| AppError::field("programme", "Kies een programma uit de lijst."))?;
    let now = now_ms();
    let mut tx = pool.begin().await?;
    // Codes differing only in case would be the same region to a person.
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT code, name FROM regions WHERE UPPER(code) = UPPER($1)")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((existing_code, existing_name)) = existing {
        return Err(AppError::field(
            "code",
            format!(
                "De regiocode {existing_code} bestaat al ({existing_name}). Kies een andere code."
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO regions (code, name, lead_gemeente, created_at, updated_at, programme_code) \
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(code)
    .bind(&name)
    .bind(&lead_gemeente)
    .bind(now)
    .bind(programme)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "region_added",
            region_code: Some(code),
            subject: Some(code),
            details: json!({ "programme": programme, "name": name, "lead_gemeente": lead_gemeente }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Region {
        code: code.to_string(),
        name,
        lead_gemeente,
        retired_at: None,
        programme_code: programme.to_string(),
    })
}

/// Begins a transaction that changes region `code` by writing its row first (see
/// `rounds::begin_round_write`); an unknown code is `NotFound`.
async fn begin_region_write(
    pool: &AnyPool,
    code: &str,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, AppError> {
    let mut tx = pool.begin().await?;
    let found = sqlx::query("UPDATE regions SET updated_at = updated_at WHERE code = $1")
        .bind(code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if found == 0 {
        return Err(AppError::NotFound);
    }
    Ok(tx)
}

/// Gives a region another name or centrumgemeente; rounds keep the names they were made with.
/// Returns whether anything changed.
pub async fn rename(
    pool: &AnyPool,
    actor: &Actor,
    code: &str,
    name: &str,
    lead_gemeente: &str,
) -> Result<bool, AppError> {
    let (name, lead_gemeente) = checked_names(name, lead_gemeente)?;
    let mut tx = begin_region_write(pool, code).await?;
    let (old_name, old_lead): (String, String) =
        sqlx::query_as("SELECT name, lead_gemeente FROM regions WHERE code = $1")
            .bind(code)
            .fetch_one(&mut *tx)
            .await?;
    if old_name == name && old_lead == lead_gemeente {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE regions SET name = $1, lead_gemeente = $2, updated_at = $3 WHERE code = $4",
    )
    .bind(&name)
    .bind(&lead_gemeente)
    .bind(now_ms())
    .bind(code)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "region_renamed",
            region_code: Some(code),
            subject: Some(code),
            details: json!({
                "name": { "from": old_name, "to": name },
                "lead_gemeente": { "from": old_lead, "to": lead_gemeente },
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Retires a region, with a reason: it takes part in no new round from now on. Refused while
/// it takes part in a round that is a concept or open (the round would count on it), or while
/// gemeenten still belong to it (they would belong to no region taking part).
pub async fn retire(
    pool: &AnyPool,
    actor: &Actor,
    code: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reason =
        check_reason(reason).map_err(|message| AppError::field("retire_reason", message))?;
    let mut tx = begin_region_write(pool, code).await?;
    let retired_at: Option<i64> =
        sqlx::query_scalar("SELECT retired_at FROM regions WHERE code = $1")
            .bind(code)
            .fetch_one(&mut *tx)
            .await?;
    if retired_at.is_some() {
        return Err(AppError::Conflict(
            "Deze regio is al opgeheven.".to_string(),
        ));
    }
    let running: Vec<String> = sqlx::query_scalar(
        "SELECT ro.name FROM round_regions rr JOIN rounds ro ON ro.id = rr.round_id          WHERE rr.region_code = $1 AND ro.state IN ('concept', 'open') ORDER BY ro.opens_at",
    )
    .bind(code)
    .fetch_all(&mut *tx)
    .await?;
    if !running.is_empty() {
        return Err(AppError::field(
            "retire_reason",
            format!(
                "De regio doet mee aan {}: ‘{}’. Hef haar op als die meting gesloten is.",
                if running.len() == 1 {
                    "een meting die nog loopt of wordt voorbereid"
                } else {
                    "metingen die nog lopen of worden voorbereid"
                },
                running.join("’, ‘")
            ),
        ));
    }
    let gemeenten: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM gemeenten WHERE region_code = $1")
            .bind(code)
            .fetch_one(&mut *tx)
            .await?;
    if gemeenten > 0 {
        return Err(AppError::field(
            "retire_reason",
            format!(
                "Er horen nog {gemeenten} gemeente(n) bij deze regio. Verplaats ze eerst naar een \
                 andere regio (Indeling van gemeenten)."
            ),
        ));
    }
    set_retired(&mut tx, code, Some(now_ms())).await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "region_retired",
            region_code: Some(code),
            subject: Some(code),
            details: json!({ "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a retired region into use again: it takes part in rounds set up from now on.
pub async fn reinstate(pool: &AnyPool, actor: &Actor, code: &str) -> Result<(), AppError> {
    let mut tx = begin_region_write(pool, code).await?;
    let retired_at: Option<i64> =
        sqlx::query_scalar("SELECT retired_at FROM regions WHERE code = $1")
            .bind(code)
            .fetch_one(&mut *tx)
            .await?;
    if retired_at.is_none() {
        return Err(AppError::Conflict(
            "Deze regio is niet opgeheven.".to_string(),
        ));
    }
    set_retired(&mut tx, code, None).await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "region_reinstated",
            region_code: Some(code),
            subject: Some(code),
            details: json!({ "retired_at": retired_at }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn set_retired(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    code: &str,
    retired_at: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE regions SET retired_at = $1, updated_at = $2 WHERE code = $3")
        .bind(retired_at)
        .bind(now_ms())
        .bind(code)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
