//! Admins edit the division of gemeenten over the regions one gemeente at a time: move one to
//! another region, add one, remove one (after a merger). Like loading a whole file, a change
//! counts from the next round on; every round keeps its own copy (`round_gemeenten`). A
//! gemeente is in one region per programme: the region named says which programme's division
//! changes.

use super::GemeenteRow;
use crate::domain::region::{as_sentence, check_gemeente_code, check_region_text, Gemeente};
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use crate::services::now_ms;
use serde_json::json;
use sqlx::{AnyPool, Transaction};

/// Every gemeente of every programme's division now, by name.
pub async fn all(pool: &AnyPool) -> Result<Vec<Gemeente>, AppError> {
    let rows: Vec<GemeenteRow> =
        sqlx::query_as("SELECT code, name, region_code FROM gemeenten ORDER BY name, code")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(Gemeente::from).collect())
}

/// Refuses a region that is unknown or retired as a gemeente's region (field `region_code`);
/// returns its programme.
async fn check_target_region(
    tx: &mut Transaction<'static, sqlx::Any>,
    region_code: &str,
) -> Result<String, AppError> {
    let region: Option<(Option<i64>, String)> =
        sqlx::query_as("SELECT retired_at, programme_code FROM regions WHERE code = $1")
            .bind(region_code)
            .fetch_optional(&mut **tx)
            .await?;
    match region {
        None => Err(AppError::field("region_code", "Deze regio bestaat niet.")),
        Some((Some(_), _)) => Err(AppError::field(
            "region_code",
            "Deze regio is opgeheven; kies een regio die aan nieuwe metingen meedoet.",
        )),
        Some((None, programme)) => Ok(programme),
    }
}

/// The gemeente `code` in a programme's division as it is now, or an error on the field
/// `gemeente_code`.
async fn current(
    tx: &mut Transaction<'static, sqlx::Any>,
    programme: &str,
    code: &str,
) -> Result<Gemeente, AppError> {
    let row: Option<GemeenteRow> = sqlx::query_as(
        "SELECT code, name, region_code FROM gemeenten WHERE programme_code = $1 AND code = $2",
    )
    .bind(programme)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Gemeente::from).ok_or_else(|| {
        AppError::field(
            "gemeente_code",
            "Deze gemeente staat niet in de indeling. Kies een gemeente uit de lijst.",
        )
    })
}

/// Moves a gemeente to another region (that is not retired) of the same programme.
pub async fn move_to(
    pool: &AnyPool,
    actor: &Actor,
    gemeente_code: &str,
    region_code: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    // Written first, so that SQLite takes its lock before reading (see `rounds`).
    sqlx::query("UPDATE regions SET updated_at = updated_at WHERE code = $1")
        .bind(region_code)
        .execute(&mut *tx)
        .await?;
    let programme = check_target_region(&mut tx, region_code).await?;
    let gemeente = current(&mut tx, &programme, gemeente_code).await?;
    if gemeente.region_code == region_code {
        return Err(AppError::field(
            "region_code",
            format!("{} hoort al bij deze regio.", gemeente.name),
        ));
    }
    sqlx::query(
        "UPDATE gemeenten SET region_code = $1, updated_at = $2 \
         WHERE programme_code = $3 AND code = $4",
    )
    .bind(region_code)
    .bind(now_ms())
    .bind(&programme)
    .bind(gemeente_code)
    .execute(&mut *tx)
    .await?;
    let details = json!({
        "gemeente": gemeente.code, "name": gemeente.name,
        "from": gemeente.region_code, "to": region_code,
    });
    record(&mut tx, actor, "gemeente_moved", region_code, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a gemeente (a new one after a merger, say) to a region.
pub async fn add(
    pool: &AnyPool,
    actor: &Actor,
    code: &str,
    name: &str,
    region_code: &str,
) -> Result<(), AppError> {
    let (code, name) = (code.trim(), name.trim());
    check_gemeente_code(code)
        .map_err(|message| AppError::field("new_gemeente_code", as_sentence(&message)))?;
    check_region_text("gemeentenaam", name)
        .map_err(|message| AppError::field("new_gemeente_name", as_sentence(&message)))?;
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE regions SET updated_at = updated_at WHERE code = $1")
        .bind(region_code)
        .execute(&mut *tx)
        .await?;
    let programme = check_target_region(&mut tx, region_code)
        .await
        .map_err(|error| error.rename_field("region_code", "new_gemeente_region"))?;
    if let Ok(existing) = current(&mut tx, &programme, code).await {
        return Err(AppError::field(
            "new_gemeente_code",
            format!(
                "De gemeentecode {code} bestaat al ({}, regio {}).",
                existing.name, existing.region_code
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO gemeenten (programme_code, code, name, region_code, updated_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&programme)
    .bind(code)
    .bind(name)
    .bind(region_code)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let details = json!({ "gemeente": code, "name": name, "to": region_code });
    record(&mut tx, actor, "gemeente_added", region_code, details).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a gemeente from a programme's division (it merged into another); rounds keep it in
/// their copy.
pub async fn remove(
    pool: &AnyPool,
    actor: &Actor,
    programme: &str,
    gemeente_code: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE gemeenten SET updated_at = updated_at WHERE programme_code = $1 AND code = $2",
    )
    .bind(programme)
    .bind(gemeente_code)
    .execute(&mut *tx)
    .await?;
    let gemeente = current(&mut tx, programme, gemeente_code)
        .await
        .map_err(|error| error.rename_field("gemeente_code", "removed_gemeente"))?;
    sqlx::query("DELETE FROM gemeenten WHERE programme_code = $1 AND code = $2")
        .bind(programme)
        .bind(gemeente_code)
        .execute(&mut *tx)
        .await?;
    let details = json!({
        "gemeente": gemeente.code, "name": gemeente.name, "from": gemeente.region_code,
    });
    record(
        &mut tx,
        actor,
        "gemeente_removed",
        &gemeente.region_code,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn record(
    tx: &mut Transaction<'static, sqlx::Any>,
    actor: &Actor,
    kind: &str,
    region_code: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        &mut **tx,
        actor,
        Event {
            kind,
            region_code: Some(region_code),
            subject: details["gemeente"].as_str(),
            details: details.clone(),
        },
    )
    .await
}
