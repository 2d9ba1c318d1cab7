//! A coordinator may coordinate a region in several programmes with one login: their own
//! region (`users.region_code`) and at most one region in each other programme
//! (`user_regions`). Admins add and take away the others; both are audited.

use crate::domain::access::ProgrammeRegion;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use crate::services::now_ms;
use serde_json::json;
use sqlx::{Any, AnyPool, Executor};

/// A region with its programme's code and mark, as `of_user` here and in `advised_regions`
/// read it.
#[derive(sqlx::FromRow)]
pub(super) struct ProgrammeRegionRow {
    code: String,
    name: String,
    programme_code: String,
    programme_short_name: String,
}

impl From<ProgrammeRegionRow> for ProgrammeRegion {
    fn from(row: ProgrammeRegionRow) -> Self {
        ProgrammeRegion {
            code: row.code,
            name: row.name,
            programme_code: row.programme_code,
            programme_short_name: row.programme_short_name,
        }
    }
}

/// The regions a user coordinates in other programmes than their own region's, by programme.
pub async fn of_user<'e, E>(executor: E, user_id: &str) -> Result<Vec<ProgrammeRegion>, AppError>
where
    E: Executor<'e, Database = Any>,
{
    let rows: Vec<ProgrammeRegionRow> = sqlx::query_as(
        "SELECT r.code, r.name, p.code AS programme_code, p.short_name AS programme_short_name \
         FROM user_regions ur JOIN regions r ON r.code = ur.region_code \
         JOIN programmes p ON p.code = ur.programme_code \
         WHERE ur.user_id = $1 ORDER BY p.name, r.code",
    )
    .bind(user_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(ProgrammeRegion::from).collect())
}

/// Lets a coordinator also coordinate `region_code`, a region (not retired) of a programme in
/// which they have no region yet. Errors are on the field `other_region`.
pub async fn add(
    pool: &AnyPool,
    actor: &Actor,
    user_id: &str,
    region_code: &str,
) -> Result<(), AppError> {
    let refuse = |message: String| AppError::field("other_region", message);
    let mut tx = pool.begin().await?;
    // Written first, so that SQLite takes its lock before reading (see `rounds`).
    let found = sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if found == 0 {
        return Err(AppError::NotFound);
    }
    let (role, own_region, own_programme): (String, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT u.role, u.region_code, r.programme_code FROM users u \
             LEFT JOIN regions r ON r.code = u.region_code WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    if role != Role::Coordinator.code() {
        return Err(refuse(
            "Alleen een coördinator kan regio's van andere programma's krijgen.".to_string(),
        ));
    }
    let (programme, programme_name) = assignable(&mut tx, region_code, "other_region").await?;
    if own_programme.as_deref() == Some(programme.as_str()) {
        return Err(refuse(format!(
            "Deze coördinator heeft in {programme_name} al een eigen regio ({}). Wijzig die bij ‘Regio’.",
            own_region.unwrap_or_default()
        )));
    }
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT region_code FROM user_regions WHERE user_id = $1 AND programme_code = $2",
    )
    .bind(user_id)
    .bind(&programme)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(existing) = existing {
        return Err(refuse(format!(
            "Deze coördinator heeft in {programme_name} al regio {existing}; neem die eerst weg."
        )));
    }
    sqlx::query(
        "INSERT INTO user_regions (user_id, region_code, programme_code, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(region_code)
    .bind(&programme)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        actor,
        "user_region_added",
        user_id,
        region_code,
        &programme,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A region that can be given to a user (it exists and is not retired), with its programme's
/// code and name; otherwise the reason, on the form's `field`.
pub(super) async fn assignable(
    tx: &mut sqlx::Transaction<'static, Any>,
    region_code: &str,
    field: &str,
) -> Result<(String, String), AppError> {
    let region: Option<(String, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT r.name, r.retired_at, r.programme_code, p.name FROM regions r \
         JOIN programmes p ON p.code = r.programme_code WHERE r.code = $1",
    )
    .bind(region_code)
    .fetch_optional(&mut **tx)
    .await?;
    match region {
        None => Err(AppError::field(
            field,
            "Deze regio bestaat niet. Kies een regio uit de lijst.",
        )),
        Some((name, Some(_), ..)) => Err(AppError::field(
            field,
            format!("De regio {name} is opgeheven."),
        )),
        Some((_, None, programme, programme_name)) => Ok((programme, programme_name)),
    }
}

/// Takes a region of another programme away from a coordinator; their sessions stay, and the
/// next request no longer reaches the region.
pub async fn remove(
    pool: &AnyPool,
    actor: &Actor,
    user_id: &str,
    region_code: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let programme: Option<String> = sqlx::query_scalar(
        "SELECT programme_code FROM user_regions WHERE user_id = $1 AND region_code = $2",
    )
    .bind(user_id)
    .bind(region_code)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(programme) = programme else {
        return Err(AppError::field(
            "other_region",
            "Deze coördinator heeft deze regio niet.",
        ));
    };
    sqlx::query("DELETE FROM user_regions WHERE user_id = $1 AND region_code = $2")
        .bind(user_id)
        .bind(region_code)
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        actor,
        "user_region_removed",
        user_id,
        region_code,
        &programme,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// In the transaction of a change to a user's role or own region: a user who is no longer a
/// coordinator (`own_programme` is `None`) loses every region of other programmes; a
/// coordinator loses the one in their (new) own region's programme, where the own region wins.
pub(super) async fn remove_conflicting(
    tx: &mut sqlx::Transaction<'static, Any>,
    user_id: &str,
    own_programme: Option<&str>,
) -> Result<(), AppError> {
    match own_programme {
        Some(programme) => {
            sqlx::query("DELETE FROM user_regions WHERE user_id = $1 AND programme_code = $2")
                .bind(user_id)
                .bind(programme)
                .execute(&mut **tx)
                .await?
        }
        None => {
            sqlx::query("DELETE FROM user_regions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut **tx)
                .await?
        }
    };
    Ok(())
}

/// Audits a region given to or taken from a user (`kind`), with its programme.
pub(super) async fn record(
    tx: &mut sqlx::Transaction<'static, Any>,
    actor: &Actor,
    kind: &str,
    user_id: &str,
    region_code: &str,
    programme: &str,
) -> Result<(), AppError> {
    audit::record(
        &mut **tx,
        actor,
        Event {
            kind,
            region_code: Some(region_code),
            subject: Some(user_id),
            details: json!({ "region": region_code, "programme": programme }),
        },
    )
    .await
}
