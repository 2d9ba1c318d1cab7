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

/// Builds a region from the fields of one CSV row, trimming spaces.
pub fn region_from_fields(code: &str, name: &str, lead_gemeente: &str) -> Result<Region, String> {
    let (code, name, lead_gemeente) = (code.trim(), name.trim(), lead_gemeente.trim());
    check_region_code(code)?;
    for (what, value) in [("regionaam", name), ("centrumgemeente", lead_gemeente)] {
        if value.is_empty() {
            return Err(format!("de {what} is leeg"));
        }
        if value.chars().count() > REGION_NAME_MAX_CHARS {
            return Err(format!(
                "de {what} is langer dan {REGION_NAME_MAX_CHARS} tekens"
            ));
        }
    }
    Ok(Region {
        code: code.to_string(),
        name: name.to_string(),
        lead_gemeente: lead_gemeente.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
