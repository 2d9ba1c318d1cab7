//! The e-mails the platform sends, as text: what each notice says, in Dutch, as plain text
//! and as simple HTML. Nothing here sends anything; `services::mail` puts a composed mail in
//! the outbox in the same transaction as the event that causes it.
//!
//! Every mail says the same as a page in the platform does (a notice is never the only place
//! where something is): the link in it leads there.

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
}

mod layout;
#[cfg(test)]
mod tests;
mod texts;
