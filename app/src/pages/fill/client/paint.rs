//! Painting the page from its state: each question, the page's status and the error summary.

use super::*;

impl Page {
    /// Shows one question as its state says: version, errors, visibility, status, conflict.
    pub(super) fn paint_field(&self, key: &str) {
        let fields = self.fields.borrow();
        let Some(field) = fields.iter().find(|f| f.key == key) else {
            return;
        };
        let Some(question) = question_element(key) else {
            return;
        };
        let find = |selector: &str| question.query_selector(selector).ok().flatten();
        if let Some(version) = find(&format!("input[name=\"{}\"]", version_name(key)))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            version.set_value(&field.version.to_string());
        }
        if field.hidden {
            let _ = question.set_attribute("hidden", "");
        } else {
            let _ = question.remove_attribute("hidden");
        }
        let errors: Vec<String> = field.errors().cloned().collect();
        paint_problems(&question, key, &errors, &field.rules.warnings);
        // A changed answer is no longer the one taken over; a confirmed one is confirmed.
        if field.edits > 0 || field.confirmed {
            if let Some(block) = find(&format!(".{PREFILLED_BLOCK_CLASS}")) {
                block.remove();
            }
        }
        if let Some(status) = find(&format!(".{FIELD_STATUS_CLASS}")) {
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
            let panel = find(&format!("[{CONFLICT_ATTRIBUTE}]"));
            let item = field.conflict.as_ref().and_then(|_| self.item(key));
            match (&field.conflict, panel) {
                (Some(conflict), None) => {
                    let _ = status.after_with_node_1(&conflict_panel(item.as_ref(), conflict));
                }
                (Some(conflict), Some(panel)) => {
                    let _ =
                        panel.replace_with_with_node_1(&conflict_panel(item.as_ref(), conflict));
                }
                (None, Some(panel)) => panel.remove(),
                (None, None) => {}
            }
        }
    }

    /// Shows the page's save status and the error summary.
    pub(super) fn paint_page(&self) {
        let fields = self.fields.borrow();
        if let Ok(Some(status)) = document().query_selector(&format!(".{PAGE_STATUS_CLASS}")) {
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
        if let Ok(Some(summary)) = document().query_selector(&format!("[{SUMMARY_BOX_ATTRIBUTE}]"))
        {
            let problems: Vec<(String, String)> = fields
                .iter()
                .filter(|f| !f.hidden && f.errors().next().is_some())
                .map(|f| {
                    let errors: Vec<&str> = f.errors().map(String::as_str).collect();
                    (f.key.clone(), format!("{}: {}", f.label, errors.join(" ")))
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
/// A question's error messages, its error style, its warnings and what describes it.
pub(super) fn paint_problems(
    question: &Element,
    key: &str,
    problems: &[String],
    warnings: &[String],
) {
    paint_warnings(key, warnings);
    let error_id = error_id(key);
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
                let help = by_id(&help_id(key));
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
    if let Some(described) = by_id(&question_id(key)) {
        match described_by(key, !problems.is_empty(), !warnings.is_empty()) {
            Some(ids) => {
                let _ = described.set_attribute("aria-describedby", &ids);
            }
            None => {
                let _ = described.remove_attribute("aria-describedby");
            }
        }
    }
}

/// What `aria-describedby` of the question's fieldset or input names, as `described_by` of
/// `components::question` does on the server, from the page: the help text and the
/// character counter where the page has them, the errors and warnings where there are some.
fn described_by(key: &str, has_problems: bool, has_warnings: bool) -> Option<String> {
    let mut parts = Vec::new();
    if by_id(&help_id(key)).is_some() {
        parts.push(help_id(key));
    }
    if has_problems {
        parts.push(error_id(key));
    }
    if has_warnings {
        parts.push(warning_id(key));
    }
    if by_id(&counter_id(key)).is_some() {
        parts.push(counter_id(key));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A question's warnings, in the block the server renders for them (`Question`).
fn paint_warnings(key: &str, warnings: &[String]) {
    let Some(block) = by_id(&warning_id(key)) else {
        return;
    };
    let text = warnings.join(" ");
    let shown = block.text_content().unwrap_or_default();
    if shown.strip_prefix("Let op: ").unwrap_or(&shown) == text {
        return;
    }
    block.set_text_content(None);
    if warnings.is_empty() {
        let _ = block.set_attribute("hidden", "");
    } else {
        let _ = block.append_child(&text_element("span", "visually-hidden", "Let op: "));
        let _ = block.append_with_str_1(&text);
        let _ = block.remove_attribute("hidden");
    }
}

/// Says `text` through the page's polite live region, once.
pub(super) fn announce(text: &str) {
    if let Some(region) = by_id(RULES_ANNOUNCER_ID) {
        region.set_text_content(Some(text));
    }
}

/// The error summary: every shown question with a problem, linked to it.
pub(super) fn error_summary(problems: &[(String, String)]) -> Element {
    let summary = element("div", "error-summary");
    let _ = summary.set_attribute("role", "alert");
    let _ = summary.set_attribute("aria-labelledby", SUMMARY_TITLE_ID);
    let _ = summary.set_attribute("tabindex", "-1");
    let title = text_element("h2", "error-summary__title", "Er is een probleem");
    title.set_id(SUMMARY_TITLE_ID);
    let _ = summary.append_child(&title);
    let list = element("ul", "error-summary__list");
    for (key, text) in problems {
        let link = text_element("a", "", text);
        let _ = link.set_attribute("href", &format!("#{}", question_id(key)));
        let _ = link.set_attribute("rel", "external");
        let item = element("li", "");
        let _ = item.append_child(&link);
        let _ = list.append_child(&item);
    }
    let _ = summary.append_child(&list);
    summary
}

/// A conflict panel as the server renders it (`ConflictPanel`); without the question's
/// definition (the questionnaire has not arrived) both answers are shown as typed.
pub(super) fn conflict_panel(item: Option<&Item>, conflict: &ConflictInfo) -> Element {
    let texts = ConflictTexts::new(item, conflict);
    let panel = element("div", "conflict");
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute(CONFLICT_ATTRIBUTE, &conflict.key);
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
        let _ = button.set_attribute("name", CONFLICT_FIELD);
        let _ = button.set_attribute("value", &format!("{}:{keep}", conflict.key));
        let _ = buttons.append_child(&button);
    }
    let _ = panel.append_child(&buttons);
    panel
}

/// Shows `message` as an error in `container`, before its first `before` element.
pub(super) fn set_message(container: &Element, message: &str, before: &str) {
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
