//! What each notice says: its subject and paragraphs, in Dutch.

use super::layout::{layout, Block};
use super::{Mail, Notice, INVITATION_VALID_DAYS, PLATFORM_NAME, RESET_VALID_MINUTES};
use crate::domain::time::format_date_time;

impl Notice {
    pub fn compose(&self) -> Mail {
        match self {
            Notice::Invitation {
                name,
                role_label,
                link,
            } => invitation(name, role_label, link),
            Notice::PasswordReset { name, link } => password_reset(name, link),
            Notice::PasswordChanged {
                name,
                changed_at_ms,
                account_link,
            } => password_changed(name, *changed_at_ms, account_link),
            Notice::SecondFactorChanged {
                name,
                what,
                at_ms,
                account_link,
            } => second_factor_changed(name, what, *at_ms, account_link),
            Notice::NewDevice {
                name,
                device,
                address,
                at_ms,
                account_link,
            } => new_device(name, device, address, *at_ms, account_link),
            Notice::RoundOpened {
                name,
                round,
                region,
                deadline_ms,
                link,
            } => round_opened(name, round, region, *deadline_ms, link),
            Notice::DeadlineReminder {
                name,
                round,
                region,
                deadline_ms,
                days_left,
                link,
            } => deadline_reminder(name, round, region, *deadline_ms, *days_left, link),
            Notice::ResponseSubmitted {
                name,
                round,
                region,
                again,
                link,
            } => response_submitted(name, round, region, *again, link),
            Notice::ResponseReturned {
                name,
                round,
                region,
                reason,
                comments,
                link,
            } => response_returned(name, round, region, reason, comments, link),
            Notice::ResponseApproved {
                name,
                round,
                region,
                link,
            } => response_approved(name, round, region, link),
            Notice::CommentAdded {
                name,
                round,
                region,
                question,
                author,
                body,
                link,
            } => comment_added(name, round, region, question, author, body, link),
        }
    }
}

fn invitation(name: &str, role_label: &str, link: &str) -> Mail {
    layout(
        &format!("Uitnodiging voor de {PLATFORM_NAME}"),
        name,
        &[
            Block::Text(format!(
                "Er is een account voor u aangemaakt op de {PLATFORM_NAME}, met de rol {role_label}."
            )),
            Block::Text("Kies via deze link een wachtwoord; daarna kunt u inloggen:".to_string()),
            Block::Link(link.to_string()),
            Block::Text(format!(
                "De link werkt één keer en is {INVITATION_VALID_DAYS} dagen geldig. Is hij verlopen, vraag de beheerder dan om een nieuwe uitnodiging."
            )),
        ],
    )
}

fn password_reset(name: &str, link: &str) -> Mail {
    layout(
        "Nieuw wachtwoord kiezen",
        name,
        &[
            Block::Text(
                "Iemand heeft gevraagd om een nieuw wachtwoord voor uw account. Kies via deze link een nieuw wachtwoord:"
                    .to_string(),
            ),
            Block::Link(link.to_string()),
            Block::Text(format!(
                "De link werkt één keer en is {RESET_VALID_MINUTES} minuten geldig. Als u een nieuw wachtwoord kiest, wordt u overal uitgelogd."
            )),
            Block::Text(
                "Heeft u dit niet zelf gevraagd? Dan kunt u deze e-mail negeren: uw wachtwoord blijft hetzelfde."
                    .to_string(),
            ),
        ],
    )
}

fn password_changed(name: &str, changed_at_ms: i64, account_link: &str) -> Mail {
    layout(
        "Uw wachtwoord is gewijzigd",
        name,
        &[
            Block::Text(format!(
                "Het wachtwoord van uw account is gewijzigd op {}.",
                format_date_time(changed_at_ms)
            )),
            Block::Text(
                "Was u dat niet? Neem dan meteen contact op met de beheerder van de monitor. Uw sessies ziet u op Mijn account:"
                    .to_string(),
            ),
            Block::Link(account_link.to_string()),
        ],
    )
}

