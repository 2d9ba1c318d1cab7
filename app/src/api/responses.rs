//! Filling in: a region's responses, the task list, section pages, saving answers, conflicts
//! between colleagues, the check-your-answers summary and submitting.

use crate::domain::questionnaire::answer::{Answer, RawAnswer};
use crate::domain::questionnaire::completeness::{Counts, SectionStatus};
use crate::domain::questionnaire::model::{Item, Questionnaire};
use crate::domain::response::{AnswerInput, ConflictInfo, ResponseStatus, SaveOutcome};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What every page about a response shows at the top.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseHeader {
    pub id: String,
    pub round_name: String,
    pub questionnaire_title: String,
    pub region_code: String,
    pub region_name: String,
    pub status: ResponseStatus,
    pub deadline: i64,
    /// Why answers can not be changed now; `None` while the user may change them.
    pub read_only_reason: Option<String>,
    /// Who submitted it, and when.
    pub submitted: Option<(String, i64)>,
    /// Who last changed an answer, and when.
    pub last_change: Option<(String, i64)>,
    /// Who sent it back, when and why, while it is sent back.
    pub returned: Option<(String, i64, String)>,
    /// Who approved it, and when.
    pub approved: Option<(String, i64)>,
    /// Comment threads on its items that are not resolved yet (filled in where shown).
    pub open_comments: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSection {
    pub key: String,
    pub title: String,
    pub status: SectionStatus,
    pub counts: Counts,
    /// Who last changed an answer in this section, and when.
    pub last_change: Option<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskList {
    pub header: ResponseHeader,
    pub sections: Vec<TaskSection>,
    pub overall: Counts,
    /// The region's gemeenten as they are for this round.
    pub gemeenten: Vec<crate::domain::region::Gemeente>,
}

/// One item on a section page, with its stored answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub item: Item,
    pub raw: RawAnswer,
    /// The stored version (0: never answered), which a save names as its base.
    pub version: i64,
    /// Why the stored input is not a valid answer.
    pub problems: Vec<String>,
    pub blocking: Vec<String>,
    pub warnings: Vec<String>,
    pub hidden: bool,
    /// Who saved the answer, and when.
    pub saved: Option<(String, i64)>,
    /// The answer in the compared round, as text, mapped through lineage.
    pub previous: Option<String>,
    /// The stored answer differs from the compared round's.
    pub changed: bool,
    /// Taken over from the compared round and not confirmed yet.
    pub prefilled: bool,
    /// Why this item is not compared with the previous round (new, changed meaning).
    pub not_compared: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub header: ResponseHeader,
    pub key: String,
    pub title: String,
    pub intro: Option<String>,
    /// 1-based position and the number of sections.
    pub position: (usize, usize),
    pub items: Vec<ItemView>,
    pub previous: Option<(String, String)>,
    pub next: Option<(String, String)>,
    /// This user's saves that a colleague got ahead of.
    pub conflicts: Vec<ConflictInfo>,
    /// The whole questionnaire and every valid stored answer, so the browser applies the
    /// conditions live as answers change.
    pub questionnaire: Questionnaire,
    pub answers: HashMap<String, Answer>,
    /// The compared round's answers in this version's keys, for rules such as "explain a
    /// change" that the browser checks live.
    pub previous_answers: HashMap<String, Answer>,
    /// The round this one is compared with.
    pub compared_round: Option<String>,
    /// Items of this section without an answer that the compared round answered.
    pub prefill_available: usize,
    /// Items of this section taken over and not confirmed yet.
    pub unconfirmed: usize,
    /// Comment threads on this section's items, shown beside each item.
    pub threads: Vec<crate::domain::review::CommentThread>,
    /// The region's gemeenten for this round, on the first section (about the region), which
    /// asks to confirm them; empty on the others.
    pub gemeenten: Vec<crate::domain::region::Gemeente>,
    /// The session: when it ends without activity (UTC ms; the page shows it) and how long
    /// the idle limit is (the script warns before it ends).
    pub session_ends_at: i64,
    pub session_idle_secs: i64,
}

impl SectionView {
    /// What the section form's script needs in the browser, taken from this view.
    pub fn form_data(&self) -> SectionFormData {
        let id = &self.header.id;
        SectionFormData {
            response_id: id.clone(),
            editable: self.header.read_only_reason.is_none(),
            next_page: self
                .next
                .as_ref()
                .map_or(format!("/vragenlijst/{id}"), |(key, _)| {
                    format!("/vragenlijst/{id}/sectie/{key}")
                }),
            questionnaire: self.questionnaire.clone(),
            answers: self.answers.clone(),
            previous_answers: self.previous_answers.clone(),
            fields: self
                .items
                .iter()
                .map(|view| FormField {
                    item: view.item.clone(),
                    version: view.version,
                    problems: view
                        .problems
                        .iter()
                        .chain(&view.blocking)
                        .cloned()
                        .collect(),
                    hidden: view.hidden,
                    saved: view.saved.clone(),
                    conflict: self
                        .conflicts
                        .iter()
                        .find(|c| c.key == view.item.key)
                        .cloned(),
                })
                .collect(),
        }
    }
}

/// What the section form's script needs in the browser: the questionnaire and the answers to
/// apply conditions live, and per question its definition and where its answer stands. The
/// page renders everything else as HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionFormData {
    pub response_id: String,
    /// `false` when the response is read-only for this user.
    pub editable: bool,
    /// Where "Opslaan en verder" goes: the next section, or the task list after the last.
    pub next_page: String,
    pub questionnaire: Questionnaire,
    pub answers: HashMap<String, Answer>,
    pub previous_answers: HashMap<String, Answer>,
    pub fields: Vec<FormField>,
}

