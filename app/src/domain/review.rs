//! Review: reviewers check every region's response before a round is published. This module
//! holds the rules: where a region stands, which review actions are allowed from where and by
//! whom, the completeness overview's rows with their sorting and totals, and comment threads.

use super::attribution::Attribution;
use super::response::ResponseStatus;
use super::role::Role;
use super::round::RoundState;
use serde::{Deserialize, Serialize};

pub mod findings;
mod overview;

pub use overview::{
    check_search, matches_search, sort_rows, OverviewPage, OverviewRow, SortKey, Totals,
    MAX_SEARCH_CHARS, OVERVIEW_PAGE_SIZE,
};

/// Where a region stands in the review of a round, as the overview shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReviewStatus {
    NotStarted,
    Busy,
    Submitted,
    Returned,
    Approved,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 5] = [
        ReviewStatus::NotStarted,
        ReviewStatus::Busy,
        ReviewStatus::Submitted,
        ReviewStatus::Returned,
        ReviewStatus::Approved,
    ];

    /// A response nobody has answered anything in has not started, whatever its row says.
    pub fn of(status: Option<ResponseStatus>, answered: usize) -> ReviewStatus {
        match status {
            None => ReviewStatus::NotStarted,
            Some(ResponseStatus::Open) if answered == 0 => ReviewStatus::NotStarted,
            Some(ResponseStatus::Open) => ReviewStatus::Busy,
            Some(ResponseStatus::Submitted) => ReviewStatus::Submitted,
            Some(ResponseStatus::Returned) => ReviewStatus::Returned,
            Some(ResponseStatus::Approved) => ReviewStatus::Approved,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::NotStarted => "Niet begonnen",
            ReviewStatus::Busy => "Bezig",
            ReviewStatus::Submitted => "Ingediend",
            ReviewStatus::Returned => "Teruggestuurd",
            ReviewStatus::Approved => "Goedgekeurd",
        }
    }

    /// The code in the overview's filter (a query parameter).
    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::NotStarted => "niet-begonnen",
            ReviewStatus::Busy => "bezig",
            ReviewStatus::Submitted => "ingediend",
            ReviewStatus::Returned => "teruggestuurd",
            ReviewStatus::Approved => "goedgekeurd",
        }
    }

    pub fn from_code(code: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Submitted, whether or not a reviewer approved it since.
    pub fn is_in(self) -> bool {
        matches!(self, ReviewStatus::Submitted | ReviewStatus::Approved)
    }
}

/// What a reviewer does with a submitted response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewAction {
    /// Send it back to the coordinators with a reason; they change it and submit again.
    Return,
    /// Approve it, signed with the reviewer's password; it is locked.
    Approve,
    /// Void an approval, with a reason; it goes back to the coordinators.
    Reopen,
}

impl ReviewAction {
    /// The audit log's kind for this action.
    pub fn audit_kind(self) -> &'static str {
        match self {
            ReviewAction::Return => "response_returned",
            ReviewAction::Approve => "response_approved",
            ReviewAction::Reopen => "approval_voided",
        }
    }
}

/// Checks a review action by someone with `role` on a response with `status` in a round in
/// `round_state`, and gives the response's new status. The error says in Dutch why not.
pub fn check_action(
    role: Role,
    status: ResponseStatus,
    round_state: RoundState,
    action: ReviewAction,
) -> Result<ResponseStatus, String> {
    if role == Role::Coordinator {
        return Err("Alleen reviewers en beheerders beoordelen vragenlijsten.".to_string());
    }
    match round_state {
        RoundState::Concept => {
            return Err("Deze meting is nog niet geopend; er is niets te beoordelen.".to_string())
        }
        // The published editions stay as they are; a late approval only reaches the public
        // side through a correction, which the admin publishes with a note.
        RoundState::Published => {
            return match (action, status) {
                (ReviewAction::Approve, ResponseStatus::Submitted) => Ok(ResponseStatus::Approved),
                _ => Err("Deze meting is gepubliceerd: een ingediende vragenlijst kan nog worden \
                     goedgekeurd (voor een correctie), maar niet meer worden teruggestuurd of heropend."
                    .to_string()),
            }
        }
        RoundState::Open | RoundState::Closed => {}
    }
    match (action, status) {
        (ReviewAction::Return, ResponseStatus::Submitted) if round_state == RoundState::Open => {
            Ok(ResponseStatus::Returned)
        }
        (ReviewAction::Return, ResponseStatus::Submitted) => Err(
            "De meting is gesloten: een teruggestuurde vragenlijst kan niet meer worden gewijzigd. \
             Laat een beheerder de meting eerst weer openen."
                .to_string(),
        ),
        (ReviewAction::Approve, ResponseStatus::Submitted) => Ok(ResponseStatus::Approved),
        (ReviewAction::Reopen, ResponseStatus::Approved) => Ok(ResponseStatus::Returned),
        (ReviewAction::Reopen, _) => {
            Err("Alleen een goedgekeurde vragenlijst kan worden heropend.".to_string())
        }
        (_, ResponseStatus::Approved) => Err("Deze vragenlijst is al goedgekeurd.".to_string()),
        (_, ResponseStatus::Returned) => Err(
            "Deze vragenlijst is teruggestuurd; de regio moet haar eerst opnieuw indienen."
                .to_string(),
        ),
        (_, ResponseStatus::Open) => {
            Err("Deze vragenlijst is nog niet ingediend.".to_string())
        }
    }
}

