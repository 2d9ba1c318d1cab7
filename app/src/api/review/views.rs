//! The reviewer's page of one response, built from what the review service loaded: a plain
//! function, testable without HTTP.

use super::*;
use crate::domain::access::SignedInUser;
use crate::domain::questionnaire::completeness::{Evaluation, ItemState, SectionSummary};
use crate::domain::questionnaire::model::{Item, Section};
use crate::domain::response::describe;
use crate::domain::review::may_resolve;
use crate::domain::round::RoundState;
use crate::services::responses::{Compared, StoredAnswer};
use crate::services::review::{HistoryEntry, ReviewData};
use std::collections::HashMap;

/// The review page of `data` for `user`, who may take `actions` on it.
pub fn review_page(
    user: &SignedInUser,
    data: ReviewData,
    actions: Vec<ReviewAction>,
) -> ReviewPage {
    let ReviewData {
        response,
        version,
        stored,
        evaluation,
        compared,
        threads,
        history,
        confirmed_unchanged,
    } = data;
    let mut header = crate::api::responses::views::header(user, &response, &version);
    header.open_comments = threads.iter().filter(|t| t.resolved.is_none()).count();
    let mut sources = Sources {
        stored: &stored,
        evaluation: &evaluation,
        compared: &compared,
        threads: &threads,
        history,
        confirmed_unchanged: &confirmed_unchanged,
    };
    let sections = version
        .questionnaire
        .sections
        .iter()
        .zip(&evaluation.sections)
        .map(|(section, summary)| sources.section(section, summary))
        .collect();
    ReviewPage {
        actions,
        may_resolve: may_resolve(user.role),
        may_comment: response.round.state != RoundState::Published,
        signs_with_code: false,
        round_id: response.round.id.clone(),
        compared_round: compared.round_name,
        overall: evaluation.overall,
        sections,
        header,
    }
}

/// What the page's sections and items are built from; each item's history is taken out once.
struct Sources<'a> {
    stored: &'a HashMap<String, StoredAnswer>,
    evaluation: &'a Evaluation,
    compared: &'a Compared,
    threads: &'a [CommentThread],
    history: HashMap<String, Vec<HistoryEntry>>,
    confirmed_unchanged: &'a std::collections::HashSet<String>,
}

impl Sources<'_> {
    /// A section with its visible items; hidden items are only counted.
    fn section(&mut self, section: &Section, summary: &SectionSummary) -> ReviewSection {
        let mut hidden = 0;
        let mut items = Vec::new();
        for item in &section.items {
            let Some(item_state) = self.evaluation.items.get(&item.key) else {
                continue;
            };
            if item_state.status == ItemStatus::Hidden {
                hidden += 1;
                continue;
            }
            items.push(self.item(item, item_state));
        }
        ReviewSection {
            key: section.key.clone(),
            title: section.title.clone(),
            status: summary.status,
            items,
            hidden,
        }
    }

    /// A visible item: its answer now and before, its problems, history and comments.
    fn item(&mut self, item: &Item, item_state: &ItemState) -> ReviewItem {
        let answer = self.stored.get(&item.key).filter(|a| !a.raw.is_blank());
        let compared = self.compared;
        ReviewItem {
            key: item.key.clone(),
            label: item.label.clone(),
            status: item_state.status,
            now: answer.map(|a| describe(item, &a.raw)),
            before: compared.raw.get(&item.key).map(|raw| describe(item, raw)),
            changed: compared.changed(&item.key, answer.and_then(|a| a.value.as_ref())),
            not_compared: compared.not_compared(&item.key),
            blocking: item_state.blocking.clone(),
            warnings: item_state.warnings.clone(),
            prefilled: answer.is_some_and(|a| a.prefilled),
            confirmed_unchanged: self.confirmed_unchanged.contains(&item.key),
            history: self.history_of(item),
            threads: self
                .threads
                .iter()
                .filter(|t| t.item_key == item.key)
                .cloned()
                .collect(),
        }
    }

    /// The item's changes, each answer described as the reviewer reads it.
    fn history_of(&mut self, item: &Item) -> Vec<HistoryLine> {
        self.history
            .remove(&item.key)
            .unwrap_or_default()
            .into_iter()
            .map(|entry| HistoryLine {
                at: entry.changed_at,
                by: entry.changed_by,
                old: entry.old_raw.as_ref().map(|raw| describe(item, raw)),
                new: describe(item, &entry.new_raw),
            })
            .collect()
    }
}
