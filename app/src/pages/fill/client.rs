//! The section form in the browser. The server renders the whole section as HTML that works
//! without JavaScript; this script takes the form over: each answer saves itself shortly
//! after it changes, with its status beside it and for the page; conditions apply as the
//! person types; changes not yet acknowledged are kept in the browser (a session that ended
//! loses nothing: log in again in place and they are sent); a colleague's conflicting answer
//! is shown beside one's own.
//!
//! It works on the page's elements directly instead of rendering views: the markup is the
//! server's (`SectionMarkup`), and this keeps the WebAssembly coordinators download small.
//! The state lives in one `Page`; every change to it is followed by painting the parts of the
//! page it touches.

use super::definition::{self, Conditions};
use super::pending;
use super::section::{last_saved_text, ConflictTexts, CONFLICT_STATUS, PAGE_CONFLICT_STATUS};
use crate::api::responses::{resolve_conflict, save_answers, SectionFormData};
use crate::components::question::{character_count, described_by, is_group};
use crate::domain::questionnaire::answer::{parse_answer, RawAnswer};
use crate::domain::questionnaire::completeness::{evaluate, ItemStatus, ResponseAnswers};
use crate::domain::questionnaire::model::{Item, ItemKind};
use crate::domain::response::{AnswerInput, ConflictInfo, SaveOutcome};
use crate::error::AppError;
use leptos::prelude::{document, set_timeout, set_timeout_with_handle, window, TimeoutHandle};
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlFormElement};

/// Where a question's save stands, as shown and announced beside it.
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
    fn unsent(&self) -> bool {
        matches!(
            self,
            SaveState::Changed | SaveState::Saving | SaveState::Failed(_)
        )
    }
}

fn clock(at: i64) -> String {
    super::section::session_end_text(at)
}

/// One question on the page.
struct Field {
    item: Item,
    version: i64,
    problems: Vec<String>,
    hidden: bool,
    save: SaveState,
    conflict: Option<ConflictInfo>,
    /// Who saved the stored answer, and when (shown while nothing changed).
    saved: Option<(String, i64)>,
    /// Bumped on every change, so a save that finishes after a newer change does not mark
    /// the question saved.
    edits: u64,
    retries: u32,
    /// A save of this answer is on its way; `again` asks for one more when it is back.
    in_flight: bool,
    again: bool,
    /// The pending save after a pause in typing.
    timer: Option<TimeoutHandle>,
}

/// The section page's state in the browser.
struct Page {
    response_id: String,
    editable: bool,
    next_page: String,
    /// The questionnaire's conditions, once its file has arrived (`definition::fetch`); until
    /// then, and if it never does, the questions shown are those the server decided.
    conditions: RefCell<Option<Conditions>>,
    /// The engine's view of the answers, updated as the person types.
    answers: RefCell<ResponseAnswers>,
    fields: RefCell<Vec<Field>>,
    form: HtmlFormElement,
    /// When the last save of this page succeeded.
    saved_at: Cell<Option<i64>>,
    /// The session's idle limit: warned about before it ends, moved on by every answer.
    session: Option<Rc<super::session::SessionClock>>,
}

