//! The audit log: an append-only record of who did what. This module only appends.

use super::{new_id, now_ms};
use crate::error::AppError;
use sqlx::{Any, AnyPool, Executor};

/// Who did it: a signed-in user, the command line, or someone unknown (a failed login).
#[derive(Debug, Clone)]
pub enum Actor {
    User { id: String, email: String },
    CommandLine,
    Anonymous,
}

impl Actor {
    fn parts(&self) -> (Option<&str>, &str) {
        match self {
            Actor::User { id, email } => (Some(id.as_str()), email.as_str()),
            Actor::CommandLine => (None, "cli"),
            Actor::Anonymous => (None, "anoniem"),
        }
    }
}

/// One event to record. `details` is a JSON object; it never holds passwords.
pub struct Event<'a> {
    pub kind: &'a str,
    pub region_code: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub details: serde_json::Value,
}

pub async fn record<'e, E>(executor: E, actor: &Actor, event: Event<'_>) -> Result<(), AppError>
where
    E: Executor<'e, Database = Any>,
{
    let (actor_id, actor_label) = actor.parts();
    sqlx::query(
        "INSERT INTO audit_events \
         (id, occurred_at, actor_user_id, actor_label, kind, region_code, subject, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(now_ms())
    .bind(actor_id)
    .bind(actor_label)
    .bind(event.kind)
    .bind(event.region_code)
    .bind(event.subject)
    .bind(event.details.to_string())
    .execute(executor)
    .await?;
    Ok(())
}

/// The kinds of the most recent events, newest first (for tests and the admin overview).
pub async fn recent_kinds(pool: &AnyPool, limit: i64) -> Result<Vec<String>, AppError> {
    sqlx::query_scalar("SELECT kind FROM audit_events ORDER BY occurred_at DESC, id LIMIT $1")
        .bind(limit)
        .fetch_all(pool)
        .await
        .map_err(AppError::from)
}
