//! Single-use links that let someone choose a password: the invitation of a new account
//! (valid 7 days) and a password reset (valid 1 hour).
//!
//! The link carries 256 random bits; only their SHA-256 is stored, so a copy of the database
//! holds no usable link. A new link of the same purpose makes older unused ones worthless.
//! Choosing a password through a link uses it up and ends every session of the account.

use super::audit::{self, Actor, Event};
use super::mail::{self, MailSettings, Recipient};
use super::{now_ms, passwords, sessions};
use crate::domain::account::{normalize_email, EMAIL_MAX_CHARS};
use crate::domain::notice::{Notice, INVITATION_VALID_DAYS, RESET_VALID_MINUTES};
use crate::error::AppError;
use crate::paths;
use serde_json::json;
use sqlx::{AnyConnection, AnyPool, FromRow};
use std::net::IpAddr;

/// The query parameter that carries the token.
pub const TOKEN_PARAMETER: &str = "sleutel";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    PasswordReset,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::PasswordReset => "password_reset",
        }
    }

    fn valid_ms(self) -> i64 {
        match self {
            Purpose::Invitation => INVITATION_VALID_DAYS * 24 * 60 * 60 * 1000,
            Purpose::PasswordReset => RESET_VALID_MINUTES * 60 * 1000,
        }
    }
}

fn hash_token(token: &str) -> String {
    super::sha256_hex(token)
}

/// The absolute link for a token: the page to choose a password, with the token in the
/// query, which the request log leaves out.
pub fn link(settings: &MailSettings, token: &str) -> String {
    let query = format!("{TOKEN_PARAMETER}={token}");
    settings.link(&paths::with_query(paths::CHOOSE_PASSWORD, &query))
}

/// Makes a new link for an account (older unused links of the same purpose stop working)
/// and returns its token. Call it inside the transaction that also queues the mail.
pub async fn issue(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: Purpose,
) -> Result<String, AppError> {
    let now = now_ms();
    sqlx::query(
        "UPDATE account_links SET used_at = $1 \
         WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(purpose.code())
    .execute(&mut *conn)
    .await?;
    let token = super::random_token();
    sqlx::query(
        "INSERT INTO account_links (token_hash, user_id, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(purpose.code())
    .bind(now)
    .bind(now + purpose.valid_ms())
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// The account a valid link belongs to.
#[derive(Debug, Clone, FromRow)]
pub struct LinkHolder {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub region_code: Option<String>,
    #[sqlx(rename = "purpose")]
    purpose_code: String,
    #[sqlx(rename = "token_hash")]
    token_hash: String,
    expires_at: i64,
    used_at: Option<i64>,
    active: i64,
}

impl LinkHolder {
    pub fn purpose(&self) -> Purpose {
        if self.purpose_code == "invitation" {
            Purpose::Invitation
        } else {
            Purpose::PasswordReset
        }
    }
}

const INVALID: &str =
    "Deze link is ongeldig. Gebruik de link uit de e-mail precies zoals die is verstuurd.";

/// The account behind a link, if the link may still be used; otherwise a message that
/// says why not (unknown, used, expired, blocked account).
pub async fn inspect(pool: &AnyPool, token: &str) -> Result<LinkHolder, AppError> {
    find_usable(&mut *pool.acquire().await?, token).await
}

async fn find_usable(conn: &mut AnyConnection, token: &str) -> Result<LinkHolder, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::BadRequest(INVALID.to_string()));
    }
    let holder: Option<LinkHolder> = sqlx::query_as(
        "SELECT l.token_hash, l.purpose, l.expires_at, l.used_at, u.id AS user_id, u.email, \
         u.display_name, u.region_code, u.active \
         FROM account_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = $1",
    )
    .bind(hash_token(token))
    .fetch_optional(&mut *conn)
    .await?;
    let holder = holder.ok_or_else(|| AppError::BadRequest(INVALID.to_string()))?;
    let again = match holder.purpose() {
        Purpose::Invitation => "Vraag de beheerder om een nieuwe uitnodiging.",
        Purpose::PasswordReset => "Vraag via “Wachtwoord vergeten?” een nieuwe link aan.",
    };
    if holder.used_at.is_some() {
        return Err(AppError::BadRequest(format!(
            "Deze link is al gebruikt of vervangen door een nieuwere. {again}"
        )));
    }
    if holder.expires_at < now_ms() {
        return Err(AppError::BadRequest(format!(
            "Deze link is verlopen. {again}"
        )));
    }
    if holder.active != 1 {
        return Err(AppError::BadRequest(
            "Dit account is geblokkeerd. Neem contact op met de beheerder van de monitor."
                .to_string(),
        ));
    }
    Ok(holder)
}

