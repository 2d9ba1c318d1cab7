//! Server-side sessions stored in the database.
//!
//! The cookie holds 256 random bits; the database holds only their SHA-256, so a leaked
//! copy of the database can't be used to take over sessions. A session ends after
//! `session_idle_secs` without requests or `session_absolute_secs` after login, on logout,
//! and when the user is disabled or their password changes.

use super::now_ms;
use super::state::Config;
use super::users::{advised_regions, other_regions, region_links};
use crate::domain::access::SignedInUser;
use crate::domain::account::{describe_user_agent, SessionSummary};
use crate::domain::role::Role;
use crate::error::AppError;
use cookie::{Cookie, SameSite};
use sqlx::{Any, AnyPool, Executor};
use std::net::IpAddr;

pub const COOKIE_NAME: &str = "nad_sessie";
/// The name behind HTTPS: the `__Host-` prefix makes the browser accept the cookie only when
/// it is `Secure`, for path `/` and without `Domain`, so neither a sibling subdomain nor a
/// plain-HTTP page can plant or overwrite a session cookie.
pub const SECURE_COOKIE_NAME: &str = "__Host-nad_sessie";

/// The session cookie's name under this configuration.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}
/// A request refreshes `last_seen_at` at most this often, to keep reads cheap.
const TOUCH_INTERVAL_MS: i64 = 60_000;

fn hash_token(token: &str) -> String {
    super::sha256_hex(token)
}

/// Where a login came from, kept with its session for the list on "Mijn account".
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub address: Option<IpAddr>,
    pub user_agent: String,
}

/// Longer browser descriptions are cut: they only help a person recognise the device.
const USER_AGENT_MAX_CHARS: usize = 300;

impl Origin {
    pub fn new(address: Option<IpAddr>, user_agent: Option<&str>) -> Self {
        Origin {
            address,
            user_agent: user_agent
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(USER_AGENT_MAX_CHARS)
                .collect(),
        }
    }
}

/// Logging in again on a section page can't set up a second factor.
pub const USE_LOGIN_PAGE: &str = "Stel eerst tweestapsverificatie in: log in via de inlogpagina in een nieuw tabblad en kom dan terug. Wat u hier typte blijft bewaard en wordt daarna verstuurd.";

/// How far a session is. Only a `Full` session is signed in; the others reach only the
/// next step of logging in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Full,
    /// The password was right; the code of the second factor is asked.
    Code,
    /// The password was right; two-factor sign-in must be set up before anything else.
    Setup,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Code => "code",
            Stage::Setup => "setup",
        }
    }

    fn parse(text: &str) -> Option<Stage> {
        [Stage::Full, Stage::Code, Stage::Setup]
            .into_iter()
            .find(|stage| stage.code() == text)
    }
}

/// A session at any stage, with what the login steps keep in it.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: SignedInUser,
    pub stage: Stage,
    /// The secret being set up, until it is confirmed.
    pub pending_secret: Option<String>,
    /// New recovery codes, until they have been shown.
    pub pending_recovery: Option<String>,
}

/// Starts a new session for a user and returns the cookie value.
pub async fn create<'e, E>(
    executor: E,
    user_id: &str,
    origin: &Origin,
    stage: Stage,
) -> Result<String, AppError>
where
    E: Executor<'e, Database = Any>,
{
    let token = super::random_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, user_agent, \
         client_address, stage) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(now)
    .bind(now)
    .bind(&origin.user_agent)
    .bind(origin.address.map(|a| a.to_string()).unwrap_or_default())
    .bind(stage.code())
    .execute(executor)
    .await?;
    Ok(token)
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id_hash: String,
    created_at: i64,
    last_seen_at: i64,
    user_agent: String,
    client_address: String,
}

/// A user's sessions that are still alive, the most recently used first.
pub async fn list_for_user(
    pool: &AnyPool,
    config: &Config,
    user_id: &str,
    current_token: Option<&str>,
) -> Result<Vec<SessionSummary>, AppError> {
    let now = now_ms();
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT id_hash, created_at, last_seen_at, user_agent, client_address FROM sessions \
         WHERE user_id = $1 AND last_seen_at >= $2 AND created_at >= $3 AND stage = 'full' \
         ORDER BY last_seen_at DESC, id_hash",
    )
    .bind(user_id)
    .bind(now - config.session_idle_secs * 1000)
    .bind(now - config.session_absolute_secs * 1000)
    .fetch_all(pool)
    .await?;
    let current = current_token.map(hash_token);
    Ok(rows
        .into_iter()
        .map(|row| SessionSummary {
            current: current.as_deref() == Some(row.id_hash.as_str()),
            reference: row.id_hash,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            device: describe_user_agent(&row.user_agent),
            client_address: row.client_address,
        })
        .collect())
}

