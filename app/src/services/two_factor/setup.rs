//! Setting up a second factor: a secret kept in the session until one code confirms it, then
//! ten recovery codes shown once.

use super::codes::{matching_step, new_recovery_codes, new_secret, otpauth_url, recovery_hash};
use super::{record, WRONG_CODE};
use crate::domain::access::SignedInUser;
use crate::domain::account::normalize_email;
use crate::error::AppError;
use crate::services::auth::{self, claim_attempt, forgive, throttle_keys};
use crate::services::mail::MailSettings;
use crate::services::now_ms;
use crate::services::request::actor;
use crate::services::sessions::{self, Stage};
use sqlx::{AnyConnection, AnyPool};

/// What the setup page shows.
pub struct Setup {
    pub secret: String,
    pub otpauth_url: String,
}

/// The secret being set up in this session: made on first use and kept in the session until
/// it is confirmed, so a reload shows the same QR code.
pub async fn begin_setup(
    pool: &AnyPool,
    session: &sessions::Session,
    token: &str,
) -> Result<Setup, AppError> {
    let secret = match &session.pending_secret {
        Some(secret) => secret.clone(),
        None => {
            let secret = new_secret();
            sessions::set_progress(
                pool,
                token,
                session.stage,
                Some(&secret),
                session.pending_recovery.as_deref(),
            )
            .await?;
            secret
        }
    };
    Ok(Setup {
        otpauth_url: otpauth_url(&secret, &session.user.email),
        secret,
    })
}

/// Confirms the secret of this session with a code from the app: stores it, makes ten
/// recovery codes (kept in the session to be shown once), signs the session in all the way
/// when setting up was the step it waited for, and tells the owner by mail.
pub async fn confirm_setup(
    pool: &AnyPool,
    settings: &MailSettings,
    session: &sessions::Session,
    token: &str,
    code: &str,
    origin: &sessions::Origin,
) -> Result<(), AppError> {
    let user = &session.user;
    let secret = session.pending_secret.as_deref().ok_or_else(|| {
        AppError::BadRequest(
            "Er wordt geen tweestapsverificatie ingesteld. Open de pagina opnieuw.".to_string(),
        )
    })?;
    let keys = throttle_keys(&normalize_email(&user.email), origin.address);
    claim_attempt(pool, &keys).await?;
    let Some(step) = matching_step(secret, code, now_ms() as u64 / 1000)? else {
        return Err(AppError::field("code", WRONG_CODE));
    };
    let codes = new_recovery_codes();
    let now = now_ms();
    let mut tx = pool.begin().await?;
    store_secret(&mut tx, user, secret, step, now, &codes).await?;
    sessions::set_progress(&mut *tx, token, Stage::Full, None, Some(&codes.join(" "))).await?;
    // Other sessions of the account started before this secret existed.
    sessions::end_others(&mut *tx, &user.id, token).await?;
    if session.stage == Stage::Full {
        forgive(&mut tx, &keys).await?;
    } else {
        auth::signed_in(&mut tx, settings, &user.id, origin).await?;
    }
    record(
        &mut tx,
        settings,
        user,
        &actor(user),
        "two_factor_enabled",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores the confirmed secret, with `step` as its last used step, and replaces the user's
/// recovery codes with `codes`.
async fn store_secret(
    conn: &mut AnyConnection,
    user: &SignedInUser,
    secret: &str,
    step: u64,
    now: i64,
    codes: &[String],
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = $3 \
         WHERE id = $4",
    )
    .bind(secret)
    .bind(now)
    .bind(step as i64)
    .bind(&user.id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *conn)
        .await?;
    for code in codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(&user.id)
            .bind(recovery_hash(code))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The recovery codes made at setup, once: they are removed from the session as they are read.
pub async fn take_recovery_codes(
    pool: &AnyPool,
    session: &sessions::Session,
    token: &str,
) -> Result<Vec<String>, AppError> {
    let Some(codes) = &session.pending_recovery else {
        return Ok(Vec::new());
    };
    sessions::set_progress(
        pool,
        token,
        session.stage,
        session.pending_secret.as_deref(),
        None,
    )
    .await?;
    Ok(codes.split_whitespace().map(str::to_string).collect())
}