/// One question of the section form as the browser starts with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormField {
    pub item: Item,
    /// The stored version, which the next save names as its base.
    pub version: i64,
    /// Why the stored input is not a valid answer, or blocks submitting.
    pub problems: Vec<String>,
    pub hidden: bool,
    /// Who saved the answer, and when.
    pub saved: Option<(String, i64)>,
    /// This user's save that a colleague got ahead of.
    pub conflict: Option<ConflictInfo>,
}

impl SectionFormData {
    /// The data as the page carries it to the section form's island: postcard in base64.
    /// Reading it takes far less code in the browser than JSON for these types.
    pub fn to_page_data(&self) -> String {
        use base64::Engine;
        let bytes = postcard::to_allocvec(self).expect("section form data always serialises");
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// `None` when `text` is not what `to_page_data` wrote.
    pub fn from_page_data(text: &str) -> Option<Self> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()?;
        postcard::from_bytes(&bytes).ok()
    }
}

/// One answered item on the check-your-answers page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryItem {
    pub key: String,
    pub label: String,
    pub answer: String,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummarySection {
    pub key: String,
    pub title: String,
    pub status: SectionStatus,
    pub items: Vec<SummaryItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub header: ResponseHeader,
    pub sections: Vec<SummarySection>,
    pub overall: Counts,
    /// What keeps the response from being submitted: (section key, item key, label, message).
    pub problems: Vec<(String, String, String, String)>,
}

/// A region's responses, one per round it takes part in, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseLink {
    pub id: String,
    pub round_name: String,
    pub status: ResponseStatus,
    pub deadline: i64,
    /// The round is running: its task list is where the coordinator starts.
    pub open: bool,
}

#[cfg(feature = "ssr")]
pub(crate) mod build {
    use super::*;
    use crate::domain::access::SignedInUser;
    use crate::domain::questionnaire::completeness::{Evaluation, ItemStatus};
    use crate::domain::response::describe;
    use crate::services::questionnaires::LoadedVersion;
    use crate::services::responses::{self, Compared, Response, StoredAnswer};
    use crate::services::{now_ms, request};

