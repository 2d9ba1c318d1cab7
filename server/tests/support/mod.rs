//! Test support: a fresh database per test on SQLite always and on PostgreSQL when
//! `TEST_POSTGRES_URL` is set, and requests through the router without a socket.
#![allow(dead_code)]

use app::domain::questionnaire::answer::RawAnswer;
use app::domain::questionnaire::model::{CellKind, Item, ItemKind};
use app::services::state::{AppState, Config};
use app::services::{audit::Actor, users};
use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use std::future::Future;
use tower::ServiceExt;

/// A database that exists for one test.
pub struct TestDatabase {
    pub url: String,
    pub label: &'static str,
    _folder: Option<tempfile::TempDir>,
}

async fn sqlite() -> TestDatabase {
    let folder = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}/test.db", folder.path().display());
    TestDatabase {
        url,
        label: "sqlite",
        _folder: Some(folder),
    }
}

async fn postgres(server_url: &str) -> TestDatabase {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let name = format!("nad_test_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::AnyPool::connect(server_url)
        .await
        .expect("TEST_POSTGRES_URL answers");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    admin.close().await;
    let base = server_url.split('?').next().unwrap_or(server_url);
    let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
    TestDatabase {
        url: format!("{base}/{name}"),
        label: "postgres",
        _folder: None,
    }
}

/// The databases every database test runs against.
pub async fn databases() -> Vec<TestDatabase> {
    let mut list = vec![sqlite().await];
    if let Ok(url) = std::env::var("TEST_POSTGRES_URL") {
        if !url.is_empty() {
            list.push(postgres(&url).await);
        }
    }
    list
}

pub async fn state_for(database: &TestDatabase, config: Config) -> AppState {
    server::build_state(
        &database.url,
        config,
        server::leptos_options(([127, 0, 0, 1], 3000).into()),
    )
    .await
    .expect("state builds")
}

/// Runs a test once per database, each time on a fresh, migrated one.
pub async fn on_every_database<F, Fut>(test: F)
where
    F: Fn(AppState) -> Fut,
    Fut: Future<Output = ()>,
{
    for database in databases().await {
        eprintln!("-- on {}", database.label);
        let state = state_for(&database, Config::default()).await;
        test(state.clone()).await;
        close(&state).await;
    }
}

/// Closes a test's pool, waiting at most a few seconds: a connection still held by a
/// background task (a page render that outlived its response) must not stall the suite.
pub async fn close(state: &AppState) {
    if tokio::time::timeout(std::time::Duration::from_secs(5), state.pool.close())
        .await
        .is_err()
    {
        eprintln!("-- the pool did not close within 5 s: a connection is still in use");
    }
}

pub const PASSWORD: &str = "een lang genoeg wachtwoord";

/// Regions R01..R03, an admin, a reviewer, a coordinator for each region and one more
/// coordinator of R01 that tests may disable.
pub async fn seed(state: &AppState) {
    let regions = app::services::regions::parse_csv(
        b"code,region,lead_gemeente\nR01,Groningen,Groningen\nR02,Friesland,Leeuwarden\nR03,Noord- en Midden-Drenthe,Assen\n",
    )
    .unwrap();
    app::services::regions::import(&state.pool, &Actor::CommandLine, "nad", &regions)
        .await
        .unwrap();
    for (email, role, region) in [
        ("admin@test.nl", "admin", None),
        ("reviewer@test.nl", "reviewer", None),
        ("r01@test.nl", "coordinator", Some("R01")),
        ("r02@test.nl", "coordinator", Some("R02")),
        ("r03@test.nl", "coordinator", Some("R03")),
        ("geblokkeerd@test.nl", "coordinator", Some("R01")),
    ] {
        let id = users::create(
            &state.pool,
            &Actor::CommandLine,
            users::NewUser {
                email: email.into(),
                display_name: format!("Test {email}"),
                role: role.into(),
                region_code: region.map(str::to_string),
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap();
        // Test accounts sign in with a password alone; the second factor has tests of its own.
        users::exempt_from_two_factor(&state.pool, &id)
            .await
            .unwrap();
    }
}

/// How long one request may take before the test fails instead of waiting for ever.
const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A request through the router, without a socket.
pub async fn send(state: &AppState, request: Request<Body>) -> Response<Body> {
    let target = format!("{} {}", request.method(), request.uri());
    tokio::time::timeout(
        REQUEST_LIMIT,
        server::router(state.clone()).oneshot(request),
    )
    .await
    .unwrap_or_else(|_| panic!("{target} did not answer within {REQUEST_LIMIT:?}"))
    .unwrap()
}

pub async fn body_text(response: Response<Body>) -> String {
    let bytes = tokio::time::timeout(REQUEST_LIMIT, response.into_body().collect())
        .await
        .unwrap_or_else(|_| panic!("the body did not end within {REQUEST_LIMIT:?}"))
        .unwrap()
        .to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Encodes form fields as `application/x-www-form-urlencoded`.
pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            b' ' => "+".to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A server function call as the browser's JavaScript makes it.
pub fn call(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body.to_string())).unwrap()
}

/// Posts form fields to a server function as `cookie`; returns the status and the body.
pub async fn post(
    state: &AppState,
    path: &str,
    fields: &[(&str, &str)],
    cookie: &str,
) -> (StatusCode, String) {
    let reply = send(state, call(path, &form(fields), Some(cookie))).await;
    let status = reply.status();
    (status, body_text(reply).await)
}

/// A server function call with a JSON body, as the browser sends saves.
pub fn json_call(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body.to_string())).unwrap()
}

