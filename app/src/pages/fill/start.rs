//! `/invullen`: the coordinator's way in.

use crate::api::responses::{region_responses, ResponseLink};
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// `/invullen`: a coordinator goes to the task list of their region's open round.
#[component]
pub fn FillStartPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| crate::api::auth::current_user());
    // Signed in with a region: its rounds; signed in without one: nothing to load.
    let start = move || async move {
        let user = user.await?.ok_or(AppError::Unauthorized)?;
        let responses = match user.region_code.clone() {
            Some(code) => Some(region_responses(code).await?),
            None => None,
        };
        Ok((user, responses))
    };
    view! {
        <Loaded data=start let((user, responses))>
            {match (user.region_code.clone(), responses) {
                (Some(code), Some(responses)) => view! { <OpenRoundOrNone code responses/> }.into_any(),
                _ => view! { <Redirect path=user.start_page()/> }.into_any(),
            }}
        </Loaded>
    }
}

/// The open round's response, or that there is none.
#[component]
fn OpenRoundOrNone(code: String, responses: Vec<ResponseLink>) -> impl IntoView {
    match responses.into_iter().find(|r| r.open) {
        Some(open) => view! { <Redirect path=paths::response(&open.id)/> }.into_any(),
        None => view! {
            <Title text="Geen open meting"/>
            <h1>"Geen open meting"</h1>
            <p>"Er is op dit moment geen meting open voor uw regio. Eerdere metingen leest u terug op "
                <a href=paths::region(&code)>"de pagina van uw regio"</a>"."</p>
        }.into_any(),
    }
}