    pub fn header(
        user: &SignedInUser,
        response: &Response,
        version: &LoadedVersion,
    ) -> ResponseHeader {
        let reason = if user.role != crate::domain::role::Role::Coordinator {
            Some("U kunt deze antwoorden lezen maar niet wijzigen.".to_string())
        } else {
            response.closed_reason(now_ms()).map(str::to_string)
        };
        ResponseHeader {
            id: response.id.clone(),
            round_name: response.round.name.clone(),
            questionnaire_title: version.questionnaire.title.clone(),
            region_code: response.region_code.clone(),
            region_name: response.region_name.clone(),
            status: response.status,
            deadline: response.deadline,
            read_only_reason: reason,
            submitted: response.submitted_by.clone().zip(response.submitted_at),
            last_change: response.updated_by.clone().zip(response.updated_at),
            returned: response
                .returned
                .clone()
                .filter(|_| response.status == ResponseStatus::Returned),
            approved: response
                .approved
                .clone()
                .filter(|_| response.status == ResponseStatus::Approved),
            open_comments: 0,
        }
    }

    pub async fn load(
        response_id: &str,
    ) -> Result<
        (
            SignedInUser,
            Response,
            std::sync::Arc<LoadedVersion>,
            HashMap<String, StoredAnswer>,
            Evaluation,
            Compared,
        ),
        AppError,
    > {
        let state = request::state()?;
        let user = request::require_user(&state).await?;
        let (response, version) = responses::readable(&state, &user, response_id).await?;
        let stored = responses::answers(&state.pool, &response.id).await?;
        let compared = responses::compared(&state, &response, &version).await?;
        let evaluation = responses::evaluation(&version, &stored, &compared);
        Ok((user, response, version, stored, evaluation, compared))
    }

    pub fn summary(
        user: &SignedInUser,
        response: &Response,
        version: &LoadedVersion,
        stored: &HashMap<String, StoredAnswer>,
        evaluation: &Evaluation,
    ) -> Summary {
        let mut problems = Vec::new();
        let blocking = responses::blocking_problems(version, evaluation);
        for (key, messages) in blocking {
            let (s, i) = version.index.position[&key];
            let section = &version.questionnaire.sections[s];
            for message in messages {
                problems.push((
                    section.key.clone(),
                    key.clone(),
                    section.items[i].label.clone(),
                    message,
                ));
            }
        }
        let sections = version
            .questionnaire
            .sections
            .iter()
            .zip(&evaluation.sections)
            .map(|(section, summary)| SummarySection {
                key: section.key.clone(),
                title: section.title.clone(),
                status: summary.status,
                items: section
                    .items
                    .iter()
                    .filter_map(|item| {
                        let state = evaluation.items.get(&item.key)?;
                        if state.status == ItemStatus::Hidden {
                            return None;
                        }
                        let answer = stored.get(&item.key).filter(|a| !a.raw.is_blank());
                        let mut item_problems = Vec::new();
                        if state.status == ItemStatus::Invalid {
                            item_problems.push("Dit antwoord is niet geldig.".to_string());
                        }
                        item_problems.extend(state.blocking.iter().cloned());
                        Some(SummaryItem {
                            key: item.key.clone(),
                            label: item.label.clone(),
                            answer: answer.map_or_else(
                                || "Niet beantwoord".to_string(),
                                |a| describe(item, &a.raw),
                            ),
                            problems: item_problems,
                        })
                    })
                    .collect(),
            })
            .collect();
        Summary {
            header: header(user, response, version),
            sections,
            overall: evaluation.overall.clone(),
            problems,
        }
    }
}

