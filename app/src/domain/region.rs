//! Regions: the 45 areas around a centrumgemeente that each fill in one questionnaire per
//! round. They are data loaded from a CSV file, never hard-coded.

use serde::{Deserialize, Serialize};

/// A region code is short, stable and safe in URLs: `R01`, `R45`, ...
pub const REGION_CODE_MAX_CHARS: usize = 16;
pub const REGION_NAME_MAX_CHARS: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name: String,
    /// The centrumgemeente that leads the region.
    pub lead_gemeente: String,
    /// When an admin retired the region: it takes part in no new round, and keeps its
    /// history (rounds, responses, accounts).
    #[serde(default)]
    pub retired_at: Option<i64>,
    /// The programme whose region set it belongs to (`nad`, `bt`, ...).
    pub programme_code: String,
}

impl Region {
    pub fn is_active(&self) -> bool {
        self.retired_at.is_none()
    }
}

/// One problem in an uploaded regions file, with the line it was found on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("regel {line}: {message}")]
pub struct RegionFileError {
    pub line: u64,
    pub message: String,
}

/// Checks a region code: letters, digits and hyphens, at most 16 characters.
pub fn check_region_code(code: &str) -> Result<(), String> {
    if code.is_empty() {
        return Err("de regiocode is leeg".to_string());
    }
    if code.chars().count() > REGION_CODE_MAX_CHARS {
        return Err(format!(
            "de regiocode '{code}' is langer dan {REGION_CODE_MAX_CHARS} tekens"
        ));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!(
            "de regiocode '{code}' mag alleen letters, cijfers en '-' bevatten"
        ));
    }
    Ok(())
}

/// Checks a region's name or centrumgemeente (`what`, as the message names it): not empty,
/// not too long. `value` is trimmed already.
pub fn check_region_text(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("de {what} is leeg"));
    }
    if value.chars().count() > REGION_NAME_MAX_CHARS {
        return Err(format!(
            "de {what} is langer dan {REGION_NAME_MAX_CHARS} tekens"
        ));
    }
    Ok(())
}

/// A message of the checks above (written for a line of a file: "de regionaam is leeg") as a
/// sentence on its own, for a form: "De regionaam is leeg."
pub fn as_sentence(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    format!("{}{}.", first.unwrap_or_default(), chars.as_str())
}

/// Builds a region from the fields of one CSV row, trimming spaces.
pub fn region_from_fields(code: &str, name: &str, lead_gemeente: &str) -> Result<Region, String> {
    let (code, name, lead_gemeente) = (code.trim(), name.trim(), lead_gemeente.trim());
    check_region_code(code)?;
    check_region_text("regionaam", name)?;
    check_region_text("centrumgemeente", lead_gemeente)?;
    Ok(Region {
        code: code.to_string(),
        name: name.to_string(),
        lead_gemeente: lead_gemeente.to_string(),
        retired_at: None,
        programme_code: super::programme::DEFAULT_PROGRAMME.to_string(),
    })
}

/// A gemeente and the region it belongs to. Membership changes between rounds (Zeewolde
/// moved from Flevoland to Noord-Veluwe in 2024), so each round keeps its own copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gemeente {
    /// The CBS code: `GM` and four digits, e.g. `GM0344` for Utrecht.
    pub code: String,
    pub name: String,
    pub region_code: String,
}

/// Checks a CBS gemeente code: `GM` followed by four digits.
pub fn check_gemeente_code(code: &str) -> Result<(), String> {
    let digits = code.strip_prefix("GM").unwrap_or_default();
    if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "'{}' is geen CBS-gemeentecode: verwacht is GM gevolgd door vier cijfers, zoals GM0344",
            code.chars().take(20).collect::<String>()
        ))
    }
}

/// Builds a gemeente from the fields of one CSV row, trimming spaces.
pub fn gemeente_from_fields(code: &str, name: &str, region_code: &str) -> Result<Gemeente, String> {
    let (code, name, region_code) = (code.trim(), name.trim(), region_code.trim());
    check_gemeente_code(code)?;
    if name.is_empty() {
        return Err("de gemeentenaam is leeg".to_string());
    }
    if name.chars().count() > REGION_NAME_MAX_CHARS {
        return Err(format!(
            "de gemeentenaam is langer dan {REGION_NAME_MAX_CHARS} tekens"
        ));
    }
    check_region_code(region_code)?;
    Ok(Gemeente {
        code: code.to_string(),
        name: name.to_string(),
        region_code: region_code.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemeente_codes_are_cbs_codes() {
        for (code, ok) in [
            ("GM0344", true),
            ("GM1992", true),
            ("gm0344", false),
            ("GM344", false),
            ("GM03445", false),
            ("0344", false),
            ("GM03a4", false),
            ("", false),
        ] {
            assert_eq!(check_gemeente_code(code).is_ok(), ok, "{code:?}");
        }
        let gemeente = gemeente_from_fields(" GM0050 ", " Zeewolde ", "R10").unwrap();
        assert_eq!(gemeente.name, "Zeewolde");
        assert!(gemeente_from_fields("GM0050", "", "R10").is_err());
        assert!(gemeente_from_fields("GM0050", "Zeewolde", "R 10").is_err());
    }

    #[test]
    fn region_codes() {
        let table = [
            ("R01", true),
            ("R-45", true),
            ("", false),
            ("R 01", false),
            ("R01;DROP", false),
            ("R0123456789ABCDEFG", false),
        ];
        for (code, ok) in table {
            assert_eq!(check_region_code(code).is_ok(), ok, "{code:?}");
        }
    }

    #[test]
    fn messages_become_sentences_for_forms() {
        assert_eq!(as_sentence("de regionaam is leeg"), "De regionaam is leeg.");
        assert_eq!(as_sentence(""), ".");
    }

    #[test]
    fn fields_are_trimmed_and_required() {
        let region = region_from_fields(" R03 ", " Noord- en Midden-Drenthe", "Assen ").unwrap();
        assert_eq!(region.code, "R03");
        assert_eq!(region.lead_gemeente, "Assen");
        assert_eq!(
            region_from_fields("R03", "", "Assen").unwrap_err(),
            "de regionaam is leeg"
        );
    }
}