fn second_factor_changed(name: &str, what: &str, at_ms: i64, account_link: &str) -> Mail {
    layout(
        "Tweestapsverificatie gewijzigd",
        name,
        &[
            Block::Text(format!(
                "De tweestapsverificatie van uw account is {what} op {}.",
                format_date_time(at_ms)
            )),
            Block::Text(
                "Was u dat niet, of wist u er niet van? Neem dan meteen contact op met de beheerder van de monitor. Uw account ziet u hier:"
                    .to_string(),
            ),
            Block::Link(account_link.to_string()),
        ],
    )
}

fn new_device(name: &str, device: &str, address: &str, at_ms: i64, account_link: &str) -> Mail {
    layout(
        "Ingelogd op een nieuw apparaat",
        name,
        &[
            Block::Text(format!(
                "Op {} is op uw account ingelogd met {device}{}. Dat apparaat is niet eerder gebruikt voor uw account.",
                format_date_time(at_ms),
                if address.is_empty() { String::new() } else { format!(" (adres {address})") }
            )),
            Block::Text(
                "Was u dat zelf? Dan hoeft u niets te doen. Zo niet: wijzig meteen uw wachtwoord en beëindig de sessie op Mijn account:"
                    .to_string(),
            ),
            Block::Link(account_link.to_string()),
        ],
    )
}

fn round_opened(name: &str, round: &str, region: &str, deadline_ms: i64, link: &str) -> Mail {
    layout(
        &format!("{round} is geopend"),
        name,
        &[
            Block::Text(format!(
                "De {round} is geopend voor regio {region}. U kunt de vragenlijst nu invullen, ook samen met collega's; antwoorden worden bewaard terwijl u typt."
            )),
            Block::Text(format!(
                "De deadline is {}.",
                format_date_time(deadline_ms)
            )),
            Block::Link(link.to_string()),
        ],
    )
}

fn deadline_reminder(
    name: &str,
    round: &str,
    region: &str,
    deadline_ms: i64,
    days_left: i64,
    link: &str,
) -> Mail {
    layout(
        &format!(
            "Nog {days_left} {} tot de deadline van de {round}",
            if days_left == 1 { "dag" } else { "dagen" }
        ),
        name,
        &[
            Block::Text(format!(
                "De vragenlijst van regio {region} voor de {round} is nog niet ingediend. De deadline is {}.",
                format_date_time(deadline_ms)
            )),
            Block::Text("Op de takenlijst ziet u welke onderdelen nog open staan:".to_string()),
            Block::Link(link.to_string()),
        ],
    )
}

fn response_submitted(name: &str, round: &str, region: &str, again: bool, link: &str) -> Mail {
    layout(
        &format!(
            "Regio {region} heeft de vragenlijst {}ingediend",
            if again { "opnieuw " } else { "" }
        ),
        name,
        &[
            Block::Text(format!(
                "Regio {region} heeft de vragenlijst voor de {round} {}ingediend. U kunt hem nu beoordelen:",
                if again { "na terugsturen opnieuw " } else { "" }
            )),
            Block::Link(link.to_string()),
        ],
    )
}

fn response_returned(
    name: &str,
    round: &str,
    region: &str,
    reason: &str,
    comments: &[String],
    link: &str,
) -> Mail {
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
    blocks.push(Block::Link(link.to_string()));
    layout("Vragenlijst teruggestuurd", name, &blocks)
}

fn response_approved(name: &str, round: &str, region: &str, link: &str) -> Mail {
    layout(
        "Vragenlijst goedgekeurd",
        name,
        &[
            Block::Text(format!(
                "De vragenlijst van regio {region} voor de {round} is goedgekeurd. Dank voor het invullen."
            )),
            Block::Link(link.to_string()),
        ],
    )
}

fn comment_added(
    name: &str,
    round: &str,
    region: &str,
    question: &str,
    author: &str,
    body: &str,
    link: &str,
) -> Mail {
    layout(
        "Nieuwe opmerking bij uw vragenlijst",
        name,
        &[
            Block::Text(format!(
                "{author} plaatste een opmerking bij de vraag “{question}” in de vragenlijst van regio {region} ({round}):"
            )),
            Block::Text(body.to_string()),
            Block::Text("Antwoorden of bekijken kan hier:".to_string()),
            Block::Link(link.to_string()),
        ],
    )
}
