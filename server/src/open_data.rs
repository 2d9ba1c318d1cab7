//! The open data downloads, for everyone, without an account:
//! `GET /open-data/index.json` (every publication's files, after DCAT-AP-NL),
//! `GET /open-data/{round}/{edition}/{file}` (an edition's file), and the operator's
//! `GET /huisstijl.css` and `GET /huisstijl/logo`. Editions never change, so their files may
//! be kept for a year; every answer has an `ETag`, and a matching `If-None-Match` gets 304
//! without a body, so mirrors and scripts fetch cheaply.

use app::domain::branding;
use app::domain::publication::catalogue::{index_json, OpenFile};
use app::error::AppError;
use app::paths;
use app::services::open_data;
use app::services::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Editions never change: a year, and no need to ask again.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// The index and the style change when something is published or configured.
const A_WHILE: &str = "public, max-age=300";

fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = match error {
        AppError::NotFound => format!(
            "Dit bestand bestaat niet. Alle bestanden staan op {}.",
            paths::OPEN_DATA
        ),
        other => other.to_string(),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// Whether the request's `If-None-Match` names `etag` (quoted) or any version.
fn has_etag(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|wanted| {
            wanted
                .split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        })
}

/// The bytes with their type, ETag and caching, or 304 when the client has them already.
fn cached(
    request: &HeaderMap,
    bytes: axum::body::Bytes,
    content_type: &str,
    etag: String,
    cache_control: &'static str,
    download_name: Option<&str>,
) -> Response {
    let etag = format!("\"{etag}\"");
    let mut response = if has_etag(request, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        bytes.into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    if let Some(name) = download_name {
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
    }
    response
}

pub async fn file(
    State(state): State<AppState>,
    Path((slug, edition, name)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let (Some(kind), Ok(edition)) = (OpenFile::from_name(&name), edition.parse::<i64>()) else {
        return error_response(AppError::NotFound);
    };
    // A client that has the file already gets 304 without the file being made again.
    if let Some(sha256) = open_data::known_sha256(&state, &slug, edition, kind) {
        if has_etag(&headers, &format!("\"{sha256}\"")) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
                response.headers_mut().insert(header::ETAG, value);
            }
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(FOREVER));
            return response;
        }
    }
    match open_data::file(&state, &slug, edition, kind).await {
        Ok(made) => {
            let content_type = format!("{}; charset=utf-8", kind.media_type());
            cached(
                &headers,
                made.bytes.clone(),
                &content_type,
                made.sha256.clone(),
                FOREVER,
                Some(&made.download_name),
            )
        }
        Err(error) => error_response(error),
    }
}

pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let catalogue = match open_data::catalogue(&state).await {
        Ok(catalogue) => catalogue,
        Err(error) => return error_response(error),
    };
    let base = state.config.mail.link("");
    let bytes = match serde_json::to_vec_pretty(&index_json(&catalogue, &base)) {
        Ok(bytes) => bytes,
        Err(error) => {
            return error_response(AppError::internal("the index does not serialise", error))
        }
    };
    let etag = app::services::sha256_hex_bytes(&bytes);
    cached(
        &headers,
        bytes.into(),
        "application/json; charset=utf-8",
        etag,
        A_WHILE,
        None,
    )
}

pub async fn style(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let mut css = branding::stylesheet(&state.config.branding);
    // Without the programmes' colours their marks keep the brand colour.
    if let Ok(programmes) = app::services::programmes::list(&state.pool).await {
        css.push_str(&branding::programme_marks(&programmes));
    }
    // The operator's theme after the brand colours, so it may override them.
    if let Some(theme) = &state.config.theme_css {
        css.push_str(theme);
    }
    let etag = app::services::sha256_hex(&css);
    cached(
        &headers,
        css.into_bytes().into(),
        "text/css; charset=utf-8",
        etag,
        A_WHILE,
        None,
    )
}

pub async fn logo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(path) = &state.config.logo_file else {
        return error_response(AppError::NotFound);
    };
    let content_type = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        "image/svg+xml"
    } else {
        "image/png"
    };
    match tokio::fs::read(path).await {
        Ok(bytes) => {
            let etag = app::services::sha256_hex_bytes(&bytes);
            cached(&headers, bytes.into(), content_type, etag, A_WHILE, None)
        }
        Err(error) => error_response(AppError::internal("the logo file can't be read", error)),
    }
}