pub fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path).header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::empty()).unwrap()
}

/// Logs in and returns the `Cookie` header value of the new session.
pub async fn login(state: &AppState, email: &str) -> String {
    let response = send(
        state,
        call(
            "/api/login",
            &form(&[("email", email), ("password", PASSWORD)]),
            None,
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "login of {email}");
    session_cookie(&response).expect("login sets the session cookie")
}

/// The `name=value` part of the session cookie set by a response.
pub fn session_cookie(response: &Response<Body>) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("nad_sessie=") && !value.starts_with("nad_sessie=;"))
        .map(|value| value.split(';').next().unwrap_or_default().to_string())
}

/// Loads both shipped versions of the NAD questionnaire.
pub async fn load_nad(state: &AppState) {
    for (file_name, source) in app::services::demo::QUESTIONNAIRES {
        app::services::questionnaires::import(
            &state.pool,
            &state.questionnaires,
            &Actor::CommandLine,
            file_name,
            source,
        )
        .await
        .unwrap();
    }
}

/// An open round of NAD 2026-06 in which every region takes part, open since a second ago
/// for a day; returns its id. Needs `load_nad` first.
pub async fn open_test_round(state: &AppState, name: &str) -> String {
    let now = app::services::now_ms();
    open_round(state, name, "2026-06", now - 1000).await
}

/// An open round of NAD 2025-12 (the previous version) that opened 100 days ago, for answers
/// a later round is compared with; returns its id. Needs `load_nad` first.
pub async fn earlier_test_round(state: &AppState, name: &str) -> String {
    let now = app::services::now_ms();
    open_round(state, name, "2025-12", now - 100 * 86_400_000).await
}

