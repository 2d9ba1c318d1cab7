//! The public dashboard's figures, computed from snapshots only: per section each key
//! indicator as "95% (43 van 45 regio's) – was 82% in december 2025" with its trend over every
//! earlier publication, and every other public closed item's distribution. Earlier
//! publications are mapped onto the current version through lineage; where an item's meaning
//! changed the trend stops there, and says why.

use super::{period, Edition, PublishedAnswer, Snapshot};
use crate::domain::comparison::VersionMapping;
use crate::domain::national::{
    figures, format_number, percent, Distribution, ItemFigures, RoundTally,
};
use crate::domain::questionnaire::answer::{Answer, AnswerValue};
use crate::domain::questionnaire::model::{Item, ItemKind, Questionnaire};
use serde::{Deserialize, Serialize};

/// One publication as the builders read it: its latest edition and its snapshot.
#[derive(Debug, Clone, Copy)]
pub struct Published<'a> {
    pub edition: &'a Edition,
    pub snapshot: &'a Snapshot,
}

/// An earlier publication, with the mapping of the current version onto its version
/// (`None`: another questionnaire, never compared).
pub struct Earlier<'a> {
    pub published: Published<'a>,
    pub mapping: Option<&'a VersionMapping>,
}

/// What every public page says about the publication it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationFacts {
    pub slug: String,
    pub round_name: String,
    /// "juni 2026"
    pub period: String,
    pub questionnaire: String,
    /// Every edition of this round's publication, the first first.
    pub editions: Vec<Edition>,
}

impl PublicationFacts {
    pub fn of(published: Published<'_>, editions: Vec<Edition>) -> PublicationFacts {
        PublicationFacts {
            slug: published.edition.slug.clone(),
            round_name: published.snapshot.round_name.clone(),
            period: period(published.snapshot.deadline),
            questionnaire: format!(
                "{}/{}",
                published.snapshot.questionnaire_id, published.snapshot.questionnaire_version
            ),
            editions,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionLink {
    pub code: String,
    pub name: String,
}

/// One point of a trend: a publication's figure, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub slug: String,
    pub period: String,
    /// The value drawn (a percentage, or a number); `None`: not compared or no answers.
    pub value: Option<f64>,
    /// The value in words ("95%", "12.345"), or why there is none.
    pub shown: String,
    /// The N behind it ("43 van 45 regio's").
    pub detail: String,
}

/// A key indicator on the national page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorView {
    pub key: String,
    /// Its plain-Dutch name.
    pub name: String,
    /// The question behind it.
    pub label: String,
    /// "95% (43 van 45 regio's) – was 82% in december 2025"
    pub headline: String,
    /// "+13 procentpunten sinds december 2025", when compared.
    pub change: Option<String>,
    /// Whether the figure is a percentage (else a number: the national total).
    pub is_share: bool,
    /// Every publication up to this one, oldest first.
    pub trend: Vec<TrendPoint>,
    /// Why earlier publications are (partly) not in the trend.
    pub trend_note: Option<String>,
}

/// Any other public item on the national page: its distribution now and in the previous
/// publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub key: String,
    pub label: String,
    pub unit: Option<String>,
    pub current: ItemFigures,
    pub previous: Option<ItemFigures>,
    /// Why the item is not compared with the previous publication, when it is not.
    pub not_compared: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardSection {
    pub key: String,
    pub title: String,
    pub indicators: Vec<IndicatorView>,
    pub items: Vec<ItemView>,
}

/// The national page of one publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalDashboard {
    pub publication: PublicationFacts,
    /// The previous publication's period, when there is one.
    pub previous_period: Option<String>,
    pub regions_taking_part: usize,
    pub regions_with_data: usize,
    /// Regions that took part without approved answers: "geen gegevens".
    pub without_data: Vec<RegionLink>,
    pub regions: Vec<RegionLink>,
    pub sections: Vec<DashboardSection>,
}

/// The public answers of a snapshot counted per item key of its own version.
pub fn tally(snapshot: &Snapshot) -> RoundTally {
    let mut tally = RoundTally {
        participating: snapshot.regions.len(),
        submitted: 0,
        ..RoundTally::default()
    };
    for region in snapshot.with_data() {
        tally.submitted += 1;
        for (key, answer) in region.answers.iter().flatten() {
            match answer {
                PublishedAnswer::NotAsked => tally.not_asked(key, 1),
                other => {
                    if let Some(answer) = other.answer() {
                        tally.add(key, &answer, 1);
                    }
                }
            }
        }
    }
    tally
}

