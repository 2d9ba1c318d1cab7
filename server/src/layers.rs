//! Layers around every request: its id and log span, the client's address, security headers,
//! refusing cross-origin posts, a limit on request bodies, and a log line for every refusal.

use app::security::{policy_with_nonce, PageNonce, STRICT_POLICY};
use app::services::client_address::{client_address, ClientAddress};
use app::services::sessions;
use app::services::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, Response, StatusCode};
use axum::middleware::Next;
use std::net::SocketAddr;

/// No form, server function or upload needs more than this (a 2,000-item definition file
/// is about 1.5 MB); answers have their own, much smaller limits.
pub const MAX_BODY_BYTES: u64 = 3 * 1024 * 1024;

fn plain(status: StatusCode, message: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(message));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Gives the request its id (see `app::request_id`): in the request's headers, where the log
/// span (`request_span`) and the pages read it, for the tasks that serve it, and in the
/// response's `x-request-id` header.
pub async fn request_id(mut request: Request, next: Next) -> Response<Body> {
    let id = app::request_id::accept_or_new(
        request
            .headers()
            .get(app::request_id::HEADER)
            .and_then(|value| value.to_str().ok()),
    );
    // The id holds only letters, digits, `-` and `_`: always a valid header value.
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("-"));
    request
        .headers_mut()
        .insert(app::request_id::HEADER, value.clone());
    let mut response = app::request_id::scope(id, next.run(request)).await;
    response
        .headers_mut()
        .insert(app::request_id::HEADER, value);
    response
}

/// The log span of a request (for tower-http's `TraceLayer`): its id, method and path, but
/// not its query, which may hold what a user typed.
pub fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get(app::request_id::HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// Puts the client's address in the request's extensions (`ClientAddress`): the peer, or
/// behind a trusted proxy the address the proxies name. Without a socket (tests) there is
/// none, unless a test put a `ConnectInfo` in.
pub async fn find_client(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response<Body> {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok());
        let client = client_address(peer.ip(), forwarded, &state.config.trusted_proxies);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

/// Writes a log line for every refused request (403): who asked (the session's user, if any),
/// from where, and what.
pub async fn log_refusals(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response<Body> {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let client = request.extensions().get::<ClientAddress>().map(|c| c.0);
    let token = sessions::token_from_headers(request.headers(), &state.config);
    let response = next.run(request).await;
    if response.status() == StatusCode::FORBIDDEN {
        let user = match token {
            Some(token) => sessions::resolve(&state.pool, &state.config, &token)
                .await
                .ok()
                .flatten(),
            None => None,
        };
        match user {
            Some(user) => tracing::warn!(
                user = %user.id,
                role = %user.role,
                region = ?user.region_code,
                client = ?client,
                %method,
                path = %uri.path(),
                "refused (403)"
            ),
            None => tracing::warn!(
                user = "anoniem",
                client = ?client,
                %method,
                path = %uri.path(),
                "refused (403)"
            ),
        }
    }
    response
}

/// Adds the headers every response carries. Pages set their own Content-Security-Policy
/// (with the nonce of their scripts); everything else gets a strict one.
pub async fn security_headers(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response<Body> {
    let is_site_file = request.uri().path().starts_with("/pkg/");
    let page_nonce = PageNonce::default();
    request.extensions_mut().insert(page_nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A rendered page: its policy allows its own scripts by their nonce.
    if let Some(policy) = page_nonce
        .get()
        .and_then(|nonce| HeaderValue::from_str(&policy_with_nonce(&nonce)).ok())
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, STRICT_POLICY),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    // Site files carry a content hash in their names, so they may be cached for good; pages
    // hold personal data and must not be kept by the browser or a proxy.
    let cache = if is_site_file {
        "public, max-age=31536000, immutable"
    } else {
        "no-store"
    };
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    if state.config.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Refuses state-changing requests from other sites (CSRF), using the `Sec-Fetch-Site`
/// header browsers send, or else `Origin` compared with `Host`. No token with a timer of its
/// own is needed, so a long form never fails on an expired token.
pub async fn refuse_cross_origin(request: Request, next: Next) -> Response<Body> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let allowed = match (text("sec-fetch-site"), text("origin")) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => {
            let origin_host = origin.split_once("://").map(|(_, host)| host);
            origin_host.is_some() && origin_host == text("host")
        }
        // Neither header: not a browser request carrying our cookie across sites.
        (None, None) => true,
    };
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!(uri = %request.uri(), "cross-origin request refused");
        plain(
            StatusCode::FORBIDDEN,
            "Dit verzoek komt van een andere website en is geweigerd.",
        )
    }
}

/// Refuses request bodies over `MAX_BODY_BYTES` with a clear message, before reading them.
pub async fn limit_body(request: Request, next: Next) -> Response<Body> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Het verzoek is te groot. Verkort de ingevulde tekst en probeer het opnieuw.",
        );
    }
    // A body without a declared length is cut off at the same limit while it is read.
    let (parts, body) = request.into_parts();
    let limited = Body::new(http_body_util::Limited::new(body, MAX_BODY_BYTES as usize));
    next.run(Request::from_parts(parts, limited)).await
}

/// Gives every failed server function the HTTP status of its `AppError` (401, 403, 422, ...).
/// Server functions answer every error with 500; this is the one place that corrects it,
/// including for errors raised before the function runs, such as a malformed body.
pub async fn error_status(request: Request, next: Next) -> Response<Body> {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Er ging iets mis aan onze kant.",
        );
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
        if let app::error::AppError::Busy(_) = error {
            // Every password check slot was taken: a moment later one is free.
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
