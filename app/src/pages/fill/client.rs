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
use super::section::names::*;
use super::section::panels::ConflictTexts;
use super::section::{last_saved_text, CONFLICT_STATUS, PAGE_CONFLICT_STATUS};
use crate::api::responses::{
    confirm_answer, get_form_inputs, resolve_conflict, save_answers, SectionFormData,
};
use crate::components::question::{
    answer_name, block_id, cell_name, character_count, counter_id, error_id, help_id, question_id,
    special_name, warning_id, ANSWER_PREFIX, COUNTER_MAX_ATTRIBUTE, SPECIAL_PREFIX,
};
use crate::domain::attribution::Attribution;
use crate::domain::questionnaire::answer::{parse_answer, RawAnswer};
use crate::domain::questionnaire::completeness::{evaluate, ItemStatus, ResponseAnswers};
use crate::domain::questionnaire::model::Item;
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

mod dom;
mod paint;
mod saving;

use dom::*;
use paint::*;

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
    super::section::panels::session_end_text(at)
}

/// One question on the page. Its definition is the questionnaire's (`Page::item`), which
/// arrives after the page: the form reads and saves answers without it.
struct Field {
    key: String,
    /// The question as messages name it.
    label: String,
    version: i64,
    /// Why the input is not a valid answer.
    problems: Vec<String>,
    /// The blocking rules and warnings the answers break now.
    rules: RuleMessages,
    /// A taken-over answer confirmed unchanged on this page ("Klopt nog").
    confirmed: bool,
    hidden: bool,
    save: SaveState,
    conflict: Option<ConflictInfo>,
    /// Who saved the stored answer, and when (shown while nothing changed).
    saved: Option<Attribution>,
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

impl Field {
    /// What keeps the answer from being submitted: invalid input and broken blocking rules.
    fn errors(&self) -> impl Iterator<Item = &String> {
        self.problems.iter().chain(&self.rules.blocking)
    }
}

/// The section page's state in the browser.
struct Page {
    response_id: String,
    section: String,
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
        .query_selector(&format!("form.{FORM_CLASS}"))
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
                    key: field.key,
                    label: field.label,
                    version: field.version,
                    problems: field.problems,
                    rules: RuleMessages {
                        blocking: field.blocking,
                        warnings: field.warnings,
                    },
                    confirmed: false,
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
        section: data.section,
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
                loading.check_changed_inputs();
                loading.apply_rules();
                loading.paint_page();
            }
            None => definition::show_not_loaded(),
        }
    });
}

/// The value of the button named `name` that a click landed in (or on), if it did.
fn clicked_button_value(ev: &Event, name: &str) -> Option<String> {
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let button = target.closest(&format!("button[name={name}]")).ok()??;
    Some(button.get_attribute("value").unwrap_or_default())
}