/// Ends one of the user's own sessions, named by its reference; false when there is none.
pub async fn end_own(pool: &AnyPool, user_id: &str, reference: &str) -> Result<bool, AppError> {
    let ended = sqlx::query("DELETE FROM sessions WHERE id_hash = $1 AND user_id = $2")
        .bind(reference)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(ended.rows_affected() == 1)
}

/// Ends every session of the user except the one of this cookie.
pub async fn end_others<'e, E>(
    executor: E,
    user_id: &str,
    keep_token: &str,
) -> Result<u64, AppError>
where
    E: Executor<'e, Database = Any>,
{
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(hash_token(keep_token))
        .execute(executor)
        .await?;
    Ok(ended.rows_affected())
}

/// The signed-in user of a plain axum request, from its session cookie; `None` without a
/// valid session (a failed lookup counts as none: the handler answers as to a visitor).
pub async fn user_of_request(
    pool: &AnyPool,
    config: &Config,
    headers: &http::HeaderMap,
) -> Option<SignedInUser> {
    let token = token_from_headers(headers, config)?;
    resolve(pool, config, &token).await.ok().flatten()
}

/// The user behind a cookie value, if the session is alive, signed in all the way and the
/// user active.
pub async fn resolve(
    pool: &AnyPool,
    config: &Config,
    token: &str,
) -> Result<Option<SignedInUser>, AppError> {
    Ok(lookup(pool, config, token)
        .await?
        .filter(|session| session.stage == Stage::Full)
        .map(|session| session.user))
}

/// A session joined with its user, as `lookup` reads it.
#[derive(sqlx::FromRow)]
struct LookupRow {
    created_at: i64,
    last_seen_at: i64,
    stage: String,
    pending_secret: Option<String>,
    pending_recovery: Option<String>,
    id: String,
    email: String,
    display_name: String,
    role: String,
    region_code: Option<String>,
    region_name: Option<String>,
}

impl LookupRow {
    /// The session, or `None` for a coordinator without a region (who can't be signed in).
    fn into_session(self) -> Result<Option<Session>, AppError> {
        let user = SignedInUser {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: self
                .role
                .parse()
                .map_err(|_| AppError::internal("a user's stored role is unknown", &self.role))?,
            region_code: self.region_code,
            region_name: self.region_name,
            other_regions: Vec::new(),
            advised_regions: Vec::new(),
        };
        if user.role == Role::Coordinator && user.region_code.is_none() {
            return Ok(None);
        }
        Ok(Some(Session {
            user,
            stage: Stage::parse(&self.stage).ok_or_else(|| {
                AppError::internal("a session's stored stage is unknown", &self.stage)
            })?,
            pending_secret: self.pending_secret,
            pending_recovery: self.pending_recovery,
        }))
    }
}

/// The session behind a cookie value at any stage, if it is alive and the user active.
pub async fn lookup(
    pool: &AnyPool,
    config: &Config,
    token: &str,
) -> Result<Option<Session>, AppError> {
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    let id_hash = hash_token(token);
    // One connection for the few queries: each query through the pool costs hand-offs to
    // and from a SQLite connection's thread to take it and give it back.
    let mut conn = pool.acquire().await?;
    let row: Option<LookupRow> = sqlx::query_as(
        "SELECT s.created_at, s.last_seen_at, s.stage, s.pending_secret, s.pending_recovery, \
                u.id, u.email, u.display_name, u.role, u.region_code, r.name AS region_name \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN regions r ON r.code = u.region_code \
         WHERE s.id_hash = $1 AND u.active = 1",
    )
    .bind(&id_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let now = now_ms();
    if now - row.last_seen_at > config.session_idle_secs * 1000
        || now - row.created_at > config.session_absolute_secs * 1000
    {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(&id_hash)
            .execute(&mut *conn)
            .await?;
        return Ok(None);
    }
    if now - row.last_seen_at > TOUCH_INTERVAL_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&id_hash)
            .execute(&mut *conn)
            .await?;
    }
    let mut session = row.into_session()?;
    // The regions beyond a coordinator's own, and an adviser's regions: one small query, for
    // these roles only.
    if let Some(session) = session.as_mut() {
        let user = &mut session.user;
        match user.role {
            Role::Coordinator => {
                user.other_regions =
                    region_links::of_user(&mut *conn, &other_regions::LINK, &user.id).await?
            }
            Role::Reviewer => {
                user.advised_regions =
                    region_links::of_user(&mut *conn, &advised_regions::LINK, &user.id).await?
            }
            Role::Admin => {}
        }
    }
    Ok(session)
}

