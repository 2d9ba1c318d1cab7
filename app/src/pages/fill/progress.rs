//! `/vragenlijst/:id/voortgang`: this round's answers beside the compared round's.

use super::param;
use crate::api::responses::{get_progress, Progress, ProgressItem};
use crate::components::comparison::CompareWith;
use crate::components::loaded::Loaded;
use crate::components::response::ResponseBanner;
use crate::components::table::ScrollTable;
use crate::domain::round::ComparisonChoice;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/vragenlijst/:id/voortgang`: the answers beside the compared round's, filtered by section
/// and to changed answers only (a plain GET form, so it works without JavaScript).
#[component]
pub fn ProgressPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let progress = Resource::new(
        move || (id(), query.read().get("met")),
        |(id, compared_with)| get_progress(id, compared_with),
    );
    view! {
        <Loaded data=progress let:progress>
            <Comparison
                progress
                only_section={query.read_untracked().get("sectie").filter(|s| !s.is_empty())}
                only_changed={query.read_untracked().get("gewijzigd").is_some_and(|v| v == "ja")}
            />
        </Loaded>
    }
}

/// The key indicators, the filter, and a table per section of this round beside the compared one.
#[component]
fn Comparison(
    progress: Progress,
    only_section: Option<String>,
    only_changed: bool,
) -> impl IntoView {
    let id = progress.header.id.clone();
    let Some(round) = progress.compared_round.clone() else {
        return view! {
            <Title text="Vergelijking met de vorige meting"/>
            <p class="back-link"><a href=paths::response(&id)>"Terug naar het overzicht"</a></p>
            <h1>"Vergelijking met de vorige meting"</h1>
            <p>"Deze meting wordt met geen eerdere meting vergeleken."</p>
        }
        .into_any();
    };
    let compared_label = compared_label(&progress, &round);
    let comparison_choices = progress.comparison_choices.clone();
    let compared_round_id = progress.compared_round_id.clone();
    let section_options: Vec<(String, String, bool)> = progress
        .sections
        .iter()
        .map(|s| {
            (
                s.key.clone(),
                s.title.clone(),
                only_section.as_deref() == Some(s.key.as_str()),
            )
        })
        .collect();
    let indicators: Vec<ProgressItem> = progress
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .filter(|item| item.indicator.is_some())
        .cloned()
        .collect();
    let tables = progress
        .sections
        .into_iter()
        .filter(|s| only_section.as_ref().is_none_or(|key| *key == s.key))
        .filter_map(|section| {
            let items: Vec<ProgressItem> = section
                .items
                .into_iter()
                .filter(|item| !only_changed || item.changed)
                .collect();
            (!items.is_empty())
                .then(|| view! { <SectionTable title=section.title round=round.clone() items/> })
        })
        .collect::<Vec<_>>();
    let empty = tables.is_empty();
    view! {
        <Title text=format!("Vergelijking – {}", progress.header.round_name)/>
        <p class="back-link"><a href=paths::response(&id)>"Terug naar het overzicht"</a></p>
        <ResponseBanner header=progress.header.clone()/>
        <h1>"Vergelijking met de vorige meting"</h1>
        <p class="lead">{if progress.compared_answered {
            format!(
                "{} van de {} antwoorden die in beide metingen zijn gegeven, zijn anders dan in de {}.",
                progress.changed_count, progress.compared_count, round
            )
        } else {
            format!("Uw regio heeft in de {round} geen antwoorden gegeven: er is nog niets om mee te vergelijken.")
        }}</p>
        {(!indicators.is_empty()).then(|| view! { <Indicators indicators compared_label/> })}
        <ProgressFilter section_options only_changed comparison_choices compared_round_id/>
        {if empty {
            view! { <p>"Geen antwoorden om te tonen met dit filter."</p> }.into_any()
        } else {
            tables.into_any()
        }}
    }
    .into_any()
}

/// "vorige meting" when compared with the previous round, else the compared round's name.
fn compared_label(progress: &Progress, round: &str) -> String {
    if progress.comparison_choices.first().map(|c| &c.id) == progress.compared_round_id.as_ref() {
        "vorige meting".to_string()
    } else {
        round.to_string()
    }
}

/// The filter, a plain GET form: a section, changed answers only, the round compared with.
#[component]
fn ProgressFilter(
    section_options: Vec<(String, String, bool)>,
    only_changed: bool,
    comparison_choices: Vec<ComparisonChoice>,
    compared_round_id: Option<String>,
) -> impl IntoView {
    view! {
        <form method="get" class="filter-form">
            <div class="form-field">
                <label class="form-label" for="filter-sectie">"Sectie"</label>
                <select class="form-select" id="filter-sectie" name="sectie">
                    <option value="">"Alle secties"</option>
                    {section_options.into_iter().map(|(key, title, selected)| view! {
                        <option value=key selected=selected>{title}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="form-field checkbox">
                <input type="checkbox" id="filter-gewijzigd" name="gewijzigd" value="ja" checked=only_changed/>
                <label for="filter-gewijzigd">"Alleen gewijzigde antwoorden"</label>
            </div>
            <CompareWith choices=comparison_choices chosen=compared_round_id/>
            <button type="submit" class="button button--secondary">"Filteren"</button>
        </form>
    }
}

/// The key indicators now and in the compared round, above all questions.
#[component]
fn Indicators(indicators: Vec<ProgressItem>, compared_label: String) -> impl IntoView {
    view! {
        <h2>"Kernindicatoren"</h2>
        <ul class="indicator-list">
            {indicators.into_iter().map(|item| view! {
                <li>
                    <strong>{item.indicator.clone().unwrap_or_default()}</strong>
                    {format!(": {} ({compared_label}: {})",
                        item.now.clone().unwrap_or_else(|| "nog niet beantwoord".to_string()),
                        item.not_compared.clone().or(item.before.clone()).unwrap_or_else(|| "niet beantwoord".to_string()))}
                    {item.changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
                </li>
            }).collect_view()}
        </ul>
        <h2>"Alle vragen"</h2>
    }
}

/// One section's answers: this round beside the compared round, changed ones marked.
#[component]
fn SectionTable(title: String, round: String, items: Vec<ProgressItem>) -> impl IntoView {
    let label = format!("Vergelijking: {title}");
    view! {
        <ScrollTable label caption=title class="progress-table"
            columns=vec!["Vraag".to_string(), "Deze meting".to_string(), round]>
            {items.into_iter().map(|item| view! {
                <tr class:progress-table__changed=item.changed>
                    <th scope="row">{item.label.clone()}</th>
                    <td>
                        {item.now.clone().unwrap_or_else(|| "Niet beantwoord".to_string())}
                        {item.changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
                    </td>
                    <td>{match (&item.not_compared, &item.before) {
                        (Some(why), _) => why.clone(),
                        (None, Some(before)) => before.clone(),
                        (None, None) => "Niet beantwoord".to_string(),
                    }}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
    }
}
