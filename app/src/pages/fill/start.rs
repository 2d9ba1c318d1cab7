//! `/invullen`: the way in for those who fill in: coordinators, and region advisers.

use crate::api::responses::{my_open_responses, OpenResponse};
use crate::components::loaded::Loaded;
use crate::components::response::ProgrammeMark;
use crate::domain::access::SignedInUser;
use crate::domain::time::format_date;
use crate::error::AppError;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// `/invullen`: a coordinator goes to the task list of their region's running round; one who
/// coordinates regions in several programmes, with several running rounds, chooses one, as
/// does a region adviser among the regions they advise.
#[component]
pub fn FillStartPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| crate::api::auth::current_user());
    // Signed in with regions to fill in: their running rounds; otherwise nothing to load.
    let start = move || async move {
        let user = user.await?.ok_or(AppError::Unauthorized)?;
        let open = match user.fill_in_codes().next() {
            Some(_) => Some(my_open_responses().await?),
            None => None,
        };
        Ok((user, open))
    };
    view! {
        <Loaded data=start let((user, open))>
            {match open {
                Some(open) => view! { <OpenRounds user open/> }.into_any(),
                None => view! { <Redirect path=user.start_page()/> }.into_any(),
            }}
        </Loaded>
    }
}

/// The one running round's task list, a choice between several, or word that none is running.
#[component]
fn OpenRounds(user: SignedInUser, open: Vec<OpenResponse>) -> impl IntoView {
    let adviser = !user.advised_regions.is_empty();
    match open.len() {
        0 => view! { <NoneOpen user/> }.into_any(),
        1 if !adviser => view! { <Redirect path=paths::response(&open[0].id)/> }.into_any(),
        _ => view! {
            <Title text="Uw open metingen"/>
            <h1>"Uw open metingen"</h1>
            <p>{if adviser {
                "U vult als regioadviseur de vragenlijsten in van de regio's die u adviseert, in overleg met de regio. Kies waar u verder wilt gaan."
            } else {
                "U vult voor meer dan één programma een vragenlijst in. Kies waar u verder wilt gaan."
            }}</p>
            <ul class="choice-list">
                {open.into_iter().map(|response| view! {
                    <li class="choice-list__item">
                        <ProgrammeMark programme=response.programme.clone()/>
                        " "
                        <a href=paths::response(&response.id)>
                            {format!("{} · {}", response.region_name, response.round_name)}
                        </a>
                        <span class="choice-list__detail">
                            {format!(
                                "{} · {} · invullen tot en met {}",
                                response.programme.name,
                                response.status.label(),
                                format_date(response.deadline)
                            )}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any(),
    }
}

/// No running round for any of the coordinator's regions: where the earlier ones are.
#[component]
fn NoneOpen(user: SignedInUser) -> impl IntoView {
    let regions: Vec<(String, String)> = user
        .region_code
        .iter()
        .map(|code| {
            (
                code.clone(),
                user.region_name.clone().unwrap_or_else(|| code.clone()),
            )
        })
        .chain(
            user.other_regions
                .iter()
                .chain(&user.advised_regions)
                .map(|r| (r.code.clone(), r.name.clone())),
        )
        .collect();
    view! {
        <Title text="Geen open meting"/>
        <h1>"Geen open meting"</h1>
        {if regions.len() > 1 {
            view! {
                <p>"Er is op dit moment geen meting open voor uw regio's. Eerdere metingen leest u terug op de pagina van elke regio:"</p>
                <ul>
                    {regions.into_iter().map(|(code, name)| view! {
                        <li><a href=paths::region(&code)>{name}</a></li>
                    }).collect_view()}
                </ul>
            }.into_any()
        } else {
            let code = regions.first().map(|(code, _)| code.clone()).unwrap_or_default();
            view! {
                <p>"Er is op dit moment geen meting open voor uw regio. Eerdere metingen leest u terug op "
                    <a href=paths::region(&code)>"de pagina van uw regio"</a>"."</p>
            }.into_any()
        }}
    }
}
