//! The outbox page: every mail the platform wrote, for admins. Without an SMTP server this
//! is where mails are read (the demo works that way).

use crate::domain::notice::OutboxMail;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxView {
    /// An SMTP server is set: pending mails are being delivered.
    pub delivering: bool,
    pub mails: Vec<OutboxMail>,
}

/// How many mails the page shows.
pub const SHOWN: i64 = 200;

#[server(endpoint = "outbox")]
pub async fn get_outbox() -> Result<OutboxView, AppError> {
    use crate::services::{mail, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    let mails = mail::recent(&state.pool, SHOWN).await?;
    Ok(OutboxView {
        delivering: state.config.mail.smtp_url.is_some(),
        mails,
    })
}

/// Puts a failed mail back in line.
#[server(endpoint = "outbox/retry")]
pub async fn retry_mail(id: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::{mail, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    mail::retry(&state.pool, &id).await?;
    leptos_axum::redirect(&paths::with_notice(paths::OUTBOX, "opnieuw"));
    Ok(())
}
