//! One question of a questionnaire, rendered accessibly for its type: a label tied to every
//! input, a fieldset with legend for every group of choices and for matrices, the help text
//! linked with `aria-describedby`, units, and the onbekend / n.v.t. choices where allowed.
//! The preview shows it disabled; the fill-in pages use it with the stored input and its
//! problems.

use crate::components::form::FieldErrors;
use crate::domain::questionnaire::answer::RawAnswer;
use crate::domain::questionnaire::model::{
    fixed_choices as fixed, CellKind, Choice, Item, ItemKind, YES_NO, YES_PARTLY_NO,
};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

/// A question's ids and input names, unique on the page. The section form's script finds
/// the question by them, so they are written only here.
pub fn question_id(key: &str) -> String {
    format!("vraag-{key}")
}

/// The block around a question that is not a group (a group's fieldset has `question_id`).
pub fn block_id(key: &str) -> String {
    format!("{}-blok", question_id(key))
}

pub fn help_id(key: &str) -> String {
    format!("{}-uitleg", question_id(key))
}

/// The question's error messages (`FieldErrors` names them `{id}-fout`).
pub fn error_id(key: &str) -> String {
    format!("{}-fout", question_id(key))
}

/// A long text's character counter.
pub fn counter_id(key: &str) -> String {
    format!("{}-teller", question_id(key))
}

// The input names of an answer (`a.KEY`, a matrix's `a.KEY.ROW`) and of its onbekend /
// n.v.t. choice (`s.KEY`); the server reads them too, so they are the domain's.
pub use crate::domain::response::form_fields::{
    answer_name, cell_name, special_name, ANSWER_PREFIX, SPECIAL_PREFIX,
};

/// The question's warnings (rules that ask to check or explain an answer).
pub fn warning_id(key: &str) -> String {
    format!("{}-waarschuwing", question_id(key))
}

