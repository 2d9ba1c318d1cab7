//! A theme of the public national page: its key indicators and its items, each with a chart
//! and the figures in a table. Shown on the dashboard and in the preview before publishing.

use crate::components::charts::{ShareBars, TrendChart, TrendTable};
use crate::components::table::ScrollTable;
use crate::domain::national::{format_number, Distribution};
use crate::domain::publication::dashboard::{DashboardSection, IndicatorView, ItemView};
use leptos::prelude::*;

/// One theme of a publication: its key indicators with their trend, then its items.
#[component]
pub fn Theme(section: DashboardSection, previous: Option<String>) -> impl IntoView {
    let heading = format!("thema-{}", section.key.to_lowercase());
    let labelled_by = heading.clone();
    view! {
        <section class="theme" aria-labelledby=labelled_by>
            <h2 id=heading>{section.title.clone()}</h2>
            {section.indicators.into_iter().map(|indicator| view! { <Indicator indicator/> }).collect_view()}
            {section.items.into_iter().map(|item| view! { <Item item previous=previous.clone()/> }).collect_view()}
        </section>
    }
}

#[component]
fn Indicator(indicator: IndicatorView) -> impl IntoView {
    let heading = format!("indicator-{}", indicator.key);
    let labelled_by = heading.clone();
    view! {
        <article class="indicator" aria-labelledby=labelled_by>
            <h3 id=heading>{indicator.name.clone()}</h3>
            <p class="indicator__question">{indicator.label.clone()}</p>
            <p class="indicator__figure">{indicator.headline.clone()}</p>
            {indicator.change.clone().map(|change| view! { <p class="indicator__change">{change}</p> })}
            {(indicator.trend.len() > 1).then(|| view! {
                <TrendChart name=indicator.name.clone() points=indicator.trend.clone() is_share=indicator.is_share/>
            })}
            <TrendTable caption=format!("{}: per publicatie", indicator.name) points=indicator.trend.clone()/>
            {indicator.trend_note.clone().map(|note| view! { <p class="indicator__note">{note}</p> })}
        </article>
    }
}

#[component]
fn Item(item: ItemView, previous: Option<String>) -> impl IntoView {
    let heading = format!("vraag-{}", item.key);
    let body = match &item.current.distribution {
        Distribution::Choices(shares) => {
            let rows = shares
                .iter()
                .enumerate()
                .map(|(n, share)| {
                    let before = item.previous.as_ref().map(|p| match &p.distribution {
                        Distribution::Choices(before) => {
                            p.share_text(before.get(n).map_or(0, |s| s.regions))
                        }
                        _ => "–".to_string(),
                    });
                    view! {
                        <tr>
                            <th scope="row">{share.label.clone()}</th>
                            <td>{item.current.share_text(share.regions)}</td>
                            {before.map(|text| view! { <td>{text}</td> })}
                        </tr>
                    }
                })
                .collect_view();
            let mut columns = vec!["Antwoord".to_string(), "Deze publicatie".to_string()];
            columns.extend(item.previous.as_ref().and(previous.clone()));
            view! {
                <ShareBars id=item.key.clone() label=item.label.clone() current=item.current.clone()
                    previous=item.previous.clone() previous_period=previous.clone()/>
                <ScrollTable caption=format!("Antwoorden op: {}", item.label) hidden_caption=true columns>{rows}</ScrollTable>
            }
            .into_any()
        }
        Distribution::Numbers {
            median,
            lowest,
            highest,
            total,
        } => {
            let unit = item
                .unit
                .clone()
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            view! {
                <dl class="facts">
                    <dt>"Mediaan"</dt><dd>{format!("{}{unit}", format_number(*median))}</dd>
                    <dt>"Laagste – hoogste"</dt><dd>{format!("{}{unit} – {}{unit}", format_number(*lowest), format_number(*highest))}</dd>
                    {total.map(|total| view! { <dt>"Samen"</dt><dd>{format!("{}{unit}", format_number(total))}</dd> })}
                </dl>
            }
            .into_any()
        }
        Distribution::Counted => view! {
            <p>"Deze antwoorden staan per regio in de open data."</p>
        }
        .into_any(),
    };
    view! {
        <div class="public-item">
            <h3 id=heading>{item.label.clone()}</h3>
            {body}
            <p class="public-item__counts">{item.current.counts_text("regio's met een antwoord")}</p>
            {item.not_compared.clone().filter(|_| previous.is_some()).map(|why| view! { <p class="indicator__note">{why}</p> })}
        </div>
    }
}
