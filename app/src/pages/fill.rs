//! Filling in a response: `/invullen` (the coordinator's way in), `/vragenlijst/:id` (the task
//! list), `/vragenlijst/:id/sectie/:section` (a section), `/vragenlijst/:id/controleren`
//! (check your answers, then submit) and `/vragenlijst/:id/afdrukken` (the whole response for
//! printing).
//!
//! A section is a plain form that posts the whole section to the server ("Opslaan"), so it
//! works without JavaScript. With JavaScript each answer also saves itself shortly after it
//! changes, conditions apply live, unsent changes survive in the browser when the session
//! ends, and a colleague's conflicting answer is shown beside one's own.

use crate::api::responses::{
    get_progress, get_section, get_summary, get_task_list, region_responses, save_answers,
    ItemView, ProgressItem, ResponseHeader, SectionView, SubmitResponse, Summary,
};
use crate::components::question::Question;
use crate::components::status::ErrorPage;
use crate::domain::questionnaire::answer::{parse_answer, RawAnswer};
use crate::domain::questionnaire::completeness::{
    evaluate, ItemStatus, ResponseAnswers, SectionStatus,
};
use crate::domain::questionnaire::model::{Item, ItemKind};
use crate::domain::response::{describe, AnswerInput, ConflictInfo, ResponseStatus, SaveOutcome};
use crate::domain::time::format_date_time;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::HashMap;

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

fn status_tag(status: SectionStatus) -> impl IntoView {
    let class = match status {
        SectionStatus::Complete => "tag tag--done",
        SectionStatus::HasErrors => "tag tag--error",
        SectionStatus::InProgress => "tag tag--busy",
        SectionStatus::NotStarted | SectionStatus::NotApplicable => "tag",
    };
    view! { <strong class=class>{status.label()}</strong> }
}

/// The lines above every page of a response: region, round, submission, review and
/// read-only state, and the reviewer's open comments.
#[component]
pub(crate) fn ResponseBanner(header: ResponseHeader) -> impl IntoView {
    let submitted = header
        .submitted
        .clone()
        .filter(|_| header.status == ResponseStatus::Submitted);
    let comments_link = format!("/vragenlijst/{}/beoordelen", header.id);
    view! {
        <p class="caption">{format!("{} · {}", header.region_name, header.round_name)}</p>
        {submitted.map(|(by, at)| view! {
            <div class="notice notice--success" role="status">
                <p>{format!("Ingediend op {} door {}.", format_date_time(at), by)}</p>
            </div>
        })}
        {header.approved.clone().map(|(by, at)| view! {
            <div class="notice notice--success" role="status">
                <p>{format!("Goedgekeurd op {} door {}. De vragenlijst is vergrendeld.", format_date_time(at), by)}</p>
            </div>
        })}
        {header.returned.clone().map(|(by, at, reason)| view! {
            <div class="notice notice--warning" role="status">
                <h2 class="notice__title">"Teruggestuurd door de reviewer"</h2>
                <p>{format!("{} op {}: ", by, format_date_time(at))}<q>{reason}</q></p>
                <p>"Pas de antwoorden aan en dien de vragenlijst opnieuw in."</p>
            </div>
        })}
        {(header.open_comments > 0).then(|| view! {
            <div class="notice notice--warning" role="status">
                <p>{format!("Er staan {} opmerking(en) van de reviewer open. ", header.open_comments)}
                    <a href=comments_link>"Bekijk en beantwoord de opmerkingen"</a></p>
            </div>
        })}
        {header.read_only_reason.clone().filter(|_| header.status.accepts_answers()).map(|reason| view! {
            <div class="notice" role="status"><p>{reason}</p></div>
        })}
    }
}

/// The region's gemeenten as they are for this round.
#[component]
fn RoundGemeenten(
    gemeenten: Vec<crate::domain::region::Gemeente>,
    /// Unfolded where the questionnaire asks to confirm them.
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    (!gemeenten.is_empty()).then(|| {
        let names: Vec<String> = gemeenten.iter().map(|g| format!("{} ({})", g.name, g.code)).collect();
        view! {
            <details class="round-gemeenten" open=open>
                <summary>{format!("Gemeenten van de regio in deze meting ({})", gemeenten.len())}</summary>
                <p>{names.join(", ")}</p>
                <p class="caption">"Klopt deze lijst niet? Zeg het bij de eerste vraag van de vragenlijst."</p>
            </details>
        }
    })
}

