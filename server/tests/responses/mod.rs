//! Filling in through HTTP: saving, invalid input kept, conflicts between colleagues, bad
//! input refused with nothing stored, the form post without JavaScript, and submitting.
//! Each runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::support;

use app::services::state::AppState;
use axum::http::StatusCode;
use serde_json::{json, Value};
use support::*;

mod conflicts;
mod refusals;
mod saving;
mod submitting;
mod without_javascript;

/// Seeds users and questionnaires, opens a round and returns the id of R01's response.
async fn open_round(state: &AppState) -> String {
    seed(state).await;
    load_nad(state).await;
    let round = open_test_round(state, "Testmeting").await;
    app::services::responses::ensure_response(&state.pool, &round, "R01")
        .await
        .unwrap()
}

fn raw(values: &[&str]) -> Value {
    json!({ "values": values, "rows": {}, "special": null })
}

/// Saves one answer as the browser does; returns the status and the body as JSON.
async fn save(
    state: &AppState,
    cookie: &str,
    response: &str,
    key: &str,
    raw: Value,
    base: i64,
) -> (StatusCode, Value) {
    let body = json!({ "response_id": response, "answers": [{ "key": key, "raw": raw, "base_version": base }] });
    let reply = send(
        state,
        json_call("/api/responses/save", &body.to_string(), Some(cookie)),
    )
    .await;
    let status = reply.status();
    let text = body_text(reply).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn count(state: &AppState, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&state.pool)
        .await
        .unwrap()
}
