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

/// A round as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: String,
    pub name: String,
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
    pub regions: Vec<RoundRegion>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
