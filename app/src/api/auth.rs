//! Logging in and finding out who is logged in. Logging out is a plain form post to
//! `/logout`, handled by the server crate.

use crate::domain::access::SignedInUser;
use crate::error::AppError;
use leptos::prelude::*;

/// Checks the credentials, starts a new session and sends the user to their start page (or
/// to `next`, a page on this site they were on when their session ended).
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::domain::access::is_local_path;
    use crate::domain::link::query_value;
    use crate::paths;
    use crate::services::sessions::Stage;
    let (user, stage) = request_session(&email, &password).await?;
    let next = next.filter(|target| is_local_path(target));
    let target = match stage {
        Stage::Full => next.unwrap_or_else(|| user.start_page()),
        Stage::Code => match next {
            Some(next) => paths::returning_to(paths::LOGIN_CODE, &query_value(&next)),
            None => paths::LOGIN_CODE.to_string(),
        },
        Stage::Setup => paths::TWO_FACTOR_SETUP.to_string(),
    };
    leptos_axum::redirect(&target);
    Ok(())
}

/// Logs in again without leaving the page (the session ended while someone was filling in):
/// a new session, no redirect, so the page can send what it kept. With a second factor its
/// code comes along in `code`.
#[server(endpoint = "login_again")]
pub async fn login_again(
    email: String,
    password: String,
    code: Option<String>,
) -> Result<SignedInUser, AppError> {
    use crate::services::{request, sessions, two_factor};
    let state = request::state()?;
    let outcome = two_factor::login_in_one_step(
        &state.pool,
        &state.config.mail,
        &email,
        &password,
        code.as_deref(),
        &request::origin(),
    )
    .await?;
    if let Some(old) = request::session_token() {
        sessions::end(&state.pool, &old).await?;
    }
    request::set_cookie(&sessions::cookie(&outcome.token, &state.config));
    Ok(outcome.user)
}

/// Checks the credentials and starts a new session, replacing the request's old one (an id
/// planted before login is worthless).
#[cfg(feature = "ssr")]
async fn request_session(
    email: &str,
    password: &str,
) -> Result<(SignedInUser, crate::services::sessions::Stage), AppError> {
    use crate::services::{auth, request, sessions};
    let state = request::state()?;
    let origin = request::origin();
    let outcome = auth::login(&state.pool, &state.config.mail, email, password, &origin).await?;
    if let Some(old) = request::session_token() {
        sessions::end(&state.pool, &old).await?;
    }
    request::set_cookie(&sessions::cookie(&outcome.token, &state.config));
    Ok((outcome.user, outcome.stage))
}

/// The signed-in user, or `None`.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    use crate::services::request;
    let state = request::state()?;
    request::signed_in_user(&state).await
}
