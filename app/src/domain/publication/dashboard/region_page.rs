//! A region's page: its public answers next to the national figures, and its key
//! indicators' answers over every publication.

use super::{answer_words, figure, Earlier, Figure, PublicationFacts, Published, RegionLink};
use crate::domain::national::{figures, format_number, Distribution, RoundTally};
use crate::domain::publication::{period, Edition, PublishedAnswer, PublishedRegion};
use crate::domain::questionnaire::answer::{Answer, AnswerValue};
use crate::domain::questionnaire::model::{Item, Questionnaire};
use serde::{Deserialize, Serialize};

/// One public item of a region's page: its answer next to the national figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionItem {
    pub key: String,
    pub label: String,
    pub indicator: Option<String>,
    pub answer: String,
    /// The national figure for comparison: the indicator's headline figure, the share of
    /// regions giving the same answer, or the national median.
    pub national: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionSection {
    pub key: String,
    pub title: String,
    pub items: Vec<RegionItem>,
}

/// A key indicator's answers of one region over every publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionHistory {
    pub name: String,
    /// Per publication (oldest first, as `RegionDashboard::periods`): the answer in words.
    pub answers: Vec<String>,
}

/// One region's public page in one publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionDashboard {
    pub publication: PublicationFacts,
    pub region: RegionLink,
    pub gemeenten: Vec<String>,
    /// Whether the region's answers were approved and published.
    pub has_data: bool,
    pub sections: Vec<RegionSection>,
    /// Every publication up to this one, oldest first: (slug, period).
    pub periods: Vec<(String, String)>,
    pub history: Vec<RegionHistory>,
}

/// The national figure beside a region's answer.
fn national_words(item: &Item, tally: &RoundTally, answer: Option<&PublishedAnswer>) -> String {
    if item.indicator.is_some() {
        if let Some(figure) = figure(item, tally) {
            return match figure {
                Figure::Share { .. } => format!("{} ({})", figure.shown(), figure.detail()),
                Figure::Total { .. } => format!("{} ({})", figure.shown(), figure.detail()),
            };
        }
    }
    let figures = figures(item, tally.items.get(&item.key), tally.submitted);
    match (&figures.distribution, answer) {
        (Distribution::Choices(shares), Some(PublishedAnswer::Given(AnswerValue::Code(code)))) => {
            let same = shares
                .iter()
                .find(|s| &s.code == code)
                .map_or(0, |s| s.regions);
            format!("Zelfde antwoord: {}", figures.share_text(same))
        }
        (Distribution::Numbers { median, .. }, _) => format!(
            "Mediaan {} ({} regio's)",
            format_number(*median),
            figures.given
        ),
        _ => format!("{} regio's beantwoordden deze vraag", figures.given),
    }
}

/// One region's page in `current`, with its answers in the earlier publications (oldest
/// first) for its history.
pub fn region(
    current: Published<'_>,
    editions: Vec<Edition>,
    questionnaire: &Questionnaire,
    earlier: &[Earlier<'_>],
    code: &str,
    // The national figures of `current` (`tally(current.snapshot)`), kept by the caller.
    now: &RoundTally,
) -> Option<RegionDashboard> {
    let region = current.snapshot.region(code)?;
    Some(RegionDashboard {
        publication: PublicationFacts::of(current, editions),
        region: RegionLink {
            code: region.code.clone(),
            name: region.name.clone(),
        },
        gemeenten: region.gemeenten.clone(),
        has_data: region.answers.is_some(),
        sections: region_sections(questionnaire, region, now),
        periods: periods(current, earlier),
        history: history(questionnaire, earlier, region, code),
    })
}

/// Per section its public items: the region's answer next to the national figure.
fn region_sections(
    questionnaire: &Questionnaire,
    region: &PublishedRegion,
    now: &RoundTally,
) -> Vec<RegionSection> {
    questionnaire
        .sections
        .iter()
        .filter_map(|section| {
            let items: Vec<RegionItem> = section
                .items
                .iter()
                .filter(|i| i.public)
                .map(|item| {
                    let answer = region.answers.as_ref().and_then(|a| a.get(&item.key));
                    RegionItem {
                        key: item.key.clone(),
                        label: item.label.clone(),
                        indicator: item.indicator.clone(),
                        answer: if region.answers.is_some() {
                            answer_words(item, answer)
                        } else {
                            "Geen gegevens".to_string()
                        },
                        national: national_words(item, now, answer),
                    }
                })
                .collect();
            (!items.is_empty()).then(|| RegionSection {
                key: section.key.clone(),
                title: section.title.clone(),
                items,
            })
        })
        .collect()
}

/// Every publication up to `current`, oldest first: (slug, period).
fn periods(current: Published<'_>, earlier: &[Earlier<'_>]) -> Vec<(String, String)> {
    let mut periods: Vec<(String, String)> = earlier
        .iter()
        .map(|e| {
            (
                e.published.edition.slug.clone(),
                period(e.published.snapshot.deadline),
            )
        })
        .collect();
    periods.push((
        current.edition.slug.clone(),
        period(current.snapshot.deadline),
    ));
    periods
}

/// The region's answers to each public key indicator in every publication, oldest first.
fn history(
    questionnaire: &Questionnaire,
    earlier: &[Earlier<'_>],
    region: &PublishedRegion,
    code: &str,
) -> Vec<RegionHistory> {
    questionnaire
        .items()
        .filter(|item| item.public && item.indicator.is_some())
        .map(|item| {
            let mut answers: Vec<String> = earlier
                .iter()
                .map(|e| earlier_answer(item, e, code))
                .collect();
            answers.push(match &region.answers {
                None => "Geen gegevens".to_string(),
                Some(a) => answer_words(item, a.get(&item.key)),
            });
            RegionHistory {
                name: item.indicator.clone().unwrap_or_default(),
                answers,
            }
        })
        .collect()
}

/// A region's answer to `item` (of the current version) in an earlier publication, mapped
/// through lineage, in words.
fn earlier_answer(item: &Item, earlier: &Earlier<'_>, code: &str) -> String {
    let Some(region) = earlier.published.snapshot.region(code) else {
        return "Deed niet mee".to_string();
    };
    let Some(answers) = &region.answers else {
        return "Geen gegevens".to_string();
    };
    let Some(mapping) = &earlier.mapping else {
        return "Niet vergeleken".to_string();
    };
    if mapping.why_not(&item.key).is_some() {
        return "Niet vergeleken".to_string();
    }
    let old: std::collections::HashMap<String, Answer> = answers
        .iter()
        .filter_map(|(key, answer)| Some((key.clone(), answer.answer()?)))
        .collect();
    let mapped = match mapping.answer(&item.key, &old) {
        Some(Answer::Given(value)) => Some(PublishedAnswer::Given(value)),
        Some(Answer::Unknown) => Some(PublishedAnswer::Unknown),
        Some(Answer::NotApplicable) => Some(PublishedAnswer::NotApplicable),
        None => None,
    };
    answer_words(item, mapped.as_ref())
}
