//! The choice of the round to compare with, in the GET forms of the national picture and of a
//! region's progress.

use crate::domain::round::ComparisonChoice;
use leptos::prelude::*;

/// The select of a comparison's GET form (`met`): every earlier round, the previous one and
/// the one a year earlier marked. Shared by the national picture and a region's progress.
#[component]
pub fn CompareWith(choices: Vec<ComparisonChoice>, chosen: Option<String>) -> impl IntoView {
    (!choices.is_empty()).then(|| {
        view! {
            <div class="form-field">
                <label class="form-label" for="filter-met">"Vergelijken met"</label>
                <select class="form-select" id="filter-met" name="met">
                    {choices.into_iter().map(|choice| {
                        let selected = chosen.as_deref() == Some(choice.id.as_str());
                        view! { <option value=choice.id.clone() selected=selected>{choice.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    })
}