/// An open round of a NAD version, open until a day from now.
async fn open_round(state: &AppState, name: &str, version: &str, opens_at: i64) -> String {
    app::services::rounds::create(
        &state.pool,
        &Actor::CommandLine,
        app::services::rounds::NewRound {
            name: name.into(),
            questionnaire_id: "nad".into(),
            questionnaire_version: version.into(),
            state: app::domain::round::RoundState::Open,
            opens_at,
            deadline: app::services::now_ms() + 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .expect("the test round is made")
}

/// Saves a one-value answer as the browser does, based on the stored version (no conflict
/// intended); returns the status and the reply as JSON (or as text when it is not JSON).
pub async fn save_on_stored_version(
    state: &AppState,
    cookie: &str,
    response: &str,
    key: &str,
    value: &str,
) -> (StatusCode, serde_json::Value) {
    let base: Option<i64> =
        sqlx::query_scalar("SELECT version FROM answers WHERE response_id = $1 AND item_key = $2")
            .bind(response)
            .bind(key)
            .fetch_optional(&state.pool)
            .await
            .unwrap();
    let body = serde_json::json!({ "response_id": response, "answers": [{
        "key": key, "raw": { "values": [value], "rows": {}, "special": null },
        "base_version": base.unwrap_or(0) }] });
    let reply = send(
        state,
        json_call("/api/responses/save", &body.to_string(), Some(cookie)),
    )
    .await;
    let status = reply.status();
    let text = body_text(reply).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// A valid input for an item, for filling in a whole response.
pub fn valid_raw(item: &Item) -> RawAnswer {
    let mut raw = RawAnswer::default();
    let first = |options: &[app::domain::questionnaire::model::Choice]| options[0].code.clone();
    match &item.kind {
        ItemKind::YesNo | ItemKind::YesPartlyNo => raw.values = vec!["ja".into()],
        ItemKind::SingleChoice { options } => raw.values = vec![first(options)],
        ItemKind::MultipleChoice {
            options,
            min_selected,
            ..
        } => {
            raw.values = options
                .iter()
                .take(min_selected.unwrap_or(1).max(1))
                .map(|o| o.code.clone())
                .collect()
        }
        ItemKind::Ranking { options, rank } => {
            raw.values = options.iter().take(*rank).map(|o| o.code.clone()).collect()
        }
        ItemKind::Integer { min, .. } => raw.values = vec![min.unwrap_or(0).max(0).to_string()],
        ItemKind::Decimal { min, .. } => raw.values = vec![min.unwrap_or(0.0).max(0.0).to_string()],
        ItemKind::Percentage { .. } => raw.values = vec!["0".into()],
        ItemKind::ShortText { .. } | ItemKind::LongText { .. } => {
            raw.values = vec!["Toelichting".into()]
        }
        ItemKind::Date { min, max } => {
            let date = max
                .clone()
                .or_else(|| min.clone())
                .unwrap_or_else(|| "2026-06-01".into());
            raw.values = vec![date]
        }
        ItemKind::Scale { .. } => raw.values = vec!["3".into()],
        ItemKind::Matrix { rows, cell } => {
            let value = match cell {
                CellKind::YesNo | CellKind::YesPartlyNo => "ja".to_string(),
                CellKind::SingleChoice { options } => first(options),
                CellKind::Integer { min, .. } => min.unwrap_or(0).max(0).to_string(),
            };
            raw.rows = rows
                .iter()
                .map(|r| (r.code.clone(), value.clone()))
                .collect()
        }
    }
    raw
}

/// Answers every question of a response that is asked (with the answers of the round it is
/// compared with, if any), as `cookie`'s coordinator, until no more questions appear, so the
/// response can be submitted.
pub async fn fill_in_everything(state: &AppState, cookie: &str, response: &str) {
    let found = app::services::responses::find(&state.pool, response)
        .await
        .unwrap();
    let version = state
        .questionnaires
        .get(
            &state.pool,
            &found.round.questionnaire_id,
            &found.round.questionnaire_version,
        )
        .await
        .unwrap();
    let compared = app::services::responses::compared(state, &found, &version)
        .await
        .unwrap();
    for _ in 0..4 {
        let stored = app::services::responses::answers(&state.pool, response)
            .await
            .unwrap();
        let evaluation = app::services::responses::evaluation(&version, &stored, &compared);
        for item in version.questionnaire.items() {
            let visible = evaluation.items[&item.key].status
                != app::domain::questionnaire::completeness::ItemStatus::Hidden;
            if visible && !stored.contains_key(&item.key) {
                let body = serde_json::json!({ "response_id": response, "answers": [{
                    "key": item.key, "raw": valid_raw(item), "base_version": 0 }] });
                let reply = send(
                    state,
                    json_call("/api/responses/save", &body.to_string(), Some(cookie)),
                )
                .await;
                let status = reply.status();
                assert_eq!(
                    status,
                    StatusCode::OK,
                    "{}: {}",
                    item.key,
                    body_text(reply).await
                );
            }
        }
    }
}

/// A form post as a browser without JavaScript sends it.
pub fn form_post(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body.to_string())).unwrap()
}

/// A reviewer (`email`, the test password, no second factor) who advises `region`; their id.
pub async fn adviser_of(state: &AppState, email: &str, region: &str) -> String {
    let id = users::create(
        &state.pool,
        &Actor::CommandLine,
        users::NewUser {
            email: email.into(),
            display_name: "Anna Adviseur".into(),
            role: "reviewer".into(),
            region_code: None,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    users::exempt_from_two_factor(&state.pool, &id)
        .await
        .unwrap();
    users::advised_regions::add(&state.pool, &Actor::CommandLine, &id, region)
        .await
        .unwrap();
    id
}

/// A seeded user as the services see them once signed in.
pub async fn signed_in(state: &AppState, email: &str) -> app::domain::access::SignedInUser {
    let user = app::services::users::find_by_email(&state.pool, email)
        .await
        .unwrap();
    app::domain::access::SignedInUser {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        region_code: user.region_code,
        region_name: None,
        other_regions: Vec::new(),
        advised_regions: Vec::new(),
    }
}
