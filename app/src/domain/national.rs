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
mod tests {
    use super::*;
    use crate::domain::questionnaire::model::{Lineage, Questionnaire, Section};

    fn item(key: &str, kind: ItemKind) -> Item {
        Item {
            key: key.to_string(),
            kind,
            label: key.to_string(),
            help: None,
            unit: None,
            required: true,
            allow_unknown: true,
            allow_not_applicable: true,
            indicator: None,
            visible_if: None,
            rules: vec![],
            lineage: Lineage::Unchanged,
        }
    }

    fn code(code: &str) -> Answer {
        Answer::Given(AnswerValue::Code(code.to_string()))
    }

    #[test]
    fn shares_have_their_denominator_and_the_explicit_non_answers() {
        // 45 regions, 44 submitted: 41 ja, 2 nee, 1 onbekend.
        let mut tally = RoundTally {
            participating: 45,
            submitted: 44,
            ..RoundTally::default()
        };
        tally.add("plan", &code("ja"), 41);
        tally.add("plan", &code("nee"), 2);
        tally.add("plan", &Answer::Unknown, 1);
        let figures = figures(
            &item("plan", ItemKind::YesNo),
            tally.items.get("plan"),
            tally.submitted,
        );
        assert_eq!(figures.given, 43);
        assert_eq!(figures.not_answered, 0);
        let Distribution::Choices(shares) = &figures.distribution else {
            panic!("yes/no is counted per choice");
        };
        assert_eq!(shares[0].regions, 41);
        assert_eq!(
            figures.share_text(shares[0].regions),
            "95% (41 van 43; 1 onbekend)"
        );
        assert_eq!(
            figures.share_text(shares[1].regions),
            "5% (2 van 43; 1 onbekend)"
        );
    }

    #[test]
    fn not_asked_not_applicable_and_empty_are_told_apart() {
        let mut tally = RoundTally {
            participating: 10,
            submitted: 8,
            ..RoundTally::default()
        };
        tally.add("x", &code("ja"), 3);
        tally.add("x", &Answer::NotApplicable, 2);
        tally.not_asked("x", 1);
        let figures = figures(
            &item("x", ItemKind::YesNo),
            tally.items.get("x"),
            tally.submitted,
        );
        assert_eq!(figures.given, 3);
        assert_eq!(figures.not_applicable, 2);
        assert_eq!(figures.not_asked, 1);
        // 8 submitted − 3 given − 2 n.v.t. − 1 not asked
        assert_eq!(figures.not_answered, 2);
        assert_eq!(figures.share_text(3), "100% (3 van 3; 2 n.v.t.)");
    }

    #[test]
    fn an_item_nobody_answered_has_no_percentage() {
        let figures = figures(&item("x", ItemKind::YesNo), None, 5);
        assert_eq!(figures.not_answered, 5);
        assert_eq!(figures.share_text(0), "geen antwoorden");
    }

    #[test]
    fn multiple_choice_counts_a_region_under_every_option_it_chose() {
        let kind = ItemKind::MultipleChoice {
            options: fixed_choices(&[("a", "A"), ("b", "B"), ("c", "C")]),
            min_selected: None,
            max_selected: None,
        };
        let mut tally = ItemTally::default();
        let codes = |list: &[&str]| {
            Answer::Given(AnswerValue::Codes(
                list.iter().map(|c| c.to_string()).collect(),
            ))
        };
        tally.add(&codes(&["a", "b"]), 2);
        tally.add(&codes(&["b"]), 1);
        let figures = figures(&item("m", kind), Some(&tally), 3);
        let Distribution::Choices(shares) = figures.distribution else {
            panic!("multiple choice is counted per choice");
        };
        let counts: Vec<usize> = shares.iter().map(|s| s.regions).collect();
        assert_eq!(counts, vec![2, 3, 0]);
    }

