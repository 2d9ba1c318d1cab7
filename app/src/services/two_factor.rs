//! Two-factor sign-in with TOTP (RFC 6238): setting it up (a QR code and the secret as text,
//! confirmed with one code, then ten single-use recovery codes shown once), the code asked
//! after the password, removing it (coordinators, for whom it is optional), an admin's reset,
//! and signing an approval with a code.
//!
//! Codes are 6 digits for 30-second steps, accepted one step early or late, and each step's
//! code once (`totp_last_step` only rises). Every code typed counts toward the same back-off
//! as a password (`auth::claim_attempt`). The secret is never shown again after setup.
//!
//! The codes themselves are `two_factor/codes.rs`, setting up `two_factor/setup.rs`.

mod codes;
mod setup;

pub use codes::{code_at, grouped, matching_step, new_secret, otpauth_url, qr_svg, RECOVERY_CODES};
pub use setup::{begin_setup, confirm_setup, take_recovery_codes, Setup};

use super::audit::{self, Actor, Event};
use super::auth::{claim_attempt, forgive, throttle_keys};
use super::mail::MailSettings;
use super::now_ms;
use super::request::actor;
use super::sessions::{self, Stage};
use crate::domain::access::SignedInUser;
use crate::domain::account::normalize_email;
use crate::domain::notice::Notice;
use crate::error::AppError;
use crate::paths;
use codes::recovery_hash;
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};
use std::net::IpAddr;

const WRONG_CODE: &str =
    "Deze code klopt niet. Vul de zes cijfers in die uw app nu laat zien; elke code werkt één keer.";

/// The second step of logging in: a code from the app, or a recovery code. Signs the session
/// in all the way.
pub async fn verify_login_code(
    pool: &AnyPool,
    settings: &MailSettings,
    session: &sessions::Session,
    token: &str,
    code: &str,
    origin: &sessions::Origin,
) -> Result<(), AppError> {
    if session.stage != Stage::Code {
        return Err(AppError::Unauthorized);
    }
    let user = &session.user;
    if !check_code(pool, user, code, origin.address).await? {
        return Err(AppError::field("code", WRONG_CODE));
    }
    let mut tx = pool.begin().await?;
    sessions::set_progress(&mut *tx, token, Stage::Full, None, None).await?;
    super::auth::signed_in(&mut tx, settings, &user.id, origin).await?;
    tx.commit().await?;
    Ok(())
}

/// Logging in again on a page that keeps what was typed (a section page whose session ended):
/// the password and, for an account with a second factor, its code in one step. Signed in
/// all the way or not at all: a half-way session is ended again.
pub async fn login_in_one_step(
    pool: &AnyPool,
    settings: &MailSettings,
    email: &str,
    password: &str,
    code: Option<&str>,
    origin: &sessions::Origin,
) -> Result<super::auth::LoginOutcome, AppError> {
    let outcome = super::auth::login(pool, settings, email, password, origin).await?;
    let result = match outcome.stage {
        Stage::Full => return Ok(outcome),
        Stage::Code => match code.map(str::trim).filter(|code| !code.is_empty()) {
            Some(code) => {
                let session = sessions::Session {
                    user: outcome.user.clone(),
                    stage: Stage::Code,
                    pending_secret: None,
                    pending_recovery: None,
                };
                verify_login_code(pool, settings, &session, &outcome.token, code, origin).await
            }
            None => Err(AppError::field(
                "code",
                "Vul ook de code uit uw authenticator-app in.",
            )),
        },
        Stage::Setup => Err(AppError::field("password", sessions::USE_LOGIN_PAGE)),
    };
    match result {
        Ok(()) => Ok(super::auth::LoginOutcome {
            stage: Stage::Full,
            ..outcome
        }),
        Err(error) => {
            sessions::end(pool, &outcome.token).await?;
            Err(error)
        }
    }
}

/// Checks a code of the user's second factor (or one of their recovery codes, which is then
/// used up), counted against the login back-off. A code works once.
pub async fn check_code(
    pool: &AnyPool,
    user: &SignedInUser,
    code: &str,
    client: Option<IpAddr>,
) -> Result<bool, AppError> {
    if code.chars().count() > 40 {
        return Ok(false);
    }
    let keys = throttle_keys(&normalize_email(&user.email), client);
    claim_attempt(pool, &keys).await?;
    let secret: Option<String> =
        sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1 AND active = 1")
            .bind(&user.id)
            .fetch_optional(pool)
            .await?
            .flatten();
    let Some(secret) = secret else {
        return Ok(false);
    };
    let mut conn = pool.acquire().await?;
    let accepted = match matching_step(&secret, code, now_ms() as u64 / 1000)? {
        Some(step) => use_step(&mut conn, user, step).await?,
        None => use_recovery_code(&mut conn, user, code).await?,
    };
    if accepted {
        forgive(&mut conn, &keys).await?;
    }
    Ok(accepted)
}

