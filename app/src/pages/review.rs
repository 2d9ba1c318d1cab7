//! Reviewing: `/beoordelen` (the rounds), `/beoordelen/:id` (the completeness overview of a
//! round: every region, sortable and filterable) and `/vragenlijst/:id/beoordelen` (one
//! response with the previous round's answers, comment threads, each answer's history, and
//! sending back or approving). Every form works without JavaScript.

use crate::api::review::{
    get_review, get_review_overview, AddComment, ApproveResponse, ResolveComment, ReturnResponse,
    ReviewItem, ReviewOverview, ReviewPage, VoidApproval,
};
use crate::components::form::{ErrorSummary, TextField};
use crate::components::loaded::Loaded;
use crate::components::notice::ChangeNotice;
use crate::components::opened_rounds::OpenedRounds;
use crate::components::response::ResponseBanner;
use crate::components::status::review_status_class as status_class;
use crate::domain::link::query_value;
use crate::domain::questionnaire::completeness::ItemStatus;
use crate::domain::review::findings::{FindingKind, ProblemFilter};
use crate::domain::review::{
    CommentThread, OverviewRow, ReviewAction, ReviewStatus, SortKey, MAX_COMMENT_CHARS,
    MAX_SEARCH_CHARS,
};
use crate::domain::round::MAX_REASON_CHARS;
use crate::domain::time::format_date_time;
use crate::error::AppError;
use crate::paths;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

mod findings;
mod response;

pub use findings::FindingsPage;
pub use response::ReviewResponsePage;

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// `/beoordelen`: the rounds there is something to review in.
#[component]
pub fn ReviewRoundsPage() -> impl IntoView {
    view! {
        <OpenedRounds title="Beoordelen" link=paths::review_round
            lead="Kies een meting om te zien hoe ver elke regio is en de ingediende vragenlijsten te beoordelen."/>
    }
}

/// `/beoordelen/:id`: every participating region with its completeness. Sorting, the filters,
/// the search and the page are query parameters, so links and a GET form do it without
/// JavaScript.
#[component]
pub fn ReviewOverviewPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let overview = Resource::new(
        move || {
            let q = query.read();
            let page = q.get("pagina").and_then(|page| page.parse::<i64>().ok());
            let asked = [
                q.get("sorteer"),
                q.get("volgorde"),
                q.get("status"),
                q.get("probleem"),
                q.get("zoek"),
            ];
            (id(), asked, page)
        },
        |(id, [sort, order, status, problem, search], page)| {
            get_review_overview(id, sort, order, status, problem, search, page)
        },
    );
    view! {
        <Loaded data=overview let:overview>
            <Overview overview/>
        </Loaded>
    }
}

/// The overview's address with its filters and search, sorted as given, on page `page`.
fn overview_link(
    round_id: &str,
    filters: &[(&str, String)],
    sort: SortKey,
    descending: bool,
    page: usize,
) -> String {
    let mut query = format!("sorteer={}", sort.code());
    if descending {
        query.push_str("&volgorde=af");
    }
    for (name, value) in filters.iter().filter(|(_, value)| !value.is_empty()) {
        query.push_str(&format!("&{name}={}", query_value(value)));
    }
    if page > 1 {
        query.push_str(&format!("&pagina={page}"));
    }
    paths::with_query(&paths::review_round(round_id), &query)
}

