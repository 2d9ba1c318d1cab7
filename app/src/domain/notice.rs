//! The e-mails the platform sends, as text: what each notice says, in Dutch, as plain text
//! and as simple HTML. Nothing here sends anything; `services::mail` puts a composed mail in
//! the outbox in the same transaction as the event that causes it.
//!
//! Every mail says the same as a page in the platform does (a notice is never the only place
//! where something is): the link in it leads there.

use super::html::escape;
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
    /// Two-factor sign-in was set up, switched off, or reset by an admin (`what`).
    SecondFactorChanged {
        name: String,
        what: String,
        at_ms: i64,
        account_link: String,
    },
    /// Someone logged in to the account from a device it was not used on before.
    NewDevice {
        name: String,
        device: String,
        address: String,
        at_ms: i64,
        account_link: String,
    },
    /// A round opened for the coordinator's region.
    RoundOpened {
        name: String,
        round: String,
        region: String,
        deadline_ms: i64,
        link: String,
    },
    /// The deadline of the region's response is near and it is not submitted yet.
    DeadlineReminder {
        name: String,
        round: String,
        region: String,
        deadline_ms: i64,
        days_left: i64,
        link: String,
    },
    /// A region submitted its response (again, after it was sent back): for reviewers.
    ResponseSubmitted {
        name: String,
        round: String,
        region: String,
        again: bool,
        link: String,
    },
    /// A reviewer sent the region's response back, with a reason and the open comments.
    ResponseReturned {
        name: String,
        round: String,
        region: String,
        reason: String,
        /// "question: comment", one per open comment thread.
        comments: Vec<String>,
        link: String,
    },
    /// A reviewer approved the region's response.
    ResponseApproved {
        name: String,
        round: String,
        region: String,
        link: String,
    },
    /// Someone commented on an item of the region's response.
    CommentAdded {
        name: String,
        round: String,
        region: String,
        question: String,
        author: String,
        body: String,
        link: String,
    },
}

/// The kinds of notice a user may switch off on "Mijn account", with what they read there.
/// The others (sign-in, password, invitation, a response sent back or approved) always go out.
pub const OPTIONAL_KINDS: [(&str, &str); 4] = [
    ("round_opened", "Een meting gaat open voor mijn regio"),
    ("deadline_reminder", "Herinneringen als de deadline nadert"),
    ("comment_added", "Nieuwe opmerkingen bij onze vragenlijst"),
    (
        "response_submitted",
        "Een regio heeft een vragenlijst ingediend (reviewers)",
    ),
];

/// The optional kinds that concern a role: the ones "Mijn account" offers.
pub fn optional_kinds_for(role: super::role::Role) -> Vec<(&'static str, &'static str)> {
    use super::role::Role;
    OPTIONAL_KINDS
        .into_iter()
        .filter(|(kind, _)| match role {
            Role::Coordinator => *kind != "response_submitted",
            Role::Reviewer => *kind == "response_submitted",
            Role::Admin => false,
        })
        .collect()
}

/// Whether a user may switch a kind of notice off.
pub fn is_optional(kind: &str) -> bool {
    OPTIONAL_KINDS.iter().any(|(code, _)| *code == kind)
}

