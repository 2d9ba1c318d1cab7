//! The national picture: per item, how the regions that submitted answered, in this round and
//! in the compared round, always with the number of regions behind every figure
//! ("95% (41 van 43; 2 onbekend)"). Regions are counted, never ranked: nothing here knows
//! which region gave which answer.

use super::comparison::{recode_value, VersionMapping};
use super::questionnaire::answer::{Answer, AnswerValue};
use super::questionnaire::model::{fixed_choices, Item, ItemKind, YES_NO, YES_PARTLY_NO};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The answers of the submitted responses to one item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemTally {
    /// Each distinct real answer and how many regions gave it.
    pub values: Vec<(AnswerValue, usize)>,
    pub unknown: usize,
    pub not_applicable: usize,
    /// Regions whose response hid the item by a condition: it was not asked.
    pub not_asked: usize,
}

impl ItemTally {
    /// Counts `answer` for `regions` regions.
    pub fn add(&mut self, answer: &Answer, regions: usize) {
        match answer {
            Answer::Unknown => self.unknown += regions,
            Answer::NotApplicable => self.not_applicable += regions,
            Answer::Given(value) => self.add_value(value.clone(), regions),
        }
    }

    fn add_value(&mut self, value: AnswerValue, regions: usize) {
        match self.values.iter_mut().find(|(known, _)| *known == value) {
            Some((_, count)) => *count += regions,
            None => self.values.push((value, regions)),
        }
    }

    /// Regions with a real answer: the denominator of every share.
    pub fn given(&self) -> usize {
        self.values.iter().map(|(_, count)| count).sum()
    }
}

/// The answers of one round's submitted responses, per item key of its own version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoundTally {
    /// Regions taking part in the round.
    pub participating: usize,
    /// Of those, the regions whose response is submitted or approved: only they are counted.
    pub submitted: usize,
    pub items: HashMap<String, ItemTally>,
}

impl RoundTally {
    pub fn add(&mut self, key: &str, answer: &Answer, regions: usize) {
        self.items
            .entry(key.to_string())
            .or_default()
            .add(answer, regions);
    }

    /// Counts `regions` regions whose response hid the item.
    pub fn not_asked(&mut self, key: &str, regions: usize) {
        self.items.entry(key.to_string()).or_default().not_asked += regions;
    }

    /// This (compared) round's tally in the keys and codes of the current version. Items
    /// without a counterpart are left out; an answer holding a code that no longer exists is
    /// left out too, as it says nothing the current version can ask.
    pub fn mapped(&self, mapping: &VersionMapping) -> RoundTally {
        let mut mapped = RoundTally {
            participating: self.participating,
            submitted: self.submitted,
            items: HashMap::new(),
        };
        for (current, compared, codes) in mapping.comparable() {
            let Some(tally) = self.items.get(compared) else {
                continue;
            };
            let mut translated = ItemTally {
                values: Vec::new(),
                unknown: tally.unknown,
                not_applicable: tally.not_applicable,
                not_asked: tally.not_asked,
            };
            for (value, count) in &tally.values {
                if let Some(value) = recode_value(value, codes) {
                    translated.add_value(value, *count);
                }
            }
            mapped.items.insert(current.to_string(), translated);
        }
        mapped
    }
}

/// How many regions chose one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub code: String,
    pub label: String,
    pub regions: usize,
}

/// What the real answers to one item add up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Distribution {
    /// Per option, the regions that chose it (multiple choice: a region counts under every
    /// option it chose; ranking: under the option it put first).
    Choices(Vec<Share>),
    /// Numbers: the middle value, the range and, for counts and amounts, the national total.
    Numbers {
        median: f64,
        lowest: f64,
        highest: f64,
        total: Option<f64>,
    },
    /// Text, dates and matrices are only counted; the export holds them.
    Counted,
}

/// One round's figures for one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemFigures {
    /// Regions with a real answer: the denominator.
    pub given: usize,
    pub unknown: usize,
    pub not_applicable: usize,
    pub not_asked: usize,
    /// Submitted responses that left the item empty.
    pub not_answered: usize,
    pub distribution: Distribution,
}

