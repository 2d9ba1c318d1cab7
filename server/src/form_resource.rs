//! `GET /vragenlijst-data/{identifier}/{version}/{hash}.bin`: a questionnaire version as the
//! section form's script reads it (`app::services::questionnaires::FormResource`). The hash
//! names the content, so the file never changes under its name and the browser may keep it
//! for a year; a name with another hash is not found. Signed-in users only: the script asks
//! with the session's cookie, and an ended session gets 401, not a login page.

use app::error::AppError;
use app::services::sessions;
use app::services::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn serve(
    State(state): State<AppState>,
    Path((identifier, version, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let user = sessions::user_of_request(&state.pool, &state.config, &headers).await;
    if user.is_none() {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Some(hash) = file.strip_suffix(".bin") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let loaded = match state
        .questionnaires
        .get(&state.pool, &identifier, &version)
        .await
    {
        Ok(loaded) => loaded,
        Err(AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            let status =
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, error.to_string()).into_response();
        }
    };
    if loaded.form_resource.hash != hash {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut response = Body::from(loaded.form_resource.bytes.clone()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    response
}
