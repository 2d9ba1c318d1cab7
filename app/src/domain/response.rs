//! A region's response to a round: its status, how a save of one answer is decided against
//! what colleagues saved in the meantime, and how a posted section form becomes answers.
//! The server decides with these rules; the browser uses the same types to show the outcome.

pub mod agreement;
pub mod form_fields;

use super::questionnaire::answer::RawAnswer;
use super::questionnaire::model::{Item, ItemKind};
use form_fields::{ANSWER_PREFIX, SPECIAL_PREFIX, VERSION_PREFIX};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Characters one answer may hold as typed, whatever its item allows: the items' own limits
/// are lower, this bounds what a request can make the server parse.
pub const MAX_RAW_CHARS: usize = 10_000;
/// Answers one save may carry: a section never has more items than this.
pub const MAX_ANSWERS_PER_SAVE: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseStatus {
    /// Being filled in.
    Open,
    Submitted,
    /// Sent back by a reviewer: open again for the coordinators.
    Returned,
    Approved,
}

impl ResponseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseStatus::Open => "open",
            ResponseStatus::Submitted => "submitted",
            ResponseStatus::Returned => "returned",
            ResponseStatus::Approved => "approved",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "open" => ResponseStatus::Open,
            "submitted" => ResponseStatus::Submitted,
            "returned" => ResponseStatus::Returned,
            "approved" => ResponseStatus::Approved,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            ResponseStatus::Open => "Bezig",
            ResponseStatus::Submitted => "Ingediend",
            ResponseStatus::Returned => "Teruggestuurd",
            ResponseStatus::Approved => "Goedgekeurd",
        }
    }

    /// Coordinators change answers only while the response is open or sent back.
    pub fn accepts_answers(self) -> bool {
        matches!(self, ResponseStatus::Open | ResponseStatus::Returned)
    }
}

/// The answer as stored, as far as deciding a save needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<'a> {
    pub raw: &'a RawAnswer,
    pub version: i64,
}

/// What to do with one save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The stored answer already holds exactly this: nothing to write, no conflict.
    Unchanged,
    /// Write it as this version.
    Write { version: i64 },
    /// Someone saved another answer after the version this save was based on.
    Conflict,
}

/// Decides a save of `raw`, typed by someone who last saw version `base_version` of the
/// answer (0: no answer yet). Nothing is ever silently overwritten: a save based on an older
/// version than the stored one is a conflict, unless it says exactly what is stored.
pub fn decide(stored: Option<Stored<'_>>, base_version: i64, raw: &RawAnswer) -> Decision {
    match stored {
        Some(stored) if same_input(stored.raw, raw) => Decision::Unchanged,
        Some(stored) if stored.version == base_version => Decision::Write {
            version: stored.version + 1,
        },
        Some(_) => Decision::Conflict,
        None if raw.is_blank() => Decision::Unchanged,
        None if base_version == 0 => Decision::Write { version: 1 },
        // The answer was there when this person started (it cannot be removed, only
        // emptied), so a missing row means a stale or invented version.
        None => Decision::Conflict,
    }
}

/// Two inputs that mean the same, ignoring surrounding spaces and empty values.
pub fn same_input(a: &RawAnswer, b: &RawAnswer) -> bool {
    a.normalized() == b.normalized()
}

/// One answer in a save: the item, what was typed, and the version it was based on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerInput {
    pub key: String,
    pub raw: RawAnswer,
    pub base_version: i64,
}

/// What happened to one answer of a save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SaveOutcome {
    /// Stored as `version`. `problems` is empty when the input is a valid answer; otherwise the
    /// input is kept, flagged invalid, and blocks submitting until it is corrected.
    Saved {
        version: i64,
        saved_at: i64,
        problems: Vec<String>,
    },
    /// Nothing changed: the stored answer already says this (saved at `saved_at`; 0 when
    /// there is no answer at all).
    Unchanged { version: i64, saved_at: i64 },
    /// Refused: a colleague saved another answer first. Nothing was overwritten; what this
    /// person typed is kept beside the colleague's answer until they choose.
    Conflict(ConflictInfo),
}

/// Both sides of a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictInfo {
    pub key: String,
    /// What this person typed.
    pub mine: RawAnswer,
    /// The answer as a colleague saved it, and when.
    pub theirs: RawAnswer,
    pub their_version: i64,
    pub changed_by: String,
    pub changed_at: i64,
}

