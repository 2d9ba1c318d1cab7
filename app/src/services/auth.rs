//! Logging in: credentials checked in constant time (in a bounded number of hashing slots),
//! back-off on repeated failures counted atomically per account and per client address, a
//! fresh session on success, and failed attempts in the audit log (those of unknown accounts
//! only now and then). Every way of entering a password goes through here: the login page,
//! logging in again on a section page, and the reviewer's password that signs an approval.

use super::audit::{self, Actor, Event};
use super::sessions::Stage;
use super::{now_ms, passwords, sessions};
use crate::domain::access::SignedInUser;
use crate::domain::account::{
    login_backoff_secs, normalize_email, EMAIL_MAX_CHARS, FAILURE_WINDOW_SECS,
    FREE_ATTEMPTS_PER_ACCOUNT, FREE_ATTEMPTS_PER_ADDRESS, PASSWORD_MAX_CHARS,
};
use crate::error::AppError;
use serde_json::json;
use sqlx::AnyPool;
use std::net::IpAddr;

/// The one message for every failed login: it reveals nothing about which part was wrong.
pub const LOGIN_FAILED: &str = "Het e-mailadres of het wachtwoord is onjuist.";

pub struct LoginOutcome {
    pub user: SignedInUser,
    /// The new session's cookie value.
    pub token: String,
    /// Whether the session is signed in, or waits for the second factor.
    pub stage: Stage,
}

/// The account's key holds a hash of the address, so addresses typed for accounts that
/// don't exist are not kept.
fn account_key(normalized_email: &str) -> String {
    format!("account:{}", super::sha256_hex(normalized_email))
}

fn address_key(address: IpAddr) -> String {
    format!("address:{address}")
}

/// The keys a password attempt counts against, each with the attempts it gets free.
pub(crate) fn throttle_keys(normalized_email: &str, client: Option<IpAddr>) -> Vec<(String, u32)> {
    let mut keys = vec![(account_key(normalized_email), FREE_ATTEMPTS_PER_ACCOUNT)];
    if let Some(address) = client {
        keys.push((address_key(address), FREE_ATTEMPTS_PER_ADDRESS));
    }
    keys
}

/// A throttle key's count of failures, and when the last one was.
#[derive(sqlx::FromRow)]
struct Throttle {
    failures: i64,
    last_failure_at: i64,
}

