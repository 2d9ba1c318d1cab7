//! Sending answers, what the server answered, trying again, conflicts and logging in again.

use super::*;

impl Page {
    /// Sends the given answers in one request and shows each outcome beside its question;
    /// goes to `then` once all are saved.
    pub(super) fn send(self: &Rc<Self>, keys: Vec<String>, then: Option<String>) {
        let mut inputs = Vec::new();
        let mut edits = Vec::new();
        for key in keys {
            let prepared = {
                let mut fields = self.fields.borrow_mut();
                let Some(field) = fields.iter_mut().find(|f| f.key == key) else {
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
                        raw: read_raw(&self.form, &key).normalized(),
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
    pub(super) fn saved(
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
        let all_saved = match result {
            Ok(outcomes) => {
                self.refresh_inputs();
                self.show_outcomes(&inputs, outcomes, edits)
            }
            Err(error) => {
                self.show_failure(&inputs, &error);
                false
            }
        };
        if !again.is_empty() {
            self.send(again, None);
        }
        self.paint_page();
        all_saved
    }

    /// Takes the server's stored answers of what the section's rules read (a colleague may
    /// have changed one elsewhere), keeps this page's own questions as the form holds them,
    /// and evaluates the rules again: the server's state wins over the page's.
    fn refresh_inputs(self: &Rc<Self>) {
        if self.conditions.borrow().is_none() {
            return;
        }
        let page = self.clone();
        spawn_local(async move {
            let request = get_form_inputs(page.response_id.clone(), page.section.clone());
            let Ok(inputs) = request.await else {
                return;
            };
            {
                let fields = page.fields.borrow();
                let own = |key: &String| fields.iter().any(|f| &f.key == key);
                let mut answers = page.answers.borrow_mut();
                answers.current.retain(|key, _| own(key));
                answers.invalid.retain(|key| own(key));
                let elsewhere = inputs.answers.into_iter().filter(|(key, _)| !own(key));
                answers.current.extend(elsewhere);
                answers.previous = inputs.previous_answers;
            }
            page.apply_rules();
            page.paint_page();
        });
    }

    /// The server answered each save: saved, unchanged or in conflict. `true` when none
    /// met a conflict.
    fn show_outcomes(
        self: &Rc<Self>,
        inputs: &[AnswerInput],
        outcomes: Vec<SaveOutcome>,
        edits: Vec<u64>,
    ) -> bool {
        self.session_touched();
        self.show_logged_out(false);
        let mut all_saved = true;
        for ((input, outcome), edit) in inputs.iter().zip(outcomes).zip(edits) {
            pending::forget(&self.response_id, &input.key, input);
            if let SaveOutcome::Saved { saved_at, .. } = &outcome {
                self.saved_at.set(Some(*saved_at));
            }
            all_saved &= !matches!(outcome, SaveOutcome::Conflict(_));
            self.update(&input.key, |field| {
                let newer_edit = field.edits != edit;
                field.retries = 0;
                apply_outcome(field, outcome, newer_edit);
            });
        }
        all_saved
    }

    /// The request failed as a whole: say why beside each answer, and try again later when
    /// trying again can help.
    fn show_failure(self: &Rc<Self>, inputs: &[AnswerInput], error: &AppError) {
        let why = match error {
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
        for input in inputs {
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

    /// Tries a failed save again after a pause that grows with each failure.
    pub(super) fn retry_later(self: &Rc<Self>, key: String, attempt: u32) {
        let delay = [2, 5, 10, 20, 30, 60][attempt as usize];
        let page = self.clone();
        set_timeout(
            move || {
                let failed = page
                    .fields
                    .borrow()
                    .iter()
                    .any(|f| f.key == key && matches!(f.save, SaveState::Failed(_)));
                if failed {
                    page.send(vec![key], None);
                }
            },
            Duration::from_secs(delay),
        );
    }

    /// Changes kept in the browser (the session ended before they were sent) go out again:
    /// this section's back into the form, the others straight to the server.
    pub(super) fn replay(self: &Rc<Self>) {
        let mut here = Vec::new();
        let mut elsewhere = Vec::new();
        for (key, input) in pending::all(&self.response_id) {
            let known = self.update(&key, |field| {
                write_raw(&self.form, &key, &input.raw);
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

    /// "Klopt nog": confirms the taken-over answer to `key` unchanged, in place. A refusal
    /// is said beside the button, which stays.
    pub(super) fn confirm(self: &Rc<Self>, key: String) {
        let page = self.clone();
        spawn_local(async move {
            match confirm_answer(page.response_id.clone(), key.clone()).await {
                Ok(_) => {
                    page.update(&key, |field| {
                        field.confirmed = true;
                        field.save = SaveState::Saved(js_sys::Date::now() as i64);
                    });
                    page.paint_field(&key);
                    page.paint_page();
                    announce("Het overgenomen antwoord is bevestigd.");
                }
                Err(error) => {
                    let block = question_element(&key).and_then(|question| {
                        question
                            .query_selector(&format!(".{PREFILLED_BLOCK_CLASS}"))
                            .ok()
                            .flatten()
                    });
                    if let Some(block) = block {
                        let text = format!("Niet bevestigd – {error}");
                        set_message(&block, &text, "button");
                    }
                }
            }
        });
    }

    /// The person chose in a conflict panel: `keep` is "mijn" or "ander".
    pub(super) fn resolve(self: &Rc<Self>, key: String, keep: String) {
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
                    .query_selector(&format!("[{CONFLICT_ATTRIBUTE}=\"{key}\"]"))
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
    pub(super) fn log_in_again(self: &Rc<Self>) {
        let value = |id: &str| {
            by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|input| input.value())
                .unwrap_or_default()
        };
        let (email, password) = (value(LOGIN_AGAIN_EMAIL_ID), value(LOGIN_AGAIN_PASSWORD_ID));
        let code = Some(value(LOGIN_AGAIN_CODE_ID)).filter(|code| !code.trim().is_empty());
        let page = self.clone();
        spawn_local(async move {
            match crate::api::auth::login_again(email, password, code).await {
                Ok(_) => {
                    page.session_touched();
                    page.show_logged_out(false);
                    page.replay();
                }
                Err(error) => {
                    if let Some(form) = by_id(LOGIN_AGAIN_ID)
                        .and_then(|panel| panel.query_selector("form").ok().flatten())
                    {
                        set_message(&form, &error.to_string(), ".form-field");
                    }
                }
            }
        });
    }

    /// The server answered this session: its idle limit starts again.
    pub(super) fn session_touched(&self) {
        if let Some(session) = &self.session {
            session.touched();
        }
    }

    pub(super) fn show_logged_out(&self, logged_out: bool) {
        if let Some(panel) = by_id(LOGIN_AGAIN_ID) {
            if logged_out {
                let _ = panel.remove_attribute("hidden");
            } else {
                let _ = panel.set_attribute("hidden", "");
            }
        }
    }
}

/// A question's state after the server answered its save; `newer_edit` when the person
/// changed it again meanwhile, so it is not marked saved.
fn apply_outcome(field: &mut Field, outcome: SaveOutcome, newer_edit: bool) {
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
}
