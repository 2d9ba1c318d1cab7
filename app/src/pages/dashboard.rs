//! The public dashboard, readable without an account and without JavaScript:
//! `/dashboard` (the NAD's latest publication), `/dashboard/:round` (any publication, or
//! with a programme's code its latest: `/dashboard/bt`), `/dashboard/regio/:code` and
//! `/dashboard/:round/regio/:code` (one region). Everything shown comes from frozen
//! publications: public items of approved responses only.

use crate::api::publications::{get_dashboard, get_region_dashboard};
use crate::components::branding::branding;
use crate::components::dashboard_theme::Theme;
use crate::components::loaded::Loaded;
use crate::components::response::ProgrammeMark;
use crate::components::table::ScrollTable;
use crate::domain::programme::{Programme, DEFAULT_PROGRAMME};
use crate::domain::publication::dashboard::{
    PublicDashboard, PublicRegion, PublicationFacts, PublicationLink,
};
use crate::domain::time::format_date;
use crate::error::AppError;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("round").unwrap_or_default(),
        get_dashboard,
    );
    view! {
        <Loaded data=move || unless_missing(page) let:page>
            {match page {
                Some(page) => view! { <National page/> }.into_any(),
                None => view! { <NothingPublished/> }.into_any(),
            }}
        </Loaded>
    }
}

/// The publication, or `None` when there is none by this name: that is a page of its own
/// (`NothingPublished`), not an error.
async fn unless_missing<T>(page: Resource<Result<T, AppError>>) -> Result<Option<T>, AppError>
where
    T: Clone + Send + Sync + 'static,
{
    match page.await {
        Ok(page) => Ok(Some(page)),
        Err(AppError::NotFound) => Ok(None),
        Err(error) => Err(error),
    }
}

/// 404 with a way on: no publication by this name (or none at all yet).
#[component]
fn NothingPublished() -> impl IntoView {
    crate::components::status::set_status(404);
    view! {
        <Title text="Publicatie niet gevonden"/>
        <h1>"Publicatie niet gevonden"</h1>
        <p>"Deze publicatie of regio bestaat niet, of er is nog niets gepubliceerd. "
            "Begin bij "<a href=paths::DASHBOARD>"het dashboard"</a>" of bij "<a href=paths::OPEN_DATA>"de open data"</a>"."</p>
    }
}

/// "Gepubliceerd op 3 juli 2026; gecorrigeerd op 12 januari 2027."
fn published_text(facts: &PublicationFacts) -> String {
    let mut text = facts
        .editions
        .first()
        .map(|e| format!("Gepubliceerd op {}", format_date(e.published_at)))
        .unwrap_or_default();
    if let Some(last) = facts.editions.iter().skip(1).last() {
        text.push_str(&format!(
            "; gecorrigeerd op {}",
            format_date(last.published_at)
        ));
    }
    text.push('.');
    text
}

/// The corrections of a publication, each with its date and note.
#[component]
fn Corrections(facts: PublicationFacts) -> impl IntoView {
    let corrections: Vec<_> = facts.editions.iter().skip(1).cloned().collect();
    (!corrections.is_empty()).then(|| {
        view! {
            <section class="corrections" aria-labelledby="correcties">
                <h2 id="correcties">"Correcties"</h2>
                <ul>
                    {corrections.into_iter().map(|edition| view! {
                        <li>
                            <strong>{format!("Correctie {} (editie {}): ", format_date(edition.published_at), edition.edition)}</strong>
                            {edition.note.clone()}
                        </li>
                    }).collect_view()}
                </ul>
                <p>"Eerdere edities blijven beschikbaar als bestanden bij "<a href=paths::OPEN_DATA>"open data"</a>"."</p>
            </section>
        }
    })
}