/// Counts one password attempt against each key, or refuses it when a key must still wait.
///
/// Checking and counting are one step under a lock on each key's row (the upsert locks the
/// row on PostgreSQL and takes the write lock on SQLite), in a fixed order of keys so that two
/// attempts never wait for each other crosswise. Concurrent attempts therefore see each
/// other: ten at once on an account with four failures let one through, not ten.
///
/// The attempt counts from the start, also when the password is not checked because every
/// hashing slot is taken: a client that keeps retrying into a full server slows itself down.
/// A successful login takes its own attempt back (`forgive`).
pub(crate) async fn claim_attempt(pool: &AnyPool, keys: &[(String, u32)]) -> Result<(), AppError> {
    let now = now_ms();
    let window_start = now - FAILURE_WINDOW_SECS * 1000;
    let mut keys = keys.to_vec();
    keys.sort();
    let mut tx = pool.begin().await?;
    let mut wait_ms = 0;
    for (key, free_attempts) in &keys {
        let Throttle {
            failures,
            last_failure_at,
        } = sqlx::query_as(
            "INSERT INTO login_throttles (throttle_key, failures, last_failure_at) \
             VALUES ($1, 0, 0) ON CONFLICT (throttle_key) \
             DO UPDATE SET failures = login_throttles.failures \
             RETURNING failures, last_failure_at",
        )
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
        let failures = if last_failure_at < window_start {
            0
        } else {
            failures
        };
        let backoff_ms =
            login_backoff_secs(failures.clamp(0, u32::MAX as i64) as u32, *free_attempts) * 1000;
        // Only a key in back-off waits; another attempt may have stamped its time a moment
        // after this one's `now`, so the time waited is never less than nothing.
        if backoff_ms > 0 {
            wait_ms = wait_ms.max(backoff_ms - (now - last_failure_at).max(0));
        }
    }
    if wait_ms > 0 {
        tx.rollback().await?;
        let wait = (wait_ms + 999) / 1000;
        return Err(AppError::TooManyRequests(format!(
            "Te veel mislukte pogingen om in te loggen. Probeer het over {wait} seconden opnieuw."
        )));
    }
    for (key, _) in &keys {
        sqlx::query(
            "UPDATE login_throttles SET failures = CASE WHEN last_failure_at < $1 THEN 1 \
             ELSE failures + 1 END, last_failure_at = $2 WHERE throttle_key = $3",
        )
        .bind(window_start)
        .bind(now)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes back the attempt of a successful login: the account starts again from zero; the
/// address only loses this attempt (its other failures may be someone else's).
pub(crate) async fn forgive(
    conn: &mut sqlx::AnyConnection,
    keys: &[(String, u32)],
) -> Result<(), AppError> {
    for (key, _) in keys {
        if key.starts_with("account:") {
            sqlx::query("DELETE FROM login_throttles WHERE throttle_key = $1")
                .bind(key)
                .execute(&mut *conn)
                .await?;
        } else {
            sqlx::query(
                "UPDATE login_throttles SET failures = failures - 1 \
                 WHERE throttle_key = $1 AND failures > 0",
            )
            .bind(key)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Counts failed logins for accounts that don't exist, per client address, and says whether
/// this one goes into the audit log: the 1st, 10th, 100th, ... in a window. Guessed addresses
/// can't grow the audit log without bound, and the typed address is never recorded.
async fn count_unknown_account(
    pool: &AnyPool,
    client: Option<IpAddr>,
) -> Result<Option<i64>, AppError> {
    let key = format!(
        "unknown:{}",
        client.map_or_else(|| "-".to_string(), |address| address.to_string())
    );
    let count = count_in_window(pool, &key).await?;
    Ok(is_power_of_ten(count).then_some(count))
}

/// Counts one event against a key (failures, reset requests) and returns how many the key
/// has in the current back-off window, this one included.
pub(crate) async fn count_in_window(pool: &AnyPool, key: &str) -> Result<i64, AppError> {
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO login_throttles (throttle_key, failures, last_failure_at) VALUES ($1, 1, $2) \
         ON CONFLICT (throttle_key) DO UPDATE SET failures = CASE \
         WHEN login_throttles.last_failure_at < $3 THEN 1 ELSE login_throttles.failures + 1 END, \
         last_failure_at = $2 RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(now - FAILURE_WINDOW_SECS * 1000)
    .fetch_one(pool)
    .await?)
}

fn is_power_of_ten(mut n: i64) -> bool {
    if n < 1 {
        return false;
    }
    while n % 10 == 0 {
        n /= 10;
    }
    n == 1
}

/// Forgets back-off counts that no longer count; run now and then.
pub async fn purge_throttles(pool: &AnyPool) -> Result<u64, AppError> {
    let result = sqlx::query("DELETE FROM login_throttles WHERE last_failure_at < $1")
        .bind(now_ms() - FAILURE_WINDOW_SECS * 1000)
        .execute(pool)
        .await?;
    Ok(result.rows_affected())
}

/// Checks a signed-in user's password again (a reviewer signing an approval) with the same
/// back-off as logging in: a wrong password counts against the account and the address.
pub async fn confirm_password(
    pool: &AnyPool,
    user: &SignedInUser,
    password: &str,
    client: Option<IpAddr>,
) -> Result<bool, AppError> {
    let keys = throttle_keys(&normalize_email(&user.email), client);
    claim_attempt(pool, &keys).await?;
    let hash: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1 AND active = 1")
            .bind(&user.id)
            .fetch_optional(pool)
            .await?;
    let valid = passwords::verify(password.to_string(), hash).await?;
    if valid {
        forgive(&mut *pool.acquire().await?, &keys).await?;
    }
    Ok(valid)
}

/// Checks the form fields before any work is done: present, and not absurdly long.
fn check_input(email: &str, password: &str) -> Result<(), AppError> {
    let problems: Vec<_> = [
        field_problem(
            "email",
            email.trim().is_empty(),
            email,
            EMAIL_MAX_CHARS,
            "Vul uw e-mailadres in.",
            "Een e-mailadres",
        ),
        field_problem(
            "password",
            password.is_empty(),
            password,
            PASSWORD_MAX_CHARS,
            "Vul uw wachtwoord in.",
            "Een wachtwoord",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

/// One login field's problem: left empty (`missing` says so), or longer than `max` characters.
fn field_problem(
    field: &str,
    empty: bool,
    value: &str,
    max: usize,
    missing: &str,
    what: &str,
) -> Option<(String, Vec<String>)> {
    let message = if empty {
        missing.to_string()
    } else if value.chars().count() > max {
        format!("{what} is hoogstens {max} tekens lang.")
    } else {
        return None;
    };
    Some((field.to_string(), vec![message]))
}

/// The account a login names, as far as the password step needs it.
#[derive(sqlx::FromRow)]
struct Credentials {
    id: String,
    password_hash: String,
    active: i64,
    role: String,
    totp_secret: Option<String>,
    two_factor_exempt: i64,
}

impl Credentials {
    /// What comes after the password: the code of the second factor, setting one up (admins
    /// and reviewers must have one), or nothing.
    fn next_stage(&self) -> Stage {
        if self.totp_secret.is_some() {
            return Stage::Code;
        }
        match self.role.parse::<crate::domain::role::Role>() {
            Ok(role) if two_factor_required(role) && self.two_factor_exempt != 1 => Stage::Setup,
            _ => Stage::Full,
        }
    }
}

pub async fn login(
    pool: &AnyPool,
    mail: &super::mail::MailSettings,
    email: &str,
    password: &str,
    origin: &sessions::Origin,
) -> Result<LoginOutcome, AppError> {
    let client = origin.address;
    check_input(email, password)?;
    let normalized = normalize_email(email);
    let keys = throttle_keys(&normalized, client);
    claim_attempt(pool, &keys).await?;

    let account: Option<Credentials> = sqlx::query_as(
        "SELECT id, password_hash, active, role, totp_secret, two_factor_exempt FROM users \
         WHERE email_normalized = $1",
    )
    .bind(&normalized)
    .fetch_optional(pool)
    .await?;
    let stage = account
        .as_ref()
        .map_or(Stage::Full, Credentials::next_stage);
    let (user_id, stored_hash, active) = match account {
        Some(account) => (
            Some(account.id),
            Some(account.password_hash),
            account.active == 1,
        ),
        None => (None, None, false),
    };
    let password_ok = passwords::verify(password.to_string(), stored_hash.clone()).await?;

    let Some(user_id) = user_id.clone().filter(|_| password_ok && active) else {
        record_failure(pool, &normalized, user_id.as_deref(), client).await?;
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
    if let Some(renewed) = renewed_hash {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(renewed)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
    }
    let token = sessions::create(&mut *tx, &user_id, origin, stage).await?;
    if stage == Stage::Full {
        signed_in(&mut tx, mail, &user_id, origin).await?;
    }
    tx.commit().await?;
    let user = super::users::signed_in_user_by_id(pool, &user_id).await?;
    Ok(LoginOutcome { user, token, stage })
}

/// Admins and reviewers can't sign in without a second factor; coordinators may add one.
pub fn two_factor_required(role: crate::domain::role::Role) -> bool {
    !matches!(role, crate::domain::role::Role::Coordinator)
}

/// The last step of every login, once the user is signed in all the way (after the password,
/// or after the code of the second factor): the account's back-off starts again from zero
/// (not before the code: the password alone must not buy new guesses at the code), the
/// last login and the device are recorded, and the login is audited.
pub(crate) async fn signed_in(
    tx: &mut sqlx::AnyConnection,
    mail: &super::mail::MailSettings,
    user_id: &str,
    origin: &sessions::Origin,
) -> Result<(), AppError> {
    let email: String = sqlx::query_scalar("SELECT email_normalized FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    forgive(&mut *tx, &throttle_keys(&email, origin.address)).await?;
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    super::notices::login_from(&mut *tx, mail, user_id, origin).await?;
    audit::record(
        &mut *tx,
        &Actor::User {
            id: user_id.to_string(),
            email,
        },
        Event {
            kind: "login",
            region_code: None,
            subject: Some(user_id),
            details: json!({ "address": origin.address.map(|a| a.to_string()) }),
        },
    )
    .await?;
    tracing::info!(user = %user_id, "login");
    Ok(())
}

/// The audit event of a failed login, by someone not signed in.
async fn record_failed_login(
    pool: &AnyPool,
    subject: Option<&str>,
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        pool,
        &Actor::Anonymous,
        Event {
            kind: "login_failed",
            region_code: None,
            subject,
            details,
        },
    )
    .await
}

/// Records a failed login: in the audit log for an existing account; for an address that
/// belongs to no account only now and then, and without the typed address.
async fn record_failure(
    pool: &AnyPool,
    normalized: &str,
    user_id: Option<&str>,
    client: Option<IpAddr>,
) -> Result<(), AppError> {
    let address = client.map(|a| a.to_string());
    match user_id {
        Some(user_id) => {
            record_failed_login(pool, Some(normalized), json!({ "address": address })).await?;
            tracing::info!(user = %user_id, "failed login");
        }
        None => {
            if let Some(count) = count_unknown_account(pool, client).await? {
                let details = json!({ "address": address, "unknown_account_attempts": count });
                record_failed_login(pool, None, details).await?;
            }
            tracing::info!(address = ?address, "failed login for an unknown account");
        }
    }
    Ok(())
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
            &super::request::actor(&user),
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

    #[test]
    fn typed_addresses_are_kept_as_hashes() {
        let key = account_key("iemand@voorbeeld.nl");
        assert!(key.starts_with("account:") && !key.contains("iemand"));
        assert_eq!(key, account_key("iemand@voorbeeld.nl"));
    }

    #[test]
    fn unknown_accounts_are_audited_at_powers_of_ten() {
        let audited: Vec<i64> = (0..=2000).filter(|n| is_power_of_ten(*n)).collect();
        assert_eq!(audited, vec![1, 10, 100, 1000]);
    }
}