/// `/invullen`: a coordinator goes to the task list of their region's open round.
#[component]
pub fn FillStartPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| crate::api::auth::current_user());
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let user = match user.await {
                    Ok(Some(user)) => user,
                    Ok(None) => return view! { <ErrorPage error=AppError::Unauthorized/> }.into_any(),
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let Some(code) = user.region_code.clone() else {
                    return view! { <Redirect path=user.start_page()/> }.into_any();
                };
                match region_responses(code.clone()).await {
                    Ok(responses) => match responses.into_iter().find(|r| r.open) {
                        Some(open) => view! { <Redirect path=format!("/vragenlijst/{}", open.id)/> }.into_any(),
                        None => view! {
                            <Title text="Geen open meting"/>
                            <h1>"Geen open meting"</h1>
                            <p>"Er is op dit moment geen meting open voor uw regio. Eerdere metingen leest u terug op "
                                <a href=format!("/regio/{code}")>"de pagina van uw regio"</a>"."</p>
                        }.into_any(),
                    },
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The rounds of a region with a link to each response; on the region's page.
#[component]
pub fn RegionRounds(code: String) -> impl IntoView {
    let responses = Resource::new(move || code.clone(), region_responses);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match responses.await {
                    Ok(list) if list.is_empty() => view! { <p>"Deze regio neemt nog aan geen meting deel."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="list">
                            {list.into_iter().map(|r| view! {
                                <li>
                                    <a href=format!("/vragenlijst/{}", r.id)>{r.round_name}</a>
                                    {format!(" – {}{}", r.status.label(), if r.open {
                                        format!(", termijn tot {}", format_date_time(r.deadline))
                                    } else { String::new() })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <p class="form-error">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/vragenlijst/:id`: every section with its status, counts and last change.
#[component]
pub fn TaskListPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let tasks = Resource::new(id, get_task_list);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let tasks = match tasks.await {
                    Ok(tasks) => tasks,
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let header = tasks.header.clone();
                let id = header.id.clone();
                let overall = tasks.overall.clone();
                let just_submitted = query.read().get("melding").as_deref() == Some("ingediend");
                view! {
                    <Title text=format!("{} – {}", header.round_name, header.region_name)/>
                    {just_submitted.then(|| view! {
                        <div class="notice notice--success" role="status" tabindex="-1">
                            <h2 class="notice__title">"Vragenlijst ingediend"</h2>
                            <p>"Dank u wel. De reviewer controleert de antwoorden; u ziet het resultaat hier."</p>
                        </div>
                    })}
                    <ResponseBanner header=header.clone()/>
                    <h1>{header.questionnaire_title.clone()}</h1>
                    <dl class="summary-list">
                        <div class="summary-list__row"><dt>"Termijn"</dt><dd>{format_date_time(header.deadline)}</dd></div>
                        <div class="summary-list__row"><dt>"Voortgang"</dt><dd>
                            {format!("{} van {} verplichte vragen beantwoord ({}%)", overall.complete, overall.required, overall.percent_complete())}
                            <progress class="progress" max="100" value=overall.percent_complete() aria-hidden="true"></progress>
                        </dd></div>
                        <div class="summary-list__row"><dt>"Laatst gewijzigd"</dt><dd>
                            {header.last_change.clone().map_or("Nog niets ingevuld".to_string(), |(by, at)| format!("{} door {by}", format_date_time(at)))}
                        </dd></div>
                    </dl>
                    <RoundGemeenten gemeenten=tasks.gemeenten.clone()/>
                    <h2>"Secties"</h2>
                    <ol class="task-list">
                        {tasks.sections.into_iter().enumerate().map(|(n, section)| {
                            let href = format!("/vragenlijst/{id}/sectie/{}", section.key);
                            let hint_id = format!("sectie-{}-telling", section.key);
                            let counts = if section.status == SectionStatus::NotApplicable {
                                "Door uw antwoorden niet van toepassing".to_string()
                            } else {
                                let mut text = format!("{} van {} verplichte vragen beantwoord", section.counts.complete, section.counts.required);
                                if section.counts.blocking + section.counts.invalid > 0 {
                                    text.push_str(&format!(", {} fout(en)", section.counts.blocking + section.counts.invalid));
                                }
                                if let Some((by, at)) = &section.last_change {
                                    text.push_str(&format!(" · laatst door {by}, {}", format_date_time(*at)));
                                }
                                text
                            };
                            let title = format!("{}. {}", n + 1, section.title);
                            view! {
                                <li class="task-list__item">
                                    <span class="task-list__name">
                                        {if section.status == SectionStatus::NotApplicable {
                                            view! { <span>{title}</span> }.into_any()
                                        } else {
                                            view! { <a href=href aria-describedby=hint_id.clone()>{title}</a> }.into_any()
                                        }}
                                        <span class="task-list__hint" id=hint_id>{counts}</span>
                                    </span>
                                    {status_tag(section.status)}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <h2>"Controleren en indienen"</h2>
                    <p>
                        <a class="button" href=format!("/vragenlijst/{id}/controleren")>"Antwoorden controleren"</a>
                        " "
                        <a href=format!("/vragenlijst/{id}/afdrukken")>"Afdrukversie van alle antwoorden"</a>
                    </p>
                    <p><a href=format!("/vragenlijst/{id}/voortgang")>"Vergelijking met de vorige meting"</a></p>
                    <p><a href=format!("/vragenlijst/{id}/beoordelen")>"Beoordeling en opmerkingen van de reviewer"</a></p>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// Where a field's save stands, as shown and announced beside it.
#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    Idle,
    /// Changed, waiting for the pause in typing.
    Changed,
    Saving,
    Saved(i64),
    Failed(String),
    Conflict,
}

impl SaveState {
    fn text(&self) -> String {
        match self {
            SaveState::Idle => String::new(),
            SaveState::Changed => "Niet opgeslagen wijziging".to_string(),
            SaveState::Saving => "Bezig met opslaan…".to_string(),
            SaveState::Saved(at) => format!("Opgeslagen om {}", clock(*at)),
            SaveState::Failed(why) => format!("Niet opgeslagen – {why}"),
            SaveState::Conflict => {
                "Niet opgeslagen – een collega wijzigde dit antwoord".to_string()
            }
        }
    }

    fn unsent(&self) -> bool {
        matches!(
            self,
            SaveState::Changed | SaveState::Saving | SaveState::Failed(_)
        )
    }
}

fn clock(at: i64) -> String {
    let (_, _, _, hour, minute) = crate::domain::time::local_parts(at);
    format!("{hour:02}:{minute:02}")
}

/// The state of one question on the page.
#[derive(Clone, Copy)]
struct Field {
    version: RwSignal<i64>,
    problems: RwSignal<Vec<String>>,
    hidden: RwSignal<bool>,
    save: RwSignal<SaveState>,
    conflict: RwSignal<Option<ConflictInfo>>,
    /// Bumped on every change, so a save that finishes after a newer change does not mark
    /// the field saved.
    edits: RwSignal<u64>,
    retries: RwSignal<u32>,
    /// A save of this answer is on its way; `again` asks for one more when it is back.
    in_flight: RwSignal<bool>,
    again: RwSignal<bool>,
}

/// Asks for another try of a failed save after a pause that grows with each failure.
fn schedule_retry(field: Field, key: String, requests: RwSignal<Vec<String>>) {
    let attempt = field.retries.get_untracked().min(5);
    field.retries.set(attempt + 1);
    let delay = [2, 5, 10, 20, 30, 60][attempt as usize];
    set_timeout(
        move || requests.update(|r| r.push(key)),
        std::time::Duration::from_secs(delay),
    );
}

/// `/vragenlijst/:id/sectie/:section`
#[component]
pub fn SectionPage() -> impl IntoView {
    let id = param("id");
    let section = param("section");
    let data = Resource::new(
        move || (id(), section()),
        |(id, section)| get_section(id, section),
    );
    // What the previous request did (a save without JavaScript, taking over answers).
    let query = use_query_map();
    let notice = move || {
        match query.read().get("melding").as_deref() {
        Some("opgeslagen") => Some("Uw antwoorden in deze sectie zijn opgeslagen.".to_string()),
        Some("conflict") => Some("Niet alles is opgeslagen: een collega wijzigde een of meer antwoorden. Kies hieronder per vraag welk antwoord blijft.".to_string()),
        Some(other) => prefill_notice(other),
        _ => None,
    }
    };
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! {
                        <Title text=format!("{} – {}", view.title, view.header.round_name)/>
                        <SectionForm data=view.to_page_data() notice=notice()/>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The browser's store of changes not yet acknowledged by the server, per response.
mod pending {
    use crate::domain::response::AnswerInput;
    use std::collections::BTreeMap;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn name(response_id: &str) -> String {
        format!("nad-onverzonden-{response_id}")
    }

    pub fn all(response_id: &str) -> BTreeMap<String, AnswerInput> {
        storage()
            .and_then(|s| s.get_item(&name(response_id)).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn write(response_id: &str, map: &BTreeMap<String, AnswerInput>) {
        if let Some(storage) = storage() {
            if map.is_empty() {
                let _ = storage.remove_item(&name(response_id));
            } else if let Ok(text) = serde_json::to_string(map) {
                let _ = storage.set_item(&name(response_id), &text);
            }
        }
    }

    pub fn keep(response_id: &str, input: &AnswerInput) {
        let mut map = all(response_id);
        map.insert(input.key.clone(), input.clone());
        write(response_id, &map);
    }

    /// Forgets a change that no longer applies (its question is not asked any more).
    pub fn drop_key(response_id: &str, key: &str) {
        let mut map = all(response_id);
        if map.remove(key).is_some() {
            write(response_id, &map);
        }
    }

    /// Forgets a change once the server has it (saved, or kept as a conflict).
    pub fn forget(response_id: &str, key: &str, sent: &AnswerInput) {
        let mut map = all(response_id);
        if map.get(key) == Some(sent) {
            map.remove(key);
            write(response_id, &map);
        }
    }
}

/// What the form holds for one item now.
fn read_raw(form: &web_sys::HtmlFormElement, item: &Item) -> RawAnswer {
    let mut raw = RawAnswer::default();
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        return raw;
    };
    let strings = |name: &str| -> Vec<String> {
        data.get_all(name)
            .iter()
            .filter_map(|value| value.as_string())
            .collect()
    };
    if let ItemKind::Matrix { rows, .. } = &item.kind {
        for row in rows {
            if let Some(value) = strings(&format!("a.{}.{}", item.key, row.code)).pop() {
                raw.rows.insert(row.code.clone(), value);
            }
        }
    } else {
        raw.values = strings(&format!("a.{}", item.key));
    }
    raw.special = strings(&format!("s.{}", item.key)).pop();
    raw
}

/// Puts an input back into the form (changes kept in the browser while logged out).
fn write_raw(form: &web_sys::HtmlFormElement, item: &Item, raw: &RawAnswer) {
    use leptos::wasm_bindgen::JsCast;
    let set = |name: &str, values: &[String]| {
        let Ok(list) = form.query_selector_all(&format!("[name=\"{name}\"]")) else {
            return;
        };
        for n in 0..list.length() {
            let Some(node) = list.item(n) else { continue };
            if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                match input.type_().as_str() {
                    "radio" | "checkbox" => input.set_checked(values.contains(&input.value())),
                    _ => input.set_value(values.get(n as usize).map_or("", String::as_str)),
                }
            } else if let Some(select) = node.dyn_ref::<web_sys::HtmlSelectElement>() {
                select.set_value(values.get(n as usize).map_or("", String::as_str));
            } else if let Some(area) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                area.set_value(&values.join("\n"));
            }
        }
    };
    if let ItemKind::Matrix { rows, .. } = &item.kind {
        for row in rows {
            let value: Vec<String> = raw.rows.get(&row.code).cloned().into_iter().collect();
            set(&format!("a.{}.{}", item.key, row.code), &value);
        }
    } else {
        set(&format!("a.{}", item.key), &raw.values);
    }
    let special: Vec<String> = raw.special.iter().cloned().collect();
    set(&format!("s.{}", item.key), &special);
}

/// The item key a form control belongs to: `a.KEY`, `a.KEY.ROW` or `s.KEY`.
fn key_of(name: &str) -> Option<&str> {
    let rest = name
        .strip_prefix("a.")
        .or_else(|| name.strip_prefix("s."))?;
    Some(rest.split('.').next().unwrap_or(rest))
}

/// The section's form and everything on the page that changes as the person types: the one
/// part of filling in that is hydrated in the browser (an island). Its data comes along in the
/// page (`SectionView::to_page_data`); `notice` says what the previous request did.
#[island]
fn SectionForm(data: String, notice: Option<String>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| crate::pages::mark_hydrated());
    match SectionView::from_page_data(&data) {
        Some(view) => section_form(view, notice).into_any(),
        None => view! {
            <p class="error-text">"De gegevens van deze sectie zijn niet te lezen. Laad de pagina opnieuw."</p>
        }
        .into_any(),
    }
}

fn section_form(view: SectionView, notice: Option<String>) -> impl IntoView {
    let response_id = view.header.id.clone();
    let editable = view.header.read_only_reason.is_none();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let questionnaire = StoredValue::new(view.questionnaire.clone());
    let index = StoredValue::new(view.questionnaire.index().unwrap_or_default());
    // The engine's view of the answers, updated as the person types.
    let answers = StoredValue::new(ResponseAnswers {
        current: view.answers.clone(),
        previous: view.previous_answers.clone(),
        ..ResponseAnswers::default()
    });
    let items: StoredValue<HashMap<String, Item>> = StoredValue::new(
        view.items
            .iter()
            .map(|i| (i.item.key.clone(), i.item.clone()))
            .collect(),
    );
    let fields: HashMap<String, Field> = view
        .items
        .iter()
        .map(|item| {
            let conflict = view
                .conflicts
                .iter()
                .find(|c| c.key == item.item.key)
                .cloned();
            (
                item.item.key.clone(),
                Field {
                    version: RwSignal::new(item.version),
                    problems: RwSignal::new(
                        item.problems
                            .iter()
                            .chain(&item.blocking)
                            .cloned()
                            .collect(),
                    ),
                    hidden: RwSignal::new(item.hidden),
                    save: RwSignal::new(if conflict.is_some() {
                        SaveState::Conflict
                    } else {
                        SaveState::Idle
                    }),
                    conflict: RwSignal::new(conflict),
                    edits: RwSignal::new(0),
                    retries: RwSignal::new(0),
                    in_flight: RwSignal::new(false),
                    again: RwSignal::new(false),
                },
            )
        })
        .collect();
    let fields = StoredValue::new(fields);
    let field = move |key: &str| fields.with_value(|f| f.get(key).copied());
    let logged_out = RwSignal::new(false);
    let page_saved_at = RwSignal::new(None::<i64>);
    let after_save = RwSignal::new(None::<String>);
    // Where to go once a save is done ("Opslaan en verder"); followed by an effect, which
    // runs in the browser only.
    let go_to = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(target) = go_to.get() {
            let _ = window().location().set_href(&target);
        }
    });

    // Applies the conditions to the answers as they are in the form now.
    let refresh_visibility = move || {
        let evaluation = answers
            .with_value(|a| questionnaire.with_value(|q| index.with_value(|i| evaluate(q, i, a))));
        fields.with_value(|fields| {
            for (key, field) in fields {
                let hidden = evaluation
                    .items
                    .get(key)
                    .is_some_and(|s| s.status == ItemStatus::Hidden);
                if field.hidden.get_untracked() != hidden {
                    field.hidden.set(hidden);
                }
            }
        });
    };

    // Failed saves come back through this signal after a pause, so timers stay small.
    let retry_requests = RwSignal::new(Vec::<String>::new());
    // Sends the given answers in one request and shows each outcome beside its field.
    let send = {
        let response_id = response_id.clone();
        move |keys: Vec<String>, then: Option<String>| {
            let Some(form) = form_ref.get_untracked() else {
                return;
            };
            let mut inputs = Vec::new();
            let mut edits = Vec::new();
            for key in keys {
                let (Some(field), Some(item)) =
                    (field(&key), items.with_value(|i| i.get(&key).cloned()))
                else {
                    continue;
                };
                if field.hidden.get_untracked() {
                    // Not asked any more: nothing to save, nothing pending.
                    field.save.set(SaveState::Idle);
                    pending::drop_key(&response_id, &key);
                    continue;
                }
                if field.conflict.get_untracked().is_some() {
                    continue;
                }
                // One save per answer at a time, so the next one is based on its result.
                if field.in_flight.get_untracked() {
                    field.again.set(true);
                    continue;
                }
                field.in_flight.set(true);
                let input = AnswerInput {
                    key: key.clone(),
                    raw: read_raw(&form, &item).normalized(),
                    base_version: field.version.get_untracked(),
                };
                pending::keep(&response_id, &input);
                field.save.set(SaveState::Saving);
                edits.push(field.edits.get_untracked());
                inputs.push(input);
            }
            if inputs.is_empty() {
                if let Some(target) = then {
                    go_to.set(Some(target));
                }
                return;
            }
            let response_id = response_id.clone();
            spawn_local(async move {
                let result = save_answers(response_id.clone(), inputs.clone()).await;
                let mut all_saved = true;
                let mut again = Vec::new();
                for input in &inputs {
                    if let Some(field) = field(&input.key) {
                        field.in_flight.set(false);
                        if field.again.get_untracked() {
                            field.again.set(false);
                            again.push(input.key.clone());
                        }
                    }
                }
                if !again.is_empty() {
                    retry_requests.update(|r| r.extend(again));
                }
                match result {
                    Ok(outcomes) => {
                        logged_out.set(false);
                        for ((input, outcome), edit) in inputs.iter().zip(outcomes).zip(edits) {
                            let Some(field) = field(&input.key) else {
                                continue;
                            };
                            pending::forget(&response_id, &input.key, input);
                            let newer_edit = field.edits.get_untracked() != edit;
                            field.retries.set(0);
                            match outcome {
                                SaveOutcome::Saved {
                                    version,
                                    saved_at,
                                    problems,
                                } => {
                                    field.version.set(version);
                                    field.problems.set(problems);
                                    page_saved_at.set(Some(saved_at));
                                    if !newer_edit {
                                        field.save.set(SaveState::Saved(saved_at));
                                    }
                                }
                                SaveOutcome::Unchanged { version, saved_at } => {
                                    field.version.set(version);
                                    // The server holds what the person typed: say when it was saved.
                                    if !newer_edit {
                                        field.save.set(
                                            if field.edits.get_untracked() > 0 && saved_at > 0 {
                                                SaveState::Saved(saved_at)
                                            } else {
                                                SaveState::Idle
                                            },
                                        );
                                    }
                                }
                                SaveOutcome::Conflict(info) => {
                                    all_saved = false;
                                    field.conflict.set(Some(info));
                                    field.save.set(SaveState::Conflict);
                                }
                            }
                        }
                    }
                    Err(error) => {
                        all_saved = false;
                        let why = match &error {
                            AppError::Unauthorized => {
                                logged_out.set(true);
                                "u bent uitgelogd. Log opnieuw in; uw wijziging blijft bewaard."
                                    .to_string()
                            }
                            AppError::Validation(problems) => {
                                for (key, messages) in problems {
                                    if let Some(field) = field(key) {
                                        field.problems.set(messages.clone());
                                    }
                                }
                                "controleer het antwoord.".to_string()
                            }
                            AppError::Conflict(message) | AppError::BadRequest(message) => {
                                message.clone()
                            }
                            _ => "de verbinding lukt niet. We proberen het opnieuw.".to_string(),
                        };
                        let retry = !matches!(
                            error,
                            AppError::Unauthorized
                                | AppError::Validation(_)
                                | AppError::Conflict(_)
                                | AppError::BadRequest(_)
                        );
                        for input in &inputs {
                            if let Some(field) = field(&input.key) {
                                field.save.set(SaveState::Failed(why.clone()));
                                if retry {
                                    schedule_retry(field, input.key.clone(), retry_requests);
                                }
                            }
                        }
                    }
                }
                if all_saved {
                    if let Some(target) = then {
                        go_to.set(Some(target));
                    }
                }
            });
        }
    };
    let send = StoredValue::new(send);
    Effect::new(move |_| {
        let keys = retry_requests.get();
        if !keys.is_empty() {
            retry_requests.set(Vec::new());
            send.with_value(|send| send(keys, None));
        }
    });

    // One timer per field: a save goes out once typing pauses.
    let timers: StoredValue<HashMap<String, TimeoutHandle>> = StoredValue::new(HashMap::new());
    // Leaving the page stops the timers; what they would have sent is kept in the browser and
    // goes out from the next section page.
    on_cleanup(move || {
        timers.update_value(|timers| timers.drain().for_each(|(_, handle)| handle.clear()));
    });
    let response_id_for_change = StoredValue::new(response_id.clone());
    let on_change = move |ev: leptos::ev::Event, immediate: bool| {
        use leptos::wasm_bindgen::JsCast;
        if !editable {
            return;
        }
        let Some(target) = ev.target() else { return };
        let name = if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
            input.name()
        } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
            select.name()
        } else if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            area.name()
        } else {
            return;
        };
        let Some(key) = key_of(&name).map(str::to_string) else {
            return;
        };
        let (Some(field), Some(item), Some(form)) = (
            field(&key),
            items.with_value(|i| i.get(&key).cloned()),
            form_ref.get_untracked(),
        ) else {
            return;
        };
        field.edits.update(|n| *n += 1);
        if field.save.get_untracked() != SaveState::Conflict {
            field.save.set(SaveState::Changed);
        }
        // Instant feedback with the same rules the server applies.
        let raw = read_raw(&form, &item);
        let parsed = parse_answer(&item, &raw);
        answers.update_value(|a| {
            a.current.remove(&key);
            a.invalid.remove(&key);
            match &parsed {
                Ok(Some(answer)) => {
                    a.current.insert(key.clone(), answer.clone());
                }
                Ok(None) => {}
                Err(_) => {
                    a.invalid.insert(key.clone());
                }
            }
        });
        if parsed.is_ok() {
            field.problems.set(Vec::new());
        }
        let raw = raw.normalized();
        refresh_visibility();
        // Kept in the browser at once: leaving the page before the save goes out loses nothing.
        let kept = AnswerInput {
            key: key.clone(),
            raw,
            base_version: field.version.get_untracked(),
        };
        response_id_for_change.with_value(|id| pending::keep(id, &kept));
        let delay = if immediate { 300 } else { 900 };
        timers.update_value(|timers| {
            if let Some(old) = timers.remove(&key) {
                old.clear();
            }
            let key_for_timer = key.clone();
            if let Ok(handle) = set_timeout_with_handle(
                move || send.with_value(|send| send(vec![key_for_timer], None)),
                std::time::Duration::from_millis(delay),
            ) {
                timers.insert(key, handle);
            }
        });
    };

    // Changes kept in the browser (the session ended before they were sent) go out again.
    let replay = {
        let response_id = response_id.clone();
        move || {
            let Some(form) = form_ref.get_untracked() else {
                return;
            };
            let kept = pending::all(&response_id);
            let mut here = Vec::new();
            let mut elsewhere = Vec::new();
            for (key, input) in kept {
                match (field(&key), items.with_value(|i| i.get(&key).cloned())) {
                    (Some(field), Some(item)) => {
                        write_raw(&form, &item, &input.raw);
                        field.version.set(input.base_version);
                        field.save.set(SaveState::Changed);
                        here.push(key);
                    }
                    _ => elsewhere.push(input),
                }
            }
            if !here.is_empty() {
                send.with_value(|send| send(here, None));
            }
            if !elsewhere.is_empty() {
                let response_id = response_id.clone();
                spawn_local(async move {
                    if let Ok(outcomes) = save_answers(response_id.clone(), elsewhere.clone()).await
                    {
                        for (input, _) in elsewhere.iter().zip(outcomes) {
                            pending::forget(&response_id, &input.key, input);
                        }
                    }
                });
            }
        }
    };
    let replay = StoredValue::new(replay);
    Effect::new(move |_| {
        if form_ref.get().is_some() && editable {
            replay.with_value(|replay| replay());
        }
    });

    // Leaving with unsent changes asks first.
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        let unsent =
            fields.with_value(|f| f.values().any(|field| field.save.get_untracked().unsent()));
        if unsent {
            ev.prevent_default();
            ev.set_return_value("U hebt wijzigingen die nog niet zijn opgeslagen.");
        }
    });
    on_cleanup(move || unload.remove());

    let page_status = move || {
        let states: Vec<SaveState> =
            fields.with_value(|f| f.values().map(|field| field.save.get()).collect());
        if states.iter().any(|s| matches!(s, SaveState::Failed(_))) {
            Some((
                "save-status save-status--failed",
                "Niet alles is opgeslagen – zie de vragen hieronder.".to_string(),
            ))
        } else if states.contains(&SaveState::Conflict) {
            Some((
                "save-status save-status--failed",
                "Een collega wijzigde een antwoord dat u ook wijzigde – kies bij die vraag welk antwoord blijft.".to_string(),
            ))
        } else if states
            .iter()
            .any(|s| matches!(s, SaveState::Changed | SaveState::Saving))
        {
            Some(("save-status", "Wijzigingen worden opgeslagen…".to_string()))
        } else {
            page_saved_at.get().map(|at| {
                (
                    "save-status save-status--saved",
                    format!("Alle wijzigingen zijn opgeslagen om {}.", clock(at)),
                )
            })
        }
    };
    let retry_all = move |_| {
        let keys: Vec<String> = fields.with_value(|f| {
            f.iter()
                .filter(|(_, field)| matches!(field.save.get_untracked(), SaveState::Failed(_)))
                .map(|(k, _)| k.clone())
                .collect()
        });
        send.with_value(|send| send(keys, None));
    };

    // The error summary: every item with a problem, linked to it.
    let summary = {
        let labels: Vec<(String, String)> = view
            .items
            .iter()
            .map(|i| (i.item.key.clone(), i.item.label.clone()))
            .collect();
        move || {
            let problems: Vec<(String, String, String)> = labels
                .iter()
                .filter_map(|(key, label)| {
                    let field = field(key)?;
                    if field.hidden.get() {
                        return None;
                    }
                    let messages = field.problems.get();
                    // The input, or for a group the fieldset (focusable).
                    (!messages.is_empty())
                        .then(|| (format!("#vraag-{key}"), label.clone(), messages.join(" ")))
                })
                .collect();
            (!problems.is_empty()).then(|| view! {
                <div class="error-summary" role="alert" aria-labelledby="fouten-titel" tabindex="-1">
                    <h2 id="fouten-titel" class="error-summary__title">"Er is een probleem"</h2>
                    <ul class="error-summary__list">
                        {problems.into_iter().map(|(href, label, message)| view! {
                            <li><a href=href rel="external">{format!("{label}: {message}")}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            })
        }
    };

    let header = view.header.clone();
    let id = header.id.clone();
    let section_key = view.key.clone();
    let action = format!("/vragenlijst/{id}/sectie/{section_key}/opslaan");
    let next_target = view
        .next
        .as_ref()
        .map_or(format!("/vragenlijst/{id}"), |(key, _)| {
            format!("/vragenlijst/{id}/sectie/{key}")
        });
    let compared_round = view.compared_round.clone();
    let prefill_panel = editable.then(|| view! {
        <PrefillPanel response_id=id.clone() section=section_key.clone()
            round=view.compared_round.clone() available=view.prefill_available unconfirmed=view.unconfirmed/>
    });
    let threads = view.threads.clone();
    let items_view = view
        .items
        .into_iter()
        .map(|item_view| {
            let key = item_view.item.key.clone();
            let item_threads: Vec<_> = threads.iter().filter(|t| t.item_key == key).cloned().collect();
            let field = field(&key).expect("a field for every item");
            let ItemView { item, raw, saved, warnings, previous, changed, prefilled, not_compared, .. } = item_view;
            let item_for_conflict = item.clone();
            let response_id = id.clone();
            let compared_round = compared_round.clone();
            view! {
                <Question item=item.clone() value=raw disabled=!editable problems=field.problems hidden=field.hidden>
                    <input type="hidden" name=format!("v.{key}") value=move || field.version.get().to_string()/>
                    {(!warnings.is_empty()).then(|| view! {
                        <div class="warning-text"><span class="visually-hidden">"Let op: "</span>{warnings.join(" ")}</div>
                    })}
                    {prefilled.then(|| view! {
                        <Show when=move || field.edits.get() == 0>
                            <p class="tag tag--prefilled">"Overgenomen – nog bevestigen"</p>
                        </Show>
                    })}
                    <PreviousAnswer previous=previous.clone() changed not_compared=not_compared.clone() round=compared_round/>
                    <crate::pages::review::ItemComments threads=item_threads response_id=response_id.clone()/>
                    <p class="field-status" role="status" data-veld=key.clone()>
                        {move || {
                            let state = field.save.get();
                            if state == SaveState::Idle {
                                saved.clone().map(|(by, at)| format!("Laatst opgeslagen door {by}, {}", format_date_time(at))).unwrap_or_default()
                            } else {
                                state.text()
                            }
                        }}
                    </p>
                    {move || field.conflict.get().map(|conflict| view! {
                        <ConflictPanel conflict item=item_for_conflict.clone() response_id=response_id.clone() field/>
                    })}
                </Question>
            }
        })
        .collect_view();

    view! {
        <p class="back-link"><a href=format!("/vragenlijst/{id}")>"Terug naar het overzicht"</a></p>
        <ResponseBanner header=header.clone()/>
        {notice.map(|text| view! { <div class="notice" role="status"><p>{text}</p></div> })}
        {summary}
        <p class="caption">{format!("Sectie {} van {}", view.position.0, view.position.1)}</p>
        <h1>{view.title.clone()}</h1>
        {view.intro.clone().map(|intro| view! { <p class="lead">{intro}</p> })}
        <RoundGemeenten gemeenten=view.gemeenten.clone() open=true/>
        {prefill_panel}
        <p class="page-save-status" role="status" aria-live="polite">
            {move || page_status().map(|(class, text)| view! { <span class=class>{text}</span> })}
            {move || fields.with_value(|f| f.values().any(|field| matches!(field.save.get(), SaveState::Failed(_)))).then(|| view! {
                " "<button type="button" class="button button--secondary" on:click=retry_all>"Opnieuw proberen"</button>
            })}
        </p>
        <Show when=move || logged_out.get()>
            <LoginAgain on_done=move || replay.with_value(|replay| replay())/>
        </Show>
        <form method="post" action=action class="section-form" node_ref=form_ref novalidate
            on:input=move |ev| on_change(ev, false)
            on:change=move |ev| on_change(ev, true)
            on:submit=move |ev| {
                ev.prevent_default();
                let keys: Vec<String> = fields.with_value(|f| f.keys().cloned().collect());
                let then = after_save.get_untracked();
                send.with_value(|send| send(keys, then));
            }>
            {items_view}
            {editable.then(|| {
                let next_target = next_target.clone();
                view! {
                    <div class="button-group">
                        <button type="submit" class="button" name="actie" value="volgende"
                            on:click=move |_| after_save.set(Some(next_target.clone()))>"Opslaan en verder"</button>
                        <button type="submit" class="button button--secondary" name="actie" value="opslaan"
                            on:click=move |_| after_save.set(None)>"Opslaan"</button>
                    </div>
                }
            })}
        </form>
        <nav class="pager" aria-label="Secties">
            {view.previous.map(|(key, title)| view! {
                <a class="pager__previous" href=format!("/vragenlijst/{id}/sectie/{key}")>{format!("Vorige: {title}")}</a>
            })}
            {view.next.map(|(key, title)| view! {
                <a class="pager__next" href=format!("/vragenlijst/{id}/sectie/{key}")>{format!("Volgende: {title}")}</a>
            })}
        </nav>
    }
}

/// Both answers side by side; the person keeps theirs or takes the colleague's. The buttons
/// belong to the section form, so without JavaScript they post it (the server resolves the
/// conflict and saves the rest); with JavaScript they call the server function directly.
#[component]
fn ConflictPanel(
    conflict: ConflictInfo,
    item: Item,
    response_id: String,
    field: Field,
) -> impl IntoView {
    let key = conflict.key.clone();
    let mine = describe(&item, &conflict.mine);
    let theirs = describe(&item, &conflict.theirs);
    let error = RwSignal::new(None::<String>);
    let choose = move |keep: &'static str| {
        let (response_id, key) = (response_id.clone(), key.clone());
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let (response_id, key) = (response_id.clone(), key.clone());
            spawn_local(async move {
                match crate::api::responses::resolve_conflict(response_id, key, keep.to_string())
                    .await
                {
                    Ok(Some(SaveOutcome::Saved {
                        version,
                        saved_at,
                        problems,
                    })) => {
                        field.version.set(version);
                        field.problems.set(problems);
                        field.save.set(SaveState::Saved(saved_at));
                        field.conflict.set(None);
                    }
                    Ok(Some(SaveOutcome::Unchanged { version, .. })) => {
                        field.version.set(version);
                        field.save.set(SaveState::Idle);
                        field.conflict.set(None);
                    }
                    Ok(Some(SaveOutcome::Conflict(info))) => field.conflict.set(Some(info)),
                    // The colleague's answer stays: show it as a reload would.
                    Ok(None) => {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().reload();
                        }
                    }
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        }
    };
    let keep_mine = choose("mijn");
    let take_theirs = choose("ander");
    let key = conflict.key.clone();
    view! {
        <div class="conflict" role="alert">
            <h3 class="conflict__title">"Een collega heeft dit antwoord gewijzigd"</h3>
            <p>{format!("{} wijzigde dit antwoord op {}, terwijl u het ook wijzigde. Er is niets overschreven.", conflict.changed_by, format_date_time(conflict.changed_at))}</p>
            <dl class="summary-list">
                <div class="summary-list__row"><dt>"Uw antwoord"</dt><dd>{mine}</dd></div>
                <div class="summary-list__row"><dt>{format!("Antwoord van {}", conflict.changed_by)}</dt><dd>{theirs}</dd></div>
            </dl>
            {move || error.get().map(|e| view! { <p class="form-error">{e}</p> })}
            <div class="button-group">
                <button type="submit" class="button" name="conflict" value=format!("{key}:mijn") on:click=keep_mine>"Mijn antwoord bewaren"</button>
                <button type="submit" class="button button--secondary" name="conflict" value=format!("{key}:ander") on:click=take_theirs>"Antwoord van collega nemen"</button>
            </div>
        </div>
    }
}

/// Logging in again without leaving the page, after the session ended.
#[component]
fn LoginAgain(on_done: impl Fn() + Send + Sync + Clone + 'static) -> impl IntoView {
    let login = ServerAction::<crate::api::auth::LoginAgain>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            on_done();
        }
    });
    view! {
        <section class="notice notice--warning" aria-labelledby="opnieuw-inloggen">
            <h2 id="opnieuw-inloggen" class="notice__title">"U bent uitgelogd"</h2>
            <p>"Uw wijzigingen zijn bewaard in deze browser. Log opnieuw in; daarna worden ze opgeslagen."</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <ActionForm action=login>
                <div class="form-field">
                    <label class="form-label" for="opnieuw-email">"E-mailadres"</label>
                    <input class="form-input" id="opnieuw-email" name="email" type="email" autocomplete="username"/>
                </div>
                <div class="form-field">
                    <label class="form-label" for="opnieuw-wachtwoord">"Wachtwoord"</label>
                    <input class="form-input" id="opnieuw-wachtwoord" name="password" type="password" autocomplete="current-password"/>
                </div>
                <button type="submit" class="button">"Inloggen en opslaan"</button>
            </ActionForm>
        </section>
    }
}

/// `/vragenlijst/:id/controleren`: every answer by section with a change link, the problems
/// that block submitting, and the submit button.
#[component]
pub fn CheckAnswersPage() -> impl IntoView {
    let id = param("id");
    let submit = ServerAction::<SubmitResponse>::new();
    let summary = Resource::new(
        move || (id(), submit.version().get()),
        |(id, _)| get_summary(id),
    );
    let submit_error = Signal::derive(move || submit.value().get().and_then(Result::err));
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => view! { <CheckAnswers summary submit submit_error/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CheckAnswers(
    summary: Summary,
    submit: ServerAction<SubmitResponse>,
    submit_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let header = summary.header.clone();
    let id = header.id.clone();
    let editable = header.read_only_reason.is_none();
    let problems = summary.problems.clone();
    let refused = move || submit_error.get();
    let submit_id = id.clone();
    view! {
        <Title text=format!("Antwoorden controleren – {}", header.round_name)/>
        <p class="back-link"><a href=format!("/vragenlijst/{id}")>"Terug naar het overzicht"</a></p>
        <ResponseBanner header=header.clone()/>
        {move || refused().map(|error| match error {
            AppError::Validation(_) => view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2 class="error-summary__title">"De vragenlijst kan nog niet worden ingediend"</h2>
                    <p>"Los de problemen hieronder op en dien daarna opnieuw in."</p>
                </div>
            }.into_any(),
            other => view! { <div class="error-summary" role="alert"><p>{other.to_string()}</p></div> }.into_any(),
        })}
        <h1>"Antwoorden controleren"</h1>
        <p>{format!("{} van {} verplichte vragen beantwoord ({}%).", summary.overall.complete, summary.overall.required, summary.overall.percent_complete())}</p>
        {(!problems.is_empty()).then(|| {
            let id = id.clone();
            view! {
                <div class="problem-list" aria-labelledby="nog-te-doen">
                    <h2 id="nog-te-doen">{format!("Nog te doen voor u kunt indienen ({})", problems.len())}</h2>
                    <ul class="list">
                        {problems.into_iter().map(|(section, key, label, message)| view! {
                            <li><a href=format!("/vragenlijst/{id}/sectie/{section}#vraag-{key}")>{label}</a>{format!(": {message}")}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })}
        {summary.sections.into_iter().map(|section| {
            let id = id.clone();
            let heading_id = format!("sectie-{}", section.key);
            view! {
                <h2 id=heading_id>{section.title.clone()}" "{status_tag(section.status)}</h2>
                <dl class="summary-list summary-list--answers">
                    {section.items.into_iter().map(|item| {
                        let href = format!("/vragenlijst/{id}/sectie/{}#vraag-{}", section.key, item.key);
                        view! {
                            <div class="summary-list__row" class:summary-list__row--error=!item.problems.is_empty()>
                                <dt>{item.label.clone()}</dt>
                                <dd>
                                    {item.answer}
                                    {(!item.problems.is_empty()).then(|| view! { <span class="form-error">{item.problems.join(" ")}</span> })}
                                </dd>
                                {editable.then(|| view! {
                                    <dd class="summary-list__action"><a href=href aria-label=format!("Wijzigen: {}", item.label)>"Wijzigen"</a></dd>
                                })}
                            </div>
                        }
                    }).collect_view()}
                </dl>
            }
        }).collect_view()}
        {editable.then(|| view! {
            <h2>"Indienen"</h2>
            <p>"Na het indienen kunt u de antwoorden niet meer wijzigen. De reviewer kan de vragenlijst zo nodig terugsturen."</p>
            <ActionForm action=submit>
                <input type="hidden" name="response_id" value=submit_id.clone()/>
                <button type="submit" class="button">"Vragenlijst indienen"</button>
            </ActionForm>
        })}
        <p><a href=format!("/vragenlijst/{id}/afdrukken")>"Afdrukversie"</a></p>
    }
}

/// `/vragenlijst/:id/afdrukken`: the whole response on one page, laid out for paper.
#[component]
pub fn PrintPage() -> impl IntoView {
    let id = param("id");
    let summary = Resource::new(id, get_summary);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => {
                        let header = summary.header;
                        view! {
                            <Title text=format!("Afdrukversie – {} – {}", header.region_name, header.round_name)/>
                            <div class="print-page">
                                <p class="no-print"><a href=format!("/vragenlijst/{}", header.id)>"Terug naar het overzicht"</a>
                                    " · Kies in uw browser Afdrukken (of Opslaan als pdf)."</p>
                                <h1>{header.questionnaire_title.clone()}</h1>
                                <p>{format!("{} ({}) · {} · {}", header.region_name, header.region_code, header.round_name, header.status.label())}</p>
                                {header.submitted.clone().map(|(by, at)| view! { <p>{format!("Ingediend op {} door {by}", format_date_time(at))}</p> })}
                                {summary.sections.into_iter().map(|section| view! {
                                    <section class="print-section">
                                        <h2>{section.title}</h2>
                                        <dl class="summary-list">
                                            {section.items.into_iter().map(|item| view! {
                                                <div class="summary-list__row"><dt>{item.label}</dt><dd>{item.answer}</dd></div>
                                            }).collect_view()}
                                        </dl>
                                    </section>
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The confirmation after taking over or confirming answers: "overgenomen-3", "bevestigd-3".
fn prefill_notice(code: &str) -> Option<String> {
    let (kind, count) = code.split_once('-')?;
    let count: usize = count.parse().ok()?;
    let answers = if count == 1 { "antwoord" } else { "antwoorden" };
    match (kind, count) {
        ("overgenomen", 0) => Some("Er waren geen antwoorden van de vorige meting om over te nemen.".to_string()),
        ("overgenomen", n) => Some(format!(
            "{n} {answers} van de vorige meting overgenomen. Controleer ze en bevestig ze; tot dan tellen ze niet als beantwoord."
        )),
        ("bevestigd", n) => Some(format!("{n} overgenomen {answers} bevestigd.")),
        _ => None,
    }
}

/// Taking over the previous round's answers for this section, and confirming them. Plain
/// forms: they work with and without JavaScript.
#[component]
fn PrefillPanel(
    response_id: String,
    section: String,
    round: Option<String>,
    available: usize,
    unconfirmed: usize,
) -> impl IntoView {
    let round = round?;
    if available == 0 && unconfirmed == 0 {
        return None;
    }
    Some(view! {
        <div class="prefill-panel">
            {(available > 0).then(|| view! {
                <form method="post" action="/api/responses/prefill" class="inline-form">
                    <input type="hidden" name="response_id" value=response_id.clone()/>
                    <input type="hidden" name="section" value=section.clone()/>
                    <p>{format!("{available} vragen in deze sectie zijn nog leeg en waren in de {round} beantwoord.")}</p>
                    <button type="submit" class="button button--secondary">"Antwoorden van de vorige meting overnemen"</button>
                </form>
            })}
            {(unconfirmed > 0).then(|| view! {
                <form method="post" action="/api/responses/confirm" class="inline-form">
                    <input type="hidden" name="response_id" value=response_id.clone()/>
                    <input type="hidden" name="section" value=section.clone()/>
                    <p>{format!("{unconfirmed} overgenomen antwoorden wachten op uw bevestiging. Wijzig wat niet meer klopt en bevestig de rest.")}</p>
                    <button type="submit" class="button">"Overgenomen antwoorden bevestigen"</button>
                </form>
            })}
        </div>
    })
}

/// The compared round's answer beside an item, marked when the answer changed since.
#[component]
fn PreviousAnswer(
    previous: Option<String>,
    changed: bool,
    not_compared: Option<String>,
    round: Option<String>,
) -> impl IntoView {
    let round = round?;
    Some(match (previous, not_compared) {
        (_, Some(why)) => view! { <p class="previous-answer previous-answer--none">{why}</p> }.into_any(),
        (Some(text), None) => view! {
            <p class="previous-answer">
                <span class="previous-answer__label">{format!("In de {round}: ")}</span>
                {text}
                {changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
            </p>
        }
        .into_any(),
        (None, None) => view! {
            <p class="previous-answer previous-answer--none">{format!("Niet beantwoord in de {round}.")}</p>
        }
        .into_any(),
    })
}

/// `/vragenlijst/:id/voortgang`: this round's answers beside the compared round's, filterable
/// by section and to changed answers only (a plain GET form, so it works without JavaScript).
#[component]
pub fn ProgressPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let progress = Resource::new(
        move || (id(), query.read().get("met")),
        |(id, compared_with)| get_progress(id, compared_with),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let progress = match progress.await {
                    Ok(progress) => progress,
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let only_section = query.read_untracked().get("sectie").filter(|s| !s.is_empty());
                let only_changed = query.read_untracked().get("gewijzigd").is_some_and(|v| v == "ja");
                let id = progress.header.id.clone();
                let Some(round) = progress.compared_round.clone() else {
                    return view! {
                        <Title text="Vergelijking met de vorige meting"/>
                        <p class="back-link"><a href=format!("/vragenlijst/{id}")>"Terug naar het overzicht"</a></p>
                        <h1>"Vergelijking met de vorige meting"</h1>
                        <p>"Deze meting wordt met geen eerdere meting vergeleken."</p>
                    }.into_any();
                };
                // "vorige meting" when compared with the previous round, else the round's name.
                let compared_label = if progress.comparison_choices.first().map(|c| &c.id) == progress.compared_round_id.as_ref() {
                    "vorige meting".to_string()
                } else {
                    round.clone()
                };
                let comparison_choices = progress.comparison_choices.clone();
                let compared_round_id = progress.compared_round_id.clone();
                                let section_options: Vec<(String, String, bool)> = progress
                    .sections
                    .iter()
                    .map(|s| (s.key.clone(), s.title.clone(), only_section.as_deref() == Some(s.key.as_str())))
                    .collect();
                let indicators: Vec<ProgressItem> = progress
                    .sections
                    .iter()
                    .flat_map(|s| s.items.iter())
                    .filter(|item| item.indicator.is_some())
                    .cloned()
                    .collect();
                let tables = progress
                    .sections
                    .into_iter()
                    .filter(|s| only_section.as_ref().is_none_or(|key| *key == s.key))
                    .filter_map(|section| {
                        let items: Vec<ProgressItem> = section
                            .items
                            .into_iter()
                            .filter(|item| !only_changed || item.changed)
                            .collect();
                        if items.is_empty() {
                            return None;
                        }
                        let round = round.clone();
                        Some(view! {
                            <table class="table progress-table">
                                <caption>{section.title.clone()}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Vraag"</th>
                                        <th scope="col">"Deze meting"</th>
                                        <th scope="col">{round.clone()}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {items.into_iter().map(|item| view! {
                                        <tr class:progress-table__changed=item.changed>
                                            <th scope="row">{item.label.clone()}</th>
                                            <td>
                                                {item.now.clone().unwrap_or_else(|| "Niet beantwoord".to_string())}
                                                {item.changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
                                            </td>
                                            <td>{match (&item.not_compared, &item.before) {
                                                (Some(why), _) => why.clone(),
                                                (None, Some(before)) => before.clone(),
                                                (None, None) => "Niet beantwoord".to_string(),
                                            }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                    })
                    .collect::<Vec<_>>();
                let empty = tables.is_empty();
                view! {
                    <Title text=format!("Vergelijking – {}", progress.header.round_name)/>
                    <p class="back-link"><a href=format!("/vragenlijst/{id}")>"Terug naar het overzicht"</a></p>
                    <ResponseBanner header=progress.header.clone()/>
                    <h1>"Vergelijking met de vorige meting"</h1>
                    <p class="lead">{if progress.compared_answered {
                        format!(
                            "{} van de {} antwoorden die in beide metingen zijn gegeven, zijn anders dan in de {}.",
                            progress.changed_count, progress.compared_count, round
                        )
                    } else {
                        format!("Uw regio heeft in de {round} geen antwoorden gegeven: er is nog niets om mee te vergelijken.")
                    }}</p>
                    {(!indicators.is_empty()).then(|| view! {
                        <h2>"Kernindicatoren"</h2>
                        <ul class="indicator-list">
                            {indicators.into_iter().map(|item| view! {
                                <li>
                                    <strong>{item.indicator.clone().unwrap_or_default()}</strong>
                                    {format!(": {} ({compared_label}: {})",
                                        item.now.clone().unwrap_or_else(|| "nog niet beantwoord".to_string()),
                                        item.not_compared.clone().or(item.before.clone()).unwrap_or_else(|| "niet beantwoord".to_string()))}
                                    {item.changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>"Alle vragen"</h2>
                    })}
                    <form method="get" class="filter-form">
                        <div class="form-field">
                            <label class="form-label" for="filter-sectie">"Sectie"</label>
                            <select class="form-select" id="filter-sectie" name="sectie">
                                <option value="">"Alle secties"</option>
                                {section_options.into_iter().map(|(key, title, selected)| view! {
                                    <option value=key selected=selected>{title}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="form-field checkbox">
                            <input type="checkbox" id="filter-gewijzigd" name="gewijzigd" value="ja" checked=only_changed/>
                            <label for="filter-gewijzigd">"Alleen gewijzigde antwoorden"</label>
                        </div>
                        <crate::pages::national::CompareWith choices=comparison_choices chosen=compared_round_id/>
                        <button type="submit" class="button button--secondary">"Filteren"</button>
                    </form>
                    {if empty {
                        view! { <p>"Geen antwoorden om te tonen met dit filter."</p> }.into_any()
                    } else {
                        tables.into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
