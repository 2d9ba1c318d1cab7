//! Filling in a response: `/invullen` (the coordinator's way in), `/vragenlijst/:id` (the task
//! list), `/vragenlijst/:id/sectie/:section` (a section), `/vragenlijst/:id/controleren`
//! (check your answers, then submit) and `/vragenlijst/:id/afdrukken` (the whole response for
//! printing), `/vragenlijst/:id/voortgang` (progress against the compared round): one
//! module per route.
//!
//! A section is a plain form that posts the whole section to the server ("Opslaan"), so it
//! works without JavaScript. With JavaScript each answer also saves itself shortly after it
//! changes, conditions apply live, unsent changes survive in the browser when the session
//! ends, and a colleague's conflicting answer is shown beside one's own: that is the script
//! in `fill/client.rs`, which works on the HTML of `fill/section.rs`.

use crate::domain::questionnaire::completeness::SectionStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

mod check;
#[cfg(feature = "hydrate")]
mod client;
#[cfg(feature = "hydrate")]
mod definition;
#[cfg(feature = "hydrate")]
mod pending;
mod print;
mod progress;
mod section;
#[cfg(feature = "hydrate")]
mod session;
mod start;
mod tasks;

pub use check::CheckAnswersPage;
pub use print::PrintPage;
pub use progress::ProgressPage;
pub use section::SectionPage;
pub use start::FillStartPage;
pub use tasks::TaskListPage;

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

fn status_tag(status: SectionStatus) -> impl IntoView {
    let class = match status {
        SectionStatus::Complete => "tag tag--done",
        SectionStatus::HasErrors => "tag tag--error",
        SectionStatus::InProgress => "tag tag--busy",
        SectionStatus::NotStarted | SectionStatus::NotApplicable => "tag",
    };
    view! { <strong class=class>{status.label()}</strong> }
}

/// The region's gemeenten as they are for this round.
#[component]
fn RoundGemeenten(
    gemeenten: Vec<crate::domain::region::Gemeente>,
    /// Unfolded where the questionnaire asks to confirm them.
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    (!gemeenten.is_empty()).then(|| {
        let names: Vec<String> = gemeenten.iter().map(|g| format!("{} ({})", g.name, g.code)).collect();
        view! {
            <details class="round-gemeenten" open=open>
                <summary>{format!("Gemeenten van de regio in deze meting ({})", gemeenten.len())}</summary>
                <p>{names.join(", ")}</p>
                <p class="caption">"Klopt deze lijst niet? Zeg het bij de eerste vraag van de vragenlijst."</p>
            </details>
        }
    })
}
