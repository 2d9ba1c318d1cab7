//! The completeness overview of a round: a row per participating region, sorted, filtered,
//! searched and paged, with the totals over all of them.

use super::{FilledInBy, ReviewStatus};
use crate::domain::attribution::Attribution;
use serde::{Deserialize, Serialize};

/// One region in the completeness overview of a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub region_code: String,
    pub region_name: String,
    /// `None` while nobody of the region has opened the round.
    pub response_id: Option<String>,
    pub status: ReviewStatus,
    /// Visible required items, and how many of them are answered (or onbekend / n.v.t.).
    pub required: usize,
    pub complete: usize,
    /// Blocking errors: invalid input and broken blocking rules.
    pub blocking: usize,
    pub warnings: usize,
    pub open_comments: usize,
    /// The latest thing anyone did with the response, by whom.
    pub last_activity: Option<Attribution>,
    /// Who gave the current answers.
    #[serde(default)]
    pub filled_in_by: FilledInBy,
    /// The region's agreement, when its adviser submitted the response.
    #[serde(default)]
    pub agreement: Option<crate::domain::response::agreement::Agreement>,
}

impl OverviewRow {
    /// A region's row with nothing else against it yet: no response, errors, warnings,
    /// comments or activity.
    pub fn new(
        region_code: &str,
        region_name: &str,
        status: ReviewStatus,
        required: usize,
        complete: usize,
    ) -> OverviewRow {
        OverviewRow {
            region_code: region_code.to_string(),
            region_name: region_name.to_string(),
            response_id: None,
            status,
            required,
            complete,
            blocking: 0,
            warnings: 0,
            open_comments: 0,
            last_activity: None,
            filled_in_by: FilledInBy::Nobody,
            agreement: None,
        }
    }

    pub fn missing(&self) -> usize {
        self.required.saturating_sub(self.complete)
    }

    /// Percentage of required items complete, rounded down: 100 only when nothing is missing.
    pub fn percent_complete(&self) -> usize {
        (self.complete * 100)
            .checked_div(self.required)
            .unwrap_or(100)
    }
}

/// The columns the overview sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    Region,
    Status,
    Complete,
    Missing,
    Blocking,
    Warnings,
    Comments,
    Activity,
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Region,
        SortKey::Status,
        SortKey::Complete,
        SortKey::Missing,
        SortKey::Blocking,
        SortKey::Warnings,
        SortKey::Comments,
        SortKey::Activity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortKey::Region => "regio",
            SortKey::Status => "status",
            SortKey::Complete => "compleet",
            SortKey::Missing => "ontbrekend",
            SortKey::Blocking => "fouten",
            SortKey::Warnings => "waarschuwingen",
            SortKey::Comments => "opmerkingen",
            SortKey::Activity => "activiteit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Region => "Regio",
            SortKey::Status => "Status",
            SortKey::Complete => "Compleet",
            SortKey::Missing => "Ontbrekend",
            SortKey::Blocking => "Fouten",
            SortKey::Warnings => "Waarschuwingen",
            SortKey::Comments => "Open opmerkingen",
            SortKey::Activity => "Laatste activiteit",
        }
    }

    pub fn from_code(code: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Sorts the rows by `key`; ties keep region order, so the order is always the same.
pub fn sort_rows(rows: &mut [OverviewRow], key: SortKey, descending: bool) {
    rows.sort_by(|a, b| a.region_code.cmp(&b.region_code));
    rows.sort_by(|a, b| {
        let order = match key {
            SortKey::Region => a.region_name.cmp(&b.region_name),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::Complete => a.percent_complete().cmp(&b.percent_complete()),
            SortKey::Missing => a.missing().cmp(&b.missing()),
            SortKey::Blocking => a.blocking.cmp(&b.blocking),
            SortKey::Warnings => a.warnings.cmp(&b.warnings),
            SortKey::Comments => a.open_comments.cmp(&b.open_comments),
            SortKey::Activity => a
                .last_activity
                .as_ref()
                .map(|activity| activity.at)
                .cmp(&b.last_activity.as_ref().map(|activity| activity.at)),
        };
        if descending {
            order.reverse()
        } else {
            order
        }
    });
}

/// The totals at the top of the overview, counted over every participating region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub participating: usize,
    /// Regions per status, in the order of `ReviewStatus::ALL`.
    pub per_status: Vec<(ReviewStatus, usize)>,
    /// Submitted or approved.
    pub submitted: usize,
    pub open_comments: usize,
}

