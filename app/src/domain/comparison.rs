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

    /// The compared key and code translation of `key`, when it has a comparable counterpart.
    fn counterpart_of(&self, key: &str) -> Option<(&str, &BTreeMap<String, String>)> {
        match self.counterparts.get(key)? {
            Counterpart::Comparable { key, codes } => Some((key, codes)),
            _ => None,
        }
    }

    /// The compared round's answer to `key`, in this version's codes. `None` when the item is
    /// not comparable, was not answered, or holds a code that no longer exists.
    pub fn answer(&self, key: &str, compared: &HashMap<String, Answer>) -> Option<Answer> {
        let (old_key, codes) = self.counterpart_of(key)?;
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
        let (old_key, codes) = self.counterpart_of(key)?;
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

mod changes;
pub use changes::{Change, ItemChange, RemovedItem, VersionChanges};

#[cfg(test)]
mod tests;
