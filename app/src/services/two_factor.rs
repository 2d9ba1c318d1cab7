//! Two-factor sign-in with TOTP (RFC 6238): setting it up (a QR code and the secret as text,
//! confirmed with one code, then ten single-use recovery codes shown once), the code asked
//! after the password, removing it (coordinators, for whom it is optional), an admin's reset,
//! and signing an approval with a code.
//!
//! Codes are 6 digits for 30-second steps, accepted one step early or late, and each step's
//! code once (`totp_last_step` only rises). Every code typed counts toward the same back-off
//! as a password (`auth::claim_attempt`). The secret is never shown again after setup.

use super::audit::{self, Actor, Event};
use super::auth::{claim_attempt, forgive, throttle_keys};
use super::mail::{self, MailSettings, Recipient};
use super::now_ms;
use super::sessions::{self, Stage};
use crate::domain::access::SignedInUser;
use crate::domain::account::normalize_email;
use crate::domain::notice::{Notice, PLATFORM_NAME};
use crate::error::AppError;
use rand::RngCore;
use serde_json::json;
use sqlx::AnyPool;
use std::net::IpAddr;
use totp_rs::{Algorithm, Secret, TOTP};

const DIGITS: usize = 6;
const STEP_SECS: u64 = 30;
/// Recovery codes made at setup.
pub const RECOVERY_CODES: usize = 10;

/// A new random secret of 160 bits (RFC 4226's recommendation), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret.to_string())
        .to_bytes()
        .map_err(|error| {
            AppError::internal("a stored TOTP secret is not base32", format!("{error:?}"))
        })?;
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECS, bytes).map_err(|error| {
        AppError::internal("a stored TOTP secret is unusable", format!("{error:?}"))
    })
}

/// The step whose code `code` is, within one step of `now_secs`, if any. Spaces are ignored.
pub fn matching_step(secret: &str, code: &str, now_secs: u64) -> Result<Option<u64>, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret)?;
    let now_step = now_secs / STEP_SECS;
    Ok((now_step.saturating_sub(1)..=now_step + 1).find(|step| {
        let expected = totp.generate(step * STEP_SECS);
        // Compared in constant time: the time taken says nothing about the digits.
        expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
    }))
}

/// The code of a step, for tests and for people who check their app's clock.
pub fn code_at(secret: &str, now_secs: u64) -> Result<String, AppError> {
    Ok(totp(secret)?.generate(now_secs))
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, email: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let issuer = utf8_percent_encode(PLATFORM_NAME, NON_ALPHANUMERIC).to_string();
    let account = utf8_percent_encode(email, NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}"
    )
}

/// The QR code of `text` as SVG, dark modules as one path, with a quiet zone of 4 modules.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|error| {
        AppError::internal("the QR code could not be made", format!("{error:?}"))
    })?;
    let size = code.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + 2 * border;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" \
         shape-rendering=\"crispEdges\" width=\"240\" height=\"240\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// The secret in groups of four, as people type it.
pub fn grouped(secret: &str) -> String {
    secret
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn hash(text: &str) -> String {
    super::sha256_hex(text)
}

/// A recovery code as people type it: letters and digits only, lower case.
fn normalize_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Ten new recovery codes of 10 characters (50 bits each), shown as `xxxxx-xxxxx`.
fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let code: String = bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &code[..5], &code[5..])
        })
        .collect()
}

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