/// Takes over the section form on the page with the data the page carries.
pub fn start(data: &str) {
    let Some(data) = SectionFormData::from_page_data(data) else {
        show_unreadable();
        return;
    };
    let Some(form) = document()
        .query_selector("form.section-form")
        .ok()
        .flatten()
        .and_then(|form| form.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let page = Rc::new(Page {
        conditions: RefCell::new(None),
        answers: RefCell::new(ResponseAnswers {
            current: data.answers,
            previous: data.previous_answers,
            ..ResponseAnswers::default()
        }),
        fields: RefCell::new(
            data.fields
                .into_iter()
                .map(|field| Field {
                    save: if field.conflict.is_some() {
                        SaveState::Conflict
                    } else {
                        SaveState::Idle
                    },
                    item: field.item,
                    version: field.version,
                    problems: field.problems,
                    hidden: field.hidden,
                    conflict: field.conflict,
                    saved: field.saved,
                    edits: 0,
                    retries: 0,
                    in_flight: false,
                    again: false,
                    timer: None,
                })
                .collect(),
        ),
        response_id: data.response_id,
        editable: data.editable,
        next_page: data.next_page,
        form,
        saved_at: Cell::new(None),
        session: super::session::SessionClock::start(),
    });
    if !page.editable {
        return;
    }
    // The form works at once; the live conditions follow when the questionnaire is here.
    page.listen();
    page.replay();
    let loading = page.clone();
    spawn_local(async move {
        match definition::fetch(&data.questionnaire_url).await {
            Some(conditions) => {
                *loading.conditions.borrow_mut() = Some(conditions);
                loading.apply_conditions();
                loading.paint_page();
            }
            None => definition::show_not_loaded(),
        }
    });
}

/// The page's data did not read: say so above the form, which still posts without the script.
fn show_unreadable() {
    if let Ok(Some(summary)) = document().query_selector("[data-foutoverzicht]") {
        let message = element("p", "error-text");
        message.set_text_content(Some(
            "De gegevens van deze sectie zijn niet te lezen. Laad de pagina opnieuw.",
        ));
        let _ = summary.append_child(&message);
    }
}

/// Listens to `kind` events on `target` for the life of the page.
fn on(target: &web_sys::EventTarget, kind: &str, handler: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    handler.forget();
}

fn element(tag: &str, class: &str) -> Element {
    let element = document()
        .create_element(tag)
        .expect("the document creates elements");
    if !class.is_empty() {
        let _ = element.set_attribute("class", class);
    }
    element
}

fn text_element(tag: &str, class: &str, text: &str) -> Element {
    let element = element(tag, class);
    element.set_text_content(Some(text));
    element
}

fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

/// The element that holds one question: the fieldset of a group, else the block around the
/// label and input.
fn question_element(item: &Item) -> Option<Element> {
    if is_group(&item.kind) {
        by_id(&format!("vraag-{}", item.key))
    } else {
        by_id(&format!("vraag-{}-blok", item.key))
    }
}

/// The item key a form control belongs to: `a.KEY`, `a.KEY.ROW` or `s.KEY`.
fn key_of(name: &str) -> Option<&str> {
    let rest = name
        .strip_prefix("a.")
        .or_else(|| name.strip_prefix("s."))?;
    Some(rest.split('.').next().unwrap_or(rest))
}

/// The name of the form control an event happened on.
fn control_name(target: &web_sys::EventTarget) -> Option<String> {
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        Some(input.name())
    } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        Some(select.name())
    } else {
        target
            .dyn_ref::<web_sys::HtmlTextAreaElement>()
            .map(|area| area.name())
    }
}

