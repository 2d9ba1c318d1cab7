//! Managing accounts: create, list, disable and enable, set a password. Used by the admin
//! pages and by the command line; both pass through the same checks.

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
use sqlx::{any::AnyRow, AnyPool, Row};
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

/// Turns validator's errors into field messages, in the order of the form.
fn field_errors(errors: &validator::ValidationErrors, order: &[&str]) -> FieldErrors {
    let fields = errors.field_errors();
    order
        .iter()
        .filter_map(|name| {
            fields.get(*name).map(|list| {
                let messages = list
                    .iter()
                    .map(|error| {
                        error
                            .message
                            .as_ref()
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| "Deze waarde is ongeldig.".to_string())
                    })
                    .collect();
                (name.to_string(), messages)
            })
        })
        .collect()
}

fn push(errors: &mut FieldErrors, field: &str, message: String) {
    match errors.iter_mut().find(|(name, _)| name == field) {
        Some((_, messages)) => messages.push(message),
        None => errors.push((field.to_string(), vec![message])),
    }
}

const FORM_ORDER: [&str; 5] = ["email", "display_name", "role", "region_code", "password"];

/// Checks every field, reporting all problems at once, and returns the parsed role and the
/// region (only for coordinators). `password` is checked against the rules when given;
/// `existing` is the account being edited, whose own address is not "in use".
async fn check_account(
    pool: &AnyPool,
    input: &NewAccount,
    password: Option<&str>,
    existing: Option<&str>,
) -> Result<(Role, Option<String>), AppError> {
    let trimmed = NewAccount {
        email: input.email.trim().to_string(),
        display_name: input.display_name.trim().to_string(),
        ..input.clone()
    };
    let mut errors = match trimmed.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => field_errors(&errors, &FORM_ORDER),
    };
    let role = match input.role.parse::<Role>() {
        Ok(role) => Some(role),
        Err(_) => {
            push(
                &mut errors,
                "role",
                "Kies een rol: beheerder, reviewer of regiocoördinator.".to_string(),
            );
            None
        }
    };
    let region = input
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(str::to_string);
    match (role, &region) {
        (Some(role), None) if role.needs_region() => push(
            &mut errors,
            "region_code",
            "Kies de regio van deze regiocoördinator.".to_string(),
        ),
        (Some(role), Some(_)) if !role.needs_region() => push(
            &mut errors,
            "region_code",
            "Alleen regiocoördinatoren horen bij een regio. Laat de regio leeg.".to_string(),
        ),
        (_, Some(code)) => {
            let known: Option<String> =
                sqlx::query_scalar("SELECT code FROM regions WHERE code = $1")
                    .bind(code)
                    .fetch_optional(pool)
                    .await?;
            if known.is_none() {
                push(
                    &mut errors,
                    "region_code",
                    format!("De regio '{code}' bestaat niet."),
                );
            }
        }
        _ => {}
    }
    if email_in_use(pool, &trimmed.email, existing).await? {
        push(
            &mut errors,
            "email",
            "Er is al een gebruiker met dit e-mailadres.".to_string(),
        );
    }
    if let Some(Err(AppError::Validation(problems))) =
        password.map(|password| passwords::check_policy(password, &trimmed.email, "password"))
    {
        for (field, messages) in problems {
            for message in messages {
                push(&mut errors, &field, message);
            }
        }
    }
    errors.sort_by_key(|(field, _)| FORM_ORDER.iter().position(|f| f == field));
    match role {
        Some(role) if errors.is_empty() => Ok((role, region)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// A failed write of an account: two admins giving the same address at once lose to the
/// unique index, and are told so; anything else is the database's error.
async fn write_error(
    pool: &AnyPool,
    email: &str,
    existing: Option<&str>,
    error: sqlx::Error,
) -> AppError {
    if email_in_use(pool, email, existing).await.unwrap_or(false) {
        AppError::field("email", "Er is al een gebruiker met dit e-mailadres.")
    } else {
        error.into()
    }
}

async fn email_in_use(
    pool: &AnyPool,
    email: &str,
    existing: Option<&str>,
) -> Result<bool, AppError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = $1")
            .bind(normalize_email(email))
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some_and(|id| Some(id.as_str()) != existing))
}

