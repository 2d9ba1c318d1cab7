//! `/beheer/audit`: the audit trail for admins, newest first, filtered by user, region, round,
//! kind and period with a plain GET form, paged, and exported as CSV with the same filter.

use crate::api::regions::list_regions;
use crate::api::review::get_audit_trail;
use crate::api::rounds::list_rounds;
use crate::components::loaded::Loaded;
use crate::components::table::ScrollTable;
use crate::domain::audit::{kind_label, AuditPage as Trail, KINDS};
use crate::domain::region::Region;
use crate::domain::round::RoundSummary;
use crate::domain::time::format_date_time;
use crate::error::AppError;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The filter's query parameters, in the order of the form.
const FILTER_FIELDS: [&str; 6] = ["gebruiker", "regio", "meting", "soort", "van", "tot"];

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let trail = Resource::new(
        move || {
            let q = query.read();
            let field = |name: &str| q.get(name).filter(|v| !v.is_empty());
            (
                FILTER_FIELDS.map(field),
                q.get("pagina").and_then(|p| p.parse::<i64>().ok()),
            )
        },
        |([user, region, round, kind, from, until], page)| {
            get_audit_trail(user, region, round, kind, from, until, page)
        },
    );
    let regions = Resource::new(|| (), |_| list_regions());
    let rounds = Resource::new(|| (), |_| list_rounds());
    // A filter the server refuses is shown above the form; other errors are the error page.
    let data = move || async move {
        let trail = match trail.await {
            Err(error) if !matches!(error, AppError::Validation(_)) => return Err(error),
            other => other,
        };
        Ok((trail, regions.await?, rounds.await?))
    };
    view! {
        <Loaded data let((trail, regions, rounds))>
            <Title text="Audittrail"/>
            <h1>"Audittrail"</h1>
            <p class="lead">"Alles wat er op het platform is gebeurd, nieuwste eerst: inloggen, elke wijziging van een antwoord, indienen, terugsturen, goedkeuren, metingen, vragenlijsten en gebruikersbeheer. Niemand kan iets uit deze lijst wijzigen of verwijderen."</p>
            <AuditFilter regions rounds/>
            <AuditResults trail/>
        </Loaded>
    }
}

/// The filter as a GET form, filled in with the current query.
#[component]
fn AuditFilter(regions: Vec<Region>, rounds: Vec<RoundSummary>) -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked();
    let value = |name: &str| q.get(name).unwrap_or_default();
    let (region, round, kind) = (value("regio"), value("meting"), value("soort"));
    view! {
        <form method="get" class="filter-form" aria-label="Audittrail filteren">
            <div class="form-field">
                <label class="form-label" for="filter-gebruiker">"Gebruiker (e-mailadres)"</label>
                <input class="form-input" id="filter-gebruiker" name="gebruiker" type="search" maxlength="254" value=value("gebruiker")/>
            </div>
            <div class="form-field">
                <label class="form-label" for="filter-regio">"Regio"</label>
                <select class="form-select" id="filter-regio" name="regio">
                    <option value="">"Alle"</option>
                    {regions.into_iter().map(|r| {
                        let selected = r.code == region;
                        view! { <option value=r.code.clone() selected=selected>{format!("{} ({})", r.name, r.code)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-field">
                <label class="form-label" for="filter-meting">"Meting"</label>
                <select class="form-select" id="filter-meting" name="meting">
                    <option value="">"Alle"</option>
                    {rounds.into_iter().map(|r| {
                        let selected = r.id == round;
                        view! { <option value=r.id.clone() selected=selected>{r.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-field">
                <label class="form-label" for="filter-soort">"Soort"</label>
                <select class="form-select" id="filter-soort" name="soort">
                    <option value="">"Alle"</option>
                    {KINDS.iter().map(|(code, label)| view! {
                        <option value=*code selected=*code == kind>{*label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="form-field">
                <label class="form-label" for="filter-van">"Van"</label>
                <input class="form-input form-input--date" id="filter-van" name="van" type="date" value=value("van")/>
            </div>
            <div class="form-field">
                <label class="form-label" for="filter-tot">"Tot en met"</label>
                <input class="form-input form-input--date" id="filter-tot" name="tot" type="date" value=value("tot")/>
            </div>
            <button type="submit" class="button button--secondary">"Filteren"</button>
        </form>
    }
}

/// The export link with the same filter, then the events, or why the filter was refused.
#[component]
fn AuditResults(trail: Result<Trail, AppError>) -> impl IntoView {
    let query = use_query_map();
    let filter_query: String = {
        let q = query.read_untracked();
        FILTER_FIELDS
            .iter()
            .filter_map(|name| {
                q.get(name)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{name}={}", crate::domain::link::query_value(&v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let export = paths::with_query(paths::AUDIT_EXPORT, &filter_query);
    let body = match trail {
        Ok(trail) => view! { <TrailTable trail filter_query=filter_query.clone()/> }.into_any(),
        Err(error) => view! {
            <div class="error-summary" role="alert"><p>{error.to_string()}</p>
            {match &error {
                AppError::Validation(fields) => fields.iter().flat_map(|(_, m)| m.clone()).map(|m| view! { <p>{m}</p> }).collect_view().into_any(),
                _ => ().into_any(),
            }}</div>
        }.into_any(),
    };
    view! {
        <p><a href=export rel="external" download>"Exporteren als CSV (met dit filter)"</a></p>
        {body}
    }
}

#[component]
fn TrailTable(trail: Trail, filter_query: String) -> impl IntoView {
    let pages = trail.pages();
    let page = trail.page;
    let link = move |to: i64| {
        let page = format!("pagina={to}");
        let query = if filter_query.is_empty() {
            page
        } else {
            format!("{filter_query}&{page}")
        };
        paths::with_query(paths::AUDIT, &query)
    };
    view! {
        <p role="status">{format!("{} gebeurtenis(sen) gevonden; pagina {page} van {pages}.", trail.total)}</p>
        <ScrollTable label="Gebeurtenissen" caption="Gebeurtenissen, nieuwste eerst" hidden_caption=true
            class="audit-table"
            columns=&["Tijd", "Wie", "Wat", "Regio", "Meting", "Details"]>
            {trail.entries.into_iter().map(|entry| view! {
                <tr>
                    <td>{format_date_time(entry.occurred_at)}</td>
                    <td>{entry.actor}</td>
                    <td>{kind_label(&entry.kind).to_string()}</td>
                    <td>{entry.region_code.unwrap_or_default()}</td>
                    <td>{entry.round_name.unwrap_or_default()}</td>
                    <td class="audit-table__details">{entry.details}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
        <nav class="pager" aria-label="Pagina's">
            {(page > 1).then(|| view! { <a class="pager__previous" href=link(page - 1)>"Nieuwere"</a> })}
            {(page < pages).then(|| view! { <a class="pager__next" href=link(page + 1)>"Oudere"</a> })}
        </nav>
    }
}
