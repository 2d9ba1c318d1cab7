//! The public dashboard's figures, computed from snapshots only: per section each key
//! indicator as "95% (43 van 45 regio's) – was 82% in december 2025" with its trend over every
//! earlier publication, and every other public closed item's distribution. Earlier
//! publications are mapped onto the current version through lineage; where an item's meaning
//! changed the trend stops there, and says why.

use super::{period, Edition, PublishedAnswer, Snapshot};
use crate::domain::comparison::VersionMapping;
use crate::domain::national::{format_number, percent, RoundTally};
use crate::domain::questionnaire::answer::AnswerValue;
use crate::domain::questionnaire::model::{Item, ItemKind};
use serde::{Deserialize, Serialize};

mod national_page;
mod region_page;

pub use national_page::{
    national, DashboardSection, IndicatorView, ItemView, NationalDashboard, TrendPoint,
};
pub use region_page::{region, RegionDashboard, RegionHistory, RegionItem, RegionSection};

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
    /// Whether this is the latest publication of its programme.
    pub is_latest: bool,
    /// The programme's publications, newest first.
    pub publications: Vec<PublicationLink>,
    /// The programme whose publication this is.
    pub programme: crate::domain::programme::Programme,
    /// Every programme with a publication, this one among them.
    pub programmes: Vec<crate::domain::programme::Programme>,
}

/// One region's public page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicRegion {
    pub dashboard: RegionDashboard,
    /// Whether this is the latest publication of its programme.
    pub is_latest: bool,
    /// The programme whose publication this is.
    pub programme: crate::domain::programme::Programme,
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
