//! A coordinator may coordinate a region in several programmes with one login: their own
//! region (`users.region_code`) and at most one region in each other programme
//! (`user_regions`). Admins add and take away the others; both are audited.

use super::region_links::{self, lock_user, RegionLink};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::now_ms;
use sqlx::{Any, AnyPool};

/// A region in another programme. `list`: the regions a user coordinates beyond their own
/// region's programme, by programme; read with `region_links::of_user`, taken away with
/// `region_links::remove`.
pub const LINK: RegionLink = RegionLink {
    list: "SELECT r.code, r.name, p.code AS programme_code, p.short_name AS programme_short_name \
           FROM user_regions ur JOIN regions r ON r.code = ur.region_code \
           JOIN programmes p ON p.code = ur.programme_code \
           WHERE ur.user_id = $1 ORDER BY p.name, r.code",
    field: "other_region",
    programme_of_link: "SELECT programme_code FROM user_regions \
                        WHERE user_id = $1 AND region_code = $2",
    delete: "DELETE FROM user_regions WHERE user_id = $1 AND region_code = $2",
    added_event: "user_region_added",
    removed_event: "user_region_removed",
    not_linked: "Deze coördinator heeft deze regio niet.",
};

/// Lets a coordinator also coordinate `region_code`, a region (not retired) of a programme in
/// which they have no region yet. Errors are on the field `other_region`.
pub async fn add(
    pool: &AnyPool,
    actor: &Actor,
    user_id: &str,
    region_code: &str,
) -> Result<(), AppError> {
    let refuse = |message: String| AppError::field(LINK.field, message);
    let mut tx = pool.begin().await?;
    let (role, own_region, own_programme) = lock_user(&mut tx, user_id).await?;
    if role != Role::Coordinator.code() {
        return Err(refuse(
            "Alleen een coördinator kan regio's van andere programma's krijgen.".to_string(),
        ));
    }
    let (programme, programme_name) = region_links::assignable(&mut tx, &LINK, region_code).await?;
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
    region_links::finish_adding(tx, &LINK, actor, user_id, region_code, &programme).await
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
