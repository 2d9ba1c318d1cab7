//! What a region adviser submits counts only with the region's agreement ("afgestemd"), which
//! the adviser records when submitting: with whom in the region, and on which day. A response
//! its own coordinator submits needs no record: submitting is their agreement.

use crate::domain::time::{end_of_local_day, format_date, parse_input_date, start_of_local_day};
use serde::{Deserialize, Serialize};

/// The submit form's fields for the agreement.
pub const AGREED_WITH_FIELD: &str = "agreed_with";
pub const AGREED_ON_FIELD: &str = "agreed_on";
/// Characters "with whom" may have: a name with a function and an organisation.
pub const MAX_AGREED_WITH_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// Who in the region agreed: "Jan de Vries, beleidsadviseur gemeente Groningen".
    pub with: String,
    /// The day it was agreed: its first millisecond (local time), in UTC.
    pub on: i64,
}

impl Agreement {
    /// "afgestemd met Jan de Vries op 3 december 2026"
    pub fn describe(&self) -> String {
        format!("afgestemd met {} op {}", self.with, format_date(self.on))
    }
}

/// Checks the agreement an adviser records: someone named, and a real day that is neither in
/// the future nor before the round opened (`opens_at`). Each problem is on its field, in Dutch.
pub fn check(
    with: &str,
    on: &str,
    opens_at: i64,
    now: i64,
) -> Result<Agreement, Vec<(String, Vec<String>)>> {
    let mut problems: Vec<(String, Vec<String>)> = Vec::new();
    let mut refuse =
        |field: &str, message: String| problems.push((field.to_string(), vec![message]));
    let with = with.trim();
    if with.is_empty() {
        refuse(
            AGREED_WITH_FIELD,
            "Vul in met wie in de regio u de antwoorden hebt afgestemd.".to_string(),
        );
    } else if with.chars().count() > MAX_AGREED_WITH_CHARS {
        refuse(
            AGREED_WITH_FIELD,
            format!(
                "Gebruik hoogstens {MAX_AGREED_WITH_CHARS} tekens voor met wie u hebt afgestemd."
            ),
        );
    } else if with.chars().any(char::is_control) {
        refuse(
            AGREED_WITH_FIELD,
            "Gebruik één regel, zonder tabs, voor met wie u hebt afgestemd.".to_string(),
        );
    }
    let day = if on.trim().is_empty() {
        refuse(
            AGREED_ON_FIELD,
            "Vul de datum van de afstemming in.".to_string(),
        );
        None
    } else {
        match parse_input_date(on) {
            Ok((year, month, day)) => Some((year, month, day)),
            Err(message) => {
                refuse(
                    AGREED_ON_FIELD,
                    format!("De datum van de afstemming: {message}."),
                );
                None
            }
        }
    };
    if let Some((year, month, day)) = day {
        if start_of_local_day(year, month, day) > now {
            refuse(
                AGREED_ON_FIELD,
                "De datum van de afstemming ligt in de toekomst.".to_string(),
            );
        } else if end_of_local_day(year, month, day) < opens_at {
            refuse(
                AGREED_ON_FIELD,
                format!(
                    "De afstemming ligt vóór de opening van de meting ({}).",
                    format_date(opens_at)
                ),
            );
        }
    }
    match day {
        Some((year, month, day)) if problems.is_empty() => Ok(Agreement {
            with: with.to_string(),
            on: start_of_local_day(year, month, day),
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENS: i64 = 1_796_000_000_000; // 30 November 2026

    fn day(year: i64, month: u32, day: u32) -> i64 {
        start_of_local_day(year, month, day)
    }

    #[test]
    fn an_agreement_names_someone_and_a_day_within_the_round() {
        let now = day(2026, 12, 7) + 10 * 3_600_000;
        let agreed = check(
            " Jan de Vries, gemeente Groningen ",
            "2026-12-07",
            OPENS,
            now,
        )
        .unwrap();
        assert_eq!(agreed.with, "Jan de Vries, gemeente Groningen");
        assert_eq!(agreed.on, day(2026, 12, 7));
        assert_eq!(
            agreed.describe(),
            "afgestemd met Jan de Vries, gemeente Groningen op 7 december 2026"
        );
    }

    #[test]
    fn whatever_is_missing_or_wrong_is_said_on_its_field() {
        let now = day(2026, 12, 7);
        let fields = |with: &str, on: &str| -> Vec<String> {
            check(with, on, OPENS, now)
                .unwrap_err()
                .into_iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
                .collect()
        };
        assert_eq!(
            fields("", ""),
            [
                "agreed_with: Vul in met wie in de regio u de antwoorden hebt afgestemd.",
                "agreed_on: Vul de datum van de afstemming in."
            ]
        );
        assert!(fields(&"x".repeat(201), "2026-12-01")[0].contains("hoogstens 200"));
        assert!(fields("Jan\nPiet", "2026-12-01")[0].contains("één regel"));
        assert!(fields("Jan", "7-12-2026")[0].contains("JJJJ-MM-DD"));
        assert!(fields("Jan", "2026-02-30")[0].contains("geen datum"));
        assert!(fields("Jan", "2026-12-08")[0].contains("toekomst"));
        assert!(fields("Jan", "2026-11-01")[0].contains("vóór de opening"));
    }
}