impl Page {
    fn listen(self: &Rc<Self>) {
        let form: &web_sys::EventTarget = self.form.as_ref();
        let page = self.clone();
        on(form, "input", move |ev| page.changed(&ev, false));
        let page = self.clone();
        on(form, "change", move |ev| page.changed(&ev, true));
        let page = self.clone();
        on(form, "submit", move |ev| {
            ev.prevent_default();
            let next = ev
                .dyn_ref::<web_sys::SubmitEvent>()
                .and_then(|ev| ev.submitter())
                .and_then(|button| button.get_attribute("value"))
                .is_some_and(|value| value == "volgende");
            let keys = page.keys();
            page.send(keys, next.then(|| page.next_page.clone()));
        });
        // The buttons of conflict panels, the server's and those made here.
        let page = self.clone();
        on(form, "click", move |ev| {
            let Some(button) = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("button[name=conflict]").ok().flatten())
            else {
                return;
            };
            let value = button.get_attribute("value").unwrap_or_default();
            if let Some((key, keep)) = value.rsplit_once(':') {
                ev.prevent_default();
                page.resolve(key.to_string(), keep.to_string());
            }
        });
        if let Ok(Some(status)) = document().query_selector(".page-save-status") {
            let page = self.clone();
            on(&status, "click", move |ev| {
                let retry = ev
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .is_some_and(|t| t.tag_name() == "BUTTON");
                if retry {
                    let failed = page.keys_where(|f| matches!(f.save, SaveState::Failed(_)));
                    page.send(failed, None);
                }
            });
        }
        if let Some(login) = by_id("opnieuw-inloggen-blok")
            .and_then(|panel| panel.query_selector("form").ok().flatten())
        {
            let page = self.clone();
            on(&login, "submit", move |ev| {
                ev.prevent_default();
                page.log_in_again();
            });
        }
        // Leaving with unsent changes asks first.
        let page = self.clone();
        on(window().as_ref(), "beforeunload", move |ev| {
            // Not while the state is being changed (a reload from within a change).
            let unsent = page
                .fields
                .try_borrow()
                .is_ok_and(|fields| fields.iter().any(|f| f.save.unsent()));
            if unsent {
                ev.prevent_default();
                if let Some(ev) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                    ev.set_return_value("U hebt wijzigingen die nog niet zijn opgeslagen.");
                }
            }
        });
    }

    fn keys(&self) -> Vec<String> {
        self.keys_where(|_| true)
    }

    fn keys_where(&self, keep: impl Fn(&Field) -> bool) -> Vec<String> {
        self.fields
            .borrow()
            .iter()
            .filter(|f| keep(f))
            .map(|f| f.item.key.clone())
            .collect()
    }

    /// Runs `change` on the question `key`, then shows the question as it is now.
    fn update<R>(&self, key: &str, change: impl FnOnce(&mut Field) -> R) -> Option<R> {
        let result = {
            let mut fields = self.fields.borrow_mut();
            let field = fields.iter_mut().find(|f| f.item.key == key)?;
            change(field)
        };
        self.paint_field(key);
        Some(result)
    }

    fn item(&self, key: &str) -> Option<Item> {
        self.fields
            .borrow()
            .iter()
            .find(|f| f.item.key == key)
            .map(|f| f.item.clone())
    }

    /// A control of the form changed: instant feedback with the rules the server applies,
    /// the change kept in the browser at once, and a save once typing pauses.
    fn changed(self: &Rc<Self>, ev: &Event, immediate: bool) {
        let Some(name) = ev.target().as_ref().and_then(control_name) else {
            return;
        };
        let Some(key) = key_of(&name).map(str::to_string) else {
            return;
        };
        let Some(item) = self.item(&key) else { return };
        let raw = read_raw(&self.form, &item);
        if let ItemKind::LongText { max_length } = item.kind {
            if let Some(counter) = by_id(&format!("vraag-{key}-teller")) {
                let used = raw.values.first().map_or(0, |text| text.chars().count());
                counter.set_text_content(Some(&character_count(used, max_length)));
            }
        }
        let parsed = parse_answer(&item, &raw);
        let valid = parsed.is_ok();
        {
            let mut answers = self.answers.borrow_mut();
            answers.current.remove(&key);
            answers.invalid.remove(&key);
            match parsed {
                Ok(Some(answer)) => {
                    answers.current.insert(key.clone(), answer);
                }
                Ok(None) => {}
                Err(_) => {
                    answers.invalid.insert(key.clone());
                }
            }
        }
        // The save goes out once typing pauses; a newer change replaces the waiting one.
        let delay = if immediate { 300 } else { 900 };
        let timer = set_timeout_with_handle(
            {
                let (page, key) = (self.clone(), key.clone());
                move || page.send(vec![key], None)
            },
            Duration::from_millis(delay),
        )
        .ok();
        let version = self.update(&key, |field| {
            field.edits += 1;
            if field.save != SaveState::Conflict {
                field.save = SaveState::Changed;
            }
            if valid {
                field.problems.clear();
            }
            if let Some(old) = std::mem::replace(&mut field.timer, timer) {
                old.clear();
            }
            field.version
        });
        let Some(version) = version else { return };
        self.apply_conditions();
        // Kept in the browser at once: leaving the page before the save goes out loses nothing.
        pending::keep(
            &self.response_id,
            &AnswerInput {
                key,
                raw: raw.normalized(),
                base_version: version,
            },
        );
        self.paint_page();
    }

    /// Applies the conditions to the answers as they are in the form now.
    fn apply_conditions(&self) {
        let evaluation = {
            let conditions = self.conditions.borrow();
            let Some(conditions) = conditions.as_ref() else {
                return;
            };
            evaluate(
                &conditions.questionnaire,
                &conditions.index,
                &self.answers.borrow(),
            )
        };
        let changed: Vec<String> = {
            let mut fields = self.fields.borrow_mut();
            fields
                .iter_mut()
                .filter_map(|field| {
                    let hidden = evaluation
                        .items
                        .get(&field.item.key)
                        .is_some_and(|s| s.status == ItemStatus::Hidden);
                    (field.hidden != hidden).then(|| {
                        field.hidden = hidden;
                        field.item.key.clone()
                    })
                })
                .collect()
        };
        for key in changed {
            self.paint_field(&key);
        }
    }

    /// Sends the given answers in one request and shows each outcome beside its question;
    /// goes to `then` once all are saved.
    fn send(self: &Rc<Self>, keys: Vec<String>, then: Option<String>) {
        let mut inputs = Vec::new();
        let mut edits = Vec::new();
        for key in keys {
            let prepared = {
                let mut fields = self.fields.borrow_mut();
                let Some(field) = fields.iter_mut().find(|f| f.item.key == key) else {
                    continue;
                };
                if let Some(timer) = field.timer.take() {
                    timer.clear();
                }
                if field.hidden {
                    // Not asked any more: nothing to save, nothing pending.
                    field.save = SaveState::Idle;
                    None
                } else if field.conflict.is_some() {
                    continue;
                } else if field.in_flight {
                    // One save per answer at a time, so the next one is based on its result.
                    field.again = true;
                    continue;
                } else {
                    field.in_flight = true;
                    field.save = SaveState::Saving;
                    edits.push(field.edits);
                    Some(AnswerInput {
                        key: key.clone(),
                        raw: read_raw(&self.form, &field.item).normalized(),
                        base_version: field.version,
                    })
                }
            };
            match prepared {
                Some(input) => {
                    pending::keep(&self.response_id, &input);
                    inputs.push(input);
                }
                None => pending::drop_key(&self.response_id, &key),
            }
            self.paint_field(&key);
        }
        self.paint_page();
        if inputs.is_empty() {
            if let Some(target) = then {
                let _ = window().location().set_href(&target);
            }
            return;
        }
        let page = self.clone();
        spawn_local(async move {
            let result = save_answers(page.response_id.clone(), inputs.clone()).await;
            let all_saved = page.saved(inputs, edits, result);
            if all_saved {
                if let Some(target) = then {
                    let _ = window().location().set_href(&target);
                }
            }
        });
    }

    /// Shows what became of a request's saves; `true` when every one was saved.
    fn saved(
        self: &Rc<Self>,
        inputs: Vec<AnswerInput>,
        edits: Vec<u64>,
        result: Result<Vec<SaveOutcome>, AppError>,
    ) -> bool {
        let mut again = Vec::new();
        for input in &inputs {
            self.update(&input.key, |field| {
                field.in_flight = false;
                if std::mem::take(&mut field.again) {
                    again.push(input.key.clone());
                }
            });
        }
        let mut all_saved = true;
        match result {
            Ok(outcomes) => {
                self.session_touched();
                self.show_logged_out(false);
                for ((input, outcome), edit) in inputs.iter().zip(outcomes).zip(edits) {
                    pending::forget(&self.response_id, &input.key, input);
                    if let SaveOutcome::Saved { saved_at, .. } = &outcome {
                        self.saved_at.set(Some(*saved_at));
                    }
                    all_saved &= !matches!(outcome, SaveOutcome::Conflict(_));
                    self.update(&input.key, |field| {
                        let newer_edit = field.edits != edit;
                        field.retries = 0;
                        match outcome {
                            SaveOutcome::Saved {
                                version,
                                saved_at,
                                problems,
                            } => {
                                field.version = version;
                                field.problems = problems;
                                if !newer_edit {
                                    field.save = SaveState::Saved(saved_at);
                                }
                            }
                            SaveOutcome::Unchanged { version, saved_at } => {
                                field.version = version;
                                // The server holds what the person typed: say when it was saved.
                                if !newer_edit {
                                    field.save = if field.edits > 0 && saved_at > 0 {
                                        SaveState::Saved(saved_at)
                                    } else {
                                        SaveState::Idle
                                    };
                                }
                            }
                            SaveOutcome::Conflict(info) => {
                                field.conflict = Some(info);
                                field.save = SaveState::Conflict;
                            }
                        }
                    });
                }
            }
            Err(error) => {
                all_saved = false;
                let why = match &error {
                    AppError::Unauthorized => {
                        self.show_logged_out(true);
                        "u bent uitgelogd. Log opnieuw in; uw wijziging blijft bewaard.".to_string()
                    }
                    AppError::Validation(problems) => {
                        for (key, messages) in problems {
                            self.update(key, |field| field.problems = messages.clone());
                        }
                        "controleer het antwoord.".to_string()
                    }
                    AppError::Conflict(message) | AppError::BadRequest(message) => message.clone(),
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
                    let attempt = self.update(&input.key, |field| {
                        field.save = SaveState::Failed(why.clone());
                        let attempt = field.retries.min(5);
                        field.retries = attempt + 1;
                        attempt
                    });
                    if let (true, Some(attempt)) = (retry, attempt) {
                        self.retry_later(input.key.clone(), attempt);
                    }
                }
            }
        }
        if !again.is_empty() {
            self.send(again, None);
        }
        self.paint_page();
        all_saved
    }

    /// Tries a failed save again after a pause that grows with each failure.
    fn retry_later(self: &Rc<Self>, key: String, attempt: u32) {
        let delay = [2, 5, 10, 20, 30, 60][attempt as usize];
        let page = self.clone();
        set_timeout(
            move || {
                let failed = page
                    .fields
                    .borrow()
                    .iter()
                    .any(|f| f.item.key == key && matches!(f.save, SaveState::Failed(_)));
                if failed {
                    page.send(vec![key], None);
                }
            },
            Duration::from_secs(delay),
        );
    }

    /// Changes kept in the browser (the session ended before they were sent) go out again:
    /// this section's back into the form, the others straight to the server.
    fn replay(self: &Rc<Self>) {
        let mut here = Vec::new();
        let mut elsewhere = Vec::new();
        for (key, input) in pending::all(&self.response_id) {
            let known = self.update(&key, |field| {
                write_raw(&self.form, &field.item, &input.raw);
                field.version = input.base_version;
                field.save = SaveState::Changed;
            });
            match known {
                Some(()) => here.push(key),
                None => elsewhere.push(input),
            }
        }
        if !here.is_empty() {
            self.send(here, None);
        }
        if !elsewhere.is_empty() {
            let response_id = self.response_id.clone();
            spawn_local(async move {
                if let Ok(outcomes) = save_answers(response_id.clone(), elsewhere.clone()).await {
                    for (input, _) in elsewhere.iter().zip(outcomes) {
                        pending::forget(&response_id, &input.key, input);
                    }
                }
            });
        }
    }

    /// The person chose in a conflict panel: `keep` is "mijn" or "ander".
    fn resolve(self: &Rc<Self>, key: String, keep: String) {
        let page = self.clone();
        spawn_local(async move {
            let result = resolve_conflict(page.response_id.clone(), key.clone(), keep).await;
            let mut failure = None;
            let mut reload = false;
            page.update(&key, |field| match result {
                Ok(Some(SaveOutcome::Saved {
                    version,
                    saved_at,
                    problems,
                })) => {
                    field.version = version;
                    field.problems = problems;
                    field.save = SaveState::Saved(saved_at);
                    field.conflict = None;
                }
                Ok(Some(SaveOutcome::Unchanged { version, .. })) => {
                    field.version = version;
                    field.save = SaveState::Idle;
                    field.conflict = None;
                }
                Ok(Some(SaveOutcome::Conflict(info))) => field.conflict = Some(info),
                // The colleague's answer stays: show it as a reload would.
                Ok(None) => {
                    field.save = SaveState::Idle;
                    reload = true;
                }
                Err(error) => failure = Some(error.to_string()),
            });
            if reload {
                let _ = window().location().reload();
                return;
            }
            if let Some(message) = failure {
                let panel = document()
                    .query_selector(&format!("[data-conflict=\"{key}\"]"))
                    .ok()
                    .flatten();
                if let Some(panel) = panel {
                    set_message(&panel, &message, ".button-group");
                }
            }
            page.paint_page();
        });
    }

    /// Sends the in-place login form; once logged in, the kept changes go out.
    fn log_in_again(self: &Rc<Self>) {
        let value = |id: &str| {
            by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|input| input.value())
                .unwrap_or_default()
        };
        let (email, password) = (value("opnieuw-email"), value("opnieuw-wachtwoord"));
        let page = self.clone();
        spawn_local(async move {
            match crate::api::auth::login_again(email, password).await {
                Ok(_) => {
                    page.session_touched();
                    page.show_logged_out(false);
                    page.replay();
                }
                Err(error) => {
                    if let Some(form) = by_id("opnieuw-inloggen-blok")
                        .and_then(|panel| panel.query_selector("form").ok().flatten())
                    {
                        set_message(&form, &error.to_string(), ".form-field");
                    }
                }
            }
        });
    }

    /// The server answered this session: its idle limit starts again.
    fn session_touched(&self) {
        if let Some(session) = &self.session {
            session.touched();
        }
    }

    fn show_logged_out(&self, logged_out: bool) {
        if let Some(panel) = by_id("opnieuw-inloggen-blok") {
            if logged_out {
                let _ = panel.remove_attribute("hidden");
            } else {
                let _ = panel.set_attribute("hidden", "");
            }
        }
    }

    /// Shows one question as its state says: version, errors, visibility, status, conflict.
    fn paint_field(&self, key: &str) {
        let fields = self.fields.borrow();
        let Some(field) = fields.iter().find(|f| f.item.key == key) else {
            return;
        };
        let Some(question) = question_element(&field.item) else {
            return;
        };
        let find = |selector: &str| question.query_selector(selector).ok().flatten();
        if let Some(version) = find(&format!("input[name=\"v.{key}\"]"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            version.set_value(&field.version.to_string());
        }
        if field.hidden {
            let _ = question.set_attribute("hidden", "");
        } else {
            let _ = question.remove_attribute("hidden");
        }
        paint_problems(&question, &field.item, &field.problems);
        if field.edits > 0 {
            if let Some(tag) = find(".tag--prefilled") {
                tag.remove();
            }
        }
        if let Some(status) = find(".field-status") {
            let text = match &field.save {
                SaveState::Idle => last_saved_text(&field.saved),
                SaveState::Changed => "Niet opgeslagen wijziging".to_string(),
                SaveState::Saving => "Bezig met opslaan…".to_string(),
                SaveState::Saved(at) => format!("Opgeslagen om {}", clock(*at)),
                SaveState::Failed(why) => format!("Niet opgeslagen – {why}"),
                SaveState::Conflict => CONFLICT_STATUS.to_string(),
            };
            if status.text_content().as_deref() != Some(text.as_str()) {
                status.set_text_content(Some(&text));
            }
            let panel = find("[data-conflict]");
            match (&field.conflict, panel) {
                (Some(conflict), None) => {
                    let _ = status.after_with_node_1(&conflict_panel(&field.item, conflict));
                }
                (Some(conflict), Some(panel)) => {
                    let _ = panel.replace_with_with_node_1(&conflict_panel(&field.item, conflict));
                }
                (None, Some(panel)) => panel.remove(),
                (None, None) => {}
            }
        }
    }

    /// Shows the page's save status and the error summary.
    fn paint_page(&self) {
        let fields = self.fields.borrow();
        if let Ok(Some(status)) = document().query_selector(".page-save-status") {
            let failed = fields
                .iter()
                .any(|f| matches!(f.save, SaveState::Failed(_)));
            let (class, text) = if failed {
                (
                    "save-status save-status--failed",
                    "Niet alles is opgeslagen – zie de vragen hieronder.".to_string(),
                )
            } else if fields.iter().any(|f| f.save == SaveState::Conflict) {
                (
                    "save-status save-status--failed",
                    PAGE_CONFLICT_STATUS.to_string(),
                )
            } else if fields
                .iter()
                .any(|f| matches!(f.save, SaveState::Changed | SaveState::Saving))
            {
                ("save-status", "Wijzigingen worden opgeslagen…".to_string())
            } else if let Some(at) = self.saved_at.get() {
                (
                    "save-status save-status--saved",
                    format!("Alle wijzigingen zijn opgeslagen om {}.", clock(at)),
                )
            } else {
                ("", String::new())
            };
            let shown = status.text_content().unwrap_or_default();
            let wanted = if failed {
                format!("{text} Opnieuw proberen")
            } else {
                text.clone()
            };
            if shown != wanted {
                status.set_text_content(None);
                if !text.is_empty() {
                    let _ = status.append_child(&text_element("span", class, &text));
                }
                if failed {
                    let _ = status.append_with_str_1(" ");
                    let button =
                        text_element("button", "button button--secondary", "Opnieuw proberen");
                    let _ = button.set_attribute("type", "button");
                    let _ = status.append_child(&button);
                }
            }
        }
        if let Ok(Some(summary)) = document().query_selector("[data-foutoverzicht]") {
            let problems: Vec<(String, String)> = fields
                .iter()
                .filter(|f| !f.hidden && !f.problems.is_empty())
                .map(|f| {
                    (
                        f.item.key.clone(),
                        format!("{}: {}", f.item.label, f.problems.join(" ")),
                    )
                })
                .collect();
            let shown: Vec<String> = summary
                .query_selector_all("li")
                .map(|list| {
                    (0..list.length())
                        .filter_map(|n| list.item(n)?.text_content())
                        .collect()
                })
                .unwrap_or_default();
            if shown.iter().ne(problems.iter().map(|(_, text)| text)) {
                summary.set_text_content(None);
                if !problems.is_empty() {
                    let _ = summary.append_child(&error_summary(&problems));
                }
            }
        }
    }
}

