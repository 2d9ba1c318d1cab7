//! The view models of a response's pages, built from what the services loaded. Loading is
//! `load`; everything else here is a plain function of its arguments, so a page's content
//! can be tested without HTTP.

use super::*;
use crate::domain::access::SignedInUser;
use crate::domain::questionnaire::answer::parse_answer;
use crate::domain::questionnaire::completeness::{evaluation_inputs, Evaluation, ItemStatus};
use crate::domain::questionnaire::model::Section;
use crate::domain::region::Gemeente;
use crate::domain::response::describe;
use crate::domain::review::CommentThread;
use crate::domain::round::ComparisonChoice;
use crate::services::questionnaires::LoadedVersion;
use crate::services::responses::{self, Compared, Response, StoredAnswer};
use crate::services::snapshots::{self, Snapshot};
use crate::services::state::AppState;
use crate::services::{now_ms, request};
use std::sync::Arc;

/// A response as every page about it starts: who asks, the response, its questionnaire
/// version, and its answers (stored, evaluated, and the compared round's).
pub struct Loaded {
    pub user: SignedInUser,
    pub response: Response,
    pub version: Arc<LoadedVersion>,
    pub answers: Arc<Snapshot>,
}

/// Loads a response for the signed-in user, who must be allowed to read it.
pub async fn load(state: &AppState, response_id: &str) -> Result<Loaded, AppError> {
    let user = request::require_user(state).await?;
    let (response, version) = responses::readable(state, &user, response_id).await?;
    let answers = snapshots::of_response(state, &version, &response).await?;
    Ok(Loaded {
        user,
        response,
        version,
        answers,
    })
}

/// The lines above every page of a response (without the count of open comments, which the
/// pages that show it add).
pub fn header(user: &SignedInUser, response: &Response, version: &LoadedVersion) -> ResponseHeader {
    let reason = if !user.may_fill_in(&response.region_code) {
        Some("U kunt deze antwoorden lezen maar niet wijzigen.".to_string())
    } else {
        response.closed_reason(now_ms()).map(str::to_string)
    };
    ResponseHeader {
        id: response.id.clone(),
        round_name: response.round.name.clone(),
        programme: response.round.programme.clone(),
        questionnaire_title: version.questionnaire.title.clone(),
        region_code: response.region_code.clone(),
        region_name: response.region_name.clone(),
        status: response.status,
        deadline: response.deadline,
        read_only_reason: reason,
        submitted: Attribution::from_parts(response.submitted_by.clone(), response.submitted_at),
        last_change: Attribution::from_parts(response.updated_by.clone(), response.updated_at),
        returned: response
            .returned
            .clone()
            .filter(|_| response.status == ResponseStatus::Returned),
        approved: response
            .approved
            .clone()
            .filter(|_| response.status == ResponseStatus::Approved),
        open_comments: 0,
        as_adviser: user.advises(&response.region_code),
        agreement: response.agreement.clone(),
    }
}

/// The task list: every section with its status, counts and last change.
pub fn task_list(loaded: &Loaded, open_comments: usize, gemeenten: Vec<Gemeente>) -> TaskList {
    let sections = loaded
        .version
        .questionnaire
        .sections
        .iter()
        .zip(&loaded.answers.evaluation.sections)
        .map(|(section, summary)| TaskSection {
            key: section.key.clone(),
            title: section.title.clone(),
            status: summary.status,
            counts: summary.counts.clone(),
            last_change: section
                .items
                .iter()
                .filter_map(|item| loaded.answers.stored.get(&item.key))
                .max_by_key(|answer| answer.updated_at)
                .map(StoredAnswer::attribution),
        })
        .collect();
    let mut header = header(&loaded.user, &loaded.response, &loaded.version);
    header.open_comments = open_comments;
    TaskList {
        gemeenten,
        header,
        sections,
        overall: loaded.answers.evaluation.overall.clone(),
    }
}

/// The position of the section `key` in the questionnaire; an unknown key is not found.
pub fn section_position(version: &LoadedVersion, key: &str) -> Result<usize, AppError> {
    version
        .questionnaire
        .sections
        .iter()
        .position(|section| section.key == key)
        .ok_or(AppError::NotFound)
}

