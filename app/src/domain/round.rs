//! Measurement rounds: their life from concept to published, and what an admin must give to
//! set one up. Only admins manage rounds; the server checks that before anything here runs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a round is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoundState {
    /// Being prepared: coordinators don't see it yet.
    Concept,
    /// Accepting answers until the deadline.
    Open,
    /// No longer accepting answers; reviewers finish their work.
    Closed,
    /// The figures are final and public.
    Published,
}

impl RoundState {
    pub const ALL: [RoundState; 4] = [
        RoundState::Concept,
        RoundState::Open,
        RoundState::Closed,
        RoundState::Published,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RoundState::Concept => "concept",
            RoundState::Open => "open",
            RoundState::Closed => "closed",
            RoundState::Published => "published",
        }
    }

    /// Whether someone in `role` may see a round in this state at all: a concept round is
    /// the admins' draft, invisible to everyone else (lists, pages, the national picture,
    /// the review overview), as if it did not exist.
    pub fn visible_to(self, role: super::role::Role) -> bool {
        self != RoundState::Concept || role == super::role::Role::Admin
    }

    pub fn label(self) -> &'static str {
        match self {
            RoundState::Concept => "Concept",
            RoundState::Open => "Open",
            RoundState::Closed => "Gesloten",
            RoundState::Published => "Gepubliceerd",
        }
    }

    /// The states a round may move to from here, in the order the admin sees the buttons.
    /// A closed round may open again (a late region); a published one is final.
    pub fn next(self) -> &'static [RoundState] {
        match self {
            RoundState::Concept => &[RoundState::Open],
            RoundState::Open => &[RoundState::Closed],
            RoundState::Closed => &[RoundState::Published, RoundState::Open],
            RoundState::Published => &[],
        }
    }

    /// What the button that moves a round into this state says.
    pub fn action(self) -> &'static str {
        match self {
            RoundState::Concept => "Terug naar concept",
            RoundState::Open => "Openen",
            RoundState::Closed => "Sluiten",
            RoundState::Published => "Publiceren",
        }
    }

    /// Checks a change of state; the error says in Dutch why it is not allowed.
    pub fn change_to(self, target: RoundState) -> Result<RoundState, String> {
        if self.next().contains(&target) {
            Ok(target)
        } else if self == target {
            Err(format!(
                "De meting is al {}.",
                target.label().to_lowercase()
            ))
        } else {
            Err(format!(
                "Een meting die {} is, kan niet naar {}.",
                self.label().to_lowercase(),
                target.label().to_lowercase()
            ))
        }
    }
}

impl fmt::Display for RoundState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for RoundState {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        RoundState::ALL
            .into_iter()
            .find(|state| state.code() == text)
            .ok_or_else(|| format!("Onbekende status van een meting: '{text}'."))
    }
}

/// The longest round name; names are shown in headings and file names.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest reason an admin gives for extending a deadline or reopening a response.
pub const MAX_REASON_CHARS: usize = 1000;

/// A name for a round: trimmed, not empty, not too long.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        Err("Geef de meting een naam, bijvoorbeeld ‘5e meting – juni 2026’.".to_string())
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(format!(
            "De naam is te lang: hoogstens {MAX_NAME_CHARS} tekens."
        ))
    } else {
        Ok(name.to_string())
    }
}

/// The reason for an exception (a later deadline, a reopened response): required, because the
/// audit history must say why.
pub fn check_reason(reason: &str) -> Result<String, String> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err("Geef een reden; die komt in de auditgeschiedenis.".to_string())
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Err(format!(
            "De reden is te lang: hoogstens {MAX_REASON_CHARS} tekens."
        ))
    } else {
        Ok(reason.to_string())
    }
}

/// The opening and the deadline of a round (UTC milliseconds) must leave time to answer.
pub fn check_period(opens_at: i64, deadline: i64) -> Result<(), String> {
    if deadline <= opens_at {
        Err("De deadline moet na de openingsdatum liggen.".to_string())
    } else {
        Ok(())
    }
}

