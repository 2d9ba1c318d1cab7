//! Two-factor sign-in: the code after the password, setting it up (required for admins and
//! reviewers, optional for coordinators), the recovery codes shown once, switching it off
//! (coordinators) and an admin's reset.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The second step of logging in: a code from the app or a recovery code; then on to the
/// start page (or `next`, a page on this site).
#[server(endpoint = "two_factor/code")]
pub async fn login_code(code: String, next: Option<String>) -> Result<(), AppError> {
    use crate::domain::access::is_local_path;
    use crate::services::{request, two_factor};
    let state = request::state()?;
    let (token, session) = request::session_with_token(&state).await?;
    two_factor::verify_login_code(
        &state.pool,
        &state.config.mail,
        &session,
        &token,
        &code,
        &request::origin(),
    )
    .await?;
    let target = next
        .filter(|target| is_local_path(target))
        .unwrap_or_else(|| session.user.start_page());
    leptos_axum::redirect(&target);
    Ok(())
}

/// What the setup page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupView {
    /// Setting up is the step the login waits for (admins and reviewers without one).
    pub required: bool,
    /// Replacing a second factor that is already set up (a new phone).
    pub replacing: bool,
    pub email: String,
    /// The secret in groups of four, for people who can't scan.
    pub secret: String,
    pub qr_svg: String,
}

#[server(endpoint = "two_factor/setup")]
pub async fn get_setup() -> Result<SetupView, AppError> {
    use crate::services::sessions::Stage;
    use crate::services::{request, two_factor};
    let state = request::state()?;
    let (token, session) = request::session_with_token(&state).await?;
    if session.stage == Stage::Code {
        return Err(AppError::Unauthorized);
    }
    let setup = two_factor::begin_setup(&state.pool, &session, &token).await?;
    Ok(SetupView {
        required: session.stage == Stage::Setup,
        replacing: two_factor::is_enabled(&state.pool, &session.user.id).await?,
        email: session.user.email.clone(),
        secret: two_factor::grouped(&setup.secret),
        qr_svg: two_factor::qr_svg(&setup.otpauth_url)?,
    })
}

/// Confirms the new second factor with a code; the recovery codes are shown next.
#[server(endpoint = "two_factor/confirm")]
pub async fn confirm_two_factor(code: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::sessions::Stage;
    use crate::services::{request, two_factor};
    let state = request::state()?;
    let (token, session) = request::session_with_token(&state).await?;
    if session.stage == Stage::Code {
        return Err(AppError::Unauthorized);
    }
    two_factor::confirm_setup(
        &state.pool,
        &state.config.mail,
        &session,
        &token,
        &code,
        &request::origin(),
    )
    .await?;
    leptos_axum::redirect(paths::RECOVERY_CODES);
    Ok(())
}

/// The recovery codes made at setup, once.
#[server(endpoint = "two_factor/recovery_codes")]
pub async fn recovery_codes() -> Result<Vec<String>, AppError> {
    use crate::services::{request, two_factor};
    let state = request::state()?;
    request::require_user(&state).await?;
    let (token, session) = request::session_with_token(&state).await?;
    two_factor::take_recovery_codes(&state.pool, &session, &token).await
}

/// A coordinator switches two-factor sign-in off with a current code.
#[server(endpoint = "two_factor/remove")]
pub async fn remove_two_factor(code: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::{request, two_factor};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    two_factor::remove_own(
        &state.pool,
        &state.config.mail,
        &user,
        &code,
        request::client_address(),
    )
    .await?;
    leptos_axum::redirect(&paths::with_notice(paths::ACCOUNT, "tweestap-uit"));
    Ok(())
}

/// An admin clears someone's second factor (a lost phone); audited.
#[server(endpoint = "two_factor/reset")]
pub async fn reset_two_factor(user_id: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::{request, two_factor};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    two_factor::reset_by_admin(
        &state.pool,
        &state.config.mail,
        &request::actor(&admin),
        &user_id,
    )
    .await?;
    leptos_axum::redirect(&paths::with_notice(paths::USERS, "tweestap-gewist"));
    Ok(())
}
