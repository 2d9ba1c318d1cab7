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
use leptos::prelude::*;

/// Ids for an item's parts, unique on the page.
fn ids(key: &str) -> (String, String) {
    (format!("vraag-{key}"), format!("vraag-{key}-uitleg"))
}

/// What `aria-describedby` of the element with id `vraag-KEY` (a group's fieldset, or the
/// one input) names: the help text and, when there are any, the errors; for a long text also
/// its character counter. The section form's script recomputes it as errors come and go.
pub fn described_by(item: &Item, has_problems: bool) -> Option<String> {
    let (id, help_id) = ids(&item.key);
    let mut parts = Vec::new();
    if item.help.is_some() {
        parts.push(help_id);
    }
    if has_problems {
        parts.push(format!("{id}-fout"));
    }
    if matches!(item.kind, ItemKind::LongText { .. }) {
        parts.push(format!("{id}-teller"));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

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

/// A group of radio buttons (one answer) or checkboxes (several), each with its label.
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
                    let id = format!("{name}-{}", choice.code);
                    let checked = selected.contains(&choice.code);
                    view! {
                        <div class="choice">
                            <input type=input_type class="choice__input" id=id.clone() name=name.clone() value=choice.code
                                checked=checked disabled=disabled/>
                            <label class="choice__label" for=id>{choice.label}</label>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The question's own input(s). `labelled` is false for types that sit in a fieldset.
fn input_for(
    item: &Item,
    value: &RawAnswer,
    described: Signal<Option<String>>,
    disabled: bool,
) -> AnyView {
    let (id, _) = ids(&item.key);
    let name = format!("a.{}", item.key);
    let unit = item.unit.clone();
    let selected = value.values.clone();
    let text = value.values.join("\n");
    let text_input = |inputmode: &'static str| {
        view! {
            <div class="input-with-unit">
                <input type="text" class="form-input form-input--number" id=id.clone() name=name.clone()
                    value=text.clone() inputmode=inputmode aria-describedby=move || described.get() disabled=disabled/>
                {unit.clone().map(|unit| view! { <span class="input-unit">{unit}</span> })}
            </div>
        }
        .into_any()
    };
    match &item.kind {
        ItemKind::YesNo => view! { <Choices name choices=fixed(&YES_NO) disabled selected inline=true/> }.into_any(),
        ItemKind::YesPartlyNo => view! { <Choices name choices=fixed(&YES_PARTLY_NO) disabled selected inline=true/> }.into_any(),
        ItemKind::SingleChoice { options } => view! { <Choices name choices=options.clone() disabled selected/> }.into_any(),
        ItemKind::MultipleChoice { options, .. } => view! { <Choices name choices=options.clone() disabled selected several=true/> }.into_any(),
        ItemKind::Integer { .. } => text_input("numeric"),
        ItemKind::Decimal { .. } => text_input("decimal"),
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
                <textarea class="form-textarea" id=id.clone() name=name rows="5"
                    aria-describedby=move || described.get() disabled=disabled>{text}</textarea>
                <p class="form-hint character-count" id=format!("{id}-teller") aria-live="polite">{counter}</p>
            }
            .into_any()
        }
        ItemKind::Date { min, max } => view! {
            <input type="date" class="form-input form-input--date" id=id name=name min=min.clone() max=max.clone()
                value=text aria-describedby=move || described.get() disabled=disabled/>
        }
        .into_any(),
        ItemKind::Scale { min_label, max_label } => {
            let choices = (1..=5)
                .map(|n| Choice {
                    code: n.to_string(),
                    label: match (n, min_label, max_label) {
                        (1, Some(label), _) => format!("1 – {label}"),
                        (5, _, Some(label)) => format!("5 – {label}"),
                        _ => n.to_string(),
                    },
                })
                .collect();
            view! { <Choices name choices disabled selected inline=true/> }.into_any()
        }
        ItemKind::Matrix { rows, cell } => {
            let columns: Option<Vec<Choice>> = match cell {
                CellKind::YesNo => Some(fixed(&YES_NO)),
                CellKind::YesPartlyNo => Some(fixed(&YES_PARTLY_NO)),
                CellKind::SingleChoice { options } => Some(options.clone()),
                CellKind::Integer { .. } => None,
            };
            let header = match &columns {
                Some(columns) => columns.iter().map(|c| view! { <th scope="col">{c.label.clone()}</th> }).collect_view().into_any(),
                None => view! { <th scope="col">{unit.clone().unwrap_or_else(|| "Aantal".to_string())}</th> }.into_any(),
            };
            let body = rows
                .iter()
                .map(|row| {
                    let cell_name = format!("{name}.{}", row.code);
                    let row_label = row.label.clone();
                    let cell_value = value.rows.get(&row.code).cloned().unwrap_or_default();
                    let cells = match &columns {
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
                            <td><input type="text" class="form-input form-input--number" name=cell_name.clone() inputmode="numeric"
                                value=cell_value aria-label=row_label.clone() disabled=disabled/></td>
                        }
                        .into_any(),
                    };
                    view! { <tr><th scope="row">{row.label.clone()}</th>{cells}</tr> }
                })
                .collect_view();
            view! {
                <table class="matrix">
                    <thead><tr><td></td>{header}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            }
            .into_any()
        }
        ItemKind::Ranking { options, rank } => (1..=*rank)
            .map(|place| {
                let select_id = format!("{id}-{place}");
                let options = options.clone();
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
            .into_any(),
    }
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
        let name = format!("s.{}", item.key);
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
/// inputs and linked to them; `hidden` hides the question while a condition says it does not
/// apply; `children` follow the inputs (the save status, a conflict).
#[component]
pub fn Question(
    item: Item,
    #[prop(optional)] disabled: bool,
    #[prop(optional)] value: RawAnswer,
    #[prop(optional, into)] problems: Signal<Vec<String>>,
    #[prop(optional, into)] hidden: Signal<bool>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let (id, help_id) = ids(&item.key);
    let required = item
        .required
        .then_some(view! { <span class="required">" (verplicht)"</span> });
    let optional =
        (!item.required).then_some(view! { <span class="optional">" (optioneel)"</span> });
    let help = item
        .help
        .clone()
        .map(|help| view! { <p class="form-hint" id=help_id.clone()>{help}</p> });
    let has_problems = move || !problems.get().is_empty();
    let errors = view! { <FieldErrors id=id.clone() messages=problems/> };
    // The group or input is described by its help text and, when there are any, its errors.
    let group = is_group(&item.kind);
    let described = {
        let item = item.clone();
        move || described_by(&item, has_problems())
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
                {extra}
            </fieldset>
        }
        .into_any()
    } else {
        let block_id = format!("{id}-blok");
        view! {
            <div class="question" class:question--error=has_problems id=block_id hidden=move || hidden.get()>
                <label class="question__legend" for=id>{item.label.clone()}{required}{optional}</label>
                {help}
                {errors}
                {input}
                {special}
                {extra}
            </div>
        }
        .into_any()
    }
}