/// Whether moving a round from `from` to `to` needs a reason: opening a closed round again
/// does, as regions that had finished can change their answers again. Closing takes an
/// optional one (closing at the deadline is the usual course).
pub fn reason_required(from: RoundState, to: RoundState) -> bool {
    from == RoundState::Closed && to == RoundState::Open
}

/// The first moment (UTC milliseconds) of a date typed as `YYYY-MM-DD`.
pub fn day_start(text: &str) -> Result<i64, String> {
    let (year, month, day) = super::time::parse_input_date(text)?;
    Ok(super::time::start_of_local_day(year, month, day))
}

/// The last moment of a date typed as `YYYY-MM-DD`: a deadline lasts all day.
pub fn day_end(text: &str) -> Result<i64, String> {
    let (year, month, day) = super::time::parse_input_date(text)?;
    Ok(super::time::end_of_local_day(year, month, day))
}

/// A round's name, opening and deadline as an admin changes them afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub opens_at: i64,
    pub deadline: i64,
}

impl Period {
    /// `self` as a form gives it (whole days), with the moments of `before` kept where the
    /// day is the same: a round that opened at 14:05 keeps that moment when the form sends
    /// its date back unchanged.
    pub fn keeping_days_of(self, before: Period) -> Period {
        let day = |at: i64| {
            let (year, month, day, _, _) = super::time::local_parts(at);
            (year, month, day)
        };
        let keep = |new: i64, old: i64| if day(new) == day(old) { old } else { new };
        Period {
            opens_at: keep(self.opens_at, before.opens_at),
            deadline: keep(self.deadline, before.deadline),
        }
    }
}

/// Checks a change of a round's opening and deadline (`now`: the moment of the change).
/// A published round changes no more; the opening moves only while the round is a concept
/// (once open, it has opened); an open round's deadline may not move into the past (that
/// would close it for everyone: closing is a change of state with its own button). The
/// error names the field (`opens_at` or `deadline`) and says why, in Dutch.
pub fn check_period_change(
    state: RoundState,
    before: Period,
    after: Period,
    now: i64,
) -> Result<(), (&'static str, String)> {
    if state == RoundState::Published && after != before {
        return Err((
            "deadline",
            "Deze meting is gepubliceerd; haar data veranderen niet meer.".to_string(),
        ));
    }
    if after.opens_at != before.opens_at && state != RoundState::Concept {
        return Err((
            "opens_at",
            "De meting is al geopend; de openingsdatum verandert niet meer.".to_string(),
        ));
    }
    check_period(after.opens_at, after.deadline).map_err(|message| ("deadline", message))?;
    if after.deadline != before.deadline && state == RoundState::Open && after.deadline <= now {
        return Err((
            "deadline",
            "De nieuwe deadline ligt in het verleden. Kies vandaag of later, of sluit de meting."
                .to_string(),
        ));
    }
    Ok(())
}

/// A round as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: String,
    pub name: String,
    /// The programme of its questionnaire.
    pub programme: super::programme::Programme,
    pub questionnaire: String,
    pub state: RoundState,
    pub opens_at: i64,
    pub deadline: i64,
    pub compared_round: Option<String>,
    pub region_count: i64,
    pub submitted_count: i64,
}

/// One participating region of a round, with its response's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRegion {
    pub code: String,
    pub name: String,
    pub lead_gemeente: String,
    /// An extended deadline for this region only.
    pub deadline: Option<i64>,
    pub response_id: Option<String>,
    pub status: Option<String>,
}

/// A round with its regions, for the admin's round page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundDetail {
    pub summary: RoundSummary,
    pub compared_round_id: Option<String>,
    /// The reason given with the latest change of state, if one was given.
    pub state_reason: Option<String>,
    /// The earlier rounds of the same questionnaire it can be compared with.
    pub comparison_choices: Vec<ComparisonChoice>,
    pub regions: Vec<RoundRegion>,
}