/// A question's error messages, its error style and what describes it.
fn paint_problems(question: &Element, item: &Item, problems: &[String]) {
    let error_id = format!("vraag-{}-fout", item.key);
    let old = by_id(&error_id);
    if problems.is_empty() {
        if let Some(old) = old {
            old.remove();
        }
    } else {
        let errors = element("p", "form-error");
        errors.set_id(&error_id);
        for problem in problems {
            let message = element("span", "form-error__message");
            let _ = message.append_child(&text_element("span", "visually-hidden", "Fout: "));
            let _ = message.append_with_str_1(problem);
            let _ = errors.append_child(&message);
        }
        match old {
            Some(old) => {
                let _ = old.replace_with_with_node_1(&errors);
            }
            None => {
                // After the label and help text, before the inputs.
                let help = by_id(&format!("vraag-{}-uitleg", item.key));
                let anchor = help.or_else(|| question.first_element_child());
                if let Some(anchor) = anchor {
                    let _ = anchor.after_with_node_1(&errors);
                }
            }
        }
    }
    let _ = question
        .class_list()
        .toggle_with_force("question--error", !problems.is_empty());
    if let Some(described) = by_id(&format!("vraag-{}", item.key)) {
        match described_by(item, !problems.is_empty()) {
            Some(ids) => {
                let _ = described.set_attribute("aria-describedby", &ids);
            }
            None => {
                let _ = described.remove_attribute("aria-describedby");
            }
        }
    }
}

