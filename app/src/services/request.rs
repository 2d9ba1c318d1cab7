//! What a server function knows about the request it serves: the state, the signed-in user
//! and the client, all read from the context leptos_axum provides.

use super::sessions;
use super::state::AppState;
use crate::domain::access::SignedInUser;
use crate::error::AppError;
use http::request::Parts;
use leptos::prelude::{expect_context, use_context};
use leptos_axum::ResponseOptions;
use std::net::IpAddr;
use std::sync::Arc;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        AppError::internal(
            "the request context",
            "AppState missing from the request context",
        )
    })
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// Who this request's session belongs to, once found. A page's frame and its server
/// functions each ask who is signed in; with this they ask the database once per request.
/// It lives in the request's context (the server's router provides a new one per request),
/// so nothing is kept between requests: a session ended elsewhere counts from the next
/// request on, as it always did. Requests that end or replace their own session redirect or
/// answer without asking again.
#[derive(Clone, Default)]
pub struct SessionOfRequest(Arc<tokio::sync::Mutex<Option<Option<SignedInUser>>>>);

/// The signed-in user, or `None` for an anonymous request.
pub async fn signed_in_user(state: &AppState) -> Result<Option<SignedInUser>, AppError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    let Some(memo) = use_context::<SessionOfRequest>() else {
        return sessions::resolve(&state.pool, &state.config, &token).await;
    };
    // Held while the database is asked, so that the page's other server functions, which
    // run at the same time, wait for this answer instead of asking too.
    let mut found = memo.0.lock().await;
    if let Some(user) = found.as_ref() {
        return Ok(user.clone());
    }
    let user = sessions::resolve(&state.pool, &state.config, &token).await?;
    *found = Some(user.clone());
    Ok(user)
}

/// The request's session at any stage of logging in, with its cookie value; `Unauthorized`
/// without one.
pub async fn session_with_token(state: &AppState) -> Result<(String, sessions::Session), AppError> {
    let token = session_token().ok_or(AppError::Unauthorized)?;
    let session = sessions::lookup(&state.pool, &state.config, &token)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok((token, session))
}

/// The signed-in user; anonymous requests get `Unauthorized`.
pub async fn require_user(state: &AppState) -> Result<SignedInUser, AppError> {
    signed_in_user(state).await?.ok_or(AppError::Unauthorized)
}

/// The signed-in admin; others get `Unauthorized` or `Forbidden`.
pub async fn require_admin(state: &AppState) -> Result<SignedInUser, AppError> {
    let user = require_user(state).await?;
    if user.is_admin() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The client's address (behind trusted proxies, the one they name), used for login
/// back-off; `None` without a socket (requests in tests).
pub fn client_address() -> Option<IpAddr> {
    parts()?
        .extensions
        .get::<super::client_address::ClientAddress>()
        .map(|client| client.0)
}

/// Where this request comes from: the client's address and its browser's description.
pub fn origin() -> sessions::Origin {
    let user_agent = parts().and_then(|parts| {
        parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
    });
    sessions::Origin::new(client_address(), user_agent.as_deref())
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let Ok(value) = http::HeaderValue::from_str(value) {
        expect_context::<ResponseOptions>().append_header(http::header::SET_COOKIE, value);
    }
}

/// The session cookie's value on this request, if any.
pub fn session_token() -> Option<String> {
    let state = use_context::<AppState>()?;
    parts().and_then(|parts| sessions::token_from_headers(&parts.headers, &state.config))
}

/// The audit log's view of the signed-in user.
pub fn actor(user: &SignedInUser) -> super::audit::Actor {
    super::audit::Actor::User {
        id: user.id.clone(),
        email: user.email.clone(),
    }
}
