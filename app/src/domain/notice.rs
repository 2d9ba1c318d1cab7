//! The e-mails the platform sends, as text: what each notice says, in Dutch, as plain text
//! and as simple HTML. Nothing here sends anything; `services::mail` puts a composed mail in
//! the outbox in the same transaction as the event that causes it.
//!
//! Every mail says the same as a page in the platform does (a notice is never the only place
//! where something is): the link in it leads there.

use super::time::format_date_time;

/// The platform's name, at the top of every mail and in its sender name.
pub const PLATFORM_NAME: &str = "Monitor Eerst een Thuis";

/// How long an invitation link works.
pub const INVITATION_VALID_DAYS: i64 = 7;
/// How long a password-reset link works.
pub const RESET_VALID_MINUTES: i64 = 60;

/// One mail, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A mail in the outbox, as the outbox page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OutboxMail {
    pub id: String,
    pub created_at: i64,
    pub recipient: String,
    pub kind: String,
    pub subject: String,
    pub body_text: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
}

/// Why a mail is sent. `kind` names it in the outbox; `compose` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// An admin created an account; its owner chooses a password through the link.
    Invitation {
        name: String,
        role_label: String,
        link: String,
    },
    /// Someone asked for a new password for this address.
    PasswordReset { name: String, link: String },
    /// The account's password was changed (by its owner, or through a reset link).
    PasswordChanged {
        name: String,
        changed_at_ms: i64,
        account_link: String,
    },
}

impl Notice {
    /// The kind stored with the mail in the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Invitation { .. } => "invitation",
            Notice::PasswordReset { .. } => "password_reset",
            Notice::PasswordChanged { .. } => "password_changed",
        }
    }

    /// The outbox page's name for a kind.
    pub fn kind_label(kind: &str) -> &'static str {
        match kind {
            "invitation" => "Uitnodiging",
            "password_reset" => "Wachtwoord herstellen",
            "password_changed" => "Wachtwoord gewijzigd",
            _ => "Bericht",
        }
    }

    pub fn compose(&self) -> Mail {
        match self {
            Notice::Invitation {
                name,
                role_label,
                link,
            } => compose(
                &format!("Uitnodiging voor de {PLATFORM_NAME}"),
                name,
                &[
                    Block::Text(format!(
                        "Er is een account voor u aangemaakt op de {PLATFORM_NAME}, met de rol {role_label}."
                    )),
                    Block::Text(
                        "Kies via deze link een wachtwoord; daarna kunt u inloggen:".to_string(),
                    ),
                    Block::Link(link.clone()),
                    Block::Text(format!(
                        "De link werkt één keer en is {INVITATION_VALID_DAYS} dagen geldig. Is hij verlopen, vraag de beheerder dan om een nieuwe uitnodiging."
                    )),
                ],
            ),
            Notice::PasswordReset { name, link } => compose(
                "Nieuw wachtwoord kiezen",
                name,
                &[
                    Block::Text(
                        "Iemand heeft gevraagd om een nieuw wachtwoord voor uw account. Kies via deze link een nieuw wachtwoord:"
                            .to_string(),
                    ),
                    Block::Link(link.clone()),
                    Block::Text(format!(
                        "De link werkt één keer en is {RESET_VALID_MINUTES} minuten geldig. Als u een nieuw wachtwoord kiest, wordt u overal uitgelogd."
                    )),
                    Block::Text(
                        "Heeft u dit niet zelf gevraagd? Dan kunt u deze e-mail negeren: uw wachtwoord blijft hetzelfde."
                            .to_string(),
                    ),
                ],
            ),
            Notice::PasswordChanged {
                name,
                changed_at_ms,
                account_link,
            } => compose(
                "Uw wachtwoord is gewijzigd",
                name,
                &[
                    Block::Text(format!(
                        "Het wachtwoord van uw account is gewijzigd op {}.",
                        format_date_time(*changed_at_ms)
                    )),
                    Block::Text(
                        "Was u dat niet? Neem dan meteen contact op met de beheerder van de monitor. Uw sessies ziet u op Mijn account:"
                            .to_string(),
                    ),
                    Block::Link(account_link.clone()),
                ],
            ),
        }
    }
}

/// A paragraph of a mail.
enum Block {
    Text(String),
    Link(String),
}

fn compose(subject: &str, name: &str, blocks: &[Block]) -> Mail {
    let greeting = format!("Beste {name},");
    let closing = format!(
        "Met vriendelijke groet,\n{PLATFORM_NAME}\n\nDit bericht is automatisch verstuurd; u kunt er niet op antwoorden."
    );
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: sans-serif; line-height: 1.5; max-width: 40em\">\
         <p style=\"font-weight: bold\">{}</p><p>{}</p>",
        escape(subject),
        escape(PLATFORM_NAME),
        escape(&greeting)
    );
    for block in blocks {
        match block {
            Block::Text(paragraph) => {
                text.push_str(paragraph);
                html.push_str(&format!("<p>{}</p>", escape(paragraph)));
            }
            Block::Link(url) => {
                text.push_str(url);
                html.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", escape(url)));
            }
        }
        text.push_str("\n\n");
    }
    text.push_str(&closing);
    text.push('\n');
    html.push_str(&format!(
        "<p>{}</p></body></html>",
        escape(&closing).replace('\n', "<br>")
    ));
    Mail {
        subject: format!("{subject} – {PLATFORM_NAME}"),
        text,
        html,
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_holds_the_link_in_both_parts() {
        let mail = Notice::Invitation {
            name: "An <de> Vries".into(),
            role_label: "Regiocoördinator".into(),
            link: "https://monitor.example/wachtwoord-kiezen?sleutel=abc&x=1".into(),
        }
        .compose();
        assert!(mail.subject.starts_with("Uitnodiging voor de Monitor"));
        assert!(mail.text.contains("Beste An <de> Vries,"));
        assert!(mail
            .text
            .contains("https://monitor.example/wachtwoord-kiezen?sleutel=abc&x=1"));
        assert!(mail.text.contains("7 dagen"));
        // Names and links are escaped in the HTML part.
        assert!(mail.html.contains("An &lt;de&gt; Vries"));
        assert!(mail
            .html
            .contains("href=\"https://monitor.example/wachtwoord-kiezen?sleutel=abc&amp;x=1\""));
        assert!(!mail.html.contains("<de>"));
    }

    #[test]
    fn every_kind_has_a_label() {
        for notice in [
            Notice::Invitation {
                name: String::new(),
                role_label: String::new(),
                link: String::new(),
            },
            Notice::PasswordReset {
                name: String::new(),
                link: String::new(),
            },
            Notice::PasswordChanged {
                name: String::new(),
                changed_at_ms: 0,
                account_link: String::new(),
            },
        ] {
            assert_ne!(Notice::kind_label(notice.kind()), "Bericht");
        }
    }
}
