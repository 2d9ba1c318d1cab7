//! Filling in: a region's responses, the task list, section pages, saving answers, conflicts
//! between colleagues, the check-your-answers summary and submitting.

use crate::domain::attribution::{Attribution, Returned};
use crate::domain::questionnaire::answer::{Answer, RawAnswer};
use crate::domain::questionnaire::completeness::{Counts, SectionStatus};
use crate::domain::questionnaire::model::Item;
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
    /// The programme of the round, whose mark opens the banner.
    pub programme: crate::domain::programme::Programme,
    pub questionnaire_title: String,
    pub region_code: String,
    pub region_name: String,
    pub status: ResponseStatus,
    pub deadline: i64,
    /// Why answers can not be changed now; `None` while the user may change them.
    pub read_only_reason: Option<String>,
    /// Who submitted it, and when.
    pub submitted: Option<Attribution>,
    /// Who last changed an answer, and when.
    pub last_change: Option<Attribution>,
    /// Who sent it back, when and why, while it is sent back.
    pub returned: Option<Returned>,
    /// Who approved it, and when.
    pub approved: Option<Attribution>,
    /// Comment threads on its items that are not resolved yet (filled in where shown).
    pub open_comments: usize,
    /// The signed-in user fills it in as the region's adviser: submitting records the
    /// region's agreement.
    #[serde(default)]
    pub as_adviser: bool,
    /// The region's agreement its adviser recorded when submitting it.
    #[serde(default)]
    pub agreement: Option<crate::domain::response::agreement::Agreement>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSection {
    pub key: String,
    pub title: String,
    pub status: SectionStatus,
    pub counts: Counts,
    /// Who last changed an answer in this section, and when.
    pub last_change: Option<Attribution>,
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
    pub saved: Option<Attribution>,
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
    /// Where the browser fetches the whole questionnaire (a file per version, which it keeps),
    /// and every valid stored answer, so that it applies the conditions live as answers change.
    pub questionnaire_url: String,
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
            section: self.key.clone(),
            editable: self.header.read_only_reason.is_none(),
            next_page: self
                .next
                .as_ref()
                .map_or(format!("/vragenlijst/{id}"), |(key, _)| {
                    format!("/vragenlijst/{id}/sectie/{key}")
                }),
            questionnaire_url: self.questionnaire_url.clone(),
            answers: self.answers.clone(),
            previous_answers: self.previous_answers.clone(),
            fields: self
                .items
                .iter()
                .map(|view| FormField {
                    key: view.item.key.clone(),
                    label: view.item.label.clone(),
                    version: view.version,
                    problems: view.problems.clone(),
                    blocking: view.blocking.clone(),
                    warnings: view.warnings.clone(),
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

/// What the section form's script needs in the browser: where to fetch the questionnaire and
/// the answers to apply conditions live, and per question where its answer stands. The page
/// renders everything else as HTML. The questionnaire itself, the questions' definitions
/// included, is not part of it: it is the largest part by far, the same for every page of a
/// version, and the form saves without it (the script reads the inputs from the form; live
/// conditions and checks wait for it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionFormData {
    pub response_id: String,
    /// The section's key, for what the script asks the server about the section.
    pub section: String,
    /// `false` when the response is read-only for this user.
    pub editable: bool,
    /// Where "Opslaan en verder" goes: the next section, or the task list after the last.
    pub next_page: String,
    /// `LoadedVersion::form_resource_path`: postcard of the questionnaire.
    pub questionnaire_url: String,
    pub answers: HashMap<String, Answer>,
    pub previous_answers: HashMap<String, Answer>,
    pub fields: Vec<FormField>,
}

/// One question of the section form as the browser starts with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormField {
    pub key: String,
    /// The question as messages name it ("Aantal plekken: ...").
    pub label: String,
    /// The stored version, which the next save names as its base.
    pub version: i64,
    /// Why the stored input is not a valid answer.
    pub problems: Vec<String>,
    /// The blocking rules and warnings the stored answers break, as the server evaluated
    /// them; the script evaluates them again with every change once it has the questionnaire.
    pub blocking: Vec<String>,
    pub warnings: Vec<String>,
    pub hidden: bool,
    /// Who saved the answer, and when.
    pub saved: Option<Attribution>,
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
    /// Taken over from the compared round and not confirmed yet.
    pub taken_over: bool,
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
    /// What keeps the response from being submitted once the taken-over answers are
    /// confirmed: (section key, item key, label, message).
    pub problems: Vec<(String, String, String, String)>,
    /// Asked items whose answer is taken over and not confirmed yet; submitting asks to
    /// confirm them: (section key, item key, label, answer).
    pub taken_over: Vec<(String, String, String, String)>,
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
pub(crate) mod views;

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
            open: response.round.state == crate::domain::round::RoundState::Open
                && response.round.opens_at <= now
                && now <= response.deadline,
            id: response.id,
            round_name: response.round.name,
            status: response.status,
            deadline: response.deadline,
        })
        .collect())
}

/// A running round's response of one of the coordinator's regions, as their start page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenResponse {
    pub id: String,
    pub programme: crate::domain::programme::Programme,
    pub region_code: String,
    pub region_name: String,
    pub round_name: String,
    pub status: ResponseStatus,
    pub deadline: i64,
}

