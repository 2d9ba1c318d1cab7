//! Who did something, and when: the "saved by", "submitted by", "approved by" lines of the
//! pages.

use serde::{Deserialize, Serialize};

/// Who did something (a display name) and when (UTC milliseconds).
///
/// Serialised as the pair `[by, at]` it replaced, so the JSON of the server functions stays
/// the same for anyone reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(String, i64)", into = "(String, i64)")]
pub struct Attribution {
    pub by: String,
    pub at: i64,
}

impl Attribution {
    pub fn new(by: impl Into<String>, at: i64) -> Self {
        Attribution { by: by.into(), at }
    }

    /// The attribution when both halves are known, as stored in two nullable columns.
    pub fn from_parts(by: Option<String>, at: Option<i64>) -> Option<Self> {
        Some(Attribution::new(by?, at?))
    }
}

impl From<(String, i64)> for Attribution {
    fn from((by, at): (String, i64)) -> Self {
        Attribution { by, at }
    }
}

impl From<Attribution> for (String, i64) {
    fn from(attribution: Attribution) -> Self {
        (attribution.by, attribution.at)
    }
}

/// Who sent a response back to its region, when, and why.
///
/// Serialised as the triple `[by, at, reason]` it replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(String, i64, String)", into = "(String, i64, String)")]
pub struct Returned {
    pub attribution: Attribution,
    pub reason: String,
}

impl From<(String, i64, String)> for Returned {
    fn from((by, at, reason): (String, i64, String)) -> Self {
        Returned {
            attribution: Attribution { by, at },
            reason,
        }
    }
}

impl From<Returned> for (String, i64, String) {
    fn from(returned: Returned) -> Self {
        let Returned {
            attribution: Attribution { by, at },
            reason,
        } = returned;
        (by, at, reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_json_of_the_pairs_it_replaced() {
        let saved = Attribution::new("Anna", 42);
        let json = serde_json::to_string(&saved).unwrap();
        assert_eq!(json, r#"["Anna",42]"#);
        assert_eq!(serde_json::from_str::<Attribution>(&json).unwrap(), saved);

        let returned = Returned {
            attribution: saved,
            reason: "Graag aanvullen".to_string(),
        };
        let json = serde_json::to_string(&returned).unwrap();
        assert_eq!(json, r#"["Anna",42,"Graag aanvullen"]"#);
        assert_eq!(serde_json::from_str::<Returned>(&json).unwrap(), returned);
    }

    #[test]
    fn needs_both_parts() {
        assert_eq!(
            Attribution::from_parts(Some("Anna".into()), Some(1)),
            Some(Attribution::new("Anna", 1))
        );
        assert_eq!(Attribution::from_parts(None, Some(1)), None);
        assert_eq!(Attribution::from_parts(Some("Anna".into()), None), None);
    }
}