/// Sets the password chosen through a link: checks the link and the password, uses the link
/// up (once, also when two requests race), ends every session of the account, and records
/// it. A reset also tells the owner by mail.
pub async fn choose_password(
    pool: &AnyPool,
    settings: &MailSettings,
    token: &str,
    password: String,
) -> Result<LinkHolder, AppError> {
    let holder = inspect(pool, token).await?;
    passwords::check_policy(&password, &holder.email, "password")?;
    let password_hash = passwords::hash(password).await?;
    let now = now_ms();
    let mut tx = pool.begin().await?;
    let used = sqlx::query(
        "UPDATE account_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(&holder.token_hash)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Err(AppError::BadRequest(
            "Deze link is al gebruikt of vervangen door een nieuwere.".to_string(),
        ));
    }
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(&holder.user_id)
        .execute(&mut *tx)
        .await?;
    sessions::end_all(&mut *tx, &holder.user_id).await?;
    let purpose = holder.purpose();
    audit::record(
        &mut *tx,
        &Actor::User {
            id: holder.user_id.clone(),
            email: holder.email.clone(),
        },
        Event {
            kind: match purpose {
                Purpose::Invitation => "invitation_accepted",
                Purpose::PasswordReset => "password_reset",
            },
            region_code: holder.region_code.as_deref(),
            subject: Some(&holder.user_id),
            details: json!({ "email": holder.email }),
        },
    )
    .await?;
    if purpose == Purpose::PasswordReset {
        mail::enqueue(
            &mut *tx,
            Recipient {
                user_id: Some(&holder.user_id),
                address: &holder.email,
            },
            &Notice::PasswordChanged {
                name: holder.display_name.clone(),
                changed_at_ms: now,
                account_link: settings.link(paths::ACCOUNT),
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(user = %holder.user_id, purpose = purpose.code(), "password chosen through a link");
    Ok(holder)
}

/// Requests for a reset link allowed per client address in the back-off window.
const RESETS_PER_ADDRESS: i64 = 10;
/// An account gets at most one reset mail in this time, however often it is asked for.
const RESET_MAIL_INTERVAL_MS: i64 = 2 * 60 * 1000;

/// "Wachtwoord vergeten?": mails a reset link when the address belongs to an active account.
/// The answer is the same whether it does or not (no account enumeration); only a client
/// that asks too often is told to wait.
pub async fn request_reset(
    pool: &AnyPool,
    settings: &MailSettings,
    email: &str,
    client: Option<IpAddr>,
) -> Result<(), AppError> {
    let email = email.trim();
    if email.is_empty() || email.chars().count() > EMAIL_MAX_CHARS || !email.contains('@') {
        return Err(AppError::field(
            "email",
            "Vul een geldig e-mailadres in, zoals naam@gemeente.nl.",
        ));
    }
    count_request(pool, client).await?;
    let account: Option<(String, String, String)> = sqlx::query_as(
        "SELECT id, email, display_name FROM users WHERE email_normalized = $1 AND active = 1",
    )
    .bind(normalize_email(email))
    .fetch_optional(pool)
    .await?;
    let Some((user_id, address, name)) = account else {
        return Ok(());
    };
    let recent: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(created_at) FROM account_links WHERE user_id = $1 AND purpose = $2",
    )
    .bind(&user_id)
    .bind(Purpose::PasswordReset.code())
    .fetch_one(pool)
    .await?;
    if recent.is_some_and(|at| now_ms() - at < RESET_MAIL_INTERVAL_MS) {
        return Ok(());
    }
    // Writes only from here: on SQLite a transaction that reads first can't wait for
    // another writer.
    let mut tx = pool.begin().await?;
    let token = issue(&mut tx, &user_id, Purpose::PasswordReset).await?;
    mail::enqueue(
        &mut *tx,
        Recipient {
            user_id: Some(&user_id),
            address: &address,
        },
        &Notice::PasswordReset {
            name,
            link: link(settings, &token),
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        &Actor::User {
            id: user_id.clone(),
            email: address.clone(),
        },
        Event {
            kind: "password_reset_requested",
            region_code: None,
            subject: Some(&user_id),
            details: json!({ "address": client.map(|a| a.to_string()) }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Counts a reset request against the client's address; too many in the window are refused.
async fn count_request(pool: &AnyPool, client: Option<IpAddr>) -> Result<(), AppError> {
    let key = format!(
        "reset:{}",
        client.map_or_else(|| "-".to_string(), |address| address.to_string())
    );
    if super::auth::count_in_window(pool, &key).await? > RESETS_PER_ADDRESS {
        return Err(AppError::TooManyRequests(
            "U heeft te vaak om een nieuw wachtwoord gevraagd. Probeer het over een kwartier opnieuw."
                .to_string(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_token_in_the_query() {
        let settings = MailSettings {
            public_url: "https://monitor.example".into(),
            ..MailSettings::default()
        };
        assert_eq!(
            link(&settings, "abc"),
            "https://monitor.example/wachtwoord-kiezen?sleutel=abc"
        );
        assert_eq!(hash_token("abc").len(), 64);
    }
}
