//! `/vragenlijst/:id/afdrukken`: the whole response for printing.

use super::param;
use crate::api::responses::{get_summary, Summary};
use crate::components::loaded::Loaded;
use crate::domain::time::format_date_time;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/vragenlijst/:id/afdrukken`: the whole response on one page, laid out for paper.
#[component]
pub fn PrintPage() -> impl IntoView {
    let id = param("id");
    let summary = Resource::new(id, get_summary);
    view! {
        <Loaded data=summary let:summary>
            <PrintedResponse summary/>
        </Loaded>
    }
}

/// Every section's answers under the response's heading.
#[component]
fn PrintedResponse(summary: Summary) -> impl IntoView {
    let header = summary.header;
    view! {
        <Title text=format!("Afdrukversie – {} – {}", header.region_name, header.round_name)/>
        <div class="print-page">
            <p class="no-print"><a href=paths::response(&header.id)>"Terug naar het overzicht"</a>
                " · Kies in uw browser Afdrukken (of Opslaan als pdf)."</p>
            <h1>{header.questionnaire_title.clone()}</h1>
            <p>{format!("{} ({}) · {} · {}", header.region_name, header.region_code, header.round_name, header.status.label())}</p>
            {header.submitted.clone().map(|submitted| view! { <p>{format!("Ingediend op {} door {}", format_date_time(submitted.at), submitted.by)}</p> })}
            {summary.sections.into_iter().map(|section| view! {
                <section class="print-section">
                    <h2>{section.title}</h2>
                    <dl class="summary-list">
                        {section.items.into_iter().map(|item| view! {
                            <div class="summary-list__row"><dt>{item.label}</dt><dd>{item.answer}</dd></div>
                        }).collect_view()}
                    </dl>
                </section>
            }).collect_view()}
        </div>
    }
}
