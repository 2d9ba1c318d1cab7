//! Managing accounts: create, list, disable and enable, set a password. Used by the admin
//! pages and by the command line; both pass through the same checks.

use super::audit::{self, Actor, Event};
use super::{new_id, now_ms, passwords, sessions};
use crate::domain::access::SignedInUser;
use crate::domain::account::{normalize_email, UserSummary};
use crate::domain::role::Role;
use crate::error::{AppError, FieldErrors};
use serde_json::json;
use sqlx::{any::AnyRow, AnyPool, Row};
use validator::Validate;

/// What it takes to create an account. Field names match the admin form.
#[derive(Debug, Clone, Validate)]
pub struct NewUser {
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
    pub password: String,
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
/// region (only for coordinators).
async fn check_new_user(
    pool: &AnyPool,
    input: &NewUser,
) -> Result<(Role, Option<String>), AppError> {
    let trimmed = NewUser {
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
    if email_in_use(pool, &trimmed.email).await? {
        push(
            &mut errors,
            "email",
            "Er is al een gebruiker met dit e-mailadres.".to_string(),
        );
    }
    if let Err(AppError::Validation(problems)) =
        passwords::check_policy(&input.password, &trimmed.email, "password")
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

async fn email_in_use(pool: &AnyPool, email: &str) -> Result<bool, AppError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = $1")
            .bind(normalize_email(email))
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// Creates an account after checking every field; returns its id.
pub async fn create(pool: &AnyPool, actor: &Actor, input: NewUser) -> Result<String, AppError> {
    let (role, region) = check_new_user(pool, &input).await?;
    let email = input.email.trim().to_string();
    let password_hash = passwords::hash(input.password).await?;
    let id = new_id();
    let now = now_ms();
    let mut tx = pool.begin().await?;
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
        // Two admins adding the same address at once: the unique index decides.
        if email_in_use(pool, &email).await.unwrap_or(false) {
            return Err(AppError::field(
                "email",
                "Er is al een gebruiker met dit e-mailadres.",
            ));
        }
        return Err(error.into());
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "user_created",
            region_code: region.as_deref(),
            subject: Some(&id),
            details: json!({ "email": email, "role": role.code() }),
        },
    )
    .await?;
    tx.commit().await?;
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
    })
}

const SUMMARY_SELECT: &str = "SELECT u.id, u.email, u.display_name, u.role, u.region_code, \
     r.name AS region_name, u.active, u.created_at \
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
        let input = NewUser {
            email: "geen-adres".into(),
            display_name: String::new(),
            role: "coordinator".into(),
            region_code: None,
            password: String::new(),
        };
        let errors = field_errors(&input.validate().unwrap_err(), &FORM_ORDER);
        assert_eq!(errors[0].0, "email");
        assert!(errors[0].1[0].contains("geldig e-mailadres"));
        assert_eq!(errors[1].0, "display_name");
    }
}