/// An answer in words, as the check-your-answers page and a conflict show it.
pub fn describe(item: &Item, raw: &RawAnswer) -> String {
    use super::questionnaire::model::{fixed_choices, CellKind, YES_NO, YES_PARTLY_NO};
    let raw = raw.normalized();
    if let Some(text) = without_values(&raw) {
        return text.to_string();
    }
    let label = |choices: &[super::questionnaire::model::Choice], code: &str| {
        choices
            .iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_string(), |c| c.label.clone())
    };
    let labels = |choices: &[super::questionnaire::model::Choice]| {
        raw.values
            .iter()
            .map(|code| label(choices, code))
            .collect::<Vec<_>>()
    };
    let unit = item
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    match &item.kind {
        ItemKind::YesNo => labels(&fixed_choices(&YES_NO)).join(", "),
        ItemKind::YesPartlyNo => labels(&fixed_choices(&YES_PARTLY_NO)).join(", "),
        ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options, .. } => {
            labels(options).join("; ")
        }
        ItemKind::Ranking { options, .. } => labels(options)
            .iter()
            .enumerate()
            .map(|(n, label)| format!("{}. {label}", n + 1))
            .collect::<Vec<_>>()
            .join("; "),
        ItemKind::Percentage { .. } => format!("{} %", raw.values.join(" ")),
        ItemKind::Matrix { rows, cell } => {
            let columns = match cell {
                CellKind::YesNo => fixed_choices(&YES_NO),
                CellKind::YesPartlyNo => fixed_choices(&YES_PARTLY_NO),
                CellKind::SingleChoice { options } => options.clone(),
                CellKind::Integer { .. } => Vec::new(),
            };
            rows.iter()
                .filter_map(|row| {
                    let value = raw.rows.get(&row.code)?;
                    let shown = if columns.is_empty() {
                        format!("{value}{unit}")
                    } else {
                        label(&columns, value)
                    };
                    Some(format!("{}: {shown}", row.label))
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
        _ => format!("{}{unit}", raw.values.join(" ")),
    }
}

/// An answer that is no value: onbekend, n.v.t. or nothing at all.
fn without_values(raw: &RawAnswer) -> Option<&'static str> {
    match raw.special.as_deref() {
        Some("onbekend") => Some("Onbekend"),
        Some("nvt") => Some("Niet van toepassing"),
        _ if raw.is_blank() => Some("Niet beantwoord"),
        _ => None,
    }
}