/// An earlier round a round's answers can be compared with, as the comparison pages offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparisonChoice {
    pub id: String,
    pub name: String,
    /// Why it is a natural choice: "vorige meting", "een jaar eerder", or both.
    pub note: Option<String>,
}

impl ComparisonChoice {
    pub fn label(&self) -> String {
        match &self.note {
            Some(note) => format!("{} ({note})", self.name),
            None => self.name.clone(),
        }
    }
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// How far from exactly a year the same round a year earlier may have opened: rounds are
/// half a year apart, so this never takes the neighbouring round.
const YEAR_EARLIER_TOLERANCE_DAYS: i64 = 90;

/// The rounds a round opening at `opens_at` can be compared with: every round that opened
/// before it (`earlier`: id, name, opening), newest first, the previous round and the same
/// round a year earlier marked as such.
pub fn comparison_choices(
    opens_at: i64,
    earlier: &[(String, String, i64)],
) -> Vec<ComparisonChoice> {
    let mut rounds: Vec<&(String, String, i64)> =
        earlier.iter().filter(|(_, _, at)| *at < opens_at).collect();
    rounds.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let previous = rounds.first().map(|(id, _, _)| id.clone());
    let a_year_before = opens_at - 365 * DAY_MS;
    let year_earlier = rounds
        .iter()
        .filter(|(_, _, at)| (at - a_year_before).abs() <= YEAR_EARLIER_TOLERANCE_DAYS * DAY_MS)
        .min_by_key(|(_, _, at)| (at - a_year_before).abs())
        .map(|(id, _, _)| id.clone());
    rounds
        .into_iter()
        .map(|(id, name, _)| {
            let notes: Vec<&str> = [
                (previous.as_ref() == Some(id)).then_some("vorige meting"),
                (year_earlier.as_ref() == Some(id)).then_some("een jaar eerder"),
            ]
            .into_iter()
            .flatten()
            .collect();
            ComparisonChoice {
                id: id.clone(),
                name: name.clone(),
                note: (!notes.is_empty()).then(|| notes.join(", ")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concept_rounds_are_for_admins_only() {
        use crate::domain::role::Role;
        for role in [Role::Coordinator, Role::Reviewer] {
            assert!(!RoundState::Concept.visible_to(role));
            assert!(RoundState::Open.visible_to(role));
            assert!(RoundState::Published.visible_to(role));
        }
        assert!(RoundState::Concept.visible_to(Role::Admin));
    }

    #[test]
    fn a_round_moves_forward_and_may_reopen_until_published() {
        use RoundState::*;
        assert_eq!(Concept.change_to(Open), Ok(Open));
        assert_eq!(Open.change_to(Closed), Ok(Closed));
        assert_eq!(Closed.change_to(Open), Ok(Open));
        assert_eq!(Closed.change_to(Published), Ok(Published));
        for (from, to) in [
            (Concept, Closed),
            (Concept, Published),
            (Open, Published),
            (Open, Concept),
            (Published, Open),
            (Published, Closed),
            (Published, Concept),
            (Closed, Concept),
        ] {
            let refused = from.change_to(to).unwrap_err();
            assert!(
                refused.contains("kan niet naar"),
                "{from} → {to}: {refused}"
            );
        }
        assert_eq!(Open.change_to(Open).unwrap_err(), "De meting is al open.");
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for state in RoundState::ALL {
            assert_eq!(state.code().parse::<RoundState>(), Ok(state));
        }
        assert!("gepubliceerd".parse::<RoundState>().is_err());
    }

    #[test]
    fn names_reasons_and_periods() {
        assert_eq!(check_name("  6e meting  ").unwrap(), "6e meting");
        assert!(check_name(" ").is_err());
        assert!(check_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert!(check_reason("").is_err());
        assert!(check_reason(&"x".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert_eq!(check_reason(" ziekte ").unwrap(), "ziekte");
        assert!(check_period(10, 10).is_err());
        assert!(check_period(10, 11).is_ok());
    }

    #[test]
    fn only_reopening_a_closed_round_needs_a_reason() {
        use RoundState::*;
        assert!(reason_required(Closed, Open));
        assert!(!reason_required(Open, Closed));
        assert!(!reason_required(Concept, Open));
    }

    #[test]
    fn dates_of_forms_become_whole_days() {
        let start = day_start("2027-06-01").unwrap();
        let end = day_end("2027-06-01").unwrap();
        assert!(end > start && end - start < 24 * 60 * 60 * 1000);
        assert!(day_start("01-06-2027").is_err());
        assert!(day_end("2027-02-30").is_err());
    }

    #[test]
    fn a_period_changes_within_the_rounds_life() {
        use RoundState::*;
        let before = Period {
            opens_at: 100,
            deadline: 200,
        };
        let later = |opens_at, deadline| Period { opens_at, deadline };
        assert_eq!(
            check_period_change(Concept, before, later(50, 300), 1000),
            Ok(())
        );
        assert_eq!(
            check_period_change(Open, before, later(50, 200), 150)
                .unwrap_err()
                .0,
            "opens_at"
        );
        assert!(check_period_change(Open, before, later(100, 300), 350)
            .unwrap_err()
            .1
            .contains("verleden"));
        assert_eq!(
            check_period_change(Open, before, later(100, 300), 150),
            Ok(())
        );
        // A concept round may be set up for a period that has passed (entering history).
        assert_eq!(
            check_period_change(Concept, before, later(100, 150), 1000),
            Ok(())
        );
        assert!(check_period_change(Concept, before, later(300, 300), 0)
            .unwrap_err()
            .1
            .contains("na de openingsdatum"));
        assert!(check_period_change(Published, before, later(100, 300), 0).is_err());
        assert_eq!(check_period_change(Published, before, before, 0), Ok(()));
        // The same days as before keep their moments.
        let day = 24 * 60 * 60 * 1000;
        let before = Period {
            opens_at: day_start("2031-01-01").unwrap() + 5 * 60 * 60 * 1000,
            deadline: day_start("2031-02-01").unwrap() + 1000,
        };
        let form = Period {
            opens_at: day_start("2031-01-01").unwrap(),
            deadline: day_end("2031-02-02").unwrap(),
        };
        let kept = form.keeping_days_of(before);
        assert_eq!(kept.opens_at, before.opens_at);
        assert_eq!(kept.deadline, form.deadline);
        assert!(kept.deadline - before.deadline > day);
        let before = Period {
            opens_at: 100,
            deadline: 200,
        };
        // Closed: the deadline may move (before opening again), even into the past.
        assert_eq!(
            check_period_change(Closed, before, later(100, 150), 1000),
            Ok(())
        );
    }

    #[test]
    fn comparison_choices_mark_the_previous_round_and_the_one_a_year_earlier() {
        let day = 24 * 60 * 60 * 1000;
        let at = |days: i64| days * day;
        let earlier = vec![
            ("jun25".to_string(), "Juni 2025".to_string(), at(0)),
            ("dec25".to_string(), "December 2025".to_string(), at(183)),
            ("jun26".to_string(), "Juni 2026".to_string(), at(365)),
            ("later".to_string(), "Later".to_string(), at(600)),
        ];
        let choices = comparison_choices(at(548), &earlier);
        let labels: Vec<String> = choices.iter().map(ComparisonChoice::label).collect();
        assert_eq!(
            labels,
            [
                "Juni 2026 (vorige meting)",
                "December 2025 (een jaar eerder)",
                "Juni 2025",
            ]
        );
        // Only half a year of history: no round a year earlier.
        let choices = comparison_choices(at(200), &earlier);
        assert_eq!(choices.len(), 2);
        assert_eq!(choices[0].note.as_deref(), Some("vorige meting"));
        assert_eq!(choices[1].note, None);
        assert!(comparison_choices(at(0), &earlier).is_empty());
    }
}
