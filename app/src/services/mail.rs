//! Mail that really leaves: the outbox and its delivery.
//!
//! A notice is written to the `outbox` table in the same transaction as the event that
//! causes it (`enqueue`), so a mail exists exactly when its event does. A background task
//! (`deliver_due`, every few seconds) takes due mails, sends them over SMTP and marks each
//! sent, or schedules another attempt with back-off, or marks it failed after a permanent
//! refusal or too many attempts. Taking a mail is a claim with an expiry in the row itself,
//! so several instances share one outbox and a mail taken by an instance that died is taken
//! over when the claim runs out: nothing is lost when the SMTP server is down or the process
//! restarts (a mail may at worst leave twice, never not at all).
//!
//! Without `NAD_SMTP_URL` nothing is delivered: the mails stay in the outbox, where admins
//! read them (`/beheer/uitgaande-mail`).

use super::{new_id, now_ms};
use crate::domain::notice::{Mail, Notice, OutboxMail, PLATFORM_NAME};
use crate::error::AppError;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::{Any, AnyPool, Executor, FromRow};
use std::time::Duration;

/// Where mail goes, who sends it, and the address the platform is reached at (for links).
#[derive(Clone)]
pub struct MailSettings {
    /// `smtp://host:port` (plain), `smtp://host?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host` (TLS); `None`: mail stays in the outbox.
    pub smtp_url: Option<String>,
    /// The sender's address.
    pub from: String,
    /// The platform's public address without a trailing slash, e.g. `https://monitor.example`.
    pub public_url: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_url: None,
            from: "noreply@localhost".to_string(),
            public_url: "http://127.0.0.1:3000".to_string(),
        }
    }
}

// The SMTP address may hold a password: never in logs.
impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp", &self.smtp_url.as_ref().map(|_| "(set)"))
            .field("from", &self.from)
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl MailSettings {
    /// Checks the settings at start, so a typo stops the server instead of every mail.
    pub fn new(smtp_url: Option<String>, from: String, public_url: String) -> Result<Self, String> {
        let smtp_url = smtp_url.filter(|url| !url.trim().is_empty());
        if let Some(url) = &smtp_url {
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|error| format!("NAD_SMTP_URL is ongeldig: {error}"))?;
        }
        from.parse::<Mailbox>()
            .map_err(|error| format!("NAD_MAIL_FROM '{from}' is geen e-mailadres: {error}"))?;
        let public_url = public_url.trim().trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(format!(
                "NAD_PUBLIC_URL '{public_url}' moet met http:// of https:// beginnen."
            ));
        }
        Ok(MailSettings {
            smtp_url,
            from,
            public_url,
        })
    }

    /// An absolute link to a path of the platform (`path` starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

/// Who a mail is for.
pub struct Recipient<'a> {
    pub user_id: Option<&'a str>,
    pub address: &'a str,
}

/// Writes a notice to the outbox; call it inside the transaction of the event.
pub async fn enqueue<'e, E>(
    executor: E,
    recipient: Recipient<'_>,
    notice: &Notice,
) -> Result<(), AppError>
where
    E: Executor<'e, Database = Any>,
{
    let Mail {
        subject,
        text,
        html,
    } = notice.compose();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO outbox (id, created_at, recipient_user_id, recipient, kind, subject, \
         body_text, body_html, status, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $2)",
    )
    .bind(new_id())
    .bind(now)
    .bind(recipient.user_id)
    .bind(recipient.address)
    .bind(notice.kind())
    .bind(subject)
    .bind(text)
    .bind(html)
    .execute(executor)
    .await?;
    Ok(())
}

/// The most recent mails, newest first.
pub async fn recent(pool: &AnyPool, limit: i64) -> Result<Vec<OutboxMail>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, created_at, recipient, kind, subject, body_text, status, attempts, \
         next_attempt_at, last_error, sent_at FROM outbox ORDER BY created_at DESC, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// How many attempts a mail gets before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long an instance may take over sending one mail before another may take it over.
const CLAIM_MS: i64 = 2 * 60 * 1000;
/// How many due mails one pass takes.
const BATCH: i64 = 20;

/// The wait before attempt `attempts + 1`: 1, 2, 4, … minutes, at most an hour. Eight
/// attempts span about three hours.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    let minutes = 1i64 << attempts.clamp(1, 7).saturating_sub(1);
    minutes.min(60) * 60 * 1000
}

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: u32,
    pub retrying: u32,
    pub failed: u32,
}

/// The SMTP connection of a running server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `None` without an SMTP address: mail stays in the outbox.
    pub fn from_settings(settings: &MailSettings) -> Result<Option<Mailer>, String> {
        let Some(url) = &settings.smtp_url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| format!("NAD_SMTP_URL is ongeldig: {error}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let address = settings
            .from
            .parse::<Mailbox>()
            .map_err(|error| format!("NAD_MAIL_FROM is geen e-mailadres: {error}"))?;
        let from = Mailbox::new(Some(PLATFORM_NAME.to_string()), address.email);
        Ok(Some(Mailer { transport, from }))
    }
}