/// What a section page shows besides the answers: this user's conflicts, the response's
/// comment threads, the region's gemeenten (first section only) and the session's end.
pub struct AroundSection {
    pub conflicts: Vec<ConflictInfo>,
    pub threads: Vec<CommentThread>,
    pub gemeenten: Vec<Gemeente>,
    pub session_ends_at: i64,
    pub session_idle_secs: i64,
}

/// One item of a section page: its stored input, problems, the compared round's answer.
fn item_view(item: &Item, loaded: &Loaded) -> ItemView {
    let answer = loaded.answers.stored.get(&item.key);
    let state = loaded.answers.evaluation.items.get(&item.key);
    let compared = &loaded.answers.compared;
    let problems = match answer {
        Some(answer) if answer.value.is_none() && !answer.raw.is_blank() => {
            parse_answer(item, &answer.raw).err().unwrap_or_default()
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
        saved: answer.map(StoredAnswer::attribution),
        previous: compared.raw.get(&item.key).map(|raw| describe(item, raw)),
        changed: compared.changed(&item.key, answer.and_then(|a| a.value.as_ref())),
        prefilled: answer.is_some_and(|a| a.prefilled),
        not_compared: compared.not_compared(&item.key),
    }
}

/// The section at `position` (see `section_position`) of a loaded response.
pub fn section(loaded: Loaded, position: usize, around: AroundSection) -> SectionView {
    let sections = &loaded.version.questionnaire.sections;
    let current: &Section = &sections[position];
    let link = |index: usize| {
        sections
            .get(index)
            .map(|s| (s.key.clone(), s.title.clone()))
    };
    let items = current
        .items
        .iter()
        .map(|item| item_view(item, &loaded))
        .collect();
    let mut header = header(&loaded.user, &loaded.response, &loaded.version);
    header.open_comments = around
        .threads
        .iter()
        .filter(|thread| thread.resolved.is_none())
        .count();
    let threads = around
        .threads
        .into_iter()
        .filter(|thread| current.items.iter().any(|item| item.key == thread.item_key))
        .collect();
    let stored = &loaded.answers.stored;
    let inputs = form_inputs(&loaded, current);
    let prefill_available = current
        .items
        .iter()
        .filter(|item| {
            loaded.answers.compared.raw.contains_key(&item.key)
                && stored.get(&item.key).is_none_or(|a| a.raw.is_blank())
        })
        .count();
    let unconfirmed = current
        .items
        .iter()
        .filter(|item| stored.get(&item.key).is_some_and(|a| a.prefilled))
        .count();
    SectionView {
        session_ends_at: around.session_ends_at,
        session_idle_secs: around.session_idle_secs,
        gemeenten: around.gemeenten,
        threads,
        header,
        key: current.key.clone(),
        title: current.title.clone(),
        intro: current.intro.clone(),
        position: (position + 1, sections.len()),
        items,
        previous: position.checked_sub(1).and_then(link),
        next: link(position + 1),
        conflicts: around.conflicts,
        questionnaire_url: loaded.version.form_resource_path(),
        answers: inputs.answers,
        prefill_available,
        unconfirmed,
        previous_answers: inputs.previous_answers,
        compared_round: loaded.answers.compared.round_name.clone(),
    }
}

/// The stored answers of both rounds that `section`'s conditions and rules read: all the
/// section form needs to evaluate them as the server does.
pub fn form_inputs(loaded: &Loaded, section: &Section) -> FormInputs {
    let inputs = evaluation_inputs(
        &loaded.version.questionnaire,
        &loaded.version.index,
        section.items.iter().map(|item| item.key.as_str()),
    );
    let only = |answers: HashMap<String, Answer>| -> HashMap<String, Answer> {
        answers
            .into_iter()
            .filter(|(key, _)| inputs.contains(key))
            .collect()
    };
    FormInputs {
        answers: only(responses::engine_answers(&loaded.answers.stored).current),
        previous_answers: only(loaded.answers.compared.answers.clone()),
    }
}

/// Check your answers: every visible answer by section, the taken-over answers still to
/// confirm, and what else blocks submitting (as it will once those are confirmed at
/// submitting).
pub fn summary(loaded: &Loaded) -> Summary {
    let (version, evaluation) = (&loaded.version, &loaded.answers.evaluation);
    let stored = &loaded.answers.stored;
    let taken_over = responses::unconfirmed_asked(version, stored, evaluation);
    let when_confirmed = (!taken_over.is_empty()).then(|| {
        let confirmed = responses::as_confirmed(stored);
        responses::evaluation(version, &confirmed, &loaded.answers.compared)
    });
    let checked = when_confirmed.as_ref().unwrap_or(evaluation);
    let mut problems = Vec::new();
    for (key, messages) in responses::blocking_problems(version, checked) {
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
                .filter_map(|item| summary_item(item, loaded, checked))
                .collect(),
        })
        .collect();
    let taken_over = taken_over
        .iter()
        .filter_map(|key| {
            let (s, i) = *version.index.position.get(key)?;
            let section = &version.questionnaire.sections[s];
            let item = &section.items[i];
            let answer = describe(item, &stored.get(key)?.raw);
            Some((section.key.clone(), key.clone(), item.label.clone(), answer))
        })
        .collect();
    Summary {
        header: header(&loaded.user, &loaded.response, version),
        sections,
        overall: evaluation.overall.clone(),
        problems,
        taken_over,
    }
}