/// An indicator's figure in one publication: the share of regions whose answer counts, or
/// for numbers the national total.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Figure {
    Share { part: usize, whole: usize },
    Total { total: f64, regions: usize },
}

impl Figure {
    fn value(self) -> Option<f64> {
        match self {
            Figure::Share { part, whole } => percent(part, whole).map(|p| p as f64),
            Figure::Total { total, regions } => (regions > 0).then_some(total),
        }
    }

    fn shown(self) -> String {
        match (self, self.value()) {
            (Figure::Share { .. }, Some(value)) => format!("{value}%"),
            (Figure::Total { .. }, Some(value)) => grouped(value),
            (_, None) => "geen antwoorden".to_string(),
        }
    }

    fn detail(self) -> String {
        match self {
            Figure::Share { part, whole } => format!("{part} van {whole} regio's"),
            Figure::Total { regions, .. } => format!("samen, {regions} regio's"),
        }
    }
}

/// A number with a dot between thousands and a decimal comma: "12.345", "2,5".
pub fn grouped(value: f64) -> String {
    let text = format_number(value);
    let (whole, fraction) = match text.split_once(',') {
        Some((whole, fraction)) => (whole.to_string(), Some(fraction.to_string())),
        None => (text, None),
    };
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(digits) => ("-", digits.to_string()),
        None => ("", whole),
    };
    let mut out = String::new();
    for (n, c) in digits.chars().enumerate() {
        if n > 0 && (digits.len() - n) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    match fraction {
        Some(fraction) => format!("{sign}{out},{fraction}"),
        None => format!("{sign}{out}"),
    }
}

/// Whether an answer value holds one of the codes that count.
fn counts(value: &AnswerValue, codes: &[String]) -> bool {
    match value {
        AnswerValue::Code(code) => codes.contains(code),
        AnswerValue::Codes(list) => list.iter().any(|code| codes.contains(code)),
        _ => false,
    }
}

/// The indicator's figure from a tally in the current version's keys and codes.
fn figure(item: &Item, tally: &RoundTally) -> Option<Figure> {
    let item_tally = tally.items.get(&item.key).cloned().unwrap_or_default();
    if !item.indicator_counts.is_empty() {
        let part = item_tally
            .values
            .iter()
            .filter(|(value, _)| counts(value, &item.indicator_counts))
            .map(|(_, regions)| regions)
            .sum();
        return Some(Figure::Share {
            part,
            whole: item_tally.given(),
        });
    }
    if item.kind.is_numeric() {
        let total = item_tally
            .values
            .iter()
            .filter_map(|(value, regions)| match value {
                AnswerValue::Integer(n) => Some(*n as f64 * *regions as f64),
                AnswerValue::Number(n) => Some(n * *regions as f64),
                _ => None,
            })
            .sum();
        return Some(Figure::Total {
            total,
            regions: item_tally.given(),
        });
    }
    None
}

/// "+13 procentpunten", "-2", "gelijk": the change from `before` to `now`.
fn change(now: Figure, before: Figure, since: &str) -> Option<String> {
    let (now_value, before_value) = (now.value()?, before.value()?);
    let difference = now_value - before_value;
    let amount = match now {
        Figure::Share { .. } => {
            let points = difference.round() as i64;
            match points.abs() {
                0 => return Some(format!("gelijk aan {since}")),
                1 => format!("{points:+} procentpunt"),
                _ => format!("{points:+} procentpunten"),
            }
        }
        Figure::Total { .. } if difference.abs() < 1e-9 => {
            return Some(format!("gelijk aan {since}"))
        }
        Figure::Total { .. } => {
            let sign = if difference > 0.0 { "+" } else { "" };
            format!("{sign}{}", grouped(difference))
        }
    };
    Some(format!("{amount} sinds {since}"))
}

