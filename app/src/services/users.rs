//! Managing accounts: list, find, edit, block and unblock here; making them (with a password
//! or by invitation) in `creation`, passwords in `password_changes`, the checks they all pass in
//! `checks`. Used by the admin pages and by the command line alike.

use super::account_links::{self, Purpose};
use super::audit::{self, Actor, Event};
use super::mail::{self, MailSettings, Recipient};
use super::{new_id, now_ms, passwords, sessions};
use crate::domain::access::SignedInUser;
use crate::domain::account::{normalize_email, UserSummary};
use crate::domain::notice::Notice;
use crate::domain::role::Role;
use crate::error::{AppError, FieldErrors};
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};
use validator::Validate;

/// Who a new account is for. Field names match the admin form.
#[derive(Debug, Clone, Validate)]
pub struct NewAccount {
    #[validate(
        email(message = "Vul een geldig e-mailadres in, zoals naam@gemeente.nl."),
        length(max = 254, message = "Een e-mailadres is hoogstens 254 tekens lang.")
    )]
    pub email: String,
    #[validate(length(
        min = 1,
        max = 100,
        message = "Vul een naam in van hoogstens 100 tekens."
    ))]
    pub display_name: String,
    pub role: String,
    pub region_code: Option<String>,
}

/// An account with a password chosen by an operator (the command line, the demo).
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub region_code: Option<String>,
    pub password: String,
}

impl NewUser {
    fn account(&self) -> NewAccount {
        NewAccount {
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role.clone(),
            region_code: self.region_code.clone(),
        }
    }
}

pub mod advised_regions;
mod checks;
mod creation;
pub mod other_regions;
mod password_changes;
pub mod region_links;

use checks::{check_account, write_error};

pub use creation::{create, invite, resend_invitation, Invited};
pub use password_changes::{change_own_password, set_password};

/// An account as `SUMMARY_SELECT` reads it; the flags are stored as 0 and 1.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    region_code: Option<String>,
    region_name: Option<String>,
    active: i64,
    created_at: i64,
    has_password: i64,
    last_login_at: Option<i64>,
    two_factor: i64,
}

impl TryFrom<SummaryRow> for UserSummary {
    type Error = AppError;

    fn try_from(row: SummaryRow) -> Result<Self, AppError> {
        Ok(UserSummary {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            role: row
                .role
                .parse()
                .map_err(|_| AppError::internal("a user's stored role is unknown", &row.role))?,
            region_code: row.region_code,
            region_name: row.region_name,
            active: row.active == 1,
            created_at: row.created_at,
            has_password: row.has_password == 1,
            last_login_at: row.last_login_at,
            other_regions: Vec::new(),
            advised_regions: Vec::new(),
            two_factor: row.two_factor == 1,
        })
    }
}

const SUMMARY_SELECT: &str = "SELECT u.id, u.email, u.display_name, u.role, u.region_code, \
     r.name AS region_name, u.active, u.created_at, u.last_login_at, \
     CAST(CASE WHEN u.password_hash = '' THEN 0 ELSE 1 END AS BIGINT) AS has_password, \
     CAST(CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS two_factor \
     FROM users u LEFT JOIN regions r ON r.code = u.region_code";

/// Every account, ordered by role and name.
pub async fn list(pool: &AnyPool) -> Result<Vec<UserSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} ORDER BY u.role, u.display_name, u.email"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(UserSummary::try_from).collect()
}

/// The active coordinators of a region: those it is the own region of, and those who
/// coordinate it beside a region in another programme.
pub async fn coordinators_of(
    pool: &AnyPool,
    region_code: &str,
) -> Result<Vec<UserSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} WHERE (u.region_code = $1 OR u.id IN \
         (SELECT ur.user_id FROM user_regions ur WHERE ur.region_code = $1)) \
         AND u.active = 1 ORDER BY u.display_name"
    ))
    .bind(region_code)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(UserSummary::try_from).collect()
}