/// The error summary: every shown question with a problem, linked to it.
fn error_summary(problems: &[(String, String)]) -> Element {
    let summary = element("div", "error-summary");
    let _ = summary.set_attribute("role", "alert");
    let _ = summary.set_attribute("aria-labelledby", "fouten-titel");
    let _ = summary.set_attribute("tabindex", "-1");
    let title = text_element("h2", "error-summary__title", "Er is een probleem");
    title.set_id("fouten-titel");
    let _ = summary.append_child(&title);
    let list = element("ul", "error-summary__list");
    for (key, text) in problems {
        let link = text_element("a", "", text);
        let _ = link.set_attribute("href", &format!("#vraag-{key}"));
        let _ = link.set_attribute("rel", "external");
        let item = element("li", "");
        let _ = item.append_child(&link);
        let _ = list.append_child(&item);
    }
    let _ = summary.append_child(&list);
    summary
}

/// A conflict panel as the server renders it (`ConflictPanel`).
fn conflict_panel(item: &Item, conflict: &ConflictInfo) -> Element {
    let texts = ConflictTexts::new(item, conflict);
    let panel = element("div", "conflict");
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute("data-conflict", &conflict.key);
    let _ = panel.append_child(&text_element("h3", "conflict__title", ConflictTexts::TITLE));
    let _ = panel.append_child(&text_element("p", "", &texts.intro));
    let list = element("dl", "summary-list");
    for (label, answer) in [
        (ConflictTexts::MINE, texts.mine.as_str()),
        (texts.theirs_label.as_str(), texts.theirs.as_str()),
    ] {
        let row = element("div", "summary-list__row");
        let _ = row.append_child(&text_element("dt", "", label));
        let _ = row.append_child(&text_element("dd", "", answer));
        let _ = list.append_child(&row);
    }
    let _ = panel.append_child(&list);
    let buttons = element("div", "button-group");
    for (class, keep, label) in [
        ("button", "mijn", ConflictTexts::KEEP_MINE),
        (
            "button button--secondary",
            "ander",
            ConflictTexts::TAKE_THEIRS,
        ),
    ] {
        let button = text_element("button", class, label);
        let _ = button.set_attribute("type", "submit");
        let _ = button.set_attribute("name", "conflict");
        let _ = button.set_attribute("value", &format!("{}:{keep}", conflict.key));
        let _ = buttons.append_child(&button);
    }
    let _ = panel.append_child(&buttons);
    panel
}

/// Shows `message` as an error in `container`, before its first `before` element.
fn set_message(container: &Element, message: &str, before: &str) {
    if let Ok(Some(old)) = container.query_selector(":scope > .form-error") {
        old.remove();
    }
    let error = text_element("p", "form-error", message);
    let _ = error.set_attribute("role", "alert");
    match container.query_selector(before).ok().flatten() {
        Some(anchor) => {
            let _ = anchor.before_with_node_1(&error);
        }
        None => {
            let _ = container.append_child(&error);
        }
    }
}

/// What the form holds for one item now.
fn read_raw(form: &HtmlFormElement, item: &Item) -> RawAnswer {
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
fn write_raw(form: &HtmlFormElement, item: &Item, raw: &RawAnswer) {
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
