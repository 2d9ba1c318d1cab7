//! Accounts people manage themselves and the mail that tells them: the outbox delivered over
//! real SMTP (with retries, permanent failures and claims), invitations, password resets,
//! "Mijn account" and the admin's edits. On SQLite and on PostgreSQL.

use crate::support::*;
use app::domain::notice::OutboxMail;
use app::services::mail;
use app::services::state::AppState;
use app::services::{now_ms, users};
use axum::http::StatusCode;

mod account_changes;
mod invitations;
mod outbox_delivery;
mod password_resets;

async fn outbox(state: &AppState) -> Vec<OutboxMail> {
    mail::recent(&state.pool, 1000).await.unwrap()
}

async fn mails_to(state: &AppState, address: &str) -> Vec<OutboxMail> {
    outbox(state)
        .await
        .into_iter()
        .filter(|mail| mail.recipient == address)
        .collect()
}

/// The token in the newest mail to `address` that carries a link to choose a password.
async fn token_mailed_to(state: &AppState, address: &str) -> String {
    let mail = mails_to(state, address)
        .await
        .into_iter()
        .find(|mail| mail.body_text.contains("sleutel="))
        .unwrap_or_else(|| panic!("no mail with a link to {address}"));
    let start = mail.body_text.find("sleutel=").unwrap() + "sleutel=".len();
    mail.body_text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

async fn invite(state: &AppState, admin: &str, email: &str) -> StatusCode {
    let body = form(&[
        ("email", email),
        ("display_name", "Nieuwe Collega"),
        ("role", "coordinator"),
        ("region_code", "R02"),
    ]);
    send(state, call("/api/users/create", &body, Some(admin)))
        .await
        .status()
}

async fn try_login(state: &AppState, email: &str, password: &str) -> StatusCode {
    let body = form(&[("email", email), ("password", password)]);
    send(state, call("/api/login", &body, None)).await.status()
}

async fn choose(state: &AppState, token: &str, password: &str) -> (StatusCode, String) {
    let body = form(&[("token", token), ("password", password)]);
    let response = send(state, call("/api/account/choose_password", &body, None)).await;
    (response.status(), body_text(response).await)
}