/// A region's responses to the rounds it takes part in.
#[server(endpoint = "responses/region")]
pub async fn region_responses(code: String) -> Result<Vec<ResponseLink>, AppError> {
    use crate::services::{now_ms, request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    if !user.may_view_region(&code) {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    Ok(responses::responses_of_region(&state.pool, &code)
        .await?
        .into_iter()
        .map(|response| ResponseLink {
            // The round is running (also when this response is already submitted).
            open: response.round.state == "open"
                && response.round.opens_at <= now
                && now <= response.deadline,
            id: response.id,
            round_name: response.round.name,
            status: response.status,
            deadline: response.deadline,
        })
        .collect())
}

/// The task list of a response: every section with its status and counts.
#[server(endpoint = "responses/tasks")]
pub async fn get_task_list(response_id: String) -> Result<TaskList, AppError> {
    let (user, response, version, stored, evaluation, _) = build::load(&response_id).await?;
    let sections = version
        .questionnaire
        .sections
        .iter()
        .zip(&evaluation.sections)
        .map(|(section, summary)| TaskSection {
            key: section.key.clone(),
            title: section.title.clone(),
            status: summary.status,
            counts: summary.counts.clone(),
            last_change: section
                .items
                .iter()
                .filter_map(|item| stored.get(&item.key))
                .max_by_key(|answer| answer.updated_at)
                .map(|answer| (answer.updated_by.clone(), answer.updated_at)),
        })
        .collect();
    let state = crate::services::request::state()?;
    let mut header = build::header(&user, &response, &version);
    header.open_comments =
        crate::services::review::open_comments(&state.pool, &response.id).await?;
    let gemeenten = crate::services::gemeenten::of_round_region(
        &state.pool,
        &response.round.id,
        &response.region_code,
    )
    .await?;
    Ok(TaskList {
        gemeenten,
        header,
        sections,
        overall: evaluation.overall,
    })
}

/// One section of a response with its stored answers, problems and conflicts.
#[server(endpoint = "responses/section")]
pub async fn get_section(response_id: String, section: String) -> Result<SectionView, AppError> {
    use crate::domain::comparison::same_answer;
    use crate::domain::questionnaire::completeness::ItemStatus;
    use crate::services::{request, responses};
    let (user, response, version, stored, evaluation, compared) = build::load(&response_id).await?;
    let sections = &version.questionnaire.sections;
    let position = sections
        .iter()
        .position(|s| s.key == section)
        .ok_or(AppError::NotFound)?;
    let current = &sections[position];
    let link = |index: usize| {
        sections
            .get(index)
            .map(|s| (s.key.clone(), s.title.clone()))
    };
    let items = current
        .items
        .iter()
        .map(|item| {
            let answer = stored.get(&item.key);
            let state = evaluation.items.get(&item.key);
            let problems = match answer {
                Some(answer) if answer.value.is_none() && !answer.raw.is_blank() => {
                    crate::domain::questionnaire::answer::parse_answer(item, &answer.raw)
                        .err()
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            };
            ItemView {
                item: item.clone(),
                raw: answer.map(|a| a.raw.clone()).unwrap_or_default(),
                version: answer.map_or(0, |a| a.version),
                problems,
                blocking: state.map(|s| s.blocking.clone()).unwrap_or_default(),
                warnings: state.map(|s| s.warnings.clone()).unwrap_or_default(),
                hidden: state.is_some_and(|s| s.status == ItemStatus::Hidden),
                saved: answer.map(|a| (a.updated_by.clone(), a.updated_at)),
                previous: compared
                    .raw
                    .get(&item.key)
                    .map(|raw| crate::domain::response::describe(item, raw)),
                changed: match (
                    answer.and_then(|a| a.value.as_ref()),
                    compared.answers.get(&item.key),
                ) {
                    (Some(now), Some(before)) => !same_answer(now, before),
                    _ => false,
                },
                prefilled: answer.is_some_and(|a| a.prefilled),
                not_compared: compared
                    .round_name
                    .as_ref()
                    .and_then(|_| compared.why_not(&item.key)),
            }
        })
        .collect();
    let state = request::state()?;
    let conflicts = responses::conflicts_of(&state.pool, &response.id, &user.id, &stored).await?;
    let threads: Vec<_> = crate::services::review::threads(&state.pool, &response.id).await?;
    let mut header = build::header(&user, &response, &version);
    header.open_comments = threads.iter().filter(|t| t.resolved.is_none()).count();
    let threads = threads
        .into_iter()
        .filter(|thread| current.items.iter().any(|item| item.key == thread.item_key))
        .collect();
    let gemeenten = if position == 0 {
        crate::services::gemeenten::of_round_region(
            &state.pool,
            &response.round.id,
            &response.region_code,
        )
        .await?
    } else {
        Vec::new()
    };
    Ok(SectionView {
        // This request kept the session alive (a session's time is refreshed at most once a
        // minute, so the minute is subtracted to be safe).
        session_ends_at: crate::services::now_ms() + (state.config.session_idle_secs - 60) * 1000,
        session_idle_secs: state.config.session_idle_secs,
        gemeenten,
        threads,
        header,
        key: current.key.clone(),
        title: current.title.clone(),
        intro: current.intro.clone(),
        position: (position + 1, sections.len()),
        items,
        previous: position.checked_sub(1).and_then(link),
        next: link(position + 1),
        conflicts,
        questionnaire: version.questionnaire.clone(),
        answers: responses::engine_answers(&stored).current,
        prefill_available: current
            .items
            .iter()
            .filter(|item| {
                compared.raw.contains_key(&item.key)
                    && stored.get(&item.key).is_none_or(|a| a.raw.is_blank())
            })
            .count(),
        unconfirmed: current
            .items
            .iter()
            .filter(|item| stored.get(&item.key).is_some_and(|a| a.prefilled))
            .count(),
        previous_answers: compared.answers,
        compared_round: compared.round_name,
    })
}

/// Saves answers (the browser sends one at a time as they change; the section form without
/// JavaScript sends all of a section through the same service).
#[server(endpoint = "responses/save", input = Json)]
pub async fn save_answers(
    response_id: String,
    answers: Vec<AnswerInput>,
) -> Result<Vec<SaveOutcome>, AppError> {
    use crate::services::{request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    responses::save(&state, &user, &response_id, answers).await
}

/// Ends a conflict: keep my answer, or take the colleague's.
#[server(endpoint = "responses/conflict")]
pub async fn resolve_conflict(
    response_id: String,
    key: String,
    keep: String,
) -> Result<Option<SaveOutcome>, AppError> {
    use crate::services::{request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let keep_mine = match keep.as_str() {
        "mijn" => true,
        "ander" => false,
        _ => {
            return Err(AppError::field(
                "keep",
                "Kies uw antwoord of dat van uw collega.",
            ))
        }
    };
    let outcome = responses::resolve_conflict(&state, &user, &response_id, &key, keep_mine).await?;
    Ok(outcome)
}

/// Every answered item by section, and what keeps the response from being submitted.
#[server(endpoint = "responses/summary")]
pub async fn get_summary(response_id: String) -> Result<Summary, AppError> {
    let (user, response, version, stored, evaluation, _) = build::load(&response_id).await?;
    Ok(build::summary(
        &user,
        &response,
        &version,
        &stored,
        &evaluation,
    ))
}

/// Submits the response after checking all of it on the server.
#[server(endpoint = "responses/submit")]
pub async fn submit_response(response_id: String) -> Result<(), AppError> {
    use crate::services::{request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    responses::submit(&state, &user, &response_id).await?;
    leptos_axum::redirect(&format!("/vragenlijst/{response_id}?melding=ingediend"));
    Ok(())
}

/// Takes over the previous round's answers for one section (`section` empty: all sections)
/// where nothing is filled in yet; they await confirmation.
#[server(endpoint = "responses/prefill")]
pub async fn prefill_answers(response_id: String, section: String) -> Result<usize, AppError> {
    use crate::services::{request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let only = (!section.is_empty()).then_some(section.as_str());
    let taken = responses::prefill(&state, &user, &response_id, only).await?;
    leptos_axum::redirect(&match only {
        Some(section) => {
            format!("/vragenlijst/{response_id}/sectie/{section}?melding=overgenomen-{taken}")
        }
        None => format!("/vragenlijst/{response_id}?melding=overgenomen-{taken}"),
    });
    Ok(taken)
}

/// Confirms the taken-over answers of one section.
#[server(endpoint = "responses/confirm")]
pub async fn confirm_prefilled(response_id: String, section: String) -> Result<usize, AppError> {
    use crate::services::{request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let confirmed = responses::confirm_prefilled(&state, &user, &response_id, &section).await?;
    leptos_axum::redirect(&format!(
        "/vragenlijst/{response_id}/sectie/{section}?melding=bevestigd-{confirmed}"
    ));
    Ok(confirmed)
}

/// One item of the progress page: this round's answer beside the compared round's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressItem {
    pub key: String,
    pub label: String,
    /// The key indicator's plain-Dutch name, when the item is one.
    pub indicator: Option<String>,
    pub now: Option<String>,
    pub before: Option<String>,
    pub changed: bool,
    /// Why the item is not compared (new in this version, changed meaning), in Dutch.
    pub not_compared: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressSection {
    pub key: String,
    pub title: String,
    pub items: Vec<ProgressItem>,
}

/// A region's answers in this round against the compared round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub header: ResponseHeader,
    /// The compared round's name; `None` when this round is compared with none.
    pub compared_round: Option<String>,
    pub sections: Vec<ProgressSection>,
    /// Comparable items answered in both rounds, and how many of them changed.
    pub compared_count: usize,
    pub changed_count: usize,
    /// Whether the region answered anything in the compared round.
    pub compared_answered: bool,
    /// The round compared with, and every earlier round that could be.
    pub compared_round_id: Option<String>,
    pub comparison_choices: Vec<crate::domain::round::ComparisonChoice>,
}

/// The progress page's data: every item that is asked, with both rounds' answers.
/// `compared_with` picks another earlier round (such as the same round a year earlier).
#[server(endpoint = "responses/progress")]
pub async fn get_progress(
    response_id: String,
    compared_with: Option<String>,
) -> Result<Progress, AppError> {
    use crate::domain::comparison::same_answer;
    use crate::domain::questionnaire::completeness::ItemStatus;
    use crate::domain::response::describe;
    use crate::services::{request, responses, rounds};
    let (user, response, version, stored, evaluation, compared) = build::load(&response_id).await?;
    let state = request::state()?;
    let comparison_choices = rounds::comparison_choices(&state.pool, &response.round.id).await?;
    let compared_round_id = rounds::choose_compared(
        &comparison_choices,
        compared_with.as_deref(),
        response.round.compared_round_id.as_deref(),
        "met",
    )?;
    // The evaluation keeps the round's own comparison (its rules use it); the page shows the
    // chosen one.
    let compared = if compared_round_id == response.round.compared_round_id {
        compared
    } else {
        responses::compared_with(&state, &response, &version, compared_round_id.as_deref()).await?
    };
    let (mut compared_count, mut changed_count) = (0, 0);
    let sections = version
        .questionnaire
        .sections
        .iter()
        .map(|section| ProgressSection {
            key: section.key.clone(),
            title: section.title.clone(),
            items: section
                .items
                .iter()
                .filter(|item| {
                    evaluation
                        .items
                        .get(&item.key)
                        .is_some_and(|state| state.status != ItemStatus::Hidden)
                })
                .map(|item| {
                    let answer = stored.get(&item.key).filter(|a| !a.raw.is_blank());
                    let changed = match (
                        answer.and_then(|a| a.value.as_ref()),
                        compared.answers.get(&item.key),
                    ) {
                        (Some(now), Some(before)) => {
                            compared_count += 1;
                            let changed = !same_answer(now, before);
                            changed_count += usize::from(changed);
                            changed
                        }
                        _ => false,
                    };
                    ProgressItem {
                        key: item.key.clone(),
                        label: item.label.clone(),
                        indicator: item.indicator.clone(),
                        now: answer.map(|a| describe(item, &a.raw)),
                        before: compared.raw.get(&item.key).map(|raw| describe(item, raw)),
                        changed,
                        not_compared: compared
                            .round_name
                            .as_ref()
                            .and_then(|_| compared.why_not(&item.key)),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Progress {
        compared_round_id,
        comparison_choices,
        header: build::header(&user, &response, &version),
        compared_answered: !compared.raw.is_empty(),
        compared_round: compared.round_name,
        sections,
        compared_count,
        changed_count,
    })
}
