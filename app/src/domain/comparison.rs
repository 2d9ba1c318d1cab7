//! Comparing rounds. An item of this round finds its counterpart in the compared round through
//! the lineage of the questionnaire versions: unchanged and renamed items follow, recoded
//! items follow with their codes translated, and items that are new, split, merged or changed
//! in meaning are not compared. The national picture counts answers over regions per item,
//! always with the number of regions behind each figure.

use super::questionnaire::answer::{Answer, AnswerValue, RawAnswer};
use super::questionnaire::model::{Lineage, Questionnaire};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Where an item of this version finds its answer in the compared round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Counterpart {
    /// The compared round asked the same question, under `key`; its codes translate through
    /// `codes` (empty: codes are the same).
    Comparable {
        key: String,
        codes: BTreeMap<String, String>,
    },
    /// The item is new in this version.
    New,
    /// The item replaces part of an old one, several old ones, or its meaning changed: an
    /// answer in the compared round means something else. The text says why, in Dutch.
    NotComparable(String),
}

impl Counterpart {
    pub fn is_comparable(&self) -> bool {
        matches!(self, Counterpart::Comparable { .. })
    }
}

/// How every item of one version maps onto the items of a compared version.
#[derive(Debug, Clone, Default)]
pub struct VersionMapping {
    counterparts: HashMap<String, Counterpart>,
}

impl VersionMapping {
    /// The mapping from `current` onto `compared`. Both the same version: every item is its own
    /// counterpart. `compared` the version `current` names as its previous one: lineage
    /// decides. Versions further apart are followed step by step through `between`, the
    /// versions in order from `compared` to `current` (both included).
    pub fn new(between: &[&Questionnaire]) -> VersionMapping {
        let Some((current, older)) = between.split_last() else {
            return VersionMapping::default();
        };
        let mut counterparts: HashMap<String, Counterpart> = current
            .items()
            .map(|item| {
                (
                    item.key.clone(),
                    Counterpart::Comparable {
                        key: item.key.clone(),
                        codes: BTreeMap::new(),
                    },
                )
            })
            .collect();
        // Walk back one version at a time, translating each item's key and codes.
        let mut newer = *current;
        for older_version in older.iter().rev() {
            if older_version.identifier == newer.identifier
                && older_version.version == newer.version
            {
                continue;
            }
            let follows = newer.previous_version.as_deref() == Some(older_version.version.as_str())
                && older_version.identifier == newer.identifier;
            for counterpart in counterparts.values_mut() {
                let Counterpart::Comparable { key, codes } = counterpart else {
                    continue;
                };
                if !follows {
                    *counterpart = Counterpart::NotComparable(format!(
                        "versie {} volgt niet op versie {}",
                        newer.version, older_version.version
                    ));
                    continue;
                }
                let Some(item) = newer.item(key) else {
                    *counterpart = Counterpart::NotComparable("vraag ontbreekt".to_string());
                    continue;
                };
                *counterpart = match &item.lineage {
                    Lineage::Unchanged | Lineage::Original => Counterpart::Comparable {
                        key: key.clone(),
                        codes: std::mem::take(codes),
                    },
                    Lineage::Mapped {
                        from,
                        codes: recoded,
                    } => Counterpart::Comparable {
                        key: from.clone(),
                        codes: compose(recoded, codes),
                    },
                    Lineage::New => Counterpart::New,
                    Lineage::SplitFrom(from) => Counterpart::NotComparable(format!(
                        "afgesplitst van de vorige vraag '{from}'"
                    )),
                    Lineage::MergedFrom(keys) => Counterpart::NotComparable(format!(
                        "samengevoegd uit de vorige vragen {}",
                        keys.join(", ")
                    )),
                    Lineage::ChangedMeaning(why) => {
                        Counterpart::NotComparable(format!("betekenis gewijzigd: {why}"))
                    }
                };
                if let Counterpart::Comparable { key, .. } = &*counterpart {
                    if older_version.item(key).is_none() {
                        *counterpart = Counterpart::NotComparable(
                            "vraag ontbreekt in de vorige versie".into(),
                        );
                    }
                }
            }
            newer = older_version;
        }
        VersionMapping { counterparts }
    }

