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

/// The element that holds one question: the block around the label and input, else (a
/// group, which has no block) its fieldset.
pub(super) fn question_element(key: &str) -> Option<Element> {
    by_id(&block_id(key)).or_else(|| by_id(&question_id(key)))
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

/// What the form holds for one item now, read from the names of its controls (`a.KEY`,
/// a matrix's `a.KEY.ROW`, `s.KEY`), so it needs no definition: the same as the server
/// reads from the form posted without JavaScript.
pub(super) fn read_raw(form: &HtmlFormElement, key: &str) -> RawAnswer {
    let mut raw = RawAnswer::default();
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        return raw;
    };
    let answer = answer_name(key);
    let special = special_name(key);
    let cell_prefix = cell_name(key, "");
    for name in control_names(form) {
        let strings: Vec<String> = data
            .get_all(&name)
            .iter()
            .filter_map(|value| value.as_string())
            .collect();
        if name == answer {
            raw.values = strings;
        } else if name == special {
            raw.special = strings.into_iter().last();
        } else if let Some(row) = name.strip_prefix(&cell_prefix) {
            if let Some(value) = strings.into_iter().last() {
                raw.rows.insert(row.to_string(), value);
            }
        }
    }
    raw
}

/// The distinct names of the form's controls, in the order of the page.
fn control_names(form: &HtmlFormElement) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let Ok(controls) = form.query_selector_all("[name]") else {
        return names;
    };
    for n in 0..controls.length() {
        let Some(control) = controls.item(n) else {
            continue;
        };
        let name = control_name(control.as_ref()).unwrap_or_default();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Puts an input back into the form (changes kept in the browser while logged out).
pub(super) fn write_raw(form: &HtmlFormElement, key: &str, raw: &RawAnswer) {
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
    let cell_prefix = cell_name(key, "");
    for name in control_names(form) {
        if let Some(row) = name.strip_prefix(&cell_prefix) {
            let value: Vec<String> = raw.rows.get(row).cloned().into_iter().collect();
            set(&name, &value);
        }
    }
    set(&answer_name(key), &raw.values);
    let special: Vec<String> = raw.special.iter().cloned().collect();
    set(&special_name(key), &special);
}
