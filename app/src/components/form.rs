//! Accessible form parts (GOV.UK / NL Design System patterns): a label tied to every input,
//! hint and error texts linked with `aria-describedby`, and an error summary at the top that
//! links to each field.

use crate::error::AppError;
use leptos::prelude::*;

/// The id of the input for a field name, shared by the field and the error summary.
pub fn field_id(name: &str) -> String {
    format!("veld-{}", name.replace('_', "-"))
}

/// Human names of fields, for the error summary.
fn field_label(name: &str) -> &str {
    match name {
        "email" => "E-mailadres",
        "password" => "Wachtwoord",
        "display_name" => "Naam",
        "role" => "Rol",
        "region_code" | "reopen_region" => "Regio",
        "name" => "Naam",
        "questionnaire" => "Vragenlijstversie",
        "opens_at" => "Openingsdatum",
        "deadline" => "Deadline",
        "compared_round_id" => "Vergelijken met",
        "regions" => "Deelnemende regio's",
        "reason" | "reopen_reason" => "Reden",
        "conclusions" => "Conclusies",
        "note" => "Toelichting bij de correctie",
        "agreed_with" => "Afgestemd met",
        "agreed_on" => "Datum van de afstemming",
        "advised_region" => "Regio als regioadviseur",
        "programme" => "Programma",
        "new_programme" => "Programmacode",
        other => other,
    }
}

