//! `GET /landelijk/{id}/export/{file}`: a round's data as a download (`lang.csv`,
//! `breed.csv`, `meting.xlsx`, `meting.json`, `codeboek.csv`) for reviewers and admins. The
//! file is written while it is sent (`app::services::exports`); this handler only finds the
//! user, asks for the export and sets the headers.

use app::services::exports;
use app::services::sessions;
use app::services::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

pub async fn download(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let user = sessions::user_of_request(&state.pool, &state.config, &headers).await;
    // Like every page: a visitor who is not logged in goes to the login page and comes back.
    let Some(user) = user else {
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) =
            HeaderValue::from_str(&app::domain::link::login_returning_to(uri.path()))
        {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    };
    let export = match exports::prepare(&state, &user, &id, &file).await {
        Ok(export) => export,
        Err(error) => {
            let status =
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                error.to_string(),
            )
                .into_response();
        }
    };
    let content_type = export.format.content_type();
    // The file name is a slug (ASCII letters, digits, `-`, `_`, `.`): safe in the header.
    let disposition = format!("attachment; filename=\"{}\"", export.file_name);
    let mut response = Body::from_stream(exports::stream(state, export)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