/// Records `step` as the last one used, when it is later than the last accepted one: a code
/// seen once is worthless. Whether it was.
async fn use_step(
    conn: &mut AnyConnection,
    user: &SignedInUser,
    step: u64,
) -> Result<bool, AppError> {
    Ok(
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step as i64)
            .bind(&user.id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Uses up one of the user's unused recovery codes, audited. Whether `code` was one.
async fn use_recovery_code(
    conn: &mut AnyConnection,
    user: &SignedInUser,
    code: &str,
) -> Result<bool, AppError> {
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now_ms())
    .bind(&user.id)
    .bind(recovery_hash(code))
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if used {
        audit::record(
            &mut *conn,
            &actor(user),
            Event {
                kind: "recovery_code_used",
                region_code: user.region_code.as_deref(),
                subject: Some(&user.id),
                details: json!({}),
            },
        )
        .await?;
    }
    Ok(used)
}

/// Whether the user signs in with a second factor.
pub async fn is_enabled(pool: &AnyPool, user_id: &str) -> Result<bool, AppError> {
    Ok(enabled_at(pool, user_id).await?.is_some())
}

/// Since when the user signs in with a second factor, if they do.
pub async fn enabled_at(pool: &AnyPool, user_id: &str) -> Result<Option<i64>, AppError> {
    let enabled: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT CASE WHEN totp_secret IS NULL THEN NULL ELSE totp_enabled_at END \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(enabled.flatten())
}

/// How many unused recovery codes the user has left.
pub async fn recovery_codes_left(pool: &AnyPool, user_id: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?)
}

/// A coordinator switches their second factor off, confirming with a current code. Admins
/// and reviewers can't: for them it is required (they set up a new one instead).
pub async fn remove_own(
    pool: &AnyPool,
    settings: &MailSettings,
    user: &SignedInUser,
    code: &str,
    client: Option<IpAddr>,
) -> Result<(), AppError> {
    if super::auth::two_factor_required(user.role) {
        return Err(AppError::BadRequest(
            "Voor uw rol is tweestapsverificatie verplicht. Nieuwe telefoon? Stel het opnieuw in."
                .to_string(),
        ));
    }
    if !check_code(pool, user, code, client).await? {
        return Err(AppError::field("code", WRONG_CODE));
    }
    let mut tx = pool.begin().await?;
    clear(&mut tx, &user.id).await?;
    record(
        &mut tx,
        settings,
        user,
        &actor(user),
        "two_factor_removed",
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An admin resets someone's second factor (a lost phone without recovery codes): the secret
/// and recovery codes go, every session ends; admins and reviewers set up a new one at their
/// next login. Audited, and the owner is told.
pub async fn reset_by_admin(
    pool: &AnyPool,
    settings: &MailSettings,
    admin: &Actor,
    user_id: &str,
) -> Result<(), AppError> {
    let user = super::users::signed_in_user_by_id(pool, user_id).await?;
    if !is_enabled(pool, user_id).await? {
        return Err(AppError::BadRequest(
            "Deze gebruiker heeft geen tweestapsverificatie ingesteld.".to_string(),
        ));
    }
    let mut tx = pool.begin().await?;
    clear(&mut tx, user_id).await?;
    sessions::end_all(&mut *tx, user_id).await?;
    record(
        &mut tx,
        settings,
        &user,
        admin,
        "two_factor_reset",
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn clear(tx: &mut AnyConnection, user_id: &str) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0 \
         WHERE id = $1",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Audits a change of the second factor and tells the owner by mail.
async fn record(
    tx: &mut AnyConnection,
    settings: &MailSettings,
    user: &SignedInUser,
    actor: &Actor,
    kind: &'static str,
    at_ms: i64,
) -> Result<(), AppError> {
    let notice = Notice::SecondFactorChanged {
        name: user.display_name.clone(),
        what: match kind {
            "two_factor_enabled" => "ingesteld",
            "two_factor_removed" => "uitgezet",
            _ => "gewist door een beheerder",
        }
        .to_string(),
        at_ms,
        account_link: settings.link(paths::ACCOUNT),
    };
    super::users::record_account_change(tx, user, actor, kind, &notice).await
}
