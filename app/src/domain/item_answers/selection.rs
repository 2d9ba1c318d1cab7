//! Which rows of an item's answers are shown, and in which order: read from the page's query
//! parameters (a GET form and column header links, so it works without JavaScript), and
//! written back into links and the download addresses, which show exactly what the table
//! shows.

use super::{AnswerRow, Standing, MAX_QUERY_CHARS};
use crate::domain::link::query_value;
use crate::domain::questionnaire::model::Item;
use crate::domain::review::ReviewStatus;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The query parameters as they came (`vraag`, `zoek`, `keuze`, `gewijzigd`, `beantwoord`,
/// `status`, `sorteer`, `volgorde`), before they are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawQuery {
    pub item: Option<String>,
    pub search: Option<String>,
    pub choice: Option<String>,
    pub changed: Option<String>,
    pub answered: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub order: Option<String>,
}

impl RawQuery {
    /// Refuses a value longer than any the page sends, before anything else reads it.
    pub fn check_lengths(&self) -> Result<(), String> {
        let too_long = [
            &self.item,
            &self.search,
            &self.choice,
            &self.changed,
            &self.answered,
            &self.status,
            &self.sort,
            &self.order,
        ]
        .into_iter()
        .flatten()
        .any(|value| value.chars().count() > MAX_QUERY_CHARS);
        if too_long {
            Err(format!(
                "Een zoekterm of filterwaarde mag hoogstens {MAX_QUERY_CHARS} tekens lang zijn."
            ))
        } else {
            Ok(())
        }
    }

    /// The chosen item's key; `None` when no item is chosen (an empty value too).
    pub fn item_key(&self) -> Option<&str> {
        given(&self.item)
    }
}

/// A value that holds something, trimmed.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Which regions the "Antwoord" filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnsweredFilter {
    /// A valid answer, onbekend or n.v.t.
    Answered,
    /// Asked, but no valid answer (empty, invalid, or taken over and not confirmed).
    NotAnswered,
    /// Hidden by a condition.
    NotAsked,
}

impl AnsweredFilter {
    pub const ALL: [AnsweredFilter; 3] = [
        AnsweredFilter::Answered,
        AnsweredFilter::NotAnswered,
        AnsweredFilter::NotAsked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AnsweredFilter::Answered => "ja",
            AnsweredFilter::NotAnswered => "nee",
            AnsweredFilter::NotAsked => "niet-gesteld",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AnsweredFilter::Answered => "Alleen beantwoord",
            AnsweredFilter::NotAnswered => "Niet beantwoord",
            AnsweredFilter::NotAsked => "Niet gesteld",
        }
    }

    fn keeps(self, standing: Standing) -> bool {
        match self {
            AnsweredFilter::Answered => standing.counts_as_answered(),
            AnsweredFilter::NotAnswered => {
                !standing.counts_as_answered() && standing != Standing::NotAsked
            }
            AnsweredFilter::NotAsked => standing == Standing::NotAsked,
        }
    }
}

/// The columns the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    Region,
    Status,
    Answer,
    Before,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [
        SortKey::Region,
        SortKey::Status,
        SortKey::Answer,
        SortKey::Before,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortKey::Region => "regio",
            SortKey::Status => "status",
            SortKey::Answer => "antwoord",
            SortKey::Before => "vorig",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Region => "Regio",
            SortKey::Status => "Status",
            SortKey::Answer => "Antwoord",
            SortKey::Before => "Vorige meting",
        }
    }

    pub fn from_code(code: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|key| key.code() == code)
    }
}

/// The filter and the order of the rows, checked against the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Text the answer contains (any case); empty: no search.
    pub search: String,
    /// An option code of a closed item the answer holds.
    pub choice: Option<String>,
    pub changed_only: bool,
    pub answered: Option<AnsweredFilter>,
    pub status: Option<ReviewStatus>,
    pub sort: SortKey,
    pub descending: bool,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            search: String::new(),
            choice: None,
            changed_only: false,
            answered: None,
            status: None,
            sort: SortKey::Region,
            descending: false,
        }
    }
}

impl Selection {
    /// Reads the query for `item`; an unknown code is refused with a Dutch message.
    pub fn read(item: &Item, raw: &RawQuery) -> Result<Selection, String> {
        raw.check_lengths()?;
        let choice = match given(&raw.choice) {
            None => None,
            Some(code) if super::options(&item.kind).iter().any(|o| o.code == code) => {
                Some(code.to_string())
            }
            Some(code) => return Err(format!("Deze vraag heeft geen keuze '{code}'.")),
        };
        let changed_only = match given(&raw.changed) {
            None => false,
            Some("ja") => true,
            Some(other) => {
                return Err(format!(
                    "Onbekende waarde '{other}' voor ‘alleen gewijzigd’: gebruik ‘ja’."
                ))
            }
        };
        let answered = match given(&raw.answered) {
            None => None,
            Some(code) => Some(
                AnsweredFilter::ALL
                    .into_iter()
                    .find(|a| a.code() == code)
                    .ok_or_else(|| format!("Onbekende waarde '{code}' voor ‘beantwoord’."))?,
            ),
        };
        let status = match given(&raw.status) {
            None => None,
            Some(code) => Some(
                ReviewStatus::from_code(code)
                    .ok_or_else(|| format!("Onbekende status '{code}'."))?,
            ),
        };
        let sort = match given(&raw.sort) {
            None => SortKey::Region,
            Some(code) => SortKey::from_code(code)
                .ok_or_else(|| format!("Onbekende kolom '{code}' om op te sorteren."))?,
        };
        let descending = match given(&raw.order) {
            None | Some("op") => false,
            Some("af") => true,
            Some(other) => return Err(format!("Onbekende volgorde '{other}': ‘op’ of ‘af’.")),
        };
        Ok(Selection {
            search: given(&raw.search).unwrap_or_default().to_string(),
            choice,
            changed_only,
            answered,
            status,
            sort,
            descending,
        })
    }