/// Every publication, newest first, the one shown marked.
#[component]
fn PublicationNav(
    publications: Vec<PublicationLink>,
    current: String,
    region: Option<String>,
) -> impl IntoView {
    view! {
        <nav class="publication-nav" aria-label="Publicaties">
            <h2 class="publication-nav__title">"Publicaties"</h2>
            <ul>
                {publications.into_iter().map(|link| {
                    let href = match &region {
                        Some(code) => paths::region_dashboard(Some(&link.slug), code),
                        None => paths::dashboard(Some(&link.slug)),
                    };
                    let here = link.slug == current;
                    view! {
                        <li>
                            <a href=href aria-current=here.then_some("page")>{link.period.clone()}</a>
                            {(link.editions > 1).then(|| format!(" ({} edities)", link.editions))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// Links to the newest publication of every programme with publications, this one marked;
/// nothing while there is only one.
#[component]
fn ProgrammeNav(programmes: Vec<Programme>, current: String) -> impl IntoView {
    (programmes.len() > 1).then(|| {
        view! {
            <nav class="programme-nav" aria-label="Programma's">
                <ul>
                    {programmes.into_iter().map(|programme| {
                        let here = programme.code == current;
                        view! {
                            <li>
                                <ProgrammeMark programme=programme.clone()/>" "
                                <a href=paths::dashboard(paths::newest_publication(&programme.code)) aria-current=here.then_some("page")>{programme.name.clone()}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    })
}

#[component]
fn National(page: PublicDashboard) -> impl IntoView {
    let PublicDashboard {
        dashboard,
        conclusions_html,
        is_latest,
        publications,
        programme,
        programmes,
    } = page;
    let facts = dashboard.publication.clone();
    let nad = programme.code == DEFAULT_PROGRAMME;
    // The NAD's pages keep the name the platform is configured with.
    let (title, lead) = if nad {
        let name = branding().programme_name;
        (
            format!("Dashboard {}", facts.period),
            format!("Voortgang van de regio's in het {name}"),
        )
    } else {
        (
            format!("Dashboard {} – {}", programme.name, facts.period),
            format!(
                "Voortgang van de regio's in het programma {}",
                programme.name
            ),
        )
    };
    let previous = dashboard.previous_period.clone();
    let newest = paths::dashboard(paths::newest_publication(&programme.code));
    view! {
        <Title text=title.clone()/>
        <ProgrammeNav programmes current=programme.code.clone()/>
        <h1>{title}</h1>
        <p class="lead">{format!(
            "{lead}, {}. {} van de {} regio's hebben goedgekeurde antwoorden.",
            facts.round_name, dashboard.regions_with_data, dashboard.regions_taking_part
        )}</p>
        <p>{published_text(&facts)}</p>
        {(!is_latest).then(|| view! {
            <div class="notice" role="note"><p>"U bekijkt een eerdere publicatie. "<a href=newest>"Naar de nieuwste publicatie"</a>"."</p></div>
        })}
        <Corrections facts=facts.clone()/>
        {(!conclusions_html.is_empty()).then(|| view! {
            <section class="conclusions" aria-labelledby="conclusies">
                <h2 id="conclusies">"Conclusies"</h2>
                <div class="conclusions__text" inner_html=conclusions_html></div>
            </section>
        })}
        {(!dashboard.without_data.is_empty()).then(|| view! {
            <section aria-labelledby="geen-gegevens">
                <h2 id="geen-gegevens">"Regio's zonder gegevens"</h2>
                <p>"Van deze regio's waren de antwoorden bij publicatie niet goedgekeurd. Ze tellen nergens mee, ook niet als nul."</p>
                <ul class="region-list">
                    {dashboard.without_data.iter().map(|r| view! {
                        <li><a href=paths::region_dashboard(Some(&facts.slug), &r.code)>{r.name.clone()}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {dashboard.sections.into_iter().map(|section| view! { <Theme section previous=previous.clone()/> }).collect_view()}
        <section aria-labelledby="per-regio">
            <h2 id="per-regio">"Per regio"</h2>
            <ul class="region-list region-list--columns">
                {dashboard.regions.iter().map(|r| view! {
                    <li><a href=paths::region_dashboard(Some(&facts.slug), &r.code)>{r.name.clone()}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <p>"Alle cijfers van deze publicatie zijn te downloaden bij "<a href=paths::OPEN_DATA>"open data"</a>"."</p>
        <PublicationNav publications current=facts.slug.clone() region=None/>
    }
}

#[component]
pub fn RegionDashboardPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || {
            (
                params.read().get("round").unwrap_or_default(),
                params.read().get("code").unwrap_or_default(),
            )
        },
        |(round, code)| get_region_dashboard(round, code),
    );
    view! {
        <Loaded data=move || unless_missing(page) let:page>
            {match page {
                Some(page) => view! { <Region page/> }.into_any(),
                None => view! { <NothingPublished/> }.into_any(),
            }}
        </Loaded>
    }
}

#[component]
fn Region(page: PublicRegion) -> impl IntoView {
    let PublicRegion {
        dashboard,
        is_latest,
        programme,
        publications,
    } = page;
    let facts = dashboard.publication.clone();
    let title = if programme.code == DEFAULT_PROGRAMME {
        format!("{} – dashboard {}", dashboard.region.name, facts.period)
    } else {
        format!(
            "{} – dashboard {} {}",
            dashboard.region.name, programme.name, facts.period
        )
    };
    let periods = dashboard.periods.clone();
    view! {
        <Title text=title.clone()/>
        <p class="back-link"><a href=paths::dashboard(Some(&facts.slug))>{format!("Landelijk beeld {}", facts.period)}</a></p>
        <h1>{title}</h1>
        <p>{published_text(&facts)}</p>
        {(!is_latest).then(|| view! {
            <div class="notice" role="note"><p>"U bekijkt een eerdere publicatie. "
                <a href=paths::region_dashboard(paths::newest_publication(&programme.code), &dashboard.region.code)>"Naar de nieuwste publicatie"</a>"."</p></div>
        })}
        <h2>"Gemeenten"</h2>
        <p class="region-gemeenten">{if dashboard.gemeenten.is_empty() {
            "Geen gemeenten vastgelegd voor deze meting.".to_string()
        } else {
            dashboard.gemeenten.join(", ")
        }}</p>
        {(!dashboard.has_data).then(|| view! {
            <div class="notice" role="note"><p>"Geen gegevens: de antwoorden van deze regio waren bij publicatie niet goedgekeurd. Ze tellen nergens mee, ook niet als nul."</p></div>
        })}
        <Corrections facts=facts.clone()/>
        {(!dashboard.history.is_empty()).then(|| view! {
            <h2>"Kernindicatoren door de tijd"</h2>
            <div class="table-scroll" role="region" tabindex="0" aria-label="Kernindicatoren door de tijd">
                <table class="table">
                    <caption class="visually-hidden">"De antwoorden van de regio op de kernindicatoren per publicatie"</caption>
                    <thead><tr>
                        <th scope="col">"Kernindicator"</th>
                        {periods.iter().map(|(slug, period)| view! {
                            <th scope="col"><a href=paths::region_dashboard(Some(slug), &dashboard.region.code)>{period.clone()}</a></th>
                        }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {dashboard.history.iter().map(|row| view! {
                            <tr>
                                <th scope="row">{row.name.clone()}</th>
                                {row.answers.iter().map(|a| view! { <td>{a.clone()}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {dashboard.sections.into_iter().map(|section| view! {
            <section class="theme" aria-labelledby=format!("thema-{}", section.key.to_lowercase())>
                <h2 id=format!("thema-{}", section.key.to_lowercase())>{section.title.clone()}</h2>
                <ScrollTable caption=format!("Antwoorden van de regio: {}", section.title) hidden_caption=true
                    class="region-answers"
                    columns=&["Vraag", "Antwoord van de regio", "Landelijk"]>
                    {section.items.into_iter().map(|item| view! {
                        <tr>
                            <th scope="row">{item.indicator.clone().map(|name| view! { <strong class="region-answers__indicator">{name}</strong><br/> })}{item.label.clone()}</th>
                            <td>{item.answer.clone()}</td>
                            <td>{item.national.clone()}</td>
                        </tr>
                    }).collect_view()}
                </ScrollTable>
            </section>
        }).collect_view()}
        <PublicationNav publications current=facts.slug.clone() region=Some(dashboard.region.code.clone())/>
    }
}