const WRONG_CODE: &str =
    "Deze code klopt niet. Vul de zes cijfers in die uw app nu laat zien; elke code werkt één keer.";

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
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = $3 \
         WHERE id = $4",
    )
    .bind(secret)
    .bind(now)
    .bind(step as i64)
    .bind(&user.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    for code in &codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(&user.id)
            .bind(hash(&normalize_recovery(code)))
            .execute(&mut *tx)
            .await?;
    }
    sessions::set_progress(&mut *tx, token, Stage::Full, None, Some(&codes.join(" "))).await?;
    // Other sessions of the account started before this secret existed.
    sessions::end_others(&mut *tx, &user.id, token).await?;
    if session.stage == Stage::Full {
        forgive(&mut tx, &keys).await?;
    } else {
        super::auth::signed_in(&mut tx, settings, &user.id, origin).await?;
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
        // Only a later step than the last accepted one: a code seen once is worthless.
        Some(step) => {
            sqlx::query(
                "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
            )
            .bind(step as i64)
            .bind(&user.id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                == 1
        }
        None => {
            let used = sqlx::query(
                "UPDATE recovery_codes SET used_at = $1 \
                 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
            )
            .bind(now_ms())
            .bind(&user.id)
            .bind(hash(&normalize_recovery(code)))
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
            used
        }
    };
    if accepted {
        forgive(&mut conn, &keys).await?;
    }
    Ok(accepted)
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

async fn clear(tx: &mut sqlx::AnyConnection, user_id: &str) -> Result<(), AppError> {
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

fn actor(user: &SignedInUser) -> Actor {
    Actor::User {
        id: user.id.clone(),
        email: user.email.clone(),
    }
}

/// Audits a change of the second factor and tells the owner by mail.
async fn record(
    tx: &mut sqlx::AnyConnection,
    settings: &MailSettings,
    user: &SignedInUser,
    actor: &Actor,
    kind: &'static str,
    at_ms: i64,
) -> Result<(), AppError> {
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind,
            region_code: user.region_code.as_deref(),
            subject: Some(&user.id),
            details: json!({ "email": user.email }),
        },
    )
    .await?;
    mail::enqueue(
        &mut *tx,
        Recipient {
            user_id: Some(&user.id),
            address: &user.email,
        },
        &Notice::SecondFactorChanged {
            name: user.display_name.clone(),
            what: match kind {
                "two_factor_enabled" => "ingesteld",
                "two_factor_removed" => "uitgezet",
                _ => "gewist door een beheerder",
            }
            .to_string(),
            at_ms,
            account_link: settings.link("/mijn-account"),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238, appendix B: the SHA-1 key "12345678901234567890".
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_follow_rfc_6238() {
        assert_eq!(code_at(RFC_SECRET, 59).unwrap(), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109).unwrap(), "081804");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000).unwrap(), "279037");
    }

    #[test]
    fn a_code_is_accepted_one_step_early_or_late_and_not_further() {
        let now = 1_111_111_109;
        let step = now / 30;
        for (offset, accepted) in [
            (-60i64, false),
            (-30, true),
            (0, true),
            (30, true),
            (60, false),
        ] {
            let code = code_at(RFC_SECRET, (now as i64 + offset) as u64).unwrap();
            let found = matching_step(RFC_SECRET, &code, now).unwrap();
            assert_eq!(found.is_some(), accepted, "offset {offset}");
            if accepted {
                assert_eq!(found, Some((step as i64 + offset / 30) as u64));
            }
        }
        assert_eq!(matching_step(RFC_SECRET, "12345", now).unwrap(), None);
        assert_eq!(matching_step(RFC_SECRET, "abcdef", now).unwrap(), None);
        let spaced = code_at(RFC_SECRET, now).unwrap();
        let spaced = format!("{} {}", &spaced[..3], &spaced[3..]);
        assert!(matching_step(RFC_SECRET, &spaced, now).unwrap().is_some());
    }

    #[test]
    fn setup_material() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        assert_ne!(secret, new_secret());
        let url = otpauth_url(&secret, "bea@nad.example");
        assert!(url.starts_with(
            "otpauth://totp/Monitor%20Eerst%20een%20Thuis:bea%40nad%2Eexample?secret="
        ));
        assert!(url.contains(&format!("secret={secret}&")));
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<path d=\"M"));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes
            .iter()
            .all(|code| code.len() == 11 && code.as_bytes()[5] == b'-'));
        assert_eq!(normalize_recovery(" ABCDE-fghij "), "abcdefghij");
    }
}