/// The list of problems at the top of a form. Shown only when there is an error.
#[component]
pub fn ErrorSummary(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Distinguishes summaries when a page has more than one form.
    #[prop(default = "foutmelding")]
    id: &'static str,
) -> impl IntoView {
    let title_id = format!("{id}-titel");
    move || {
        let title_id = title_id.clone();
        error.get().map(|error| {
            let items = match &error {
                AppError::Validation(fields) => fields
                    .iter()
                    .flat_map(|(name, messages)| {
                        let href = format!("#{}", field_id(name));
                        let label = field_label(name).to_string();
                        messages.iter().map(move |message| {
                            view! {
                                <li>
                                    // Followed by the browser, which focuses the field.
                                    <a href=href.clone() rel="external">
                                        <span class="visually-hidden">{format!("{label}: ")}</span>
                                        {message.clone()}
                                    </a>
                                </li>
                            }
                        })
                    })
                    .collect_view()
                    .into_any(),
                other => view! { <li>{other.to_string()}</li> }.into_any(),
            };
            let labelled_by = title_id.clone();
            view! {
                <div
                    class="error-summary"
                    role="alert"
                    aria-labelledby=labelled_by
                    tabindex="-1"
                >
                    <h2 id=title_id class="error-summary__title">
                        "Er is een probleem"
                    </h2>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    }
}

/// The messages for one field of the current error.
fn messages_for(error: Signal<Option<AppError>>, name: &'static str) -> Memo<Vec<String>> {
    Memo::new(move |_| {
        error
            .get()
            .map(|error| error.messages_for(name))
            .unwrap_or_default()
    })
}

/// The `aria-describedby` value of an input: its hint, and its errors when there are any.
fn described_by(
    id: &str,
    hint: &'static str,
    messages: Memo<Vec<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + Clone + 'static {
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-fout"));
    move || {
        let mut ids = Vec::new();
        if !hint.is_empty() {
            ids.push(hint_id.clone());
        }
        if !messages.get().is_empty() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// Label, hint and error messages around one input.
#[component]
fn FieldFrame(
    id: String,
    label: &'static str,
    hint: &'static str,
    messages: Memo<Vec<String>>,
    children: Children,
) -> impl IntoView {
    let has_error = move || !messages.get().is_empty();
    view! {
        <div class="form-field" class:form-field--error=has_error>
            <label class="form-label" for=id.clone()>
                {label}
            </label>
            {(!hint.is_empty())
                .then(|| view! { <p class="form-hint" id=format!("{id}-hint")>{hint}</p> })}
            <FieldErrors id=id.clone() messages/>
            {children()}
        </div>
    }
}

/// The error messages of one field or question, when it has any; `id` is the field's, the
/// messages get `{id}-fout` for `aria-describedby`.
#[component]
pub fn FieldErrors(id: String, #[prop(into)] messages: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <Show when=move || !messages.get().is_empty()>
            <p class="form-error" id=format!("{id}-fout")>
                {move || {
                    messages
                        .get()
                        .into_iter()
                        .map(|message| {
                            view! {
                                <span class="form-error__message">
                                    <span class="visually-hidden">"Fout: "</span>
                                    {message}
                                </span>
                            }
                        })
                        .collect_view()
                }}
            </p>
        </Show>
    }
}

/// Checkboxes in a fieldset, all checked to begin with, posting the checked values as
/// `name[]`; with a hint and the group's error messages.
#[component]
pub fn CheckboxGroup(
    legend: &'static str,
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// (value, label) per checkbox.
    options: Vec<(String, String)>,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let id = field_id(name);
    let messages = messages_for(error, name);
    let described_by = described_by(&id, hint, messages);
    let has_error = move || !messages.get().is_empty();
    view! {
        <div class="form-field" class:form-field--error=has_error>
            // The error summary links here, so it takes focus.
            <fieldset class="form-fieldset" id=id.clone() tabindex="-1" aria-describedby=described_by>
                <legend class="form-label">{legend}</legend>
                {(!hint.is_empty())
                    .then(|| view! { <p class="form-hint" id=format!("{id}-hint")>{hint}</p> })}
                <FieldErrors id=id.clone() messages/>
                <div class="checkbox-columns">
                    {options
                        .into_iter()
                        .enumerate()
                        .map(|(position, (value, label))| {
                            let input_id = format!("{id}-{position}");
                            view! {
                                <div class="checkbox">
                                    <input type="checkbox" id=input_id.clone() name=format!("{name}[]") value=value checked=true/>
                                    <label for=input_id>{label}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// A labelled text area with optional hint and its error messages.
#[component]
pub fn TextAreaField(
    label: &'static str,
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(default = 8)] rows: usize,
    /// The text the field starts with.
    #[prop(optional, into)]
    value: String,
) -> impl IntoView {
    let id = field_id(name);
    let messages = messages_for(error, name);
    let described_by = described_by(&id, hint, messages);
    view! {
        <FieldFrame id=id.clone() label hint messages>
            <textarea
                class="form-textarea"
                id=id
                name=name
                rows=rows
                required=required
                maxlength=maxlength
                aria-describedby=described_by
                aria-invalid=move || (!messages.get().is_empty()).then_some("true")
            >
                {value}
            </textarea>
        </FieldFrame>
    }
}

/// A labelled text input with optional hint and its error messages.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    /// The value the field starts with (an edit form).
    #[prop(optional, into)]
    value: Option<String>,
    /// The keyboard a phone shows (`numeric` for codes).
    #[prop(optional)]
    inputmode: &'static str,
) -> impl IntoView {
    let id = field_id(name);
    let messages = messages_for(error, name);
    let described_by = described_by(&id, hint, messages);
    view! {
        <FieldFrame id=id.clone() label hint messages>
            <input
                class="form-input"
                id=id
                name=name
                type=input_type
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                maxlength=maxlength
                value=value
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                aria-describedby=described_by
                aria-invalid=move || (!messages.get().is_empty()).then_some("true")
            />
        </FieldFrame>
    }
}

/// A labelled select with its options (value, label) and error messages.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional)] hint: &'static str,
    /// The option chosen at first (an edit form); otherwise the first.
    #[prop(optional, into)]
    selected: Option<String>,
) -> impl IntoView {
    let id = field_id(name);
    let messages = messages_for(error, name);
    let described_by = described_by(&id, hint, messages);
    view! {
        <FieldFrame id=id.clone() label hint messages>
            <select
                class="form-select"
                id=id
                name=name
                aria-describedby=described_by
                aria-invalid=move || (!messages.get().is_empty()).then_some("true")
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(value, label)| {
                            let chosen = selected.as_deref() == Some(value.as_str());
                            view! { <option value=value selected=chosen>{label}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </FieldFrame>
    }
}
