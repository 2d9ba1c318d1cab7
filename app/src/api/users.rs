//! User management, for admins only. Admins invite people and edit accounts; they never
//! know or set anyone's password (owners choose their own through the invitation link).

use crate::domain::account::UserSummary;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    request::require_admin(&state).await?;
    users::list(&state.pool).await
}

#[server(endpoint = "users/one")]
pub async fn get_user(user_id: String) -> Result<UserSummary, AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    request::require_admin(&state).await?;
    let mut user = users::find(&state.pool, &user_id).await?;
    user.other_regions =
        users::region_links::of_user(&state.pool, &users::other_regions::LINK, &user_id).await?;
    user.advised_regions =
        users::region_links::of_user(&state.pool, &users::advised_regions::LINK, &user_id).await?;
    Ok(user)
}

/// Makes a reviewer the adviser (regioadviseur) of a region: they fill in its questionnaire
/// with the region.
#[server(endpoint = "users/advised/add")]
pub async fn add_advised_region(user_id: String, advised_region: String) -> Result<(), AppError> {
    change_region_link(RegionLinkChange::AddAdvised, &user_id, &advised_region).await
}

/// Ends a reviewer's advising of a region.
#[server(endpoint = "users/advised/remove")]
pub async fn remove_advised_region(user_id: String, region_code: String) -> Result<(), AppError> {
    change_region_link(RegionLinkChange::RemoveAdvised, &user_id, &region_code).await
}

/// Lets a coordinator also coordinate a region of another programme, with the same login.
#[server(endpoint = "users/region/add")]
pub async fn add_user_region(user_id: String, other_region: String) -> Result<(), AppError> {
    change_region_link(RegionLinkChange::AddOther, &user_id, &other_region).await
}

/// Takes a region of another programme away from a coordinator.
#[server(endpoint = "users/region/remove")]
pub async fn remove_user_region(user_id: String, region_code: String) -> Result<(), AppError> {
    change_region_link(RegionLinkChange::RemoveOther, &user_id, &region_code).await
}

/// A change an admin makes to the regions a user has beyond their own.
#[cfg(feature = "ssr")]
enum RegionLinkChange {
    AddAdvised,
    RemoveAdvised,
    AddOther,
    RemoveOther,
}

/// Makes the change as an admin, then goes back to the user's page with its notice.
#[cfg(feature = "ssr")]
async fn change_region_link(
    change: RegionLinkChange,
    user_id: &str,
    region_code: &str,
) -> Result<(), AppError> {
    use crate::services::request;
    use crate::services::users::{advised_regions, other_regions, region_links};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let (pool, actor) = (&state.pool, &request::actor(&admin));
    let notice = match change {
        RegionLinkChange::AddAdvised => {
            advised_regions::add(pool, actor, user_id, region_code).await?;
            "adviesregio-erbij"
        }
        RegionLinkChange::RemoveAdvised => {
            region_links::remove(pool, &advised_regions::LINK, actor, user_id, region_code).await?;
            "adviesregio-eraf"
        }
        RegionLinkChange::AddOther => {
            other_regions::add(pool, actor, user_id, region_code).await?;
            "regio-erbij"
        }
        RegionLinkChange::RemoveOther => {
            region_links::remove(pool, &other_regions::LINK, actor, user_id, region_code).await?;
            "regio-eraf"
        }
    };
    back_to_user(user_id, notice);
    Ok(())
}

/// Creates an account without a password and mails its owner an invitation link.
#[server(endpoint = "users/create")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    region_code: Option<String>,
) -> Result<(), AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let input = users::NewAccount {
        email,
        display_name,
        role,
        region_code,
    };
    users::invite(
        &state.pool,
        &request::actor(&admin),
        &state.config.mail,
        input,
    )
    .await?;
    back_to_users("uitgenodigd");
    Ok(())
}

/// Changes an account's name, e-mail address, role and region.
#[server(endpoint = "users/update")]
pub async fn update_user(
    user_id: String,
    email: String,
    display_name: String,
    role: String,
    region_code: Option<String>,
) -> Result<(), AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let input = users::NewAccount {
        email,
        display_name,
        role,
        region_code,
    };
    users::update(&state.pool, &request::actor(&admin), &user_id, input).await?;
    // Kept snapshots show who saved each answer by name; the overview's kept figures say
    // whether the region or its adviser (a reviewer) gave the answers.
    state.snapshots.clear();
    state.counts.clear();
    back_to_users("gewijzigd");
    Ok(())
}

/// Sends a new invitation to an account whose owner has not chosen a password yet.
#[server(endpoint = "users/invite_again")]
pub async fn resend_invitation(user_id: String) -> Result<(), AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    users::resend_invitation(
        &state.pool,
        &request::actor(&admin),
        &state.config.mail,
        &user_id,
    )
    .await?;
    back_to_users("opnieuw-uitgenodigd");
    Ok(())
}

/// Disables (`active = false`) or enables an account.
#[server(endpoint = "users/active")]
pub async fn set_user_active(user_id: String, active: bool) -> Result<(), AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    users::set_active(&state.pool, &request::actor(&admin), &user_id, active).await?;
    let notice = if active { "geactiveerd" } else { "geblokkeerd" };
    back_to_users(notice);
    Ok(())
}

/// Returns to a user's page with `notice`.
#[cfg(feature = "ssr")]
fn back_to_user(user_id: &str, notice: &str) {
    use crate::paths;
    leptos_axum::redirect(&paths::with_notice(&paths::user(user_id), notice));
}

/// Returns to the list of users with `notice`.
#[cfg(feature = "ssr")]
fn back_to_users(notice: &str) {
    use crate::paths;
    leptos_axum::redirect(&paths::with_notice(paths::USERS, notice));
}