/// Who gave a response's current answers: the region's own coordinators, the region's
/// adviser (regioadviseur), or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilledInBy {
    #[default]
    Nobody,
    Region,
    Adviser,
    RegionAndAdviser,
}

impl FilledInBy {
    /// From whether any current answer was given by the region, and by its adviser.
    pub fn of(by_region: bool, by_adviser: bool) -> FilledInBy {
        match (by_region, by_adviser) {
            (false, false) => FilledInBy::Nobody,
            (true, false) => FilledInBy::Region,
            (false, true) => FilledInBy::Adviser,
            (true, true) => FilledInBy::RegionAndAdviser,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FilledInBy::Nobody => "–",
            FilledInBy::Region => "Regio",
            FilledInBy::Adviser => "Regioadviseur",
            FilledInBy::RegionAndAdviser => "Regio en regioadviseur",
        }
    }

    /// In exports: empty, `regio`, `regioadviseur`, `regio_en_regioadviseur`.
    pub fn code(self) -> &'static str {
        match self {
            FilledInBy::Nobody => "",
            FilledInBy::Region => "regio",
            FilledInBy::Adviser => "regioadviseur",
            FilledInBy::RegionAndAdviser => "regio_en_regioadviseur",
        }
    }
}

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// A comment's text: trimmed, not empty, not too long.
pub fn check_comment(body: &str) -> Result<String, String> {
    let body = body.trim();
    if body.is_empty() {
        Err("Schrijf een opmerking.".to_string())
    } else if body.chars().count() > MAX_COMMENT_CHARS {
        Err(format!(
            "De opmerking is te lang: hoogstens {MAX_COMMENT_CHARS} tekens."
        ))
    } else {
        Ok(body.to_string())
    }
}

/// One message in a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentMessage {
    pub author: String,
    pub author_role: Role,
    pub body: String,
    pub at: i64,
}

/// A conversation about one item, open until a reviewer resolves it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentThread {
    pub id: String,
    pub item_key: String,
    /// Who resolved it, and when; `None` while it is open.
    pub resolved: Option<Attribution>,
    pub messages: Vec<CommentMessage>,
}

