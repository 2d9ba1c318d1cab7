//! Review through HTTP: the completeness overview against numbers worked out by hand, comments
//! between reviewer and coordinator, sending back, approving with the password, voiding an
//! approval, who may do which, and the audit trail that nothing can change.
//! Each runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::support;

use app::services::audit::Actor;
use app::services::state::AppState;
use axum::http::StatusCode;
use serde_json::Value;
use support::*;

mod audit_trail;
mod completeness_overview;
mod sending_back_and_approving;

async fn save(state: &AppState, cookie: &str, response: &str, key: &str, value: &str) {
    let (status, body) = save_on_stored_version(state, cookie, response, key, value).await;
    assert_eq!(status, StatusCode::OK, "{key}: {body}");
}
