//! The rounds that have been opened, as a table of links: the first page of the national
//! picture and of reviewing.

use crate::api::rounds::list_rounds;
use crate::components::loaded::Loaded;
use crate::components::table::ScrollTable;
use crate::domain::round::{RoundState, RoundSummary};
use crate::domain::time::format_date;
use leptos::prelude::*;
use leptos_meta::Title;

/// Every round that has been opened, newest first, each linking to `link(id)`: the way into
/// the national picture and into reviewing.
#[component]
pub fn OpenedRounds(
    title: &'static str,
    lead: &'static str,
    link: fn(&str) -> String,
) -> impl IntoView {
    let rounds = Resource::new(|| (), |_| list_rounds());
    view! {
        <Loaded data=rounds let:rounds>
            <OpenedRoundTable rounds title lead link/>
        </Loaded>
    }
}

/// The rounds that have been opened, under the page's title and lead.
#[component]
fn OpenedRoundTable(
    rounds: Vec<RoundSummary>,
    title: &'static str,
    lead: &'static str,
    link: fn(&str) -> String,
) -> impl IntoView {
    let rounds: Vec<_> = rounds
        .into_iter()
        .filter(|r| r.state != RoundState::Concept)
        .collect();
    let intro = view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p class="lead">{lead}</p>
    };
    if rounds.is_empty() {
        return view! { {intro} <p>"Er is nog geen meting geopend."</p> }.into_any();
    }
    view! {
        {intro}
        <ScrollTable caption="Metingen"
            columns=&["Meting", "Status", "Deadline", "Ingediend", "Vergeleken met"]>
            {rounds.into_iter().map(|round| view! {
                <tr>
                    <th scope="row">
                        <super::response::ProgrammeMark programme=round.programme.clone()/>" "
                        <a href=link(&round.id)>{round.name.clone()}</a>
                    </th>
                    <td>{round.state.label()}</td>
                    <td>{format_date(round.deadline)}</td>
                    <td>{format!("{} van {}", round.submitted_count, round.region_count)}</td>
                    <td>{round.compared_round.clone().unwrap_or_else(|| "–".to_string())}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
    }
    .into_any()
}
