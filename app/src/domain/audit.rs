//! The audit trail as admins read it: the kinds of events with their Dutch names, the filter
//! they browse with, and one entry as shown and exported. Entries come from the audit log and
//! from the history of every answer; neither can be changed or deleted.

use serde::{Deserialize, Serialize};

/// The kind of an answer change, which lives in the answers' own history table.
pub const ANSWER_CHANGED: &str = "answer_changed";

/// Every kind of event, with what the admin reads.
pub const KINDS: [(&str, &str); 43] = [
    ("login", "Ingelogd"),
    ("login_failed", "Inloggen mislukt"),
    ("logout", "Uitgelogd"),
    ("user_created", "Gebruiker aangemaakt"),
    ("user_disabled", "Gebruiker geblokkeerd"),
    ("user_enabled", "Gebruiker weer toegelaten"),
    ("password_set", "Wachtwoord ingesteld"),
    ("user_changed", "Gebruikersgegevens gewijzigd"),
    ("invitation_sent", "Uitnodiging opnieuw verstuurd"),
    (
        "invitation_accepted",
        "Uitnodiging aanvaard: wachtwoord gekozen",
    ),
    ("password_reset_requested", "Nieuw wachtwoord aangevraagd"),
    ("password_reset", "Wachtwoord hersteld via link"),
    ("password_changed", "Wachtwoord gewijzigd"),
    ("two_factor_enabled", "Tweestapsverificatie ingesteld"),
    ("two_factor_removed", "Tweestapsverificatie uitgezet"),
    (
        "two_factor_reset",
        "Tweestapsverificatie gewist door beheerder",
    ),
    ("recovery_code_used", "Herstelcode gebruikt"),
    ("regions_imported", "Regio's geladen"),
    ("questionnaire_imported", "Vragenlijstversie geladen"),
    ("round_created", "Meting aangemaakt"),
    ("round_state_changed", "Status van meting gewijzigd"),
    ("deadline_extended", "Deadline verlengd"),
    ("round_changed", "Naam of data van meting gewijzigd"),
    ("round_comparison_changed", "Vergeleken meting gewijzigd"),
    ("region_added", "Regio toegevoegd"),
    ("region_renamed", "Regio hernoemd"),
    ("region_retired", "Regio opgeheven"),
    ("region_reinstated", "Regio weer in gebruik"),
    ("gemeente_moved", "Gemeente naar andere regio"),
    ("gemeente_added", "Gemeente toegevoegd"),
    ("gemeente_removed", "Gemeente uit indeling gehaald"),
    (ANSWER_CHANGED, "Antwoord gewijzigd"),
    ("answers_prefilled", "Antwoorden overgenomen"),
    ("prefill_confirmed", "Overgenomen antwoorden bevestigd"),
    ("response_submitted", "Vragenlijst ingediend"),
    ("response_returned", "Vragenlijst teruggestuurd"),
    ("response_approved", "Vragenlijst goedgekeurd"),
    ("approval_failed", "Goedkeuring mislukt (wachtwoord)"),
    ("approval_voided", "Goedkeuring ingetrokken"),
    ("response_reopened", "Vragenlijst heropend"),
    ("comment_added", "Opmerking geplaatst"),
    ("comment_resolved", "Opmerking afgehandeld"),
    ("comment_reopened", "Opmerking heropend"),
];

/// The Dutch name of a kind; unknown kinds show as stored.
pub fn kind_label(kind: &str) -> &str {
    KINDS
        .iter()
        .find(|(code, _)| *code == kind)
        .map_or(kind, |(_, label)| label)
}

/// What the admin filters on; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Part of the actor's e-mail address (or "cli"), case-insensitive.
    pub user: Option<String>,
    pub region_code: Option<String>,
    pub round_id: Option<String>,
    pub kind: Option<String>,
    /// From the start of this moment (UTC ms), up to the end of `until`.
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// The most entries one page shows.
pub const PAGE_SIZE: i64 = 100;
/// The longest user search text.
pub const MAX_USER_FILTER_CHARS: usize = 254;

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub occurred_at: i64,
    /// E-mail address of whoever did it, "cli" or "anoniem".
    pub actor: String,
    pub kind: String,
    pub region_code: Option<String>,
    pub round_name: Option<String>,
    /// What it was about, in a line: the details, or for an answer "item: old → new".
    pub details: String,
}

/// A page of entries, newest first, and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
    /// 1-based.
    pub page: i64,
}

impl AuditPage {
    pub fn pages(&self) -> i64 {
        ((self.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern that finds `text` anywhere.
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_label() {
        let mut codes: Vec<&str> = KINDS.iter().map(|(code, _)| *code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), KINDS.len());
        assert_eq!(kind_label("response_approved"), "Vragenlijst goedgekeurd");
        assert_eq!(kind_label("iets_nieuws"), "iets_nieuws");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("Ann_a%"), "%ann\\_a\\%%");
        assert_eq!(contains_pattern("a\\b"), "%a\\\\b%");
    }

    #[test]
    fn pages_round_up() {
        let page = |total| AuditPage {
            entries: vec![],
            total,
            page: 1,
        };
        assert_eq!(page(0).pages(), 1);
        assert_eq!(page(100).pages(), 1);
        assert_eq!(page(101).pages(), 2);
    }
}
