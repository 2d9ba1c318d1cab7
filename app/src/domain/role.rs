//! The three roles of the platform and what each may see.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user is allowed to do. Stored by its `code()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Manages users, regions, questionnaire versions and rounds.
    Admin,
    /// Checks every region's response (VNG regional advisers).
    Reviewer,
    /// Fills in the questionnaire of one region (civil servant of a centrumgemeente).
    Coordinator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Reviewer, Role::Coordinator];

    /// The stable code used in the database and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::Coordinator => "coordinator",
        }
    }

    /// The Dutch name shown in the interface.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Beheerder",
            Role::Reviewer => "Reviewer",
            Role::Coordinator => "Regiocoördinator",
        }
    }

    /// Only coordinators belong to a region; for them it is required.
    pub fn needs_region(self) -> bool {
        matches!(self, Role::Coordinator)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("onbekende rol '{0}': kies admin, reviewer of coordinator")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.code() == text.trim())
            .ok_or_else(|| UnknownRole(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn unknown_role_is_refused_with_a_dutch_message() {
        let error = "superuser".parse::<Role>().unwrap_err();
        assert!(error.to_string().contains("onbekende rol 'superuser'"));
    }

    #[test]
    fn only_coordinators_need_a_region() {
        assert!(Role::Coordinator.needs_region());
        assert!(!Role::Reviewer.needs_region());
        assert!(!Role::Admin.needs_region());
    }
}
