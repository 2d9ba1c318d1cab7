//! Who is signed in, and what they may see. The server decides with these rules; the
//! browser only uses them to choose what to show.

use super::role::Role;
use crate::paths;
use serde::{Deserialize, Serialize};

/// The user behind the current session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// Set for coordinators only: their region (in the programme they were made for).
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    /// The regions a coordinator also coordinates in other programmes, one per programme.
    #[serde(default)]
    pub other_regions: Vec<ProgrammeRegion>,
    /// The regions a reviewer advises (regioadviseur): they fill in these regions'
    /// questionnaires with the region, which agrees to what is submitted.
    #[serde(default)]
    pub advised_regions: Vec<ProgrammeRegion>,
}

/// A region with its programme: one a coordinator coordinates in another programme with the
/// same login, or one a reviewer advises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeRegion {
    pub code: String,
    pub name: String,
    pub programme_code: String,
    pub programme_short_name: String,
}

impl SignedInUser {
    /// Admins and reviewers see every region; a coordinator only their own ones.
    pub fn may_view_region(&self, region_code: &str) -> bool {
        match self.role {
            Role::Admin | Role::Reviewer => true,
            Role::Coordinator => self.region_codes().any(|code| code == region_code),
        }
    }

    /// A coordinator's regions, their own first; nobody else's.
    pub fn region_codes(&self) -> impl Iterator<Item = &str> {
        let own = self
            .region_code
            .as_deref()
            .filter(|_| self.role == Role::Coordinator);
        let others = self
            .other_regions
            .iter()
            .filter(|_| self.role == Role::Coordinator)
            .map(|region| region.code.as_str());
        own.into_iter().chain(others)
    }

    /// Who may change a region's answers and submit them: its coordinators, and the
    /// reviewers who advise it. Admins never fill in.
    pub fn may_fill_in(&self, region_code: &str) -> bool {
        self.fill_in_codes().any(|code| code == region_code)
    }

    /// The regions this user fills in: a coordinator's own ones, or the ones a reviewer
    /// advises.
    pub fn fill_in_codes(&self) -> impl Iterator<Item = &str> {
        let advised = self
            .advised_regions
            .iter()
            .filter(|_| self.role == Role::Reviewer)
            .map(|region| region.code.as_str());
        self.region_codes().chain(advised)
    }

    /// Whether this user fills in `region_code` as its adviser (not as its coordinator).
    pub fn advises(&self, region_code: &str) -> bool {
        self.role == Role::Reviewer && self.advised_regions.iter().any(|r| r.code == region_code)
    }

    pub fn may_view_all_regions(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Reviewer)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The page each role lands on after logging in.
    pub fn start_page(&self) -> String {
        match (self.role, &self.region_code) {
            // The task list of the region's open round (or word that none is open).
            (Role::Coordinator, Some(_)) => paths::FILL_START.to_string(),
            (Role::Reviewer, _) | (Role::Coordinator, None) => paths::REGIONS.to_string(),
            (Role::Admin, _) => paths::ADMIN.to_string(),
        }
    }
}

/// Only paths on this site may be used as a target after login: `/...` but not `//host`.
pub fn is_local_path(target: &str) -> bool {
    target.starts_with('/')
        && !target.starts_with("//")
        && !target.starts_with("/\\")
        && !target.chars().any(|c| c.is_control())
        && target.len() <= 512
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, region: Option<&str>) -> SignedInUser {
        SignedInUser {
            id: "u".into(),
            email: "a@b.nl".into(),
            display_name: "A".into(),
            role,
            region_code: region.map(str::to_string),
            region_name: None,
            other_regions: Vec::new(),
            advised_regions: Vec::new(),
        }
    }

    #[test]
    fn coordinators_see_only_their_own_region() {
        let coordinator = user(Role::Coordinator, Some("R01"));
        assert!(coordinator.may_view_region("R01"));
        assert!(!coordinator.may_view_region("R02"));
        assert!(!coordinator.may_view_all_regions());
        assert!(user(Role::Reviewer, None).may_view_region("R02"));
        assert!(user(Role::Admin, None).may_view_region("R02"));
    }

    #[test]
    fn a_coordinator_in_two_programmes_sees_both_regions_and_no_other() {
        let mut coordinator = user(Role::Coordinator, Some("R06"));
        coordinator.other_regions.push(ProgrammeRegion {
            code: "BT04".into(),
            name: "Zwolle".into(),
            programme_code: "bt".into(),
            programme_short_name: "BT".into(),
        });
        assert!(coordinator.may_view_region("R06"));
        assert!(coordinator.may_view_region("BT04"));
        assert!(!coordinator.may_view_region("BT01"));
        assert!(!coordinator.may_view_region("R01"));
        assert_eq!(
            coordinator.region_codes().collect::<Vec<_>>(),
            ["R06", "BT04"]
        );
    }

    #[test]
    fn start_pages() {
        assert_eq!(
            user(Role::Coordinator, Some("R07")).start_page(),
            paths::FILL_START
        );
        assert_eq!(user(Role::Reviewer, None).start_page(), paths::REGIONS);
        assert_eq!(user(Role::Admin, None).start_page(), paths::ADMIN);
    }

    #[test]
    fn only_local_redirect_targets() {
        for (target, ok) in [
            ("/regio/R01", true),
            ("/", true),
            ("//evil.example", false),
            ("/\\evil.example", false),
            ("https://evil.example", false),
            ("", false),
            ("/a\nb", false),
        ] {
            assert_eq!(is_local_path(target), ok, "{target:?}");
        }
    }
}