pub async fn find(pool: &AnyPool, user_id: &str) -> Result<UserSummary, AppError> {
    let row: SummaryRow = sqlx::query_as(&format!("{SUMMARY_SELECT} WHERE u.id = $1"))
        .bind(user_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    row.try_into()
}

pub async fn find_by_email(pool: &AnyPool, email: &str) -> Result<UserSummary, AppError> {
    let row: SummaryRow =
        sqlx::query_as(&format!("{SUMMARY_SELECT} WHERE u.email_normalized = $1"))
            .bind(normalize_email(email))
            .fetch_optional(pool)
            .await?
            .ok_or(AppError::NotFound)?;
    row.try_into()
}

pub async fn signed_in_user_by_id(pool: &AnyPool, user_id: &str) -> Result<SignedInUser, AppError> {
    let user = find(pool, user_id).await?;
    Ok(SignedInUser {
        other_regions: region_links::of_user(pool, &other_regions::LINK, &user.id).await?,
        advised_regions: region_links::of_user(pool, &advised_regions::LINK, &user.id).await?,
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        region_code: user.region_code,
        region_name: user.region_name,
    })
}

/// Lets an account sign in without a second factor even if its role requires one: only for
/// the demo's public accounts and test accounts, never from the UI.
pub async fn exempt_from_two_factor(pool: &AnyPool, user_id: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET two_factor_exempt = 1 WHERE id = $1")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Disables or enables an account. Disabling ends every session of the account at once.
pub async fn set_active(
    pool: &AnyPool,
    actor: &Actor,
    user_id: &str,
    active: bool,
) -> Result<(), AppError> {
    let user = find(pool, user_id).await?;
    if let Actor::User { id, .. } = actor {
        if id == user_id && !active {
            return Err(AppError::BadRequest(
                "U kunt uw eigen account niet blokkeren.".to_string(),
            ));
        }
    }
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if !active {
        sessions::end_all(&mut *tx, user_id).await?;
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: if active {
                "user_enabled"
            } else {
                "user_disabled"
            },
            region_code: user.region_code.as_deref(),
            subject: Some(user_id),
            details: json!({ "email": user.email }),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(email = %user.email, active, "user activity changed");
    Ok(())
}

/// Changes an account's name, address, role and region after the same checks as a new one;
/// records what changed. Admins can't change their own role (nobody locks themselves out).
pub async fn update(
    pool: &AnyPool,
    actor: &Actor,
    user_id: &str,
    input: NewAccount,
) -> Result<(), AppError> {
    let before = find(pool, user_id).await?;
    let (role, region) = check_account(pool, &input, None, Some(user_id)).await?;
    if let Actor::User { id, .. } = actor {
        if id == user_id && role != before.role {
            return Err(AppError::field(
                "role",
                "U kunt uw eigen rol niet wijzigen; vraag een andere beheerder.",
            ));
        }
    }
    let email = input.email.trim().to_string();
    let display_name = input.display_name.trim().to_string();
    let mut changes = serde_json::Map::new();
    let mut note = |field: &str, old: Option<&str>, new: Option<&str>| {
        if old != new {
            changes.insert(field.to_string(), json!({ "was": old, "wordt": new }));
        }
    };
    note("email", Some(&before.email), Some(&email));
    note("naam", Some(&before.display_name), Some(&display_name));
    note("rol", Some(before.role.code()), Some(role.code()));
    note("regio", before.region_code.as_deref(), region.as_deref());
    if changes.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE users SET email = $1, email_normalized = $2, display_name = $3, role = $4,          region_code = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&email)
    .bind(normalize_email(&email))
    .bind(&display_name)
    .bind(role.code())
    .bind(&region)
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut *tx)
    .await;
    if let Err(error) = updated {
        return Err(write_error(pool, &email, Some(user_id), error).await);
    }
    // A coordinator keeps one region per programme: the own region wins.
    let own_programme: Option<String> = match &region {
        Some(code) => {
            sqlx::query_scalar("SELECT programme_code FROM regions WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    other_regions::remove_conflicting(&mut tx, user_id, own_programme.as_deref()).await?;
    if role != Role::Reviewer {
        advised_regions::remove_all(&mut tx, user_id).await?;
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "user_changed",
            region_code: region.as_deref().or(before.region_code.as_deref()),
            subject: Some(user_id),
            details: serde_json::Value::Object(changes),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user = %user_id, "user changed");
    Ok(())
}

/// Audits a change to a user's account and tells them by mail, in the change's transaction.
pub(crate) async fn record_account_change(
    tx: &mut AnyConnection,
    user: &SignedInUser,
    actor: &Actor,
    kind: &str,
    notice: &Notice,
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
        notice,
    )
    .await
}
