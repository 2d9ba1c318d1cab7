//! `GET /beoordelen/{id}/antwoorden/export.csv` and `.xlsx`: one item's answers across every
//! region of a round, exactly as the page `/beoordelen/{id}/antwoorden` shows them with the
//! same query (item, filter, order), for reviewers and admins. The service checks who asks
//! and writes the file; this handler finds the user, reads the query and sets the headers.

use app::domain::item_answers::RawQuery;
use app::services::item_answers::{self, FileKind};
use app::services::sessions;
use app::services::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The page's query parameters; anything else is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DownloadQuery {
    vraag: Option<String>,
    zoek: Option<String>,
    keuze: Option<String>,
    gewijzigd: Option<String>,
    beantwoord: Option<String>,
    status: Option<String>,
    sorteer: Option<String>,
    volgorde: Option<String>,
}

impl From<DownloadQuery> for RawQuery {
    fn from(query: DownloadQuery) -> Self {
        RawQuery {
            item: query.vraag,
            search: query.zoek,
            choice: query.keuze,
            changed: query.gewijzigd,
            answered: query.beantwoord,
            status: query.status,
            sort: query.sorteer,
            order: query.volgorde,
        }
    }
}

pub async fn csv(
    state: State<AppState>,
    id: Path<String>,
    headers: HeaderMap,
    uri: Uri,
    query: Result<Query<DownloadQuery>, QueryRejection>,
) -> Response {
    download(state, id, headers, uri, query, FileKind::Csv).await
}

pub async fn xlsx(
    state: State<AppState>,
    id: Path<String>,
    headers: HeaderMap,
    uri: Uri,
    query: Result<Query<DownloadQuery>, QueryRejection>,
) -> Response {
    download(state, id, headers, uri, query, FileKind::Xlsx).await
}

/// A Dutch message as plain text with its status.
fn refuse(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    query: Result<Query<DownloadQuery>, QueryRejection>,
    kind: FileKind,
) -> Response {
    let user = sessions::user_of_request(&state.pool, &state.config, &headers).await;
    // Like every page: a visitor who is not logged in goes to the login page and comes back.
    let Some(user) = user else {
        let back = uri
            .path_and_query()
            .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&app::domain::link::login_returning_to(&back)) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    };
    let Ok(Query(query)) = query else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "Onbekende of onjuiste velden in de downloadlink.".to_string(),
        );
    };
    let file = match item_answers::download(&state, &user, &id, &query.into(), kind).await {
        Ok(file) => file,
        Err(error) => {
            let status =
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return refuse(status, error.to_string());
        }
    };
    // The file name is a slug (ASCII letters, digits, `-`, `_`, `.`): safe in the header.
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.kind.content_type()),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