impl Totals {
    pub fn of(rows: &[OverviewRow]) -> Totals {
        let per_status = ReviewStatus::ALL
            .into_iter()
            .map(|status| (status, rows.iter().filter(|r| r.status == status).count()))
            .collect();
        Totals {
            participating: rows.len(),
            per_status,
            submitted: rows.iter().filter(|r| r.status.is_in()).count(),
            open_comments: rows.iter().map(|r| r.open_comments).sum(),
        }
    }

    /// "31 van 45 ingediend".
    pub fn headline(&self) -> String {
        format!("{} van {} ingediend", self.submitted, self.participating)
    }
}

/// How many regions one page of the overview shows: every NAD region fits on one page; a
/// programme of a thousand organisations gets pages, so that a page stays quick to make and
/// to read.
pub const OVERVIEW_PAGE_SIZE: usize = 100;

/// The longest text the overview searches region names and codes for.
pub const MAX_SEARCH_CHARS: usize = 100;

/// The search text as asked for: trimmed; empty searches nothing.
pub fn check_search(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(format!(
            "Zoek met hoogstens {MAX_SEARCH_CHARS} tekens in de namen en codes van de regio's."
        ));
    }
    Ok(text.to_string())
}

/// Whether a row's region name or code holds `text`, whatever the case.
pub fn matches_search(row: &OverviewRow, text: &str) -> bool {
    let text = text.to_lowercase();
    row.region_name.to_lowercase().contains(&text) || row.region_code.to_lowercase().contains(&text)
}

/// Which rows one page shows, of how many that match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewPage {
    /// 1-based, within `1..=pages`.
    pub number: usize,
    pub pages: usize,
    /// Rows that match the filter and the search, on every page.
    pub matching: usize,
}

impl OverviewPage {
    /// Page `asked` of `matching` rows; a page past the last is the last (a link kept from
    /// before a filter shrank the list), one before the first is the first.
    pub fn of(matching: usize, asked: i64) -> OverviewPage {
        let pages = matching.div_ceil(OVERVIEW_PAGE_SIZE).max(1);
        let number = usize::try_from(asked.max(1)).unwrap_or(1).min(pages);
        OverviewPage {
            number,
            pages,
            matching,
        }
    }

    /// This page's rows of all the sorted `rows`.
    pub fn take(&self, rows: Vec<OverviewRow>) -> Vec<OverviewRow> {
        rows.into_iter()
            .skip((self.number - 1) * OVERVIEW_PAGE_SIZE)
            .take(OVERVIEW_PAGE_SIZE)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, name: &str) -> OverviewRow {
        OverviewRow::new(code, name, ReviewStatus::NotStarted, 0, 0)
    }

    #[test]
    fn every_nad_region_fits_on_one_page() {
        let page = OverviewPage::of(45, 1);
        assert_eq!((page.number, page.pages, page.matching), (1, 1, 45));
        let none = OverviewPage::of(0, 1);
        assert_eq!((none.number, none.pages), (1, 1));
    }

    #[test]
    fn pages_hold_a_hundred_rows_and_the_last_the_rest() {
        let rows: Vec<OverviewRow> = (0..1_001)
            .map(|n| row(&format!("O{n:04}"), &format!("Organisatie {n}")))
            .collect();
        let page = OverviewPage::of(rows.len(), 11);
        assert_eq!((page.number, page.pages), (11, 11));
        let last = page.take(rows.clone());
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].region_code, "O1000");
        let second = OverviewPage::of(rows.len(), 2).take(rows);
        assert_eq!(second.len(), 100);
        assert_eq!(second[0].region_code, "O0100");
    }

    #[test]
    fn a_page_outside_the_list_is_its_nearest_end() {
        assert_eq!(OverviewPage::of(250, 9).number, 3);
        assert_eq!(OverviewPage::of(250, 0).number, 1);
        assert_eq!(OverviewPage::of(250, -4).number, 1);
        assert_eq!(OverviewPage::of(250, i64::MAX).number, 3);
    }

    #[test]
    fn the_search_finds_names_and_codes_whatever_the_case() {
        let friesland = row("R02", "Friesland");
        assert!(matches_search(&friesland, "fries"));
        assert!(matches_search(&friesland, "r02"));
        assert!(matches_search(&friesland, ""));
        assert!(!matches_search(&friesland, "Groningen"));
    }

    #[test]
    fn a_search_is_trimmed_and_limited() {
        assert_eq!(check_search("  Zaan ").unwrap(), "Zaan");
        assert!(check_search(&"x".repeat(MAX_SEARCH_CHARS)).is_ok());
        let refused = check_search(&"x".repeat(MAX_SEARCH_CHARS + 1)).unwrap_err();
        assert!(refused.contains("100 tekens"), "{refused}");
    }
}
