//! The public pages (the dashboard and the open-data list) are the same for every visitor
//! without a session, and change only when an edition is added. A visitor without a session
//! gets a kept copy of the rendered page with a fresh script nonce; the copies are dropped
//! with the publications they were made from (`services::publications::KeptPages`).

use app::paths;
use app::security::PageNonce;
use app::services::publications::{self, NONCE_MARK};
use app::services::sessions::token_from_headers;
use app::services::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages larger than this are rendered for each request instead of kept.
const LARGEST_KEPT_PAGE: usize = 4 << 20;

/// The dashboard with every page under it, and the open-data list.
fn is_public_page(path: &str) -> bool {
    let under_dashboard = path
        .strip_prefix(paths::DASHBOARD)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    under_dashboard || path == paths::OPEN_DATA
}

/// Serves a kept public page, or renders it and keeps it.
pub async fn kept(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let nonce_slot = request.extensions().get::<PageNonce>().cloned();
    let anonymous = token_from_headers(request.headers(), &state.config).is_none();
    let (Some(nonce_slot), true, true, None) = (
        nonce_slot,
        anonymous && request.method() == Method::GET,
        is_public_page(&path),
        request.uri().query(),
    ) else {
        return next.run(request).await;
    };
    let Ok(publications) = publications::all(&state).await else {
        return next.run(request).await;
    };
    if let Some(page) = publications.pages.get(&path) {
        let nonce = app::services::random_token();
        nonce_slot.set(&nonce);
        let html = String::from_utf8_lossy(&page).replace(NONCE_MARK, &nonce);
        return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    }
    let response = next.run(request).await;
    let Some(nonce) = nonce_slot.get().filter(|nonce| nonce.len() >= 16) else {
        return response;
    };
    if response.status() != StatusCode::OK || !crate::page_tasks::is_html(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "a public page could not be read to keep it");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if bytes.len() <= LARGEST_KEPT_PAGE {
        if let Ok(html) = std::str::from_utf8(&bytes) {
            publications
                .pages
                .keep(&path, Bytes::from(html.replace(&nonce, NONCE_MARK)));
        }
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Ok(length) = HeaderValue::from_str(&bytes.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, length);
    }
    Response::from_parts(parts, Body::from(bytes))
}