    /// The counterpart of an item of the current version; unknown keys are not comparable.
    pub fn counterpart(&self, key: &str) -> Counterpart {
        self.counterparts
            .get(key)
            .cloned()
            .unwrap_or_else(|| Counterpart::NotComparable("onbekende vraag".to_string()))
    }

    /// Why an item is not compared, in Dutch; `None` when it is.
    pub fn why_not(&self, key: &str) -> Option<String> {
        match self.counterpart(key) {
            Counterpart::Comparable { .. } => None,
            Counterpart::New => Some("Nieuwe vraag in deze meting.".to_string()),
            Counterpart::NotComparable(why) => Some(format!("Niet te vergelijken: {why}.")),
        }
    }

    /// The compared round's answer to `key`, in this version's codes. `None` when the item is
    /// not comparable, was not answered, or holds a code that no longer exists.
    pub fn answer(&self, key: &str, compared: &HashMap<String, Answer>) -> Option<Answer> {
        let Some(Counterpart::Comparable {
            key: old_key,
            codes,
        }) = self.counterparts.get(key)
        else {
            return None;
        };
        match compared.get(old_key)? {
            Answer::Given(value) => recode_value(value, codes).map(Answer::Given),
            other => Some(other.clone()),
        }
    }

    /// Every comparable answer of the compared round, under this version's keys.
    pub fn answers(&self, compared: &HashMap<String, Answer>) -> HashMap<String, Answer> {
        self.counterparts
            .keys()
            .filter_map(|key| Some((key.clone(), self.answer(key, compared)?)))
            .collect()
    }

    /// The items of the current version that have a counterpart: (current key, compared key,
    /// code translation).
    pub fn comparable(&self) -> impl Iterator<Item = (&str, &str, &BTreeMap<String, String>)> {
        self.counterparts
            .iter()
            .filter_map(|(current, counterpart)| match counterpart {
                Counterpart::Comparable { key, codes } => {
                    Some((current.as_str(), key.as_str(), codes))
                }
                _ => None,
            })
    }

    /// The compared round's input for `key`, in this version's codes: what prefilling takes
    /// over. `None` where the item is not comparable or nothing was filled in.
    pub fn raw(&self, key: &str, compared: &HashMap<String, RawAnswer>) -> Option<RawAnswer> {
        let Some(Counterpart::Comparable {
            key: old_key,
            codes,
        }) = self.counterparts.get(key)
        else {
            return None;
        };
        let raw = compared.get(old_key)?;
        if raw.is_blank() {
            return None;
        }
        let translate = |value: &String| codes.get(value).unwrap_or(value).clone();
        let mut values: Vec<String> = Vec::new();
        for value in raw.values.iter().map(translate) {
            // Two old codes may become one new code: keep it once.
            if !values.contains(&value) {
                values.push(value);
            }
        }
        Some(RawAnswer {
            values,
            rows: raw
                .rows
                .iter()
                .map(|(row, value)| (row.clone(), translate(value)))
                .collect(),
            special: raw.special.clone(),
        })
    }
}

/// `newer` translates codes of the older version into the middle one, `later` the middle into
/// the current one: together they translate older codes into current ones.
fn compose(
    newer: &BTreeMap<String, String>,
    later: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    if newer.is_empty() {
        return later.clone();
    }
    newer
        .iter()
        .map(|(old, middle)| (old.clone(), later.get(middle).unwrap_or(middle).clone()))
        .collect()
}

/// `value` with its codes translated through `codes` (empty: unchanged); `None` when it holds
/// a code that no longer exists.
pub fn recode_value(value: &AnswerValue, codes: &BTreeMap<String, String>) -> Option<AnswerValue> {
    if codes.is_empty() {
        return Some(value.clone());
    }
    let code = |old: &String| codes.get(old).cloned();
    Some(match value {
        AnswerValue::Code(old) => AnswerValue::Code(code(old)?),
        AnswerValue::Codes(list) => {
            let mut new_codes: Vec<String> = Vec::new();
            for old in list {
                let new = code(old)?;
                if !new_codes.contains(&new) {
                    new_codes.push(new);
                }
            }
            AnswerValue::Codes(new_codes)
        }
        AnswerValue::Rows(rows) => AnswerValue::Rows(
            rows.iter()
                .map(|(row, cell)| Some((row.clone(), recode_value(cell, codes)?)))
                .collect::<Option<_>>()?,
        ),
        other => other.clone(),
    })
}

