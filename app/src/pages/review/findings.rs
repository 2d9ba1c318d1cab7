//! `/vragenlijst/:id/openstaand`: the reviewer's drill-down of one response. Every missing
//! required answer, invalid answer, broken blocking rule, unexplained warning and open
//! comment, each linking to the item on the review page.

use super::*;
use crate::api::review::{get_findings, FindingsPage as Findings};
use crate::domain::review::findings::{Finding, FindingKind};

/// `/vragenlijst/:id/openstaand`: what still stands between a response and approval.
#[component]
pub fn FindingsPage() -> impl IntoView {
    let id = param("id");
    let page = Resource::new(id, get_findings);
    view! {
        <Loaded data=page let:page>
            <FindingsList page/>
        </Loaded>
    }
}

#[component]
fn FindingsList(page: Findings) -> impl IntoView {
    let Findings {
        header,
        round_id,
        findings,
        per_kind,
        reviewer,
    } = page;
    let response_id = header.id.clone();
    let total = findings.len();
    let back = if reviewer {
        (
            paths::review_round(&round_id),
            "Terug naar het overzicht van de meting",
        )
    } else {
        (paths::response(&response_id), "Terug naar de vragenlijst")
    };
    let lead = match total {
        0 => "Er staat niets meer open.".to_string(),
        1 => "Er staat nog 1 punt open.".to_string(),
        n => format!("Er staan nog {n} punten open."),
    };
    view! {
        <Title text=format!("Openstaande punten {} – {}", header.region_name, header.round_name)/>
        <p class="back-link"><a href=back.0>{back.1}</a></p>
        <ResponseBanner header=header.clone()/>
        <h1>{format!("Openstaande punten {}", header.region_name)}</h1>
        <p class="lead">{lead}" "
            <a href=paths::response_review(&response_id)>"Naar de beoordeling van alle antwoorden"</a></p>
        <nav aria-label="Soorten openstaande punten">
            <ul class="finding-kinds">
                {per_kind.iter().map(|(kind, count)| view! {
                    <li><a href=format!("#{}", kind.anchor()) rel="external">{kind.heading()}</a>" "
                        <strong class="tag">{*count}</strong></li>
                }).collect_view()}
            </ul>
        </nav>
        {per_kind.into_iter().map(|(kind, count)| {
            let listed: Vec<Finding> = findings.iter().filter(|f| f.kind == kind).cloned().collect();
            view! { <KindList kind count listed response_id=response_id.clone()/> }
        }).collect_view()}
    }
}

/// One kind's list: each point links to its item (or comment) on the review page.
#[component]
fn KindList(
    kind: FindingKind,
    count: usize,
    listed: Vec<Finding>,
    response_id: String,
) -> impl IntoView {
    let review = paths::response_review(&response_id);
    view! {
        <section class="findings" aria-labelledby=kind.anchor()>
            <h2 id=kind.anchor()>{format!("{} ({count})", kind.heading())}</h2>
            {if listed.is_empty() {
                view! { <p>{kind.none_text()}</p> }.into_any()
            } else {
                view! {
                    <ul class="finding-list">
                        {listed.into_iter().map(|finding| {
                            // An item hidden by the answers is not on the review page.
                            let href = match (&finding.thread_id, finding.hidden) {
                                (_, true) => review.clone(),
                                (Some(thread), false) => paths::comment(&response_id, thread),
                                (None, false) => paths::at_item(&review, &finding.item_key),
                            };
                            view! {
                                <li>
                                    <a href=href>{finding.item_label.clone()}</a>
                                    <span class="caption">{format!(" · {}", finding.section_title)}</span>
                                    {finding.detail.clone().map(|detail| view! { <p class="finding-list__detail">{detail}</p> })}
                                    {finding.hidden.then(|| view! {
                                        <p class="finding-list__detail">"Deze vraag wordt bij de huidige antwoorden niet gesteld."</p>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