impl Notice {
    /// The kind stored with the mail in the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Invitation { .. } => "invitation",
            Notice::PasswordReset { .. } => "password_reset",
            Notice::PasswordChanged { .. } => "password_changed",
            Notice::NewDevice { .. } => "new_device",
            Notice::SecondFactorChanged { .. } => "second_factor_changed",
            Notice::RoundOpened { .. } => "round_opened",
            Notice::DeadlineReminder { .. } => "deadline_reminder",
            Notice::ResponseSubmitted { .. } => "response_submitted",
            Notice::ResponseReturned { .. } => "response_returned",
            Notice::ResponseApproved { .. } => "response_approved",
            Notice::CommentAdded { .. } => "comment_added",
        }
    }

    /// The outbox page's name for a kind.
    pub fn kind_label(kind: &str) -> &'static str {
        match kind {
            "invitation" => "Uitnodiging",
            "password_reset" => "Wachtwoord herstellen",
            "password_changed" => "Wachtwoord gewijzigd",
            "new_device" => "Inloggen op een nieuw apparaat",
            "second_factor_changed" => "Tweestapsverificatie gewijzigd",
            "round_opened" => "Meting geopend",
            "deadline_reminder" => "Herinnering deadline",
            "response_submitted" => "Vragenlijst ingediend",
            "response_returned" => "Vragenlijst teruggestuurd",
            "response_approved" => "Vragenlijst goedgekeurd",
            "comment_added" => "Nieuwe opmerking",
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
            Notice::SecondFactorChanged {
                name,
                what,
                at_ms,
                account_link,
            } => compose(
                "Tweestapsverificatie gewijzigd",
                name,
                &[
                    Block::Text(format!(
                        "De tweestapsverificatie van uw account is {what} op {}.",
                        format_date_time(*at_ms)
                    )),
                    Block::Text(
                        "Was u dat niet, of wist u er niet van? Neem dan meteen contact op met de beheerder van de monitor. Uw account ziet u hier:"
                            .to_string(),
                    ),
                    Block::Link(account_link.clone()),
                ],
            ),
            Notice::NewDevice {
                name,
                device,
                address,
                at_ms,
                account_link,
            } => compose(
                "Ingelogd op een nieuw apparaat",
                name,
                &[
                    Block::Text(format!(
                        "Op {} is op uw account ingelogd met {device}{}. Dat apparaat is niet eerder gebruikt voor uw account.",
                        format_date_time(*at_ms),
                        if address.is_empty() { String::new() } else { format!(" (adres {address})") }
                    )),
                    Block::Text(
                        "Was u dat zelf? Dan hoeft u niets te doen. Zo niet: wijzig meteen uw wachtwoord en beëindig de sessie op Mijn account:"
                            .to_string(),
                    ),
                    Block::Link(account_link.clone()),
                ],
            ),
            Notice::RoundOpened {
                name,
                round,
                region,
                deadline_ms,
                link,
            } => compose(
                &format!("{round} is geopend"),
                name,
                &[
                    Block::Text(format!(
                        "De {round} is geopend voor regio {region}. U kunt de vragenlijst nu invullen, ook samen met collega's; antwoorden worden bewaard terwijl u typt."
                    )),
                    Block::Text(format!(
                        "De deadline is {}.",
                        format_date_time(*deadline_ms)
                    )),
                    Block::Link(link.clone()),
                ],
            ),
            Notice::DeadlineReminder {
                name,
                round,
                region,
                deadline_ms,
                days_left,
                link,
            } => compose(
                &format!(
                    "Nog {days_left} {} tot de deadline van de {round}",
                    if *days_left == 1 { "dag" } else { "dagen" }
                ),
                name,
                &[
                    Block::Text(format!(
                        "De vragenlijst van regio {region} voor de {round} is nog niet ingediend. De deadline is {}.",
                        format_date_time(*deadline_ms)
                    )),
                    Block::Text(
                        "Op de takenlijst ziet u welke onderdelen nog open staan:".to_string(),
                    ),
                    Block::Link(link.clone()),
                ],
            ),
            Notice::ResponseSubmitted {
                name,
                round,
                region,
                again,
                link,
            } => compose(
                &format!(
                    "Regio {region} heeft de vragenlijst {}ingediend",
                    if *again { "opnieuw " } else { "" }
                ),
                name,
                &[
                    Block::Text(format!(
                        "Regio {region} heeft de vragenlijst voor de {round} {}ingediend. U kunt hem nu beoordelen:",
                        if *again { "na terugsturen opnieuw " } else { "" }
                    )),
                    Block::Link(link.clone()),
                ],
            ),
            Notice::ResponseReturned {
                name,
                round,
                region,
                reason,
                comments,
                link,
            } => {
                let mut blocks = vec![
                    Block::Text(format!(
                        "De vragenlijst van regio {region} voor de {round} is teruggestuurd. U kunt hem weer aanpassen en opnieuw indienen."
                    )),
                    Block::Text(format!("Reden: {reason}")),
                ];
                if !comments.is_empty() {
                    blocks.push(Block::Text(format!(
                        "Openstaande opmerkingen van de reviewer:\n{}",
                        comments
                            .iter()
                            .map(|comment| format!("- {comment}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    )));
                }
                blocks.push(Block::Link(link.clone()));
                compose("Vragenlijst teruggestuurd", name, &blocks)
            }
            Notice::ResponseApproved {
                name,
                round,
                region,
                link,
            } => compose(
                "Vragenlijst goedgekeurd",
                name,
                &[
                    Block::Text(format!(
                        "De vragenlijst van regio {region} voor de {round} is goedgekeurd. Dank voor het invullen."
                    )),
                    Block::Link(link.clone()),
                ],
            ),
            Notice::CommentAdded {
                name,
                round,
                region,
                question,
                author,
                body,
                link,
            } => compose(
                "Nieuwe opmerking bij uw vragenlijst",
                name,
                &[
                    Block::Text(format!(
                        "{author} plaatste een opmerking bij de vraag “{question}” in de vragenlijst van regio {region} ({round}):"
                    )),
                    Block::Text(body.clone()),
                    Block::Text("Antwoorden of bekijken kan hier:".to_string()),
                    Block::Link(link.clone()),
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
                html.push_str(&format!(
                    "<p>{}</p>",
                    escape(paragraph).replace('\n', "<br>")
                ));
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
            returned(),
        ] {
            assert_ne!(Notice::kind_label(notice.kind()), "Bericht");
        }
        for (kind, _) in OPTIONAL_KINDS {
            assert_ne!(Notice::kind_label(kind), "Bericht");
        }
        assert!(!is_optional("response_returned") && !is_optional("new_device"));
    }

    fn returned() -> Notice {
        Notice::ResponseReturned {
            name: "Gerda".into(),
            round: "meting juni 2026".into(),
            region: "Groningen".into(),
            reason: "Licht B3 toe".into(),
            comments: vec!["Vraag B3: klopt 12?".into(), "Vraag C1: <bron>".into()],
            link: "https://monitor.example/vragenlijst/x".into(),
        }
    }

    #[test]
    fn a_returned_response_lists_the_reason_and_the_open_comments() {
        let mail = returned().compose();
        assert!(mail.text.contains("Reden: Licht B3 toe"));
        assert!(mail
            .text
            .contains("- Vraag B3: klopt 12?\n- Vraag C1: <bron>"));
        assert!(mail
            .html
            .contains("- Vraag B3: klopt 12?<br>- Vraag C1: &lt;bron&gt;"));
    }
}
