//! `GET /beheer/audit/export.csv`: the audit trail as CSV for admins, with the filter of the
//! audit page (the same query parameters). Streamed in chunks, so memory stays flat however
//! long the trail is. Chunks follow each other by key (the time and id of the last entry
//! read), not by OFFSET, and the export ends at the moment it started: entries that arrive
//! while it runs can not shift the rest into a chunk read twice.

use app::api::review::audit_filter;
use app::domain::audit::{AuditEntry, AuditFilter};
use app::error::AppError;
use app::services::state::AppState;
use app::services::{audit, now_ms, sessions};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sqlx::AnyPool;

/// Entries read per query.
const CHUNK: i64 = 1000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    gebruiker: Option<String>,
    regio: Option<String>,
    meting: Option<String>,
    soort: Option<String>,
    van: Option<String>,
    tot: Option<String>,
}

fn refuse(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut text = error.to_string();
    if let AppError::Validation(fields) = &error {
        for (_, messages) in fields {
            for message in messages {
                text.push('\n');
                text.push_str(message);
            }
        }
    }
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

pub async fn export_audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if let Err(error) = require_admin(&state, &headers).await {
        return refuse(error);
    }
    let filter = match filter_of(query) {
        Ok(filter) => filter,
        Err(error) => return refuse(error),
    };
    // The first chunk is read before answering, so a database error is a proper 500.
    let first = match audit::entries_after(&state.pool, &filter, CHUNK, None).await {
        Ok(entries) => entries,
        Err(error) => return refuse(error),
    };
    let first_bytes = match audit::csv_rows(&first, true) {
        Ok(bytes) => bytes,
        Err(error) => return refuse(error),
    };
    let rest = rest_of_trail(state.pool.clone(), filter, after_full_chunk(&first));
    // Fused: the compression layer may poll once more after the end.
    let body = futures_util::StreamExt::fuse(futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, std::io::Error>(first_bytes) }),
        rest,
    ));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"nad-audittrail.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// Only a signed-in admin downloads the trail.
async fn require_admin(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let user = match sessions::token_from_headers(headers, &state.config) {
        Some(token) => sessions::resolve(&state.pool, &state.config, &token).await?,
        None => None,
    };
    match user {
        Some(user) if user.is_admin() => Ok(()),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthorized),
    }
}

/// The audit page's filter from the link, ending no later than now.
fn filter_of(
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<AuditFilter, AppError> {
    let Ok(Query(query)) = query else {
        return Err(AppError::BadRequest(
            "Onbekende of onjuiste filtervelden in de exportlink.".to_string(),
        ));
    };
    let mut filter = audit_filter(
        query.gebruiker,
        query.regio,
        query.meting,
        query.soort,
        query.van,
        query.tot,
    )?;
    filter.until = Some(filter.until.map_or(now_ms(), |until| until.min(now_ms())));
    Ok(filter)
}

/// Where the next chunk starts, when this one was full (else it was the last).
fn after_full_chunk(entries: &[AuditEntry]) -> Option<audit::After> {
    (entries.len() as i64 == CHUNK)
        .then(|| entries.last().map(audit::After::entry))
        .flatten()
}

/// The chunks after the first, as CSV rows. Each continues after the last entry of the one
/// before (keyset paging): no entry is read twice or skipped, and a long trail costs no
/// growing OFFSET.
fn rest_of_trail(
    pool: AnyPool,
    filter: AuditFilter,
    next: Option<audit::After>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::unfold(next, move |next| {
        let pool = pool.clone();
        let filter = filter.clone();
        async move {
            let after = next?;
            let chunk = audit::entries_after(&pool, &filter, CHUNK, Some(&after))
                .await
                .and_then(|entries| {
                    let next = after_full_chunk(&entries);
                    audit::csv_rows(&entries, false).map(|bytes| (bytes, next))
                });
            match chunk {
                Ok((bytes, next)) => Some((Ok(bytes), next)),
                Err(error) => Some((Err(std::io::Error::other(error.to_string())), None)),
            }
        }
    })
}