#[component]
fn Overview(overview: ReviewOverview) -> impl IntoView {
    let query = use_query_map();
    let status_filter = query.read_untracked().get("status").unwrap_or_default();
    let problem_filter = query.read_untracked().get("probleem").unwrap_or_default();
    let ReviewOverview {
        round,
        totals,
        rows,
        page,
        sort,
        descending,
        search,
    } = overview;
    let round_id = round.id.clone();
    let filters = vec![
        ("status", status_filter.clone()),
        ("probleem", problem_filter.clone()),
        ("zoek", search.clone()),
    ];
    // A column header links to sorting by it (from the first page); the current column
    // flips its order.
    let header = {
        let round_id = round_id.clone();
        let filters = filters.clone();
        move |key: SortKey| {
            let next_descending = key == sort && !descending;
            let href = overview_link(&round_id, &filters, key, next_descending, 1);
            let aria_sort = (key == sort).then_some(if descending {
                "descending"
            } else {
                "ascending"
            });
            view! {
                <th scope="col" aria-sort=aria_sort>
                    <a href=href>{key.label()}
                        <span class="visually-hidden">{if next_descending { " (aflopend sorteren)" } else { " (oplopend sorteren)" }}</span>
                    </a>
                </th>
            }
        }
    };
    let page_link = |number: usize| overview_link(&round_id, &filters, sort, descending, number);
    let pager = (page.pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pagina's van het overzicht">
                {(page.number > 1).then(|| view! {
                    <a class="pager__previous" href=page_link(page.number - 1)>"Vorige pagina"</a>
                })}
                <span>{format!("Pagina {} van {}", page.number, page.pages)}</span>
                {(page.number < page.pages).then(|| view! {
                    <a class="pager__next" href=page_link(page.number + 1)>"Volgende pagina"</a>
                })}
            </nav>
        }
    });
    let caption = if page.pages > 1 {
        format!(
            "{} regio's met hun voortgang, gesorteerd op {}; pagina {} van {}",
            page.matching,
            sort.label().to_lowercase(),
            page.number,
            page.pages
        )
    } else {
        format!(
            "{} regio's met hun voortgang, gesorteerd op {}",
            page.matching,
            sort.label().to_lowercase()
        )
    };
    view! {
        <Title text=format!("Beoordelen – {}", round.name)/>
        <p class="breadcrumb"><a href=paths::REVIEW>"Beoordelen"</a></p>
        <h1>{round.name.clone()}</h1>
        <p class="lead"><strong>{totals.headline()}</strong>
            {format!(" · {} open opmerking(en) · meting {}", totals.open_comments, round.state.label().to_lowercase())}</p>
        <ul class="status-totals">
            {totals.per_status.iter().map(|(status, count)| view! {
                <li><strong class=status_class(*status)>{status.label()}</strong>" "{*count}</li>
            }).collect_view()}
        </ul>
        <form method="get" class="filter-form">
            <input type="hidden" name="sorteer" value=sort.code()/>
            {descending.then(|| view! { <input type="hidden" name="volgorde" value="af"/> })}
            <div class="form-field">
                <label class="form-label" for="filter-status">"Status"</label>
                <select class="form-select" id="filter-status" name="status">
                    <option value="" selected=status_filter.is_empty()>"Alle regio's"</option>
                    {ReviewStatus::ALL.into_iter().map(|status| view! {
                        <option value=status.code() selected=status_filter == status.code()>{status.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="form-field">
                <label class="form-label" for="filter-probleem">"Openstaande punten"</label>
                <select class="form-select" id="filter-probleem" name="probleem">
                    <option value="" selected=problem_filter.is_empty()>"Alle regio's"</option>
                    {ProblemFilter::ALL.into_iter().map(|problem| view! {
                        <option value=problem.code() selected=problem_filter == problem.code()>{problem.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="form-field">
                <label class="form-label" for="filter-zoek">"Regio zoeken"</label>
                <input type="search" class="form-input" id="filter-zoek" name="zoek" value=search.clone()
                    maxlength=MAX_SEARCH_CHARS.to_string() autocomplete="off"/>
            </div>
            <button type="submit" class="button button--secondary">"Filteren"</button>
        </form>
        <div class="table-scroll" role="region" tabindex="0" aria-label="Regio's met hun voortgang">
            <table class="table review-overview">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    {SortKey::ALL.into_iter().map(header).collect_view()}
                    <th scope="col">"Ingevuld door"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <OverviewLine row/> }).collect_view()}
                </tbody>
            </table>
        </div>
        {(page.matching == 0).then(|| view! {
            <p>{if totals.participating == 0 {
                "Aan deze meting doen geen regio's mee."
            } else if search.is_empty() {
                "Geen regio's die aan dit filter voldoen."
            } else {
                "Geen regio's die aan dit filter en deze zoekterm voldoen."
            }}</p>
        })}
        {pager}
        <p><a href=paths::national_round(&round_id)>"Landelijk beeld van deze meting"</a></p>
        <p><a href=paths::item_answers(&round_id)>"Antwoorden per vraag naast elkaar"</a>
            " – één vraag bij alle regio's, met het antwoord van de vorige meting ernaast"</p>
        <crate::components::exports::ExportLinks round_id=round_id.clone()/>
    }
}

#[component]
fn OverviewLine(row: OverviewRow) -> impl IntoView {
    let percent = row.percent_complete();
    let missing = row.missing();
    let name = format!("{} ({})", row.region_name, row.region_code);
    // A count above zero links to that kind's list on the region's drill-down.
    let drill_down = |count: usize, kind: FindingKind, what: &str| match &row.response_id {
        Some(id) if count > 0 => view! {
            <a href=format!("{}#{}", paths::response_findings(id), kind.anchor())>{count}
                <span class="visually-hidden">{format!(" {what}: {}", row.region_name)}</span></a>
        }
        .into_any(),
        _ => view! { <span>{count}</span> }.into_any(),
    };
    let counts = (
        drill_down(missing, FindingKind::Missing, "ontbrekend"),
        drill_down(row.blocking, FindingKind::Invalid, "fouten"),
        drill_down(row.warnings, FindingKind::Warning, "waarschuwingen"),
        drill_down(
            row.open_comments,
            FindingKind::OpenComment,
            "open opmerkingen",
        ),
    );
    view! {
        <tr>
            <th scope="row">
                {match row.response_id.clone() {
                    Some(id) => view! { <a href=paths::response_review(&id)>{name}</a> }.into_any(),
                    None => view! { <span>{name}</span> }.into_any(),
                }}
            </th>
            <td><strong class=status_class(row.status)>{row.status.label()}</strong></td>
            <td>{format!("{percent}%")}<progress class="progress" max="100" value=percent aria-hidden="true"></progress></td>
            <td>{counts.0}</td>
            <td>{counts.1}</td>
            <td>{counts.2}</td>
            <td>{counts.3}</td>
            <td>{row.last_activity.map_or_else(|| "–".to_string(), |activity| format!("{} door {}", format_date_time(activity.at), activity.by))}</td>
            <td>{row.filled_in_by.label()}
                {row.agreement.map(|agreement| view! { <br/><span class="caption">{agreement.describe()}</span> })}</td>
        </tr>
    }
}

/// The confirmation after a review action, from the `melding` query parameter.
fn notice_text(code: &str) -> Option<&'static str> {
    match code {
        "teruggestuurd" => Some(
            "De vragenlijst is teruggestuurd. De regio kan haar weer wijzigen en opnieuw indienen.",
        ),
        "goedgekeurd" => Some("De vragenlijst is goedgekeurd en vergrendeld."),
        "heropend" => {
            Some("De goedkeuring is ingetrokken; de vragenlijst is teruggestuurd naar de regio.")
        }
        "opmerking" => Some("Uw opmerking is geplaatst."),
        "afgehandeld" => Some("De opmerking is afgehandeld."),
        "heropend-opmerking" => Some("De opmerking staat weer open."),
        _ => None,
    }
}
