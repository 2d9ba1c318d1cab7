//! `/regios`: every region, for reviewers and admins. `/regio/:code`: one region's start
//! page, for its own coordinators, reviewers and admins; admins rename and retire the region
//! there (`regions/manage.rs`). `/beheer/regios` (`regions/admin.rs`): the admin adds regions
//! and edits the division of gemeenten over them.

use crate::api::regions::{
    get_region, list_programmes, list_regions, RegionOverview, ReinstateRegion, RenameRegion,
    RetireRegion,
};
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::components::table::ScrollTable;
use crate::domain::programme::Programme;
use crate::domain::region::Region;
use crate::domain::time::format_date;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

mod admin;
mod manage;

pub use admin::RegionsAdminPage;

#[component]
pub fn RegionsPage() -> impl IntoView {
    let regions = Resource::new(|| (), |_| list_regions());
    let programmes = Resource::new(|| (), |_| list_programmes());
    let data = move || async move { Ok((programmes.await?, regions.await?)) };
    view! {
        <Loaded data let((programmes, regions))>
            <Title text="Regio's"/>
            <h1>"Regio's"</h1>
            <RegionTables programmes regions/>
        </Loaded>
    }
}

/// Each programme's regions that take part (under the programme's name when there are
/// several); retired regions below, apart, since only their earlier rounds still matter.
#[component]
fn RegionTables(programmes: Vec<Programme>, regions: Vec<Region>) -> impl IntoView {
    let (active, retired): (Vec<Region>, Vec<Region>) =
        regions.into_iter().partition(Region::is_active);
    let several = programmes.len() > 1;
    let tables = programmes
        .into_iter()
        .map(|programme| {
            let own: Vec<Region> = active
                .iter()
                .filter(|r| r.programme_code == programme.code)
                .cloned()
                .collect();
            view! {
                {several.then(|| view! { <h2>{programme.name.clone()}</h2> })}
                <RegionTable programme regions=own/>
            }
        })
        .collect_view();
    view! {
        {tables}
        <RetiredRegions retired/>
    }
}

#[component]
fn RetiredRegions(retired: Vec<Region>) -> impl IntoView {
    let retired_list = (!retired.is_empty()).then(|| {
        view! {
            <h2 id="opgeheven">"Opgeheven regio's"</h2>
            <p>"Deze regio's doen aan geen nieuwe meting meer mee. Hun eerdere metingen blijven bewaard."</p>
            <ul aria-labelledby="opgeheven">
                {retired.into_iter().map(|region| {
                    let href = paths::region(&region.code);
                    view! {
                        <li>
                            <a href=href>{region.name}</a>
                            {format!(" ({}, centrumgemeente {}) (opgeheven)", region.code, region.lead_gemeente)}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    view! { {retired_list} }
}

/// One programme's regions that take part, with their lead gemeente, linking to their page.
#[component]
fn RegionTable(programme: Programme, regions: Vec<Region>) -> impl IntoView {
    let active = regions;
    let label = format!("Regio's {}", programme.short_name);
    view! {
        <p>{format!("{} regio's nemen deel aan de monitor.", active.len())}</p>
        <ScrollTable label hidden_caption=true
            caption=format!("De deelnemende regio's van {} met hun centrumgemeente", programme.name)
            columns=&["Code", "Regio", "Centrumgemeente"]>
            {active
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
        </ScrollTable>
    }
}

/// What a change on the region's page did, from the `melding` query parameter.
fn notice_text(code: &str) -> Option<String> {
    let text = match code {
        "toegevoegd" => "De regio is toegevoegd. Ze doet mee aan metingen die vanaf nu worden opgezet.",
        "hernoemd" => "De regio is gewijzigd. Metingen die al lopen houden de naam die ze hadden.",
        "ongewijzigd" => "Er was niets veranderd.",
        "opgeheven" => "De regio is opgeheven. Ze doet aan geen nieuwe meting meer mee; haar eerdere metingen blijven.",
        "heringevoerd" => "De regio is weer in gebruik en doet mee aan nieuwe metingen.",
        _ => return None,
    };
    Some(text.to_string())
}

#[component]
pub fn RegionPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let rename = ServerAction::<RenameRegion>::new();
    let retire = ServerAction::<RetireRegion>::new();
    let reinstate = ServerAction::<ReinstateRegion>::new();
    let overview = Resource::new(
        move || {
            (
                code(),
                rename.version().get(),
                retire.version().get(),
                reinstate.version().get(),
            )
        },
        |(code, ..)| get_region(code),
    );
    let actions = manage::Actions {
        rename,
        retire,
        reinstate,
    };
    view! {
        <Loaded data=overview let:overview>
            <RegionDetails overview actions/>
        </Loaded>
    }
}

/// A region's lead gemeente, gemeenten, coordinators and rounds; for admins, the forms that
/// change it.
#[component]
fn RegionDetails(overview: RegionOverview, actions: manage::Actions) -> impl IntoView {
    let region = overview.region;
    let title = format!("Regio {}", region.name);
    let retired = region.retired_at.map(|at| {
        view! {
            <p class="notice notice--warning">{format!(
                "Deze regio is opgeheven op {}. Ze doet aan geen nieuwe meting mee; haar eerdere metingen blijven bewaard.",
                format_date(at)
            )}</p>
        }
    });
    let management = overview
        .may_manage
        .then(|| view! { <manage::RegionManagement region=region.clone() actions/> });
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <ChangeNotice text_of=notice_text/>
        {retired}
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt>"Regiocode"</dt>
                <dd>{region.code.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt>"Centrumgemeente"</dt>
                <dd>{region.lead_gemeente.clone()}</dd>
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
        {(!overview.advisers.is_empty()).then(|| view! {
            <h2>"Regioadviseurs"</h2>
            <p>"Zij vullen de vragenlijst mee in, uit de gesprekken met de regio; bij het indienen leggen ze vast met wie de antwoorden zijn afgestemd."</p>
            <ul class="list">
                {overview.advisers.clone().into_iter().map(|colleague| {
                    let mail = format!("mailto:{}", colleague.email);
                    view! { <li>{colleague.display_name}" – "<a href=mail>{colleague.email}</a></li> }
                }).collect_view()}
            </ul>
        })}
        <h2>"Metingen"</h2>
        <crate::components::region_rounds::RegionRounds code=region.code.clone()/>
        {management}
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