/// Changes what a session keeps for the login steps: its stage and the secret and recovery
/// codes being set up.
pub async fn set_progress<'e, E>(
    executor: E,
    token: &str,
    stage: Stage,
    pending_secret: Option<&str>,
    pending_recovery: Option<&str>,
) -> Result<(), AppError>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query(
        "UPDATE sessions SET stage = $1, pending_secret = $2, pending_recovery = $3 \
         WHERE id_hash = $4",
    )
    .bind(stage.code())
    .bind(pending_secret)
    .bind(pending_recovery)
    .bind(hash_token(token))
    .execute(executor)
    .await?;
    Ok(())
}

/// Ends one session (logout).
pub async fn end(pool: &AnyPool, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(hash_token(token))
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of a user (disabled, or password changed).
pub async fn end_all<'e, E>(executor: E, user_id: &str) -> Result<(), AppError>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(())
}

/// Removes sessions that can no longer be used; run now and then.
pub async fn purge_expired(pool: &AnyPool, config: &Config) -> Result<u64, AppError> {
    let now = now_ms();
    let result = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - config.session_idle_secs * 1000)
        .bind(now - config.session_absolute_secs * 1000)
        .execute(pool)
        .await?;
    Ok(result.rows_affected())
}

/// The `Set-Cookie` value that carries a new session. No `Max-Age`: the browser forgets it
/// when closed, and the server enforces both timeouts.
pub fn cookie(token: &str, config: &Config) -> String {
    Cookie::build((cookie_name(config), token.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .build()
        .to_string()
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn removal_cookie(config: &Config) -> String {
    let mut removal = Cookie::build((cookie_name(config), ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .build();
    removal.make_removal();
    removal.to_string()
}

/// The session cookie's value in a `Cookie` request header, if present. Only the name of
/// this configuration counts: behind HTTPS a cookie without the prefix is ignored.
pub fn token_from_headers(headers: &http::HeaderMap, config: &Config) -> Option<String> {
    let name = cookie_name(config);
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_attributes() {
        let config = Config {
            secure_cookies: true,
            ..Config::default()
        };
        let value = cookie("abc", &config);
        assert!(value.starts_with("__Host-nad_sessie=abc"), "{value}");
        assert!(!value.contains("Domain"));
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(value.contains(attribute), "{value}");
        }
        let plain = cookie("abc", &Config::default());
        assert!(plain.starts_with("nad_sessie=abc") && !plain.contains("Secure"));
        assert!(removal_cookie(&config).starts_with("__Host-nad_sessie="));
        assert!(removal_cookie(&config).contains("Max-Age=0"));
    }

    #[test]
    fn token_is_found_among_other_cookies() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; nad_sessie=xyz; b=2".parse().unwrap(),
        );
        let config = Config::default();
        assert_eq!(
            token_from_headers(&headers, &config).as_deref(),
            Some("xyz")
        );
        assert_eq!(token_from_headers(&http::HeaderMap::new(), &config), None);
        // Behind HTTPS only the prefixed cookie counts: a planted plain one is ignored.
        let secure = Config {
            secure_cookies: true,
            ..Config::default()
        };
        assert_eq!(token_from_headers(&headers, &secure), None);
        headers.insert(
            http::header::COOKIE,
            "nad_sessie=geplant; __Host-nad_sessie=echt"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            token_from_headers(&headers, &secure).as_deref(),
            Some("echt")
        );
    }

    #[test]
    fn stored_ids_are_hashes() {
        assert_eq!(hash_token("abc").len(), 64);
        assert_ne!(hash_token("abc"), "abc");
    }
}
