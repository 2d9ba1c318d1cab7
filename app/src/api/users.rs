//! User management, for admins only.

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

/// Creates an account; afterwards the user list shows a confirmation.
#[server(endpoint = "users/create")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    region_code: Option<String>,
    password: String,
) -> Result<(), AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let input = users::NewUser {
        email,
        display_name,
        role,
        region_code,
        password,
    };
    users::create(&state.pool, &request::actor(&admin), input).await?;
    leptos_axum::redirect("/beheer/gebruikers?melding=aangemaakt");
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
    leptos_axum::redirect(&format!("/beheer/gebruikers?melding={notice}"));
    Ok(())
}

/// Gives an account a new password chosen by the admin; the user's sessions end.
#[server(endpoint = "users/password")]
pub async fn reset_password(user_id: String, password: String) -> Result<(), AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    users::set_password(&state.pool, &request::actor(&admin), &user_id, password).await?;
    leptos_axum::redirect("/beheer/gebruikers?melding=wachtwoord");
    Ok(())
}
