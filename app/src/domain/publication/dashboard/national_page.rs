//! The national page: per section each key indicator with its change and trend, and every
//! other public item's distribution now and in the previous publication.

use super::{figure, grouped, tally, Earlier, Figure, PublicationFacts, Published, RegionLink};
use crate::domain::national::{figures, ItemFigures, RoundTally};
use crate::domain::publication::{period, Edition, PublishedRegion};
use crate::domain::questionnaire::model::{Item, Questionnaire};
use serde::{Deserialize, Serialize};

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
    let link = |r: &PublishedRegion| RegionLink {
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