/// Whether two answers say the same thing (multiple choice regardless of order).
pub fn same_answer(left: &Answer, right: &Answer) -> bool {
    match (left, right) {
        (Answer::Given(AnswerValue::Codes(a)), Answer::Given(AnswerValue::Codes(b))) => {
            let (mut a, mut b) = (a.clone(), b.clone());
            a.sort();
            b.sort();
            a == b
        }
        (Answer::Given(AnswerValue::Number(a)), Answer::Given(AnswerValue::Number(b))) => {
            (a - b).abs() < 1e-9
        }
        _ => left == right,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::load::load;

    const OLD: &str = r#"
identifier = "t"
version = "1"
title = "Oud"
introduction = "."

[[section]]
key = "a"
title = "A"

[[section.item]]
key = "same"
type = "yes_no"
label = "Zelfde"

[[section.item]]
key = "old_name"
type = "integer"
label = "Oude naam"

[[section.item]]
key = "plan"
type = "single_choice"
label = "Plan"
options = [
  { code = "concept", label = "Concept" },
  { code = "college", label = "College" },
  { code = "raad", label = "Raad" },
]

[[section.item]]
key = "whole"
type = "integer"
label = "Geheel"

[[section.item]]
key = "part_a"
type = "integer"
label = "Deel a"

[[section.item]]
key = "part_b"
type = "integer"
label = "Deel b"

[[section.item]]
key = "meaning"
type = "yes_no"
label = "Betekenis"

[[section.item]]
key = "gone"
type = "yes_no"
label = "Weg"
"#;

    const NEW: &str = r#"
identifier = "t"
version = "2"
previous_version = "1"
title = "Nieuw"
introduction = "."

[[section]]
key = "a"
title = "A"

[[section.item]]
key = "same"
type = "yes_no"
label = "Zelfde"
lineage = "unchanged"

[[section.item]]
key = "new_name"
type = "integer"
label = "Nieuwe naam"
lineage = { renamed_from = "old_name" }

[[section.item]]
key = "plan"
type = "single_choice"
label = "Plan"
options = [
  { code = "concept", label = "Concept" },
  { code = "vastgesteld", label = "Vastgesteld" },
]
lineage = { recoded = { concept = "concept", college = "vastgesteld", raad = "vastgesteld" } }

[[section.item]]
key = "whole_x"
type = "integer"
label = "Deel x"
lineage = { split_from = "whole" }

[[section.item]]
key = "parts"
type = "integer"
label = "Samen"
lineage = { merged_from = ["part_a", "part_b"] }

[[section.item]]
key = "meaning"
type = "yes_no"
label = "Betekenis"
lineage = { changed_meaning = "andere peildatum" }

[[section.item]]
key = "fresh"
type = "yes_no"
label = "Vers"
lineage = "new"

[[removed]]
key = "gone"
reason = "Vervallen."
"#;

    fn versions() -> (Questionnaire, Questionnaire) {
        let old = load(OLD, None).expect("old loads");
        let new = load(NEW, Some(&old)).expect("new loads");
        (old, new)
    }

    fn code(c: &str) -> Answer {
        Answer::Given(AnswerValue::Code(c.to_string()))
    }

    fn old_answers() -> HashMap<String, Answer> {
        HashMap::from([
            ("same".to_string(), code("ja")),
            (
                "old_name".to_string(),
                Answer::Given(AnswerValue::Integer(7)),
            ),
            ("plan".to_string(), code("raad")),
            ("whole".to_string(), Answer::Given(AnswerValue::Integer(10))),
            ("part_a".to_string(), Answer::Given(AnswerValue::Integer(1))),
            ("part_b".to_string(), Answer::Given(AnswerValue::Integer(2))),
            ("meaning".to_string(), code("nee")),
            ("gone".to_string(), code("ja")),
        ])
    }

    #[test]
    fn lineage_decides_what_is_compared() {
        let (old, new) = versions();
        let mapping = VersionMapping::new(&[&old, &new]);
        let answers = old_answers();
        assert_eq!(
            mapping.answer("same", &answers),
            Some(code("ja")),
            "unchanged"
        );
        assert_eq!(
            mapping.answer("new_name", &answers),
            Some(Answer::Given(AnswerValue::Integer(7))),
            "renamed"
        );
        assert_eq!(
            mapping.answer("plan", &answers),
            Some(code("vastgesteld")),
            "recoded"
        );
        for (key, why) in [
            ("whole_x", "afgesplitst"),
            ("parts", "samengevoegd"),
            ("meaning", "betekenis gewijzigd"),
        ] {
            assert_eq!(mapping.answer(key, &answers), None, "{key}");
            assert!(
                matches!(mapping.counterpart(key), Counterpart::NotComparable(text) if text.contains(why)),
                "{key}"
            );
        }
        assert_eq!(mapping.counterpart("fresh"), Counterpart::New);
        assert_eq!(mapping.answer("fresh", &answers), None);
        // The removed item has no counterpart in the new version at all.
        assert!(!mapping.answers(&answers).contains_key("gone"));
        assert_eq!(mapping.answers(&answers).len(), 3);
    }

    #[test]
    fn the_same_version_compares_every_item_with_itself() {
        let (_, new) = versions();
        let mapping = VersionMapping::new(&[&new, &new]);
        let answers = HashMap::from([("fresh".to_string(), code("nee"))]);
        assert_eq!(mapping.answer("fresh", &answers), Some(code("nee")));
        assert!(mapping.counterpart("meaning").is_comparable());
    }

    #[test]
    fn explicit_non_answers_and_unknown_codes() {
        let (old, new) = versions();
        let mapping = VersionMapping::new(&[&old, &new]);
        let answers = HashMap::from([
            ("same".to_string(), Answer::Unknown),
            ("plan".to_string(), code("bestaat_niet")),
        ]);
        assert_eq!(mapping.answer("same", &answers), Some(Answer::Unknown));
        assert_eq!(mapping.answer("plan", &answers), None);
    }

    #[test]
    fn raw_input_is_taken_over_with_new_codes() {
        let (old, new) = versions();
        let mapping = VersionMapping::new(&[&old, &new]);
        let raw = |values: &[&str]| RawAnswer {
            values: values.iter().map(|v| v.to_string()).collect(),
            ..RawAnswer::default()
        };
        let compared = HashMap::from([
            ("plan".to_string(), raw(&["college"])),
            ("old_name".to_string(), raw(&["12"])),
            ("meaning".to_string(), raw(&["ja"])),
            ("same".to_string(), raw(&[""])),
        ]);
        assert_eq!(mapping.raw("plan", &compared), Some(raw(&["vastgesteld"])));
        assert_eq!(mapping.raw("new_name", &compared), Some(raw(&["12"])));
        assert_eq!(mapping.raw("meaning", &compared), None, "changed meaning");
        assert_eq!(mapping.raw("same", &compared), None, "blank");
    }

    #[test]
    fn versions_that_do_not_follow_each_other_are_not_compared() {
        let (old, new) = versions();
        let mut stranger = old.clone();
        stranger.version = "0".to_string();
        let mapping = VersionMapping::new(&[&stranger, &new]);
        assert!(!mapping.counterpart("same").is_comparable());
    }

    #[test]
    fn multiple_choice_is_the_same_in_any_order() {
        let a = Answer::Given(AnswerValue::Codes(vec!["x".into(), "y".into()]));
        let b = Answer::Given(AnswerValue::Codes(vec!["y".into(), "x".into()]));
        assert!(same_answer(&a, &b));
        assert!(!same_answer(&a, &Answer::Unknown));
    }
}