/// The national page of `current`, with the earlier publications (oldest first) for trends
/// and the change since the last of them.
pub fn national(
    current: Published<'_>,
    editions: Vec<Edition>,
    questionnaire: &Questionnaire,
    earlier: &[Earlier<'_>],
) -> NationalDashboard {
    let now = tally(current.snapshot);
    let before: Vec<Option<RoundTally>> = earlier
        .iter()
        .map(|e| e.mapping.map(|m| tally(e.published.snapshot).mapped(m)))
        .collect();
    let previous = earlier.last();
    let previous_period = previous.map(|p| period(p.published.snapshot.deadline));
    let sections = questionnaire
        .sections
        .iter()
        .filter_map(|section| {
            let public: Vec<&Item> = section.items.iter().filter(|i| i.public).collect();
            if public.is_empty() {
                return None;
            }
            let indicators = public
                .iter()
                .filter(|item| item.indicator.is_some())
                .filter_map(|item| indicator(item, current, &now, earlier, &before))
                .collect();
            let items = public
                .iter()
                .filter(|item| item.indicator.is_none())
                .map(|item| item_view(item, &now, previous, before.last().and_then(Option::as_ref)))
                .collect();
            Some(DashboardSection {
                key: section.key.clone(),
                title: section.title.clone(),
                indicators,
                items,
            })
        })
        .collect();
    let link = |r: &super::PublishedRegion| RegionLink {
        code: r.code.clone(),
        name: r.name.clone(),
    };
    NationalDashboard {
        publication: PublicationFacts::of(current, editions),
        previous_period,
        regions_taking_part: current.snapshot.regions.len(),
        regions_with_data: current.snapshot.with_data().count(),
        without_data: current
            .snapshot
            .regions
            .iter()
            .filter(|r| r.answers.is_none())
            .map(link)
            .collect(),
        regions: current.snapshot.regions.iter().map(link).collect(),
        sections,
    }
}

fn indicator(
    item: &Item,
    current: Published<'_>,
    now: &RoundTally,
    earlier: &[Earlier<'_>],
    before: &[Option<RoundTally>],
) -> Option<IndicatorView> {
    let now_figure = figure(item, now)?;
    let mut trend = Vec::new();
    let mut not_compared = Vec::new();
    for (earlier, tally) in earlier.iter().zip(before) {
        let snapshot = earlier.published.snapshot;
        let when = period(snapshot.deadline);
        let why_not = match &earlier.mapping {
            None => Some("een andere vragenlijst".to_string()),
            Some(mapping) => mapping.why_not(&item.key),
        };
        let point = match (why_not, tally) {
            (None, Some(tally)) => {
                let figure = figure(item, tally)?;
                TrendPoint {
                    slug: earlier.published.edition.slug.clone(),
                    period: when,
                    value: figure.value(),
                    shown: figure.shown(),
                    detail: figure.detail(),
                }
            }
            (why, _) => {
                let why = why.unwrap_or_else(|| "niet vergeleken".to_string());
                not_compared.push(format!("{when}: {why}"));
                TrendPoint {
                    slug: earlier.published.edition.slug.clone(),
                    period: when,
                    value: None,
                    shown: "niet vergeleken".to_string(),
                    detail: why,
                }
            }
        };
        trend.push(point);
    }
    let previous = trend.last().cloned();
    trend.push(TrendPoint {
        slug: current.edition.slug.clone(),
        period: period(current.snapshot.deadline),
        value: now_figure.value(),
        shown: now_figure.shown(),
        detail: now_figure.detail(),
    });
    let mut headline = format!("{} ({})", now_figure.shown(), now_figure.detail());
    let mut change_text = None;
    if let (Some(previous), Some(tally)) = (&previous, before.last().and_then(Option::as_ref)) {
        if previous.value.is_some() {
            headline.push_str(&format!(" – was {} in {}", previous.shown, previous.period));
            change_text = figure(item, tally).and_then(|b| change(now_figure, b, &previous.period));
        }
    }
    Some(IndicatorView {
        key: item.key.clone(),
        name: item.indicator.clone().unwrap_or_default(),
        label: item.label.clone(),
        headline,
        change: change_text,
        is_share: matches!(now_figure, Figure::Share { .. }),
        trend,
        trend_note: (!not_compared.is_empty())
            .then(|| format!("Niet vergeleken: {}.", not_compared.join("; "))),
    })
}

fn item_view(
    item: &Item,
    now: &RoundTally,
    previous: Option<&Earlier<'_>>,
    before: Option<&RoundTally>,
) -> ItemView {
    let why_not = previous.and_then(|p| match &p.mapping {
        None => Some("een andere vragenlijst".to_string()),
        Some(mapping) => mapping.why_not(&item.key),
    });
    let previous_figures = match (previous, before, &why_not) {
        (Some(p), Some(tally), None) => Some(figures(
            item,
            tally.items.get(&item.key),
            p.published.snapshot.with_data().count(),
        )),
        _ => None,
    };
    ItemView {
        key: item.key.clone(),
        label: item.label.clone(),
        unit: item.unit.clone(),
        current: figures(item, now.items.get(&item.key), now.submitted),
        previous: previous_figures,
        not_compared: why_not,
    }
}

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

/// An answer in words, as the public pages show it.
pub fn answer_words(item: &Item, answer: Option<&PublishedAnswer>) -> String {
    use crate::domain::questionnaire::answer::RawAnswer;
    let value = match answer {
        None | Some(PublishedAnswer::NotAnswered) => return "Niet beantwoord".to_string(),
        Some(PublishedAnswer::NotAsked) => return "Niet gevraagd".to_string(),
        Some(PublishedAnswer::Unknown) => return "Onbekend".to_string(),
        Some(PublishedAnswer::NotApplicable) => return "Niet van toepassing".to_string(),
        Some(PublishedAnswer::Given(value)) => value,
    };
    let text = |value: &AnswerValue| match value {
        AnswerValue::Integer(n) => grouped(*n as f64),
        AnswerValue::Number(n) => format_number(*n),
        other => crate::domain::export::value_text(other),
    };
    let raw = match value {
        AnswerValue::Code(code) => RawAnswer {
            values: vec![code.clone()],
            ..RawAnswer::default()
        },
        AnswerValue::Codes(codes) => RawAnswer {
            values: codes.clone(),
            ..RawAnswer::default()
        },
        AnswerValue::Rows(rows) => RawAnswer {
            rows: rows
                .iter()
                .map(|(row, cell)| (row.clone(), text(cell)))
                .collect(),
            ..RawAnswer::default()
        },
        other => RawAnswer {
            values: vec![text(other)],
            ..RawAnswer::default()
        },
    };
    crate::domain::response::describe(item, &raw)
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
    let sections = questionnaire
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
        .collect();
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
    let history = questionnaire
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
        .collect();
    Some(RegionDashboard {
        publication: PublicationFacts::of(current, editions),
        region: RegionLink {
            code: region.code.clone(),
            name: region.name.clone(),
        },
        gemeenten: region.gemeenten.clone(),
        has_data: region.answers.is_some(),
        sections,
        periods,
        history,
    })
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

/// Whether an item's answers can be drawn as shares (choices) rather than numbers.
pub fn is_choice(item: &Item) -> bool {
    matches!(
        item.kind,
        ItemKind::YesNo
            | ItemKind::YesPartlyNo
            | ItemKind::SingleChoice { .. }
            | ItemKind::MultipleChoice { .. }
            | ItemKind::Ranking { .. }
    )
}

/// A publication in the public pages' list of publications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationLink {
    pub slug: String,
    pub round_name: String,
    pub period: String,
    pub editions: i64,
    pub published_at: i64,
}

/// The public national page of a publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicDashboard {
    pub dashboard: NationalDashboard,
    /// The edition's conclusions as safe HTML (from Markdown; raw HTML is shown as text).
    pub conclusions_html: String,
    /// Whether this is the latest publication of all.
    pub is_latest: bool,
    pub publications: Vec<PublicationLink>,
}

/// One region's public page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicRegion {
    pub dashboard: RegionDashboard,
    pub is_latest: bool,
    /// The publications in which the region took part (newest first).
    pub publications: Vec<PublicationLink>,
}

/// What the admin sees before publishing: exactly what would become public.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub round_id: String,
    pub round_name: String,
    pub state: crate::domain::round::RoundState,
    /// Whether publishing now makes the first edition (else: a correction).
    pub first: bool,
    /// The editions so far.
    pub editions: Vec<Edition>,
    /// The latest edition's conclusions, to start a correction from.
    pub conclusions: String,
    /// Regions whose answers are not approved: "geen gegevens" on the dashboard.
    pub not_approved: Vec<RegionLink>,
    /// For a correction: what it changes against the latest edition, per region.
    pub changes: Vec<String>,
    pub dashboard: NationalDashboard,
    /// Why publishing is not possible now, if it is not.
    pub refused: Option<String>,
}