/// The page's data did not read: say so above the form, which still posts without the script.
fn show_unreadable() {
    if let Ok(Some(summary)) = document().query_selector(&format!("[{SUMMARY_BOX_ATTRIBUTE}]")) {
        let message = element("p", "error-text");
        message.set_text_content(Some(
            "De gegevens van deze sectie zijn niet te lezen. Laad de pagina opnieuw.",
        ));
        let _ = summary.append_child(&message);
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
                .is_some_and(|value| value == ACTION_NEXT);
            let keys = page.keys();
            page.send(keys, next.then(|| page.next_page.clone()));
        });
        // "Klopt nog" on a taken-over answer: confirmed in place, the form stays as typed.
        let page = self.clone();
        on(form, "click", move |ev| {
            if let Some(value) = clicked_button_value(&ev, CONFIRM_FIELD) {
                ev.prevent_default();
                page.confirm(value);
            }
        });
        // The buttons of conflict panels, the server's and those made here.
        let page = self.clone();
        on(form, "click", move |ev| {
            let Some(value) = clicked_button_value(&ev, CONFLICT_FIELD) else {
                return;
            };
            if let Some((key, keep)) = value.rsplit_once(':') {
                ev.prevent_default();
                page.resolve(key.to_string(), keep.to_string());
            }
        });
        if let Ok(Some(status)) = document().query_selector(&format!(".{PAGE_STATUS_CLASS}")) {
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
        if let Some(login) =
            by_id(LOGIN_AGAIN_ID).and_then(|panel| panel.query_selector("form").ok().flatten())
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
            .map(|f| f.key.clone())
            .collect()
    }

    /// Runs `change` on the question `key`, then shows the question as it is now.
    fn update<R>(&self, key: &str, change: impl FnOnce(&mut Field) -> R) -> Option<R> {
        let result = {
            let mut fields = self.fields.borrow_mut();
            let field = fields.iter_mut().find(|f| f.key == key)?;
            change(field)
        };
        self.paint_field(key);
        Some(result)
    }

    /// The question's definition, once the questionnaire has arrived.
    fn item(&self, key: &str) -> Option<Item> {
        let conditions = self.conditions.borrow();
        conditions.as_ref()?.questionnaire.item(key).cloned()
    }

    /// Reads `key`'s input as the form holds it now, counts a long text's characters and,
    /// once the questionnaire is here, checks the input as the server would and gives it to
    /// the conditions. `true` when the input is a valid answer.
    fn read_input(&self, key: &str) -> (RawAnswer, bool) {
        let raw = read_raw(&self.form, key);
        if let Some(counter) = by_id(&counter_id(key)) {
            let max_length = counter
                .get_attribute(COUNTER_MAX_ATTRIBUTE)
                .and_then(|max| max.parse().ok());
            if let Some(max_length) = max_length {
                let used = raw.values.first().map_or(0, |text| text.chars().count());
                counter.set_text_content(Some(&character_count(used, max_length)));
            }
        }
        let Some(item) = self.item(key) else {
            return (raw, false);
        };
        let parsed = parse_answer(&item, &raw);
        self.answers.borrow_mut().set_input(key, &parsed);
        let valid = parsed.is_ok();
        (raw, valid)
    }

    /// The questionnaire arrived: what was typed before it did is checked now, and counts
    /// for the conditions.
    fn check_changed_inputs(&self) {
        for key in self.keys_where(|field| field.edits > 0) {
            let (_, valid) = self.read_input(&key);
            if valid {
                if let Some(field) = self.fields.borrow_mut().iter_mut().find(|f| f.key == key) {
                    field.problems.clear();
                }
            }
            self.paint_field(&key);
        }
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
        if !self.fields.borrow().iter().any(|f| f.key == key) {
            return;
        }
        let (raw, valid) = self.read_input(&key);
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
        self.apply_rules();
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

    /// Applies the conditions and rules to the answers as they are in the form now, with the
    /// evaluator the server uses: questions appear and disappear, and the messages of broken
    /// blocking rules and warnings come and go beside them, announced politely.
    fn apply_rules(&self) {
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
        let mut changed = Vec::new();
        let mut appeared = Vec::new();
        for field in self.fields.borrow_mut().iter_mut() {
            let Some(state) = evaluation.items.get(&field.key) else {
                continue;
            };
            let hidden = state.status == ItemStatus::Hidden;
            let rules = RuleMessages {
                blocking: state.blocking.clone(),
                warnings: state.warnings.clone(),
            };
            if field.hidden == hidden && field.rules == rules {
                continue;
            }
            if !hidden {
                appeared.extend(
                    rules
                        .new_since(&field.rules)
                        .map(|message| format!("{}: {message}", field.label)),
                );
            }
            field.hidden = hidden;
            field.rules = rules;
            changed.push(field.key.clone());
        }
        for key in changed {
            self.paint_field(&key);
        }
        if !appeared.is_empty() {
            announce(&appeared.join(" "));
        }
    }
}

/// The blocking rules and warnings a question breaks.
#[derive(Debug, Clone, Default, PartialEq)]
struct RuleMessages {
    blocking: Vec<String>,
    warnings: Vec<String>,
}

impl RuleMessages {
    /// The messages here that `before` did not have.
    fn new_since<'a>(&'a self, before: &'a RuleMessages) -> impl Iterator<Item = &'a String> {
        let blocking = self
            .blocking
            .iter()
            .filter(|m| !before.blocking.contains(m));
        let warnings = self
            .warnings
            .iter()
            .filter(|m| !before.warnings.contains(m));
        blocking.chain(warnings)
    }
}