/// An answer in words without its question's definition: codes and numbers as typed, a
/// matrix row by row. For a conflict the browser shows before the questionnaire arrived.
pub fn describe_as_typed(raw: &RawAnswer) -> String {
    let raw = raw.normalized();
    if let Some(text) = without_values(&raw) {
        return text.to_string();
    }
    if raw.rows.is_empty() {
        return raw.values.join("; ");
    }
    raw.rows
        .iter()
        .map(|(row, value)| format!("{row}: {value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A posted section form, read: each item's input, keyed by item, with the version each was
/// based on. Fields follow the names the section page gives its inputs (`form_fields`):
/// `a.KEY` (values), `a.KEY.ROW` (matrix cells), `s.KEY` (onbekend / nvt) and `v.KEY` (base
/// version).
pub fn read_section_form(
    items: &[&Item],
    fields: &[(String, String)],
) -> Result<Vec<AnswerInput>, Vec<String>> {
    let mut inputs: BTreeMap<&str, AnswerInput> = items
        .iter()
        .map(|item| {
            (
                item.key.as_str(),
                AnswerInput {
                    key: item.key.clone(),
                    raw: RawAnswer::default(),
                    base_version: 0,
                },
            )
        })
        .collect();
    let mut seen_version: std::collections::BTreeSet<String> = Default::default();
    let mut problems = Vec::new();
    for (name, value) in fields {
        if value.chars().count() > MAX_RAW_CHARS {
            problems.push(format!(
                "Het veld '{name}' is langer dan {MAX_RAW_CHARS} tekens."
            ));
            continue;
        }
        let Some(dot) = name.find('.') else {
            // Buttons and other fields of the page itself.
            continue;
        };
        // The prefix with its dot, as `form_fields` writes it.
        let (prefix, rest) = name.split_at(dot + 1);
        let (key, row) = match rest.split_once('.') {
            Some((key, row)) => (key, Some(row)),
            None => (rest, None),
        };
        let Some(input) = inputs.get_mut(key) else {
            problems.push(format!("Deze sectie heeft geen vraag '{key}'."));
            continue;
        };
        let item = items.iter().find(|item| item.key == key);
        let is_matrix = item.is_some_and(|item| matches!(item.kind, ItemKind::Matrix { .. }));
        match (prefix, row) {
            (ANSWER_PREFIX, None) if !is_matrix => input.raw.values.push(value.clone()),
            (ANSWER_PREFIX, Some(row)) if is_matrix => {
                input.raw.rows.insert(row.to_string(), value.clone());
            }
            (SPECIAL_PREFIX, None) => {
                if !value.trim().is_empty() {
                    input.raw.special = Some(value.clone());
                }
            }
            (VERSION_PREFIX, None) => match value.trim().parse::<i64>() {
                Ok(version) if version >= 0 => {
                    input.base_version = version;
                    seen_version.insert(input.key.clone());
                }
                _ => problems.push(format!("Ongeldige versie bij vraag '{key}'.")),
            },
            _ => problems.push(format!("Onbekend veld '{name}'.")),
        }
    }
    // An item without a version field was not on the page the person saw: not theirs to save.
    let posted: Vec<AnswerInput> = inputs
        .into_values()
        .filter(|input| seen_version.contains(&input.key))
        .collect();
    if problems.is_empty() {
        Ok(posted)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::model::{Choice, Lineage};

    fn raw(text: &str) -> RawAnswer {
        RawAnswer {
            values: vec![text.to_string()],
            ..RawAnswer::default()
        }
    }

    #[test]
    fn an_answer_is_described_as_typed_without_its_question() {
        assert_eq!(describe_as_typed(&raw("  ")), "Niet beantwoord");
        assert_eq!(describe_as_typed(&raw("12")), "12");
        let several = RawAnswer {
            values: vec!["opvang".into(), " ".into(), "woningen".into()],
            ..RawAnswer::default()
        };
        assert_eq!(describe_as_typed(&several), "opvang; woningen");
        let unknown = RawAnswer {
            special: Some("onbekend".into()),
            ..RawAnswer::default()
        };
        assert_eq!(describe_as_typed(&unknown), "Onbekend");
        let matrix = RawAnswer {
            rows: [
                ("vrouwen".to_string(), "4".to_string()),
                ("mannen".to_string(), "7".to_string()),
            ]
            .into_iter()
            .collect(),
            ..RawAnswer::default()
        };
        assert_eq!(describe_as_typed(&matrix), "mannen: 7; vrouwen: 4");
    }

    #[test]
    fn a_save_on_the_stored_version_writes_the_next_one() {
        let stored = raw("12");
        let decision = decide(
            Some(Stored {
                raw: &stored,
                version: 3,
            }),
            3,
            &raw("13"),
        );
        assert_eq!(decision, Decision::Write { version: 4 });
        assert_eq!(decide(None, 0, &raw("1")), Decision::Write { version: 1 });
    }

    #[test]
    fn a_save_on_an_older_version_is_a_conflict_unless_it_says_the_same() {
        let stored = raw("12");
        let stored = Some(Stored {
            raw: &stored,
            version: 3,
        });
        assert_eq!(decide(stored.clone(), 2, &raw("13")), Decision::Conflict);
        assert_eq!(decide(stored.clone(), 0, &raw("13")), Decision::Conflict);
        assert_eq!(decide(stored, 2, &raw(" 12 ")), Decision::Unchanged);
        assert_eq!(decide(None, 4, &raw("1")), Decision::Conflict);
        assert_eq!(decide(None, 0, &raw("")), Decision::Unchanged);
    }

    fn item(key: &str, kind: ItemKind) -> Item {
        Item {
            key: key.into(),
            kind,
            label: key.into(),
            help: None,
            unit: None,
            required: false,
            allow_unknown: true,
            allow_not_applicable: false,
            indicator: None,
            indicator_counts: Vec::new(),
            public: true,
            visible_if: None,
            rules: vec![],
            lineage: Lineage::Original,
        }
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_posted_section_becomes_answers_with_their_versions() {
        let rows = vec![Choice {
            code: "r1".into(),
            label: "Rij".into(),
        }];
        let items = [
            item(
                "aantal",
                ItemKind::Integer {
                    min: None,
                    max: None,
                },
            ),
            item(
                "tabel",
                ItemKind::Matrix {
                    rows,
                    cell: crate::domain::questionnaire::model::CellKind::YesNo,
                },
            ),
            item("leeg", ItemKind::YesNo),
        ];
        let refs: Vec<&Item> = items.iter().collect();
        let inputs = read_section_form(
            &refs,
            &fields(&[
                ("a.aantal", "12"),
                ("v.aantal", "2"),
                ("a.tabel.r1", "ja"),
                ("v.tabel", "0"),
                ("s.leeg", "onbekend"),
                ("v.leeg", "1"),
                ("actie", "opslaan"),
            ]),
        )
        .unwrap();
        assert_eq!(inputs.len(), 3);
        assert_eq!(inputs[0].key, "aantal");
        assert_eq!(inputs[0].raw.values, vec!["12"]);
        assert_eq!(inputs[0].base_version, 2);
        assert_eq!(inputs[2].raw.rows.get("r1").map(String::as_str), Some("ja"));
        assert_eq!(inputs[1].raw.special.as_deref(), Some("onbekend"));
    }

    #[test]
    fn unknown_items_fields_and_versions_are_refused() {
        let items = [item(
            "aantal",
            ItemKind::Integer {
                min: None,
                max: None,
            },
        )];
        let refs: Vec<&Item> = items.iter().collect();
        for (pairs, expected) in [
            (vec![("a.anders", "1")], "geen vraag 'anders'"),
            (vec![("x.aantal", "1")], "Onbekend veld"),
            (vec![("a.aantal.r1", "1")], "Onbekend veld"),
            (vec![("v.aantal", "-1")], "Ongeldige versie"),
            (vec![("v.aantal", "drie")], "Ongeldige versie"),
        ] {
            let problems = read_section_form(&refs, &fields(&pairs)).unwrap_err();
            assert!(problems[0].contains(expected), "{pairs:?}: {problems:?}");
        }
        let long = "x".repeat(MAX_RAW_CHARS + 1);
        let problems = read_section_form(&refs, &fields(&[("a.aantal", &long)])).unwrap_err();
        assert!(problems[0].contains("langer dan"));
    }
}