/// The responses the signed-in user fills in to rounds that are running now: a coordinator's
/// regions (in every programme they take part in), or the regions a reviewer advises.
#[server(endpoint = "responses/mine")]
pub async fn my_open_responses() -> Result<Vec<OpenResponse>, AppError> {
    use crate::services::{now_ms, request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let now = now_ms();
    let mut open = Vec::new();
    for code in user.fill_in_codes() {
        for response in responses::responses_of_region(&state.pool, code).await? {
            let running = response.round.state == crate::domain::round::RoundState::Open
                && response.round.opens_at <= now
                && now <= response.deadline;
            if running {
                open.push(OpenResponse {
                    id: response.id,
                    programme: response.round.programme,
                    region_code: response.region_code,
                    region_name: response.region_name,
                    round_name: response.round.name,
                    status: response.status,
                    deadline: response.deadline,
                });
            }
        }
    }
    Ok(open)
}

/// The task list of a response: every section with its status and counts.
#[server(endpoint = "responses/tasks")]
pub async fn get_task_list(response_id: String) -> Result<TaskList, AppError> {
    use crate::services::{gemeenten, request, review};
    let state = request::state()?;
    let loaded = views::load(&state, &response_id).await?;
    let open_comments = review::open_comments(&state.pool, &loaded.response.id).await?;
    let gemeenten = gemeenten::of_round_region(
        &state.pool,
        &loaded.response.round.id,
        &loaded.response.region_code,
    )
    .await?;
    Ok(views::task_list(&loaded, open_comments, gemeenten))
}

/// The stored answers of both rounds that a section's conditions and rules read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormInputs {
    pub answers: HashMap<String, Answer>,
    pub previous_answers: HashMap<String, Answer>,
}

/// What the section form's rules read, as stored now. The script asks after its saves, so
/// an answer a colleague changed elsewhere counts in the rules it shows: the server's state
/// wins over what the page was made with.
#[server(endpoint = "responses/form-inputs")]
pub async fn get_form_inputs(response_id: String, section: String) -> Result<FormInputs, AppError> {
    use crate::services::request;
    let state = request::state()?;
    let loaded = views::load(&state, &response_id).await?;
    let position = views::section_position(&loaded.version, &section)?;
    let current = &loaded.version.questionnaire.sections[position];
    Ok(views::form_inputs(&loaded, current))
}

/// One section of a response with its stored answers, problems and conflicts.
#[server(endpoint = "responses/section")]
pub async fn get_section(response_id: String, section: String) -> Result<SectionView, AppError> {
    use crate::services::{gemeenten, now_ms, request, responses, review};
    let state = request::state()?;
    let loaded = views::load(&state, &response_id).await?;
    let position = views::section_position(&loaded.version, &section)?;
    let response = &loaded.response;
    let conflicts = responses::conflicts_of(
        &state.pool,
        &response.id,
        &loaded.user.id,
        &loaded.answers.stored,
    )
    .await?;
    let threads = review::threads(&state.pool, &response.id).await?;
    // The region's gemeenten are confirmed in the first section.
    let gemeenten = if position == 0 {
        gemeenten::of_round_region(&state.pool, &response.round.id, &response.region_code).await?
    } else {
        Vec::new()
    };
    let around = views::AroundSection {
        conflicts,
        threads,
        gemeenten,
        // This request kept the session alive (a session's time is refreshed at most once a
        // minute, so the minute is subtracted to be safe).
        session_ends_at: now_ms() + (state.config.session_idle_secs - 60) * 1000,
        session_idle_secs: state.config.session_idle_secs,
    };
    Ok(views::section(loaded, position, around))
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
    let state = crate::services::request::state()?;
    let loaded = views::load(&state, &response_id).await?;
    Ok(views::summary(&loaded))
}

/// Submits the response after checking all of it on the server; a region adviser also sends
/// the region's agreement (with whom, on which day: "JJJJ-MM-DD").
#[server(endpoint = "responses/submit")]
pub async fn submit_response(
    response_id: String,
    confirm_taken_over: Option<String>,
    agreed_with: Option<String>,
    agreed_on: Option<String>,
) -> Result<(), AppError> {
    use crate::services::{request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let submitting = responses::Submitting {
        confirming_taken_over: confirm_taken_over.is_some_and(|value| value == "ja"),
        agreed_with: agreed_with.as_deref().unwrap_or_default(),
        agreed_on: agreed_on.as_deref().unwrap_or_default(),
    };
    responses::submit(&state, &user, &response_id, submitting).await?;
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
    let confirming = responses::Confirming::Section(&section);
    let confirmed = responses::confirm_prefilled(&state, &user, &response_id, confirming).await?;
    leptos_axum::redirect(&format!(
        "/vragenlijst/{response_id}/sectie/{section}?melding=bevestigd-{confirmed}"
    ));
    Ok(confirmed)
}

/// Confirms one taken-over answer unchanged ("Klopt nog"); the section form's script calls it.
/// Without JavaScript the button posts the section form (`server/src/sections.rs`).
#[server(endpoint = "responses/confirm-answer")]
pub async fn confirm_answer(response_id: String, key: String) -> Result<usize, AppError> {
    use crate::services::{request, responses};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let confirming = responses::Confirming::Item(&key);
    responses::confirm_prefilled(&state, &user, &response_id, confirming).await
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
    use crate::services::{request, responses, rounds};
    let state = request::state()?;
    let loaded = views::load(&state, &response_id).await?;
    let response = &loaded.response;
    let comparison_choices = rounds::comparison_choices(&state.pool, &response.round.id).await?;
    let compared_round_id = rounds::choose_compared(
        &comparison_choices,
        compared_with.as_deref(),
        response.round.compared_round_id.as_deref(),
        "met",
    )?;
    // The evaluation keeps the round's own comparison (its rules use it); the page shows the
    // chosen one.
    let chosen = if compared_round_id == response.round.compared_round_id {
        None
    } else {
        let version = &loaded.version;
        Some(
            responses::compared_with(&state, response, version, compared_round_id.as_deref())
                .await?,
        )
    };
    let compared = chosen.as_ref().unwrap_or(&loaded.answers.compared);
    Ok(views::progress(
        &loaded,
        compared,
        compared_round_id,
        comparison_choices,
    ))
}