    #[test]
    fn numbers_give_median_range_and_total() {
        let mut tally = ItemTally::default();
        for (n, count) in [(10, 2), (30, 1), (20, 1)] {
            tally.add(&Answer::Given(AnswerValue::Integer(n)), count);
        }
        let figures = figures(
            &item(
                "n",
                ItemKind::Integer {
                    min: None,
                    max: None,
                },
            ),
            Some(&tally),
            4,
        );
        assert_eq!(
            figures.distribution,
            Distribution::Numbers {
                median: 15.0,
                lowest: 10.0,
                highest: 30.0,
                total: Some(70.0),
            }
        );
        assert_eq!(format_number(15.0), "15");
        assert_eq!(format_number(12.25), "12,2");
    }

    #[test]
    fn a_key_indicator_reads_as_one_line() {
        let mut now = RoundTally::default();
        now.add("w", &code("ja"), 41);
        now.add("w", &code("nee"), 2);
        now.add("w", &Answer::Unknown, 2);
        let mut before = RoundTally::default();
        before.add("w", &code("ja"), 37);
        before.add("w", &code("nee"), 8);
        let item_definition = item("w", ItemKind::YesNo);
        let national = NationalItem {
            key: "w".into(),
            label: "Wonen Eerst?".into(),
            indicator: Some("Wonen Eerst opgenomen in regionaal plan".into()),
            unit: None,
            current: figures(&item_definition, now.items.get("w"), 45),
            compared: Some(figures(&item_definition, before.items.get("w"), 45)),
            not_compared: None,
        };
        assert_eq!(
            national.headline().unwrap(),
            "Wonen Eerst opgenomen in regionaal plan: ‘Ja’ bij 95% (41 van 43; 2 onbekend); \
             vorige meting 82% (37 van 45)"
        );
        let plain = NationalItem {
            indicator: None,
            ..national
        };
        assert_eq!(plain.headline(), None);
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent(41, 43), Some(95));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(0, 0), None);
    }

    fn version(number: &str, previous: Option<&str>, items: Vec<Item>) -> Questionnaire {
        Questionnaire {
            identifier: "t".to_string(),
            version: number.to_string(),
            title: "T".to_string(),
            introduction: ".".to_string(),
            previous_version: previous.map(str::to_string),
            sections: vec![Section {
                key: "a".to_string(),
                title: "A".to_string(),
                intro: None,
                items,
            }],
            removed: vec![],
        }
    }

    #[test]
    fn the_compared_round_is_counted_in_the_current_keys_and_codes() {
        let plan_kind = |options: &[(&str, &str)]| ItemKind::SingleChoice {
            options: fixed_choices(options),
        };
        let old = version(
            "1",
            None,
            vec![
                item(
                    "old_plan",
                    plan_kind(&[("concept", "C"), ("college", "Co"), ("raad", "R")]),
                ),
                item("gone", ItemKind::YesNo),
            ],
        );
        let mut renamed = item("plan", plan_kind(&[("voorbereid", "V"), ("raad", "R")]));
        renamed.lineage = Lineage::Mapped {
            from: "old_plan".to_string(),
            codes: [
                ("concept", "voorbereid"),
                ("college", "voorbereid"),
                ("raad", "raad"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        };
        let mut new_item = item("fresh", ItemKind::YesNo);
        new_item.lineage = Lineage::New;
        let new = version("2", Some("1"), vec![renamed.clone(), new_item]);
        let mapping = VersionMapping::new(&[&old, &new]);

        let mut compared = RoundTally {
            participating: 45,
            submitted: 40,
            ..RoundTally::default()
        };
        compared.add("old_plan", &code("concept"), 5);
        compared.add("old_plan", &code("college"), 7);
        compared.add("old_plan", &code("raad"), 26);
        compared.add("old_plan", &Answer::Unknown, 2);
        compared.add("gone", &code("ja"), 40);
        let mapped = compared.mapped(&mapping);
        assert_eq!(mapped.submitted, 40);
        assert!(!mapped.items.contains_key("gone"));
        assert!(!mapped.items.contains_key("fresh"));
        let figures = figures(&renamed, mapped.items.get("plan"), mapped.submitted);
        let Distribution::Choices(shares) = &figures.distribution else {
            panic!("single choice is counted per choice");
        };
        // Two old codes merged into one: 5 + 7 regions.
        assert_eq!(shares[0].regions, 12);
        assert_eq!(shares[1].regions, 26);
        assert_eq!(figures.share_text(26), "68% (26 van 38; 2 onbekend)");
    }
}
