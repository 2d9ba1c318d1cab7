//! `/regios`: every region, for reviewers and admins. `/regio/:code`: one region's start
//! page, for its own coordinators, reviewers and admins.

use crate::api::regions::{get_region, list_regions, RegionOverview};
use crate::components::loaded::Loaded;
use crate::domain::region::Region;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RegionsPage() -> impl IntoView {
    let regions = Resource::new(|| (), |_| list_regions());
    view! {
        <Loaded data=regions let:regions>
            <RegionTable regions/>
        </Loaded>
    }
}

/// Every region with its lead gemeente, linking to its page.
#[component]
fn RegionTable(regions: Vec<Region>) -> impl IntoView {
    let count = regions.len();
    view! {
        <Title text="Regio's"/>
        <h1>"Regio's"</h1>
        <p>{format!("{count} regio's nemen deel aan de monitor.")}</p>
        <div class="table-scroll" role="region" tabindex="0" aria-label="Regio's">
            <table class="table">
                <caption class="visually-hidden">"Alle regio's met hun centrumgemeente"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Regio"</th>
                        <th scope="col">"Centrumgemeente"</th>
                    </tr>
                </thead>
                <tbody>
                    {regions
                        .into_iter()
                        .map(|region| {
                            let href = paths::region(&region.code);
                            view! {
                                <tr>
                                    <td>{region.code}</td>
                                    <td><a href=href>{region.name}</a></td>
                                    <td>{region.lead_gemeente}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn RegionPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let overview = Resource::new(code, get_region);
    view! {
        <Loaded data=overview let:overview>
            <RegionDetails overview/>
        </Loaded>
    }
}

/// A region's lead gemeente, gemeenten, coordinators and rounds.
#[component]
fn RegionDetails(overview: RegionOverview) -> impl IntoView {
    let region = overview.region;
    let title = format!("Regio {}", region.name);
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt>"Regiocode"</dt>
                <dd>{region.code.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt>"Centrumgemeente"</dt>
                <dd>{region.lead_gemeente}</dd>
            </div>
        </dl>
        <GemeentenList gemeenten=overview.gemeenten.clone() heading="Gemeenten in deze regio"
            empty="Voor deze regio zijn nog geen gemeenten geladen."/>
        <h2>"Regiocoördinatoren"</h2>
        {if overview.coordinators.is_empty() {
            view! {
                <p>"Voor deze regio is nog geen regiocoördinator aangemeld."</p>
            }
            .into_any()
        } else {
            view! {
                <ul class="list">
                    {overview
                        .coordinators
                        .into_iter()
                        .map(|colleague| {
                            let mail = format!("mailto:{}", colleague.email);
                            view! {
                                <li>
                                    {colleague.display_name}" – "
                                    <a href=mail>{colleague.email}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
        <h2>"Metingen"</h2>
        <crate::components::region_rounds::RegionRounds code=region.code.clone()/>
    }
}

/// The gemeenten of a region with their CBS codes: on the region's page (as they are now) and
/// above a response (as they were for its round).
#[component]
pub fn GemeentenList(
    gemeenten: Vec<crate::domain::region::Gemeente>,
    heading: &'static str,
    empty: &'static str,
) -> impl IntoView {
    if gemeenten.is_empty() {
        return view! { <h2>{heading}</h2><p>{empty}</p> }.into_any();
    }
    let count = gemeenten.len();
    view! {
        <h2>{heading}</h2>
        <p>{format!("{count} gemeente(n), met hun CBS-code:")}</p>
        <ul class="gemeenten-list">
            {gemeenten.into_iter().map(|g| view! { <li>{g.name}" "<span class="caption">{format!("({})", g.code)}</span></li> }).collect_view()}
        </ul>
    }
    .into_any()
}