    /// Whether anything is filtered out (the sort aside).
    pub fn filters(&self) -> bool {
        !self.search.is_empty()
            || self.choice.is_some()
            || self.changed_only
            || self.answered.is_some()
            || self.status.is_some()
    }

    /// Whether the filter keeps `row`.
    pub fn keeps(&self, row: &AnswerRow) -> bool {
        let search = self.search.to_lowercase();
        (search.is_empty() || row.now.to_lowercase().contains(&search))
            && self
                .choice
                .as_ref()
                .is_none_or(|code| row.now_codes.contains(code))
            && (!self.changed_only || row.changed == Some(true))
            && self.answered.is_none_or(|a| a.keeps(row.standing))
            && self.status.is_none_or(|status| row.status == status)
    }

    /// The same selection sorted by `key`: the current column flips its order.
    pub fn sorted_by(&self, key: SortKey) -> Selection {
        Selection {
            sort: key,
            descending: key == self.sort && !self.descending,
            ..self.clone()
        }
    }

    /// The query string of `item_key` with this selection (values that differ from the
    /// defaults only), encoded: for the column header links and the downloads.
    pub fn query(&self, item_key: &str) -> String {
        let mut parts = vec![format!("vraag={}", query_value(item_key))];
        let mut add = |name: &str, value: &str| {
            parts.push(format!("{name}={}", query_value(value)));
        };
        if !self.search.is_empty() {
            add("zoek", &self.search);
        }
        if let Some(choice) = &self.choice {
            add("keuze", choice);
        }
        if self.changed_only {
            add("gewijzigd", "ja");
        }
        if let Some(answered) = self.answered {
            add("beantwoord", answered.code());
        }
        if let Some(status) = self.status {
            add("status", status.code());
        }
        if self.sort != SortKey::Region {
            add("sorteer", self.sort.code());
        }
        if self.descending {
            add("volgorde", "af");
        }
        parts.join("&")
    }
}

/// Sorts the rows by the selection's column; ties keep region order, so the order is always
/// the same. Answers sort by kind first (answers, then onbekend and n.v.t., then the rest),
/// then by number, by the place of their options in the item, and by text.
pub fn sort_rows(rows: &mut [AnswerRow], item: &Item, selection: &Selection) {
    let codes: Vec<String> = super::options(&item.kind)
        .into_iter()
        .map(|o| o.code)
        .collect();
    let positions = |chosen: &[String]| -> Vec<usize> {
        chosen
            .iter()
            .map(|code| codes.iter().position(|c| c == code).unwrap_or(usize::MAX))
            .collect()
    };
    rows.sort_by(|a, b| a.region_code.cmp(&b.region_code));
    rows.sort_by(|a, b| {
        let order = match selection.sort {
            SortKey::Region => a
                .region_name
                .to_lowercase()
                .cmp(&b.region_name.to_lowercase()),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::Answer => compare_answers(
                (
                    Some(a.standing),
                    a.now_number,
                    positions(&a.now_codes),
                    &a.now,
                ),
                (
                    Some(b.standing),
                    b.now_number,
                    positions(&b.now_codes),
                    &b.now,
                ),
            ),
            SortKey::Before => compare_answers(
                (
                    a.before_standing,
                    a.before_number,
                    positions(&a.before_codes),
                    a.before.as_deref().unwrap_or_default(),
                ),
                (
                    b.before_standing,
                    b.before_number,
                    positions(&b.before_codes),
                    b.before.as_deref().unwrap_or_default(),
                ),
            ),
        };
        if selection.descending {
            order.reverse()
        } else {
            order
        }
    });
}

/// What an answer sorts by: its kind (`None`: no answer at all, last), its number, the
/// places of its options, its text.
type AnswerKey<'a> = (Option<Standing>, Option<f64>, Vec<usize>, &'a str);

fn compare_answers(a: AnswerKey<'_>, b: AnswerKey<'_>) -> Ordering {
    let rank = |standing: Option<Standing>| standing.map_or(u8::MAX, Standing::rank);
    rank(a.0)
        .cmp(&rank(b.0))
        .then_with(|| match (a.1, b.1) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.2.cmp(&b.2))
        .then_with(|| a.3.to_lowercase().cmp(&b.3.to_lowercase()))
}
