//! Making accounts: with a password (operators, the demo) or by invitation (admins), and
//! sending an invitation again.

use super::checks::{check_account, write_error};
use super::*;

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
