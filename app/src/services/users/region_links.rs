//! What the two links between a user and regions beyond their own have in common: a
//! coordinator's regions in other programmes (`other_regions`) and the regions a reviewer
//! advises (`advised_regions`). Both are given and taken away by admins, audited with the
//! region's programme.

use crate::domain::access::ProgrammeRegion;
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use serde_json::json;
use sqlx::{Any, AnyPool, Executor};

/// One kind of link: its table's queries, its audit events and the admin form's wording.
pub struct RegionLink {
    /// The user's ($1) linked regions, as `ProgrammeRegionRow`s, in the order to show them.
    pub list: &'static str,
    /// The form's field that refusals are shown on.
    pub field: &'static str,
    /// The programme of the user's ($1) link to the region ($2), if there is one.
    pub programme_of_link: &'static str,
    /// Removes the user's ($1) link to the region ($2).
    pub delete: &'static str,
    pub added_event: &'static str,
    pub removed_event: &'static str,
    /// The refusal when the user has no such link to the region.
    pub not_linked: &'static str,
}

/// A region with its programme's code and mark, as both kinds of link list them.
#[derive(sqlx::FromRow)]
struct ProgrammeRegionRow {
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

/// The regions a user has through `link`.
pub async fn of_user<'e, E>(
    executor: E,
    link: &RegionLink,
    user_id: &str,
) -> Result<Vec<ProgrammeRegion>, AppError>
where
    E: Executor<'e, Database = Any>,
{
    let rows: Vec<ProgrammeRegionRow> = sqlx::query_as(link.list)
        .bind(user_id)
        .fetch_all(executor)
        .await?;
    Ok(rows.into_iter().map(ProgrammeRegion::from).collect())
}

/// Starts giving a user a region: locks the user's row and returns their role and own region
/// with its programme, or `NotFound`. The write comes first, so that SQLite takes its lock
/// before reading (see `rounds`).
pub(super) async fn lock_user(
    tx: &mut sqlx::Transaction<'static, Any>,
    user_id: &str,
) -> Result<(String, Option<String>, Option<String>), AppError> {
    let found = sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if found == 0 {
        return Err(AppError::NotFound);
    }
    Ok(sqlx::query_as(
        "SELECT u.role, u.region_code, r.programme_code FROM users u \
         LEFT JOIN regions r ON r.code = u.region_code WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_one(&mut **tx)
    .await?)
}

/// A region that can be given to a user (it exists and is not retired), with its programme's
/// code and name; otherwise the reason, on the form's field.
pub(super) async fn assignable(
    tx: &mut sqlx::Transaction<'static, Any>,
    link: &RegionLink,
    region_code: &str,
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
            link.field,
            "Deze regio bestaat niet. Kies een regio uit de lijst.",
        )),
        Some((name, Some(_), ..)) => Err(AppError::field(
            link.field,
            format!("De regio {name} is opgeheven."),
        )),
        Some((_, None, programme, programme_name)) => Ok((programme, programme_name)),
    }
}

/// Ends giving a user a region, whose link the caller has just written: audited, committed.
pub(super) async fn finish_adding(
    mut tx: sqlx::Transaction<'static, Any>,
    link: &RegionLink,
    actor: &Actor,
    user_id: &str,
    region_code: &str,
    programme: &str,
) -> Result<(), AppError> {
    record(
        &mut tx,
        actor,
        link.added_event,
        user_id,
        region_code,
        programme,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a linked region away from a user, audited; what they filled in stays, with their
/// name, and their sessions stay (the next request no longer reaches the region).
pub async fn remove(
    pool: &AnyPool,
    link: &RegionLink,
    actor: &Actor,
    user_id: &str,
    region_code: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let programme: Option<String> = sqlx::query_scalar(link.programme_of_link)
        .bind(user_id)
        .bind(region_code)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(programme) = programme else {
        return Err(AppError::field(link.field, link.not_linked));
    };
    sqlx::query(link.delete)
        .bind(user_id)
        .bind(region_code)
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        actor,
        link.removed_event,
        user_id,
        region_code,
        &programme,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Audits a region given to or taken from a user (`kind`), with its programme.
async fn record(
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