#[derive(FromRow)]
struct DueMail {
    id: String,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i64,
}

/// Sends the mails that are due at `now`; each is claimed first, so two instances never
/// send the same mail at the same time.
pub async fn deliver_due(pool: &AnyPool, mailer: &Mailer, now: i64) -> Result<Delivered, AppError> {
    let candidates: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
         AND claimed_until < $1 ORDER BY created_at, id LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(pool)
    .await?;
    let mut delivered = Delivered::default();
    for id in candidates {
        let claimed = sqlx::query(
            "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
             WHERE id = $2 AND status = 'pending' AND claimed_until < $3",
        )
        .bind(now + CLAIM_MS)
        .bind(&id)
        .bind(now)
        .execute(pool)
        .await?;
        if claimed.rows_affected() != 1 {
            continue; // another instance took it
        }
        let mail: DueMail = sqlx::query_as(
            "SELECT id, recipient, subject, body_text, body_html, attempts FROM outbox WHERE id = $1",
        )
        .bind(&id)
        .fetch_one(pool)
        .await?;
        match send(mailer, &mail).await {
            Ok(()) => {
                sqlx::query(
                    "UPDATE outbox SET status = 'sent', sent_at = $1, last_error = NULL, \
                     claimed_until = 0 WHERE id = $2",
                )
                .bind(now_ms())
                .bind(&mail.id)
                .execute(pool)
                .await?;
                delivered.sent += 1;
            }
            Err(failure) => {
                let give_up = failure.permanent || mail.attempts >= MAX_ATTEMPTS;
                tracing::warn!(mail = %mail.id, attempts = mail.attempts, give_up, error = %failure.message, "sending a mail failed");
                sqlx::query(
                    "UPDATE outbox SET status = $1, last_error = $2, next_attempt_at = $3, \
                     claimed_until = 0 WHERE id = $4",
                )
                .bind(if give_up { "failed" } else { "pending" })
                .bind(&failure.message)
                .bind(now + retry_delay_ms(mail.attempts))
                .bind(&mail.id)
                .execute(pool)
                .await?;
                if give_up {
                    delivered.failed += 1;
                } else {
                    delivered.retrying += 1;
                }
            }
        }
    }
    Ok(delivered)
}

struct SendFailure {
    message: String,
    /// The server refused for good (5xx), or the mail can't be built: trying again won't help.
    permanent: bool,
}

async fn send(mailer: &Mailer, mail: &DueMail) -> Result<(), SendFailure> {
    let permanent = |message: String| SendFailure {
        message,
        permanent: true,
    };
    let to = mail
        .recipient
        .parse::<Mailbox>()
        .map_err(|error| permanent(format!("ongeldig adres: {error}")))?;
    let message = Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            mail.body_text.clone(),
            mail.body_html.clone(),
        ))
        .map_err(|error| permanent(format!("bericht niet samen te stellen: {error}")))?;
    mailer
        .transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|error| SendFailure {
            permanent: error.is_permanent(),
            message: error.to_string(),
        })
}

/// Puts a failed mail back in line, to be tried at once (the outbox page's "Opnieuw
/// proberen").
pub async fn retry(pool: &AnyPool, id: &str) -> Result<(), AppError> {
    let changed = sqlx::query(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, \
         claimed_until = 0 WHERE id = $2 AND status = 'failed'",
    )
    .bind(now_ms())
    .bind(id)
    .execute(pool)
    .await?;
    if changed.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_an_hour() {
        let minutes: Vec<i64> = (1..=9).map(|n| retry_delay_ms(n) / 60_000).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    #[test]
    fn settings_are_checked() {
        let ok = MailSettings::new(
            Some("smtp://127.0.0.1:2525".into()),
            "monitor@example.nl".into(),
            "https://monitor.example.nl/".into(),
        )
        .unwrap();
        assert_eq!(
            ok.link(crate::paths::ACCOUNT),
            "https://monitor.example.nl/mijn-account"
        );
        assert!(!format!("{ok:?}").contains("2525"));
        assert!(MailSettings::new(None, "geen adres".into(), "https://x".into()).is_err());
        assert!(MailSettings::new(None, "a@b.nl".into(), "monitor.example".into()).is_err());
        assert!(
            MailSettings::new(Some("ftp://x".into()), "a@b.nl".into(), "https://x".into()).is_err()
        );
        assert!(
            MailSettings::new(Some(String::new()), "a@b.nl".into(), "https://x".into())
                .unwrap()
                .smtp_url
                .is_none()
        );
    }
}
