//! The reviewer's page of one response, built from what the review service loaded: a plain
//! function, testable without HTTP.

use super::*;
use crate::domain::access::SignedInUser;
use crate::domain::response::describe;
use crate::domain::review::may_resolve;
use crate::domain::round::RoundState;
use crate::services::review::ReviewData;

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
        mut history,
    } = data;
    let mut header = crate::api::responses::views::header(user, &response, &version);
    header.open_comments = threads.iter().filter(|t| t.resolved.is_none()).count();
    let sections = version
        .questionnaire
        .sections
        .iter()
        .zip(&evaluation.sections)
        .map(|(section, summary)| {
            let mut hidden = 0;
            let items = section
                .items
                .iter()
                .filter_map(|item| {
                    let item_state = evaluation.items.get(&item.key)?;
                    if item_state.status == ItemStatus::Hidden {
                        hidden += 1;
                        return None;
                    }
                    let answer = stored.get(&item.key).filter(|a| !a.raw.is_blank());
                    let changed =
                        compared.changed(&item.key, answer.and_then(|a| a.value.as_ref()));
                    let history = history
                        .remove(&item.key)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|entry| HistoryLine {
                            at: entry.changed_at,
                            by: entry.changed_by,
                            old: entry.old_raw.as_ref().map(|raw| describe(item, raw)),
                            new: describe(item, &entry.new_raw),
                        })
                        .collect();
                    Some(ReviewItem {
                        key: item.key.clone(),
                        label: item.label.clone(),
                        status: item_state.status,
                        now: answer.map(|a| describe(item, &a.raw)),
                        before: compared.raw.get(&item.key).map(|raw| describe(item, raw)),
                        changed,
                        not_compared: compared.not_compared(&item.key),
                        blocking: item_state.blocking.clone(),
                        warnings: item_state.warnings.clone(),
                        prefilled: answer.is_some_and(|a| a.prefilled),
                        history,
                        threads: threads
                            .iter()
                            .filter(|t| t.item_key == item.key)
                            .cloned()
                            .collect(),
                    })
                })
                .collect();
            ReviewSection {
                key: section.key.clone(),
                title: section.title.clone(),
                status: summary.status,
                items,
                hidden,
            }
        })
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
