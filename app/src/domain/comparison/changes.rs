//! What changed from one questionnaire version to the next, item by item, in the terms
//! comparison uses: an admin reads it before a version is stored or used, so nobody learns
//! from the national picture that a renamed question broke a series.

use super::{Counterpart, VersionMapping};
use crate::domain::questionnaire::model::{Item, Questionnaire};
use serde::{Deserialize, Serialize};

/// The changes of `current` against `previous`, the version it follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionChanges {
    pub previous_version: String,
    /// Items of `current` that are not plainly the same question, in questionnaire order.
    pub items: Vec<ItemChange>,
    /// Items of `previous` no item of `current` is compared with.
    pub removed: Vec<RemovedItem>,
    /// Items compared one to one, with the same key, codes and wording.
    pub unchanged: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemChange {
    pub key: String,
    pub label: String,
    pub change: Change,
}

/// How comparison treats an item of the new version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    New,
    /// Compared with the old item `from`.
    Renamed {
        from: String,
    },
    /// Compared with the old item `from`, its answers' codes translated (old → new).
    Recoded {
        from: String,
        codes: Vec<(String, String)>,
    },
    /// Not compared with the previous round; the text says why, in Dutch.
    NotCompared(String),
    /// Compared as the same question, but its wording or logic was edited: the parts named.
    Edited(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovedItem {
    pub key: String,
    pub label: String,
    /// The file's reason, or which new items took its place (not compared).
    pub reason: String,
}

impl VersionChanges {
    pub fn between(previous: &Questionnaire, current: &Questionnaire) -> VersionChanges {
        let mapping = VersionMapping::new(&[previous, current]);
        let mut items = Vec::new();
        let mut unchanged = 0;
        for item in current.items() {
            match change_of(item, &mapping.counterpart(&item.key), previous) {
                Some(change) => items.push(ItemChange {
                    key: item.key.clone(),
                    label: item.label.clone(),
                    change,
                }),
                None => unchanged += 1,
            }
        }
        let compared: Vec<&str> = mapping.comparable().map(|(_, old, _)| old).collect();
        let removed = previous
            .items()
            .filter(|old| !compared.contains(&old.key.as_str()))
            .map(|old| RemovedItem {
                key: old.key.clone(),
                label: old.label.clone(),
                reason: removal_reason(&old.key, current),
            })
            .collect();
        VersionChanges {
            previous_version: previous.version.clone(),
            items,
            removed,
            unchanged,
        }
    }

    /// Whether every item is compared as before and nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.removed.is_empty()
    }
}

fn change_of(item: &Item, counterpart: &Counterpart, previous: &Questionnaire) -> Option<Change> {
    match counterpart {
        Counterpart::New => Some(Change::New),
        Counterpart::NotComparable(why) => Some(Change::NotCompared(why.clone())),
        Counterpart::Comparable { key, codes } if !codes.is_empty() => Some(Change::Recoded {
            from: key.clone(),
            codes: codes.iter().map(|(o, n)| (o.clone(), n.clone())).collect(),
        }),
        Counterpart::Comparable { key, .. } if *key != item.key => {
            Some(Change::Renamed { from: key.clone() })
        }
        Counterpart::Comparable { key, .. } => {
            let edited = previous.item(key).map(|old| edited_parts(old, item))?;
            (!edited.is_empty()).then_some(Change::Edited(edited))
        }
    }
}

/// The parts of an item compared one to one that differ between the versions.
fn edited_parts(old: &Item, new: &Item) -> Vec<String> {
    let source = |c: &Option<crate::domain::questionnaire::model::Condition>| {
        c.as_ref().map(|c| c.source.clone())
    };
    let rules = |item: &Item| -> Vec<(String, String)> {
        item.rules
            .iter()
            .map(|r| (r.check.source.clone(), r.message.clone()))
            .collect()
    };
    let mut parts: Vec<&str> = Vec::new();
    if old.label != new.label {
        parts.push("vraagtekst");
    }
    if old.help != new.help {
        parts.push("uitleg");
    }
    if old.kind != new.kind {
        parts.push("antwoordtype of keuzes");
    }
    if (old.required, old.allow_unknown, old.allow_not_applicable)
        != (new.required, new.allow_unknown, new.allow_not_applicable)
    {
        parts.push("verplicht, onbekend of n.v.t.");
    }
    if source(&old.visible_if) != source(&new.visible_if) {
        parts.push("voorwaarde");
    }
    if rules(old) != rules(new) {
        parts.push("controles");
    }
    parts.into_iter().map(String::from).collect()
}

fn removal_reason(key: &str, current: &Questionnaire) -> String {
    use crate::domain::questionnaire::model::Lineage;
    if let Some(removed) = current.removed.iter().find(|r| r.key == key) {
        return removed.reason.clone();
    }
    let successors: Vec<&str> = current
        .items()
        .filter(|item| match &item.lineage {
            Lineage::SplitFrom(from) => from == key,
            Lineage::MergedFrom(keys) => keys.iter().any(|k| k == key),
            _ => false,
        })
        .map(|item| item.key.as_str())
        .collect();
    if successors.is_empty() {
        "Geen vraag in deze versie wordt ermee vergeleken.".to_string()
    } else {
        format!("Opgegaan in {} (niet vergeleken).", successors.join(", "))
    }
}
