//! Logging in: credentials checked in constant time, back-off on repeated failures, a fresh
//! session on success, and every attempt in the audit log.

use super::audit::{self, Actor, Event};
use super::{new_id, now_ms, passwords, sessions};
use crate::domain::access::SignedInUser;
use crate::domain::account::{
    login_backoff_secs, normalize_email, EMAIL_MAX_CHARS, FAILURE_WINDOW_SECS,
    FREE_ATTEMPTS_PER_ACCOUNT, FREE_ATTEMPTS_PER_ADDRESS, PASSWORD_MAX_CHARS,
};
use crate::error::AppError;
use serde_json::json;
use sqlx::{AnyPool, Row};
use std::net::IpAddr;

/// The one message for every failed login: it reveals nothing about which part was wrong.
pub const LOGIN_FAILED: &str = "Het e-mailadres of het wachtwoord is onjuist.";

pub struct LoginOutcome {
    pub user: SignedInUser,
    /// The new session's cookie value.
    pub token: String,
}

fn account_key(email: &str) -> String {
    format!("account:{email}")
}

fn address_key(address: IpAddr) -> String {
    format!("address:{address}")
}

/// Seconds until the next attempt is allowed for this key (0 when allowed now).
async fn wait_secs(pool: &AnyPool, key: &str, free_attempts: u32) -> Result<i64, AppError> {
    let now = now_ms();
    let row = sqlx::query(
        "SELECT COUNT(*) AS failures, MAX(failed_at) AS latest FROM login_failures \
         WHERE throttle_key = $1 AND failed_at > $2",
    )
    .bind(key)
    .bind(now - FAILURE_WINDOW_SECS * 1000)
    .fetch_one(pool)
    .await?;
    let failures: i64 = row.try_get("failures")?;
    let latest: Option<i64> = row.try_get("latest")?;
    let backoff_ms =
        login_backoff_secs(failures.clamp(0, u32::MAX as i64) as u32, free_attempts) * 1000;
    let waited_ms = latest.map_or(i64::MAX, |latest| now - latest);
    Ok(((backoff_ms - waited_ms).max(0) + 999) / 1000)
}

async fn record_failure(pool: &AnyPool, keys: &[String]) -> Result<(), AppError> {
    let now = now_ms();
    for key in keys {
        sqlx::query("INSERT INTO login_failures (id, throttle_key, failed_at) VALUES ($1, $2, $3)")
            .bind(new_id())
            .bind(key)
            .bind(now)
            .execute(pool)
            .await?;
    }
    // Forget what no longer counts, so the table stays small.
    sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
        .bind(now - FAILURE_WINDOW_SECS * 1000)
        .execute(pool)
        .await?;
    Ok(())
}

/// Checks the form fields before any work is done: present, and not absurdly long.
fn check_input(email: &str, password: &str) -> Result<(), AppError> {
    let mut problems = Vec::new();
    if email.trim().is_empty() {
        problems.push((
            "email".to_string(),
            vec!["Vul uw e-mailadres in.".to_string()],
        ));
    } else if email.chars().count() > EMAIL_MAX_CHARS {
        problems.push((
            "email".to_string(),
            vec![format!(
                "Een e-mailadres is hoogstens {EMAIL_MAX_CHARS} tekens lang."
            )],
        ));
    }
    if password.is_empty() {
        problems.push((
            "password".to_string(),
            vec!["Vul uw wachtwoord in.".to_string()],
        ));
    } else if password.chars().count() > PASSWORD_MAX_CHARS {
        problems.push((
            "password".to_string(),
            vec![format!(
                "Een wachtwoord is hoogstens {PASSWORD_MAX_CHARS} tekens lang."
            )],
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

pub async fn login(
    pool: &AnyPool,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<LoginOutcome, AppError> {
    check_input(email, password)?;
    let normalized = normalize_email(email);
    let mut keys = vec![account_key(&normalized)];
    let mut wait = wait_secs(pool, &keys[0], FREE_ATTEMPTS_PER_ACCOUNT).await?;
    if let Some(address) = client {
        keys.push(address_key(address));
        wait = wait.max(wait_secs(pool, &keys[1], FREE_ATTEMPTS_PER_ADDRESS).await?);
    }
    if wait > 0 {
        return Err(AppError::TooManyRequests(format!(
            "Te veel mislukte pogingen om in te loggen. Probeer het over {wait} seconden opnieuw."
        )));
    }

    let row =
        sqlx::query("SELECT id, password_hash, active FROM users WHERE email_normalized = $1")
            .bind(&normalized)
            .fetch_optional(pool)
            .await?;
    let (user_id, stored_hash, active) = match &row {
        Some(row) => (
            Some(row.try_get::<String, _>("id")?),
            Some(row.try_get::<String, _>("password_hash")?),
            row.try_get::<i64, _>("active")? == 1,
        ),
        None => (None, None, false),
    };
    let password_ok = passwords::verify(password.to_string(), stored_hash.clone()).await;

    let Some(user_id) = user_id.filter(|_| password_ok && active) else {
        record_failure(pool, &keys).await?;
        audit::record(
            pool,
            &Actor::Anonymous,
            Event {
                kind: "login_failed",
                region_code: None,
                subject: Some(&normalized),
                details: json!({ "address": client.map(|a| a.to_string()) }),
            },
        )
        .await?;
        tracing::info!(email = %normalized, "failed login");
        return Err(AppError::field("email", LOGIN_FAILED));
    };

    // Hashed before the transaction starts, so no write lock is held while argon2 works.
    let renewed_hash = match stored_hash.as_deref() {
        Some(hash) if passwords::needs_rehash(hash) => {
            Some(passwords::hash(password.to_string()).await?)
        }
        _ => None,
    };
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
        .bind(&keys[0])
        .execute(&mut *tx)
        .await?;
    if let Some(renewed) = renewed_hash {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(renewed)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
    }
    let token = sessions::create(&mut *tx, &user_id).await?;
    audit::record(
        &mut *tx,
        &Actor::User {
            id: user_id.clone(),
            email: normalized.clone(),
        },
        Event {
            kind: "login",
            region_code: None,
            subject: Some(&user_id),
            details: json!({ "address": client.map(|a| a.to_string()) }),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(email = %normalized, "login");

    let user = super::users::signed_in_user_by_id(pool, &user_id).await?;
    Ok(LoginOutcome { user, token })
}

/// Ends the session behind a cookie value and records who logged out.
pub async fn logout(
    pool: &AnyPool,
    config: &super::state::Config,
    token: &str,
) -> Result<(), AppError> {
    if let Some(user) = sessions::resolve(pool, config, token).await? {
        audit::record(
            pool,
            &Actor::User {
                id: user.id.clone(),
                email: user.email.clone(),
            },
            Event {
                kind: "logout",
                region_code: None,
                subject: Some(&user.id),
                details: json!({}),
            },
        )
        .await?;
    }
    sessions::end(pool, token).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_oversized_input_is_refused_before_hashing() {
        let error = check_input("", "").unwrap_err();
        assert_eq!(error.messages_for("email"), vec!["Vul uw e-mailadres in."]);
        assert_eq!(
            error.messages_for("password"),
            vec!["Vul uw wachtwoord in."]
        );
        let long = "a".repeat(300);
        assert!(check_input(&long, "x").is_err());
        assert!(check_input("a@b.nl", &long).is_err());
        assert!(check_input("a@b.nl", "x").is_ok());
    }
}