/// What `aria-describedby` of the element with id `vraag-KEY` (a group's fieldset, or the
/// one input) names: the help text and, when there are any, the errors and the warnings; for
/// a long text also its character counter. The section form's script recomputes it as errors
/// and warnings come and go.
pub fn described_by(item: &Item, has_problems: bool, has_warnings: bool) -> Option<String> {
    let mut parts = Vec::new();
    if item.help.is_some() {
        parts.push(help_id(&item.key));
    }
    if has_problems {
        parts.push(error_id(&item.key));
    }
    if has_warnings {
        parts.push(warning_id(&item.key));
    }
    if matches!(item.kind, ItemKind::LongText { .. }) {
        parts.push(counter_id(&item.key));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The counter's attribute with the most characters the text may have, for the section
/// form's script, which counts before the question's definition arrives.
pub const COUNTER_MAX_ATTRIBUTE: &str = "data-max";

/// A long text's character counter. Without JavaScript it states the limit and the length
/// as stored; with it, it follows typing.
pub fn character_count(used: usize, max_length: usize) -> String {
    if used > max_length {
        format!(
            "U hebt {} tekens te veel (maximaal {max_length}).",
            used - max_length
        )
    } else {
        format!("Nog {} van {max_length} tekens over.", max_length - used)
    }
}

/// A group of radio buttons (one answer) or checkboxes (several), each inside its label: the
/// whole line is the target, and the page needs no id per choice (a long section has a
/// hundred of them).
#[component]
fn Choices(
    name: String,
    choices: Vec<Choice>,
    disabled: bool,
    #[prop(optional)] selected: Vec<String>,
    #[prop(optional)] several: bool,
    #[prop(optional)] inline: bool,
) -> impl IntoView {
    let input_type = if several { "checkbox" } else { "radio" };
    view! {
        <div class="choices" class:choices--inline=inline>
            {choices
                .into_iter()
                .map(|choice| {
                    let checked = selected.contains(&choice.code);
                    view! {
                        <label class="choice">
                            <input type=input_type name=name.clone() value=choice.code checked=checked disabled=disabled/>
                            <span>{choice.label}</span>
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The question's own input(s); `described` is for the one input of a type that does not
/// sit in a fieldset.
fn input_for(
    item: &Item,
    value: &RawAnswer,
    described: Signal<Option<String>>,
    disabled: bool,
) -> AnyView {
    let id = question_id(&item.key);
    let name = answer_name(&item.key);
    let selected = value.values.clone();
    let text = value.values.join("\n");
    let number = |inputmode| number_input(item, text.clone(), inputmode, described, disabled);
    match &item.kind {
        ItemKind::YesNo => view! { <Choices name choices=fixed(&YES_NO) disabled selected inline=true/> }.into_any(),
        ItemKind::YesPartlyNo => view! { <Choices name choices=fixed(&YES_PARTLY_NO) disabled selected inline=true/> }.into_any(),
        ItemKind::SingleChoice { options } => view! { <Choices name choices=options.clone() disabled selected/> }.into_any(),
        ItemKind::MultipleChoice { options, .. } => view! { <Choices name choices=options.clone() disabled selected several=true/> }.into_any(),
        ItemKind::Integer { .. } => number("numeric"),
        ItemKind::Decimal { .. } => number("decimal"),
        ItemKind::Percentage { .. } => view! {
            <div class="input-with-unit">
                <input type="text" class="form-input form-input--number" id=id name=name inputmode="decimal"
                    value=text aria-describedby=move || described.get() disabled=disabled/>
                <span class="input-unit">"%"</span>
            </div>
        }
        .into_any(),
        ItemKind::ShortText { max_length } => view! {
            <input type="text" class="form-input" id=id name=name maxlength=*max_length value=text
                aria-describedby=move || described.get() disabled=disabled/>
        }
        .into_any(),
        ItemKind::LongText { max_length } => {
            let counter = character_count(text.chars().count(), *max_length);
            view! {
                <textarea class="form-textarea" id=id name=name rows="5"
                    aria-describedby=move || described.get() disabled=disabled>{text}</textarea>
                <p class="form-hint character-count" id=counter_id(&item.key) aria-live="polite"
                    {..custom_attribute(COUNTER_MAX_ATTRIBUTE, max_length.to_string())}>{counter}</p>
            }
            .into_any()
        }
        ItemKind::Date { min, max } => view! {
            <input type="date" class="form-input form-input--date" id=id name=name min=min.clone() max=max.clone()
                value=text aria-describedby=move || described.get() disabled=disabled/>
        }
        .into_any(),
        ItemKind::Scale { min_label, max_label } => {
            let choices = scale_choices(min_label.as_deref(), max_label.as_deref());
            view! { <Choices name choices disabled selected inline=true/> }.into_any()
        }
        ItemKind::Matrix { rows, cell } => matrix_table(item, rows, cell, value, disabled),
        ItemKind::Ranking { options, rank } => ranking_selects(item, options, *rank, &selected, disabled),
    }
}

/// A number's text input, with the item's unit after it.
fn number_input(
    item: &Item,
    text: String,
    inputmode: &'static str,
    described: Signal<Option<String>>,
    disabled: bool,
) -> AnyView {
    view! {
        <div class="input-with-unit">
            <input type="text" class="form-input form-input--number" id=question_id(&item.key) name=answer_name(&item.key)
                value=text inputmode=inputmode aria-describedby=move || described.get() disabled=disabled/>
            {item.unit.clone().map(|unit| view! { <span class="input-unit">{unit}</span> })}
        </div>
    }
    .into_any()
}

/// A scale's five choices, the ends labelled where the item names them.
fn scale_choices(min_label: Option<&str>, max_label: Option<&str>) -> Vec<Choice> {
    (1..=5)
        .map(|n| Choice {
            code: n.to_string(),
            label: match (n, min_label, max_label) {
                (1, Some(label), _) => format!("1 – {label}"),
                (5, _, Some(label)) => format!("5 – {label}"),
                _ => n.to_string(),
            },
        })
        .collect()
}

/// A matrix: a row per row of the item, a radio button per column, or one number per row.
fn matrix_table(
    item: &Item,
    rows: &[Choice],
    cell: &CellKind,
    value: &RawAnswer,
    disabled: bool,
) -> AnyView {
    let columns: Option<Vec<Choice>> = match cell {
        CellKind::YesNo => Some(fixed(&YES_NO)),
        CellKind::YesPartlyNo => Some(fixed(&YES_PARTLY_NO)),
        CellKind::SingleChoice { options } => Some(options.clone()),
        CellKind::Integer { .. } => None,
    };
    let header = match &columns {
        Some(columns) => columns.iter().map(|c| view! { <th scope="col">{c.label.clone()}</th> }).collect_view().into_any(),
        None => view! { <th scope="col">{item.unit.clone().unwrap_or_else(|| "Aantal".to_string())}</th> }.into_any(),
    };
    let body = rows
        .iter()
        .map(|row| {
            let cell_value = value.rows.get(&row.code).cloned().unwrap_or_default();
            let cells = matrix_cells(
                cell_name(&item.key, &row.code),
                &row.label,
                cell_value,
                columns.as_deref(),
                disabled,
            );
            view! { <tr><th scope="row">{row.label.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=format!("Tabel: {}", item.label)>
            <table class="matrix">
                <thead><tr><td></td>{header}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One matrix row's cells: a labelled radio button per column, or one number.
fn matrix_cells(
    cell_name: String,
    row_label: &str,
    cell_value: String,
    columns: Option<&[Choice]>,
    disabled: bool,
) -> AnyView {
    match columns {
        Some(columns) => columns
            .iter()
            .map(|c| {
                let label = format!("{row_label}: {}", c.label);
                view! {
                    <td><input type="radio" class="choice__input" name=cell_name.clone() value=c.code.clone()
                        checked=cell_value == c.code aria-label=label disabled=disabled/></td>
                }
            })
            .collect_view()
            .into_any(),
        None => view! {
            <td><input type="text" class="form-input form-input--number" name=cell_name inputmode="numeric"
                value=cell_value aria-label=row_label.to_string() disabled=disabled/></td>
        }
        .into_any(),
    }
}

/// A ranking: a select per place, each offering every option.
fn ranking_selects(
    item: &Item,
    options: &[Choice],
    rank: usize,
    selected: &[String],
    disabled: bool,
) -> AnyView {
    let name = answer_name(&item.key);
    (1..=rank)
        .map(|place| {
            let select_id = format!("{}-{place}", question_id(&item.key));
            let options = options.to_vec();
            let chosen = selected.get(place - 1).cloned().unwrap_or_default();
            view! {
                <div class="form-field form-field--compact">
                    <label class="form-label" for=select_id.clone()>{format!("{place}e plaats")}</label>
                    <select class="form-select" id=select_id name=name.clone() disabled=disabled>
                        <option value="">"— kies —"</option>
                        {options.into_iter().map(|o| {
                            let is_chosen = o.code == chosen;
                            view! { <option value=o.code selected=is_chosen>{o.label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// Types whose inputs form a group and so sit in a fieldset with a legend.
pub fn is_group(kind: &ItemKind) -> bool {
    matches!(
        kind,
        ItemKind::YesNo
            | ItemKind::YesPartlyNo
            | ItemKind::SingleChoice { .. }
            | ItemKind::MultipleChoice { .. }
            | ItemKind::Scale { .. }
            | ItemKind::Matrix { .. }
            | ItemKind::Ranking { .. }
    )
}

/// The onbekend / n.v.t. choices, where the item allows them.
fn special_choices(item: &Item, value: &RawAnswer, disabled: bool) -> Option<AnyView> {
    let mut choices = Vec::new();
    if item.allow_unknown {
        choices.push(Choice {
            code: "onbekend".into(),
            label: "Onbekend".into(),
        });
    }
    if item.allow_not_applicable {
        choices.push(Choice {
            code: "nvt".into(),
            label: "Niet van toepassing".into(),
        });
    }
    (!choices.is_empty()).then(|| {
        let name = special_name(&item.key);
        let selected: Vec<String> = value.special.iter().cloned().collect();
        view! {
            <div class="special-answers">
                <p class="special-answers__intro">"Of:"</p>
                <Choices name choices disabled selected several=true/>
            </div>
        }
        .into_any()
    })
}

/// One question. `value` is the stored input; `problems` (reactive) are shown above the
/// inputs and linked to them, `warnings` below them (linked too); `hidden` hides the question
/// while a condition says it does not apply; `children` follow the inputs (the save status,
/// a conflict).
#[component]
pub fn Question(
    item: Item,
    #[prop(optional)] disabled: bool,
    #[prop(optional)] value: RawAnswer,
    #[prop(optional, into)] problems: Signal<Vec<String>>,
    #[prop(optional)] warnings: Vec<String>,
    #[prop(optional, into)] hidden: Signal<bool>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let id = question_id(&item.key);
    let required = item
        .required
        .then_some(view! { <span class="required">" (verplicht)"</span> });
    let optional =
        (!item.required).then_some(view! { <span class="optional">" (optioneel)"</span> });
    let help = item
        .help
        .clone()
        .map(|help| view! { <p class="form-hint" id=help_id(&item.key)>{help}</p> });
    let has_problems = move || !problems.get().is_empty();
    let errors = view! { <FieldErrors id=id.clone() messages=problems/> };
    // The group or input is described by its help text and, when there are any, its errors.
    let group = is_group(&item.kind);
    let has_warnings = !warnings.is_empty();
    let described = {
        let item = item.clone();
        move || described_by(&item, has_problems(), has_warnings)
    };
    // Always there, so that the section form's script can fill it as warnings appear.
    let warnings = view! {
        <div class="warning-text" id=warning_id(&item.key) hidden=!has_warnings>
            {has_warnings.then(|| view! { <span class="visually-hidden">"Let op: "</span>{warnings.join(" ")} })}
        </div>
    };
    let input_described = if group {
        Signal::stored(None)
    } else {
        Signal::derive(described.clone())
    };
    let input = input_for(&item, &value, input_described, disabled);
    let special = special_choices(&item, &value, disabled);
    let extra = children.map(|children| children());
    if group {
        view! {
            <fieldset class="question" class:question--error=has_problems id=id tabindex="-1"
                aria-describedby=described hidden=move || hidden.get()>
                <legend class="question__legend">{item.label.clone()}{required}{optional}</legend>
                {help}
                {errors}
                {input}
                {special}
                {warnings}
                {extra}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <div class="question" class:question--error=has_problems id=block_id(&item.key) hidden=move || hidden.get()>
                <label class="question__legend" for=id>{item.label.clone()}{required}{optional}</label>
                {help}
                {errors}
                {input}
                {special}
                {warnings}
                {extra}
            </div>
        }
        .into_any()
    }
}