/// Who may resolve a thread or open it again: reviewers and admins, who asked the question.
pub fn may_resolve(role: Role) -> bool {
    matches!(role, Role::Reviewer | Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, status: ReviewStatus, required: usize, complete: usize) -> OverviewRow {
        OverviewRow::new(code, &format!("Regio {code}"), status, required, complete)
    }

    #[test]
    fn who_filled_in_is_the_region_the_adviser_or_both() {
        assert_eq!(FilledInBy::of(false, false), FilledInBy::Nobody);
        assert_eq!(FilledInBy::of(true, false).label(), "Regio");
        assert_eq!(FilledInBy::of(false, true).code(), "regioadviseur");
        assert_eq!(FilledInBy::of(true, true).label(), "Regio en regioadviseur");
    }

    #[test]
    fn status_follows_the_response_and_its_answers() {
        assert_eq!(ReviewStatus::of(None, 0), ReviewStatus::NotStarted);
        assert_eq!(
            ReviewStatus::of(Some(ResponseStatus::Open), 0),
            ReviewStatus::NotStarted
        );
        assert_eq!(
            ReviewStatus::of(Some(ResponseStatus::Open), 3),
            ReviewStatus::Busy
        );
        assert_eq!(
            ReviewStatus::of(Some(ResponseStatus::Returned), 3),
            ReviewStatus::Returned
        );
        for status in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::from_code(status.code()), Some(status));
        }
    }

    #[test]
    fn reviewers_return_and_approve_submitted_responses() {
        use ReviewAction::*;
        let open = RoundState::Open;
        for role in [Role::Reviewer, Role::Admin] {
            assert_eq!(
                check_action(role, ResponseStatus::Submitted, open, Return),
                Ok(ResponseStatus::Returned)
            );
            assert_eq!(
                check_action(role, ResponseStatus::Submitted, open, Approve),
                Ok(ResponseStatus::Approved)
            );
            assert_eq!(
                check_action(role, ResponseStatus::Approved, open, Reopen),
                Ok(ResponseStatus::Returned)
            );
        }
        // Approving after the round closed is the usual case; returning is not possible then.
        assert!(check_action(
            Role::Reviewer,
            ResponseStatus::Submitted,
            RoundState::Closed,
            Approve
        )
        .is_ok());
        assert!(check_action(
            Role::Reviewer,
            ResponseStatus::Submitted,
            RoundState::Closed,
            Return
        )
        .is_err());
    }

    #[test]
    fn what_is_refused() {
        use ReviewAction::*;
        let open = RoundState::Open;
        for action in [Return, Approve, Reopen] {
            // A coordinator never reviews, not even their own region.
            assert!(
                check_action(Role::Coordinator, ResponseStatus::Submitted, open, action)
                    .unwrap_err()
                    .contains("Alleen reviewers")
            );
            assert!(check_action(Role::Reviewer, ResponseStatus::Open, open, action).is_err());
            assert!(check_action(Role::Reviewer, ResponseStatus::Returned, open, action).is_err());
            // Only a late approval is possible once a round is published.
            let published = RoundState::Published;
            assert!(
                check_action(Role::Reviewer, ResponseStatus::Approved, published, action).is_err()
            );
            let late = check_action(Role::Reviewer, ResponseStatus::Submitted, published, action);
            assert_eq!(late.is_ok(), action == Approve, "{action:?}: {late:?}");
        }
        assert_eq!(
            check_action(Role::Reviewer, ResponseStatus::Approved, open, Approve),
            Err("Deze vragenlijst is al goedgekeurd.".to_string())
        );
        assert!(check_action(Role::Reviewer, ResponseStatus::Submitted, open, Reopen).is_err());
    }

    #[test]
    fn percentages_round_down_and_missing_counts() {
        let mut r = row("R01", ReviewStatus::Busy, 3, 2);
        assert_eq!(r.percent_complete(), 66);
        assert_eq!(r.missing(), 1);
        r.complete = 3;
        assert_eq!(r.percent_complete(), 100);
        r.required = 0;
        r.complete = 0;
        assert_eq!(r.percent_complete(), 100);
        let almost = row("R02", ReviewStatus::Busy, 200, 199);
        assert_eq!(almost.percent_complete(), 99);
    }

    #[test]
    fn sorting_is_stable_by_region_and_reversible() {
        let mut rows = vec![
            row("R03", ReviewStatus::Submitted, 10, 10),
            row("R01", ReviewStatus::Busy, 10, 5),
            row("R02", ReviewStatus::Submitted, 10, 10),
        ];
        sort_rows(&mut rows, SortKey::Complete, false);
        let codes: Vec<&str> = rows.iter().map(|r| r.region_code.as_str()).collect();
        assert_eq!(codes, ["R01", "R02", "R03"]);
        sort_rows(&mut rows, SortKey::Missing, true);
        assert_eq!(rows[0].region_code, "R01");
        sort_rows(&mut rows, SortKey::Status, false);
        assert_eq!(rows[0].status, ReviewStatus::Busy);
        for key in SortKey::ALL {
            assert_eq!(SortKey::from_code(key.code()), Some(key));
        }
    }

    #[test]
    fn totals_count_approved_as_submitted() {
        let mut rows = vec![
            row("R01", ReviewStatus::Submitted, 1, 1),
            row("R02", ReviewStatus::Approved, 1, 1),
            row("R03", ReviewStatus::NotStarted, 1, 0),
        ];
        rows[2].open_comments = 2;
        let totals = Totals::of(&rows);
        assert_eq!(totals.headline(), "2 van 3 ingediend");
        assert_eq!(totals.open_comments, 2);
        assert_eq!(totals.per_status[0], (ReviewStatus::NotStarted, 1));
    }

    #[test]
    fn comments_are_trimmed_and_bounded() {
        assert_eq!(
            check_comment("  klopt dit?  "),
            Ok("klopt dit?".to_string())
        );
        assert!(check_comment("   ").is_err());
        assert!(check_comment(&"x".repeat(MAX_COMMENT_CHARS)).is_ok());
        assert!(check_comment(&"x".repeat(MAX_COMMENT_CHARS + 1)).is_err());
    }
}