impl ItemFigures {
    /// How the figures add up, in words: "43 {answered}, 2 onbekend." (`answered` names the
    /// regions with a real answer, e.g. "regio's met een antwoord").
    pub fn counts_text(&self, answered: &str) -> String {
        let mut parts = vec![format!("{} {answered}", self.given)];
        for (count, what) in [
            (self.unknown, "onbekend"),
            (self.not_applicable, "n.v.t."),
            (self.not_asked, "niet gevraagd"),
            (self.not_answered, "niet beantwoord"),
        ] {
            if count > 0 {
                parts.push(format!("{count} {what}"));
            }
        }
        format!("{}.", parts.join(", "))
    }

    /// The plain-Dutch figure for one share: "95% (41 van 43; 2 onbekend)".
    pub fn share_text(&self, regions: usize) -> String {
        let mut extra = Vec::new();
        if self.unknown > 0 {
            extra.push(format!("{} onbekend", self.unknown));
        }
        if self.not_applicable > 0 {
            extra.push(format!("{} n.v.t.", self.not_applicable));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("; {}", extra.join(", "))
        };
        match percent(regions, self.given) {
            Some(percent) => format!("{percent}% ({regions} van {}{extra})", self.given),
            None => format!("geen antwoorden{extra}"),
        }
    }
}

/// `part` of `whole` as a whole percentage, rounded half up; `None` for an empty whole.
pub fn percent(part: usize, whole: usize) -> Option<usize> {
    (whole > 0).then(|| (part * 200 + whole) / (whole * 2))
}

/// The choices an item's answers are counted under, if it has any.
fn choices(item: &Item) -> Option<Vec<(String, String)>> {
    let pairs = |list: &[(&str, &str)]| {
        fixed_choices(list)
            .into_iter()
            .map(|c| (c.code, c.label))
            .collect()
    };
    match &item.kind {
        ItemKind::YesNo => Some(pairs(&YES_NO)),
        ItemKind::YesPartlyNo => Some(pairs(&YES_PARTLY_NO)),
        ItemKind::SingleChoice { options }
        | ItemKind::MultipleChoice { options, .. }
        | ItemKind::Ranking { options, .. } => Some(
            options
                .iter()
                .map(|o| (o.code.clone(), o.label.clone()))
                .collect(),
        ),
        _ => None,
    }
}

/// One round's figures for `item`; `submitted` is how many responses were counted.
pub fn figures(item: &Item, tally: Option<&ItemTally>, submitted: usize) -> ItemFigures {
    let empty = ItemTally::default();
    let tally = tally.unwrap_or(&empty);
    let given = tally.given();
    let counted = given + tally.unknown + tally.not_applicable + tally.not_asked;
    let distribution = if let Some(options) = choices(item) {
        let chose = |code: &str| -> usize {
            tally
                .values
                .iter()
                .filter(|(value, _)| match value {
                    AnswerValue::Code(chosen) => chosen == code,
                    AnswerValue::Codes(list) if matches!(item.kind, ItemKind::Ranking { .. }) => {
                        list.first().is_some_and(|first| first == code)
                    }
                    AnswerValue::Codes(list) => list.iter().any(|chosen| chosen == code),
                    _ => false,
                })
                .map(|(_, count)| count)
                .sum()
        };
        Distribution::Choices(
            options
                .into_iter()
                .map(|(code, label)| Share {
                    regions: chose(&code),
                    code,
                    label,
                })
                .collect(),
        )
    } else if item.kind.is_numeric() {
        let mut numbers: Vec<(f64, usize)> = tally
            .values
            .iter()
            .filter_map(|(value, count)| match value {
                AnswerValue::Integer(n) => Some((*n as f64, *count)),
                AnswerValue::Number(n) => Some((*n, *count)),
                _ => None,
            })
            .collect();
        numbers.sort_by(|a, b| a.0.total_cmp(&b.0));
        match (numbers.first(), numbers.last()) {
            (Some(lowest), Some(highest)) => Distribution::Numbers {
                median: median(&numbers),
                lowest: lowest.0,
                highest: highest.0,
                total: matches!(
                    item.kind,
                    ItemKind::Integer { .. } | ItemKind::Decimal { .. }
                )
                .then(|| numbers.iter().map(|(n, count)| n * *count as f64).sum()),
            },
            _ => Distribution::Counted,
        }
    } else {
        Distribution::Counted
    };
    ItemFigures {
        given,
        unknown: tally.unknown,
        not_applicable: tally.not_applicable,
        not_asked: tally.not_asked,
        not_answered: submitted.saturating_sub(counted),
        distribution,
    }
}

