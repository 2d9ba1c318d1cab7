//! The reviewer's drill-down: everything that still stands between a response and approval,
//! item by item (missing required answers, invalid input, blocking rules that are broken,
//! warnings nobody explained, open comments), and the overview's filter on these.

use super::{CommentThread, OverviewRow};
use crate::domain::questionnaire::completeness::{Evaluation, ItemStatus};
use crate::domain::questionnaire::model::Questionnaire;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The kinds of open points, in the order the drill-down lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FindingKind {
    /// A visible required item that is not answered (nor onbekend / n.v.t.).
    Missing,
    /// Stored input that does not parse.
    Invalid,
    /// A blocking rule that is broken: it keeps the response from being submitted.
    Blocking,
    /// A warning rule that fires: the answers need an explanation nobody gave.
    Warning,
    /// A comment thread nobody resolved.
    OpenComment,
}

impl FindingKind {
    pub const ALL: [FindingKind; 5] = [
        FindingKind::Missing,
        FindingKind::Invalid,
        FindingKind::Blocking,
        FindingKind::Warning,
        FindingKind::OpenComment,
    ];

    /// The heading of the kind's list on the drill-down page.
    pub fn heading(self) -> &'static str {
        match self {
            FindingKind::Missing => "Ontbrekende verplichte antwoorden",
            FindingKind::Invalid => "Ongeldige antwoorden",
            FindingKind::Blocking => "Regels waaraan niet is voldaan",
            FindingKind::Warning => "Waarschuwingen zonder toelichting",
            FindingKind::OpenComment => "Open opmerkingen",
        }
    }

    /// The id of the kind's list on the page: the overview's counts link to it.
    pub fn anchor(self) -> &'static str {
        match self {
            FindingKind::Missing => "ontbrekend",
            FindingKind::Invalid => "ongeldig",
            FindingKind::Blocking => "regels",
            FindingKind::Warning => "waarschuwingen",
            FindingKind::OpenComment => "opmerkingen",
        }
    }

    /// What the page says when the list is empty.
    pub fn none_text(self) -> &'static str {
        match self {
            FindingKind::Missing => "Alle verplichte vragen zijn beantwoord.",
            FindingKind::Invalid => "Geen ongeldige antwoorden.",
            FindingKind::Blocking => "Aan alle regels is voldaan.",
            FindingKind::Warning => "Geen waarschuwingen.",
            FindingKind::OpenComment => "Geen open opmerkingen.",
        }
    }
}

/// One open point of a response, on one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub item_key: String,
    pub item_label: String,
    pub section_title: String,
    /// The rule's message, why an answer counts as missing, or the thread's first words.
    pub detail: Option<String>,
    /// The item is hidden by the answers now: the review page does not show it.
    pub hidden: bool,
    /// The comment thread's id, for open comments.
    pub thread_id: Option<String>,
}

/// How much of a comment the list quotes, in characters.
const QUOTE_CHARS: usize = 140;

/// Every open point of a response, in questionnaire order per kind. `prefilled` holds the
/// items taken over from the compared round and not confirmed: they count as missing.
pub fn findings(
    questionnaire: &Questionnaire,
    evaluation: &Evaluation,
    prefilled: &HashSet<String>,
    threads: &[CommentThread],
) -> Vec<Finding> {
    let mut found = Vec::new();
    for section in &questionnaire.sections {
        for item in &section.items {
            let Some(state) = evaluation.items.get(&item.key) else {
                continue;
            };
            let hidden = state.status == ItemStatus::Hidden;
            let mut add = |kind, detail: Option<String>, thread_id: Option<String>| {
                found.push(Finding {
                    kind,
                    item_key: item.key.clone(),
                    item_label: item.label.clone(),
                    section_title: section.title.clone(),
                    detail,
                    hidden,
                    thread_id,
                });
            };
            // The same items the completeness counts call required and not complete.
            let incomplete = !matches!(
                state.status,
                ItemStatus::Hidden | ItemStatus::Answered | ItemStatus::Explicit
            );
            if item.required && incomplete {
                add(
                    FindingKind::Missing,
                    missing_reason(state.status, prefilled.contains(&item.key)),
                    None,
                );
            }
            if state.status == ItemStatus::Invalid {
                add(FindingKind::Invalid, None, None);
            }
            for message in &state.blocking {
                add(FindingKind::Blocking, Some(message.clone()), None);
            }
            for message in &state.warnings {
                add(FindingKind::Warning, Some(message.clone()), None);
            }
            for thread in threads
                .iter()
                .filter(|t| t.item_key == item.key && t.resolved.is_none())
            {
                add(
                    FindingKind::OpenComment,
                    quote(thread),
                    Some(thread.id.clone()),
                );
            }
        }
    }
    found.sort_by_key(|finding| finding.kind);
    found
}

/// Why a required item counts as missing, when it is not simply unanswered.
fn missing_reason(status: ItemStatus, prefilled: bool) -> Option<String> {
    if status == ItemStatus::Invalid {
        Some("De ingevulde waarde is ongeldig.".to_string())
    } else if prefilled {
        Some("Overgenomen uit de vorige meting en nog niet bevestigd.".to_string())
    } else {
        None
    }
}

/// "Naam: the first words of the thread's first message…".
fn quote(thread: &CommentThread) -> Option<String> {
    let first = thread.messages.first()?;
    let mut words: String = first.body.chars().take(QUOTE_CHARS).collect();
    if first.body.chars().count() > QUOTE_CHARS {
        words.push('…');
    }
    Some(format!("{}: {words}", first.author))
}

/// How many open points of each kind, in the order of `FindingKind::ALL`.
pub fn count_per_kind(findings: &[Finding]) -> Vec<(FindingKind, usize)> {
    FindingKind::ALL
        .into_iter()
        .map(|kind| (kind, findings.iter().filter(|f| f.kind == kind).count()))
        .collect()
}

/// The overview's filter on open points: regions that still have some of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProblemFilter {
    Missing,
    /// Invalid input or a broken blocking rule: the overview's "Fouten".
    Errors,
    Warnings,
    OpenComments,
}

impl ProblemFilter {
    pub const ALL: [ProblemFilter; 4] = [
        ProblemFilter::Missing,
        ProblemFilter::Errors,
        ProblemFilter::Warnings,
        ProblemFilter::OpenComments,
    ];

    /// The code in the overview's query string (`probleem=...`).
    pub fn code(self) -> &'static str {
        match self {
            ProblemFilter::Missing => "ontbrekend",
            ProblemFilter::Errors => "fouten",
            ProblemFilter::Warnings => "waarschuwingen",
            ProblemFilter::OpenComments => "opmerkingen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProblemFilter::Missing => "Met ontbrekende antwoorden",
            ProblemFilter::Errors => "Met fouten",
            ProblemFilter::Warnings => "Met waarschuwingen zonder toelichting",
            ProblemFilter::OpenComments => "Met open opmerkingen",
        }
    }

    pub fn from_code(code: &str) -> Option<ProblemFilter> {
        ProblemFilter::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn matches(self, row: &OverviewRow) -> bool {
        match self {
            ProblemFilter::Missing => row.missing() > 0,
            ProblemFilter::Errors => row.blocking > 0,
            ProblemFilter::Warnings => row.warnings > 0,
            ProblemFilter::OpenComments => row.open_comments > 0,
        }
    }
}

#[cfg(test)]
mod tests;
