//! Changing a password: one's own (the current one required) or an operator's on the command
//! line.

use super::*;
use crate::paths;

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
        || !crate::services::auth::confirm_password(pool, user, current_password, client).await?
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
    record_account_change(
        &mut tx,
        user,
        &crate::services::request::actor(user),
        "password_changed",
        &Notice::PasswordChanged {
            name: user.display_name.clone(),
            changed_at_ms: now,
            account_link: settings.link(paths::ACCOUNT),
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
