//! HTTP tests through the router: login, sessions, headers, and the authorization table.
//! Each runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::support;

use app::services::state::AppState;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use support::*;

mod headers;
mod page_statuses;
mod plain_route_access;
mod server_function_access;
mod sessions;
mod uploads;

/// A round of NAD 2026-06 in concept (not opened yet) in which every region takes part.
async fn concept_round(state: &AppState) -> String {
    app::services::rounds::create(
        &state.pool,
        &app::services::audit::Actor::CommandLine,
        app::services::rounds::NewRound {
            name: "Conceptmeting".into(),
            questionnaire_id: "nad".into(),
            questionnaire_version: "2026-06".into(),
            state: app::domain::round::RoundState::Concept,
            opens_at: app::services::now_ms(),
            deadline: app::services::now_ms() + 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .unwrap()
}

/// A reviewer who advises R01, the region of the tables' response.
const ADVISER: &str = "adviseur@test.nl";

/// Who may call which server function. Every server function of the platform has a row;
/// a new function without a row fails `every_server_function_is_in_the_table`.
#[derive(Clone, Copy, Debug)]
enum Caller {
    Anonymous,
    CoordinatorSameRegion,
    CoordinatorOtherRegion,
    Reviewer,
    /// A reviewer who advises R01 (regioadviseur): fills in R01's questionnaire.
    Adviser,
    Admin,
    Disabled,
}

const CALLERS: [Caller; 7] = [
    Caller::Anonymous,
    Caller::CoordinatorSameRegion,
    Caller::CoordinatorOtherRegion,
    Caller::Reviewer,
    Caller::Adviser,
    Caller::Admin,
    Caller::Disabled,
];

pub(crate) fn multipart(file_name: &str, content: &str, cookie: Option<&str>) -> Request<Body> {
    upload_request(file_name, content.as_bytes(), &[], cookie)
}

/// The questionnaire upload form as a browser posts it: text `fields`, then the file.
pub(crate) fn upload_request(
    file_name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> Request<Body> {
    let boundary = "grens1234";
    let mut body: Vec<u8> = Vec::new();
    for (field, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut builder = Request::post("/beheer/vragenlijsten/laden")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).unwrap()
}

pub(crate) fn shipped(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../questionnaires/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}