/// Creates an account with a password after checking every field; returns its id.
pub async fn create(pool: &AnyPool, actor: &Actor, input: NewUser) -> Result<String, AppError> {
    let (role, region) = check_account(pool, &input.account(), Some(&input.password), None).await?;
    let password_hash = passwords::hash(input.password.clone()).await?;
    let mut tx = pool.begin().await?;
    let id = insert(
        &mut tx,
        pool,
        actor,
        &input.account(),
        role,
        region,
        &password_hash,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An account made by invitation, and the link its owner chooses a password with.
pub struct Invited {
    pub user_id: String,
    pub link: String,
}

/// Creates an account without a password and mails its owner an invitation link (single
/// use, 7 days) to choose one; both in one transaction.
pub async fn invite(
    pool: &AnyPool,
    actor: &Actor,
    settings: &MailSettings,
    input: NewAccount,
) -> Result<Invited, AppError> {
    let (role, region) = check_account(pool, &input, None, None).await?;
    let mut tx = pool.begin().await?;
    // An empty hash: nobody can log in until a password is chosen through the link.
    let user_id = insert(&mut tx, pool, actor, &input, role, region, "").await?;
    let link = send_invitation(
        &mut tx,
        settings,
        &user_id,
        &input.email,
        &input.display_name,
        role,
    )
    .await?;
    tx.commit().await?;
    Ok(Invited { user_id, link })
}

/// Issues a new invitation link (older ones stop working) and queues its mail.
async fn send_invitation(
    conn: &mut sqlx::AnyConnection,
    settings: &MailSettings,
    user_id: &str,
    email: &str,
    display_name: &str,
    role: Role,
) -> Result<String, AppError> {
    let token = account_links::issue(conn, user_id, Purpose::Invitation).await?;
    let link = account_links::link(settings, &token);
    mail::enqueue(
        &mut *conn,
        Recipient {
            user_id: Some(user_id),
            address: email.trim(),
        },
        &Notice::Invitation {
            name: display_name.trim().to_string(),
            role_label: role.label().to_string(),
            link: link.clone(),
        },
    )
    .await?;
    Ok(link)
}

/// Sends an account that has no password yet a new invitation; the old link stops working.
pub async fn resend_invitation(
    pool: &AnyPool,
    actor: &Actor,
    settings: &MailSettings,
    user_id: &str,
) -> Result<String, AppError> {
    let user = find(pool, user_id).await?;
    if user.has_password {
        return Err(AppError::BadRequest(
            "Deze gebruiker heeft al een wachtwoord gekozen; een uitnodiging is niet meer nodig. Wie het wachtwoord vergeten is, vraagt op de inlogpagina een nieuw aan.".to_string(),
        ));
    }
    if !user.active {
        return Err(AppError::BadRequest(
            "Deze gebruiker is geblokkeerd. Activeer het account eerst.".to_string(),
        ));
    }
    let mut tx = pool.begin().await?;
    let link = send_invitation(
        &mut tx,
        settings,
        user_id,
        &user.email,
        &user.display_name,
        user.role,
    )
    .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "invitation_sent",
            region_code: user.region_code.as_deref(),
            subject: Some(user_id),
            details: json!({ "email": user.email }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

async fn insert(
    tx: &mut sqlx::AnyConnection,
    pool: &AnyPool,
    actor: &Actor,
    input: &NewAccount,
    role: Role,
    region: Option<String>,
    password_hash: &str,
) -> Result<String, AppError> {
    let email = input.email.trim().to_string();
    let id = new_id();
    let now = now_ms();
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, email_normalized, display_name, role, region_code, \
         password_hash, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
    )
    .bind(&id)
    .bind(&email)
    .bind(normalize_email(&email))
    .bind(input.display_name.trim())
    .bind(role.code())
    .bind(&region)
    .bind(password_hash)
    .bind(now)
    .execute(&mut *tx)
    .await;
    if let Err(error) = inserted {
        return Err(write_error(pool, &email, None, error).await);
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "user_created",
            region_code: region.as_deref(),
            subject: Some(&id),
            details: json!({
                "email": email,
                "role": role.code(),
                "invited": password_hash.is_empty(),
            }),
        },
    )
    .await?;
    tracing::info!(%email, role = role.code(), "user created");
    Ok(id)
}

fn summary_from_row(row: &AnyRow) -> Result<UserSummary, AppError> {
    let role: String = row.try_get("role")?;
    Ok(UserSummary {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: role
            .parse()
            .map_err(|_| AppError::internal("a user's stored role is unknown", &role))?,
        region_code: row.try_get("region_code")?,
        region_name: row.try_get("region_name")?,
        active: row.try_get::<i64, _>("active")? == 1,
        created_at: row.try_get("created_at")?,
        has_password: row.try_get::<i64, _>("has_password")? == 1,
        last_login_at: row.try_get("last_login_at")?,
        two_factor: row.try_get::<i64, _>("two_factor")? == 1,
    })
}

const SUMMARY_SELECT: &str = "SELECT u.id, u.email, u.display_name, u.role, u.region_code, \
     r.name AS region_name, u.active, u.created_at, u.last_login_at, \
     CAST(CASE WHEN u.password_hash = '' THEN 0 ELSE 1 END AS BIGINT) AS has_password, \
     CAST(CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS two_factor \
     FROM users u LEFT JOIN regions r ON r.code = u.region_code";

/// Every account, ordered by role and name.
pub async fn list(pool: &AnyPool) -> Result<Vec<UserSummary>, AppError> {
    let rows = sqlx::query(&format!(
        "{SUMMARY_SELECT} ORDER BY u.role, u.display_name, u.email"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(summary_from_row).collect()
}

/// The active coordinators of one region.
pub async fn coordinators_of(
    pool: &AnyPool,
    region_code: &str,
) -> Result<Vec<UserSummary>, AppError> {
    let rows = sqlx::query(&format!(
        "{SUMMARY_SELECT} WHERE u.region_code = $1 AND u.active = 1 ORDER BY u.display_name"
    ))
    .bind(region_code)
    .fetch_all(pool)
    .await?;
    rows.iter().map(summary_from_row).collect()
}

pub async fn find(pool: &AnyPool, user_id: &str) -> Result<UserSummary, AppError> {
    let row = sqlx::query(&format!("{SUMMARY_SELECT} WHERE u.id = $1"))
        .bind(user_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    summary_from_row(&row)
}

pub async fn find_by_email(pool: &AnyPool, email: &str) -> Result<UserSummary, AppError> {
    let row = sqlx::query(&format!("{SUMMARY_SELECT} WHERE u.email_normalized = $1"))
        .bind(normalize_email(email))
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    summary_from_row(&row)
}

pub async fn signed_in_user_by_id(pool: &AnyPool, user_id: &str) -> Result<SignedInUser, AppError> {
    let user = find(pool, user_id).await?;
    Ok(SignedInUser {
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

/// A user changes their own password: the current one must be right (a wrong one counts
/// toward the login back-off), the new one must meet the rules; every other session ends and
/// the user is told by mail.
pub async fn change_own_password(
    pool: &AnyPool,
    settings: &MailSettings,
    user: &SignedInUser,
    keep_token: &str,
    current_password: &str,
    new_password: String,
    client: Option<std::net::IpAddr>,
) -> Result<(), AppError> {
    if current_password.is_empty()
        || !super::auth::confirm_password(pool, user, current_password, client).await?
    {
        return Err(AppError::field(
            "current_password",
            "Uw huidige wachtwoord klopt niet.",
        ));
    }
    passwords::check_policy(&new_password, &user.email, "new_password")?;
    if new_password == current_password {
        return Err(AppError::field(
            "new_password",
            "Kies een ander wachtwoord dan uw huidige.",
        ));
    }
    let password_hash = passwords::hash(new_password).await?;
    let now = now_ms();
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sessions::end_others(&mut *tx, &user.id, keep_token).await?;
    audit::record(
        &mut *tx,
        &Actor::User {
            id: user.id.clone(),
            email: user.email.clone(),
        },
        Event {
            kind: "password_changed",
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
        &Notice::PasswordChanged {
            name: user.display_name.clone(),
            changed_at_ms: now,
            account_link: settings.link("/mijn-account"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password (checked against the rules) and ends every session of the account.
pub async fn set_password(
    pool: &AnyPool,
    actor: &Actor,
    user_id: &str,
    password: String,
) -> Result<(), AppError> {
    let user = find(pool, user_id).await?;
    passwords::check_policy(&password, &user.email, "password")?;
    let password_hash = passwords::hash(password).await?;
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sessions::end_all(&mut *tx, user_id).await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "password_set",
            region_code: user.region_code.as_deref(),
            subject: Some(user_id),
            details: json!({ "email": user.email }),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(email = %user.email, "password set");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validator_messages_are_dutch_and_ordered() {
        let input = NewAccount {
            email: "geen-adres".into(),
            display_name: String::new(),
            role: "coordinator".into(),
            region_code: None,
        };
        let errors = field_errors(&input.validate().unwrap_err(), &FORM_ORDER);
        assert_eq!(errors[0].0, "email");
        assert!(errors[0].1[0].contains("geldig e-mailadres"));
        assert_eq!(errors[1].0, "display_name");
    }
}
