//! Programmes side by side: the NAD ("Eerst een Thuis"), Beschermd Thuis and those that follow.
//! Each has its own questionnaires, rounds, region set and mark; one login may coordinate a
//! region in several of them.

use serde::{Deserialize, Serialize};

/// The programme everything belonged to before there were several: a questionnaire file
/// without `programme` belongs to it.
pub const DEFAULT_PROGRAMME: &str = "nad";

const CODE_MAX_CHARS: usize = 32;
/// Words the public dashboard's addresses use where a programme's code can stand.
const RESERVED_CODES: [&str; 1] = ["regio"];
const NAME_MAX_CHARS: usize = 120;
const SHORT_NAME_MAX_CHARS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// In files and on the command line: `nad`, `bt`.
    pub code: String,
    /// "Nationaal Actieplan Dakloosheid".
    pub name: String,
    /// The mark beside a round's name: "NAD".
    pub short_name: String,
    /// The mark's colour, `#rrggbb`, dark enough for white text.
    pub colour: String,
}

/// A programme's code: lower-case letters, digits and hyphens, starting with a letter.
pub fn check_code(code: &str) -> Result<(), String> {
    let well_formed = code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if code.chars().count() > CODE_MAX_CHARS || !well_formed {
        return Err(format!(
            "de programmacode '{code}' moet met een kleine letter beginnen en mag alleen kleine letters, cijfers en '-' bevatten (hoogstens {CODE_MAX_CHARS} tekens)"
        ));
    }
    // The code names the programme's public dashboard (`/dashboard/bt`), beside the NAD's
    // region pages (`/dashboard/regio/R01`).
    if RESERVED_CODES.contains(&code) {
        return Err(format!(
            "de programmacode '{code}' is al in gebruik in de adressen van het dashboard; kies een andere"
        ));
    }
    Ok(())
}

/// Checks a new programme as an admin or operator gives it; returns it trimmed.
pub fn check(code: &str, name: &str, short_name: &str, colour: &str) -> Result<Programme, String> {
    let (code, name, short_name) = (code.trim(), name.trim(), short_name.trim());
    check_code(code)?;
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(format!(
            "de naam van het programma moet 1 tot {NAME_MAX_CHARS} tekens hebben"
        ));
    }
    if short_name.is_empty() || short_name.chars().count() > SHORT_NAME_MAX_CHARS {
        return Err(format!(
            "de korte naam van het programma moet 1 tot {SHORT_NAME_MAX_CHARS} tekens hebben"
        ));
    }
    let colour = super::branding::check_colour(colour.trim())?;
    Ok(Programme {
        code: code.to_string(),
        name: name.to_string(),
        short_name: short_name.to_string(),
        colour,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for (code, ok) in [
            ("nad", true),
            ("bt", true),
            ("beschermd-thuis-2", true),
            ("", false),
            ("2bt", false),
            ("BT", false),
            ("b t", false),
            ("b/t", false),
            ("regio", false),
            (&"x".repeat(33), false),
        ] {
            assert_eq!(check_code(code).is_ok(), ok, "{code:?}");
        }
    }

    #[test]
    fn a_new_programme_is_checked_whole() {
        let programme = check(" bt ", " Beschermd Thuis ", "BT", "#5b2a86").unwrap();
        assert_eq!(programme.name, "Beschermd Thuis");
        assert_eq!(programme.code, "bt");
        assert!(check("bt", "", "BT", "#5b2a86").is_err());
        assert!(check("bt", "Beschermd Thuis", "", "#5b2a86").is_err());
        assert!(check("bt", "Beschermd Thuis", "BEsCHERMDTHUIS", "#5b2a86").is_err());
        // White text on yellow is unreadable.
        assert!(check("bt", "Beschermd Thuis", "BT", "#ffff00").is_err());
    }
}