/// An item on the check-your-answers page, with the problems `checked` finds; `None` when
/// it is hidden.
fn summary_item(item: &Item, loaded: &Loaded, checked: &Evaluation) -> Option<SummaryItem> {
    let state = checked.items.get(&item.key)?;
    if state.status == ItemStatus::Hidden {
        return None;
    }
    let stored = loaded.answers.stored.get(&item.key);
    let answer = stored.filter(|a| !a.raw.is_blank());
    let mut problems = Vec::new();
    if state.status == ItemStatus::Invalid {
        problems.push("Dit antwoord is niet geldig.".to_string());
    }
    problems.extend(state.blocking.iter().cloned());
    Some(SummaryItem {
        key: item.key.clone(),
        label: item.label.clone(),
        answer: answer.map_or_else(|| "Niet beantwoord".to_string(), |a| describe(item, &a.raw)),
        problems,
        taken_over: stored.is_some_and(|a| a.prefilled),
    })
}

/// The progress page: every item that is asked, this round's answer beside `compared`'s.
pub fn progress(
    loaded: &Loaded,
    compared: &Compared,
    compared_round_id: Option<String>,
    comparison_choices: Vec<ComparisonChoice>,
) -> Progress {
    let (mut compared_count, mut changed_count) = (0, 0);
    let sections = loaded
        .version
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
                    loaded
                        .answers
                        .evaluation
                        .items
                        .get(&item.key)
                        .is_some_and(|state| state.status != ItemStatus::Hidden)
                })
                .map(|item| {
                    let answer = loaded
                        .answers
                        .stored
                        .get(&item.key)
                        .filter(|a| !a.raw.is_blank());
                    let change = compared.change(&item.key, answer.and_then(|a| a.value.as_ref()));
                    compared_count += usize::from(change.is_some());
                    changed_count += usize::from(change == Some(true));
                    ProgressItem {
                        key: item.key.clone(),
                        label: item.label.clone(),
                        indicator: item.indicator.clone(),
                        now: answer.map(|a| describe(item, &a.raw)),
                        before: compared.raw.get(&item.key).map(|raw| describe(item, raw)),
                        changed: change == Some(true),
                        not_compared: compared.not_compared(&item.key),
                    }
                })
                .collect(),
        })
        .collect();
    Progress {
        compared_round_id,
        comparison_choices,
        header: header(&loaded.user, &loaded.response, &loaded.version),
        compared_answered: !compared.raw.is_empty(),
        compared_round: compared.round_name.clone(),
        sections,
        compared_count,
        changed_count,
    }
}