/// The median of sorted (value, how often) pairs; the mean of the two middle values for an
/// even count.
fn median(sorted: &[(f64, usize)]) -> f64 {
    let total: usize = sorted.iter().map(|(_, count)| count).sum();
    let nth = |wanted: usize| -> f64 {
        let mut seen = 0;
        for (value, count) in sorted {
            seen += count;
            if seen > wanted {
                return *value;
            }
        }
        sorted.last().map_or(0.0, |(value, _)| *value)
    };
    if total % 2 == 1 {
        nth(total / 2)
    } else {
        (nth(total / 2 - 1) + nth(total / 2)) / 2.0
    }
}

/// One item in the national picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalItem {
    pub key: String,
    pub label: String,
    /// The key indicator's plain-Dutch name, when the item is one.
    pub indicator: Option<String>,
    pub unit: Option<String>,
    pub current: ItemFigures,
    /// The compared round's figures, mapped to this version; `None` when not compared.
    pub compared: Option<ItemFigures>,
    /// Why the item is not compared, in Dutch, when it is not.
    pub not_compared: Option<String>,
}

impl NationalItem {
    /// A key indicator in one plain-Dutch line: "Wonen Eerst opgenomen in regionaal plan:
    /// ‘Ja’ bij 95% (41 van 43; 2 onbekend); vorige meting 82% (37 van 45)". Choices name
    /// "ja", or else the answer most regions gave; numbers their median and total.
    pub fn headline(&self) -> Option<String> {
        let name = self.indicator.as_ref()?;
        let text = match &self.current.distribution {
            Distribution::Choices(shares) => {
                let (position, share) = shares
                    .iter()
                    .enumerate()
                    .find(|(_, share)| share.code == "ja")
                    .or_else(|| {
                        shares
                            .iter()
                            .enumerate()
                            .rev()
                            .max_by_key(|(_, share)| share.regions)
                    })?;
                let before =
                    self.compared
                        .as_ref()
                        .and_then(|figures| match &figures.distribution {
                            Distribution::Choices(before) => before
                                .get(position)
                                .map(|old| figures.share_text(old.regions)),
                            _ => None,
                        });
                let mut text = format!(
                    "‘{}’ bij {}",
                    share.label,
                    self.current.share_text(share.regions)
                );
                if let Some(before) = before {
                    text.push_str(&format!("; vorige meting {before}"));
                }
                text
            }
            Distribution::Numbers { .. } => {
                let numbers = |figures: &ItemFigures| match &figures.distribution {
                    Distribution::Numbers { median, total, .. } => Some(format!(
                        "mediaan {}{} ({} regio's)",
                        format_number(*median),
                        total
                            .map(|total| format!(", samen {}", format_number(total)))
                            .unwrap_or_default(),
                        figures.given
                    )),
                    _ => None,
                };
                let mut text = numbers(&self.current)?;
                if let Some(before) = self.compared.as_ref().and_then(numbers) {
                    text.push_str(&format!("; vorige meting {before}"));
                }
                text
            }
            Distribution::Counted => return None,
        };
        Some(format!("{name}: {text}"))
    }
}

/// A section of the national picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalSection {
    pub key: String,
    pub title: String,
    pub items: Vec<NationalItem>,
}

/// The round's counts of regions, the compared round's and every section's items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalPicture {
    pub round_id: String,
    pub round_name: String,
    pub questionnaire: String,
    pub participating: usize,
    pub submitted: usize,
    pub compared_round: Option<ComparedRound>,
    /// The round compared with, and every round that could be (newest first).
    pub compared_round_id: Option<String>,
    pub comparison_choices: Vec<super::round::ComparisonChoice>,
    /// Every section's key and title, for the filter, whichever is shown.
    pub all_sections: Vec<(String, String)>,
    pub sections: Vec<NationalSection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedRound {
    pub name: String,
    pub participating: usize,
    pub submitted: usize,
}

/// A plain-Dutch number: whole numbers without decimals, others with at most one, with a
/// decimal comma ("12,5").
pub fn format_number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        format!("{:.1}", value).replace('.', ",")
    }
}

#[cfg(test)]
mod tests;
