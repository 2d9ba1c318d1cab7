//! Region advisers (regioadviseurs): reviewers who fill in the questionnaire of the regions
//! they advise, from their conversations with the region (`adviser_regions`). A reviewer may
//! advise any number of regions of any programme; admins add and take away regions, audited.
//! What an adviser submits needs the region's agreement (`responses::submit`).

use super::region_links::{self, lock_user, RegionLink};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::now_ms;
use sqlx::{Any, AnyPool};

/// Advising a region. `list`: the regions a reviewer advises, by programme and code; read
/// with `region_links::of_user`, taken away with `region_links::remove`.
pub const LINK: RegionLink = RegionLink {
    list: "SELECT r.code, r.name, p.code AS programme_code, p.short_name AS programme_short_name \
           FROM adviser_regions ar JOIN regions r ON r.code = ar.region_code \
           JOIN programmes p ON p.code = r.programme_code \
           WHERE ar.user_id = $1 ORDER BY p.code <> 'nad', p.name, r.code",
    field: "advised_region",
    programme_of_link: "SELECT r.programme_code FROM adviser_regions ar \
                        JOIN regions r ON r.code = ar.region_code \
                        WHERE ar.user_id = $1 AND ar.region_code = $2",
    delete: "DELETE FROM adviser_regions WHERE user_id = $1 AND region_code = $2",
    added_event: "adviser_region_added",
    removed_event: "adviser_region_removed",
    not_linked: "Deze beoordelaar is geen regioadviseur van deze regio.",
};

/// The advisers of a region (id, name, e-mail address), by name.
pub async fn advisers_of(
    pool: &AnyPool,
    region_code: &str,
) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name, u.email FROM adviser_regions ar \
         JOIN users u ON u.id = ar.user_id \
         WHERE ar.region_code = $1 AND u.active = 1 AND u.role = 'reviewer' \
         ORDER BY u.display_name, u.email",
    )
    .bind(region_code)
    .fetch_all(pool)
    .await?)
}

/// Makes a reviewer the adviser of `region_code` (an existing region, not retired). Errors
/// are on the field `advised_region`.
pub async fn add(
    pool: &AnyPool,
    actor: &Actor,
    user_id: &str,
    region_code: &str,
) -> Result<(), AppError> {
    let refuse = |message: String| AppError::field(LINK.field, message);
    let mut tx = pool.begin().await?;
    let (role, ..) = lock_user(&mut tx, user_id).await?;
    if role != Role::Reviewer.code() {
        return Err(refuse(
            "Alleen een beoordelaar kan regioadviseur zijn. Maak de gebruiker eerst beoordelaar."
                .to_string(),
        ));
    }
    let (programme, _) = region_links::assignable(&mut tx, &LINK, region_code).await?;
    let already: Option<i64> = sqlx::query_scalar(
        "SELECT created_at FROM adviser_regions WHERE user_id = $1 AND region_code = $2",
    )
    .bind(user_id)
    .bind(region_code)
    .fetch_optional(&mut *tx)
    .await?;
    if already.is_some() {
        return Err(refuse(format!(
            "Deze beoordelaar is al regioadviseur van regio {region_code}."
        )));
    }
    sqlx::query(
        "INSERT INTO adviser_regions (user_id, region_code, created_at) VALUES ($1, $2, $3)",
    )
    .bind(user_id)
    .bind(region_code)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    region_links::finish_adding(tx, &LINK, actor, user_id, region_code, &programme).await
}

/// In the transaction of a change to a user's role: someone who is no longer a reviewer
/// advises no region.
pub(super) async fn remove_all(
    tx: &mut sqlx::Transaction<'static, Any>,
    user_id: &str,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM adviser_regions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
