//! The page's elements: finding them, making them, and reading and writing a question's input.

use super::*;

/// Listens to `kind` events on `target` for the life of the page.
pub(super) fn on(target: &web_sys::EventTarget, kind: &str, handler: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    handler.forget();
}

pub(super) fn element(tag: &str, class: &str) -> Element {
    let element = document()
        .create_element(tag)
        .expect("the document creates elements");
    if !class.is_empty() {
        let _ = element.set_attribute("class", class);
    }
    element
}

pub(super) fn text_element(tag: &str, class: &str, text: &str) -> Element {
    let element = element(tag, class);
    element.set_text_content(Some(text));
    element
}

pub(super) fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

/// The element that holds one question: the fieldset of a group, else the block around the
/// label and input.
pub(super) fn question_element(item: &Item) -> Option<Element> {
    if is_group(&item.kind) {
        by_id(&question_id(&item.key))
    } else {
        by_id(&block_id(&item.key))
    }
}

/// The item key a form control belongs to: `a.KEY`, `a.KEY.ROW` or `s.KEY`.
pub(super) fn key_of(name: &str) -> Option<&str> {
    let rest = name
        .strip_prefix(ANSWER_PREFIX)
        .or_else(|| name.strip_prefix(SPECIAL_PREFIX))?;
    Some(rest.split('.').next().unwrap_or(rest))
}

/// The name of the form control an event happened on.
pub(super) fn control_name(target: &web_sys::EventTarget) -> Option<String> {
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

/// What the form holds for one item now.
pub(super) fn read_raw(form: &HtmlFormElement, item: &Item) -> RawAnswer {
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
            if let Some(value) = strings(&cell_name(&item.key, &row.code)).pop() {
                raw.rows.insert(row.code.clone(), value);
            }
        }
    } else {
        raw.values = strings(&answer_name(&item.key));
    }
    raw.special = strings(&special_name(&item.key)).pop();
    raw
}

/// Puts an input back into the form (changes kept in the browser while logged out).
pub(super) fn write_raw(form: &HtmlFormElement, item: &Item, raw: &RawAnswer) {
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
            set(&cell_name(&item.key, &row.code), &value);
        }
    } else {
        set(&answer_name(&item.key), &raw.values);
    }
    let special: Vec<String> = raw.special.iter().cloned().collect();
    set(&special_name(&item.key), &special);
}
