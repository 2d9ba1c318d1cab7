//! `/regios`: every region, for reviewers and admins. `/regio/:code`: one region's start
//! page, for its own coordinators, reviewers and admins.

use crate::api::regions::{get_region, list_regions};
use crate::components::status::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RegionsPage() -> impl IntoView {
    let regions = Resource::new(|| (), |_| list_regions());
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match regions.await {
                    Ok(regions) => {
                        let count = regions.len();
                        view! {
                            <Title text="Regio's"/>
                            <h1>"Regio's"</h1>
                            <p>{format!("{count} regio's nemen deel aan de monitor.")}</p>
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
                                            let href = format!("/regio/{}", region.code);
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
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RegionPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let overview = Resource::new(code, get_region);
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => {
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
                            <crate::pages::fill::RegionRounds code=region.code.clone()/>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
