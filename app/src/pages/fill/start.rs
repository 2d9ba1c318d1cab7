//! `/invullen`: the coordinator's way in.

use crate::api::responses::region_responses;
use crate::components::status::ErrorPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// `/invullen`: a coordinator goes to the task list of their region's open round.
#[component]
pub fn FillStartPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| crate::api::auth::current_user());
    view! {
        <Suspense fallback=|| view! { <p>"Laden…"</p> }>
            {move || Suspend::new(async move {
                let user = match user.await {
                    Ok(Some(user)) => user,
                    Ok(None) => return view! { <ErrorPage error=AppError::Unauthorized/> }.into_any(),
                    Err(error) => return view! { <ErrorPage error/> }.into_any(),
                };
                let Some(code) = user.region_code.clone() else {
                    return view! { <Redirect path=user.start_page()/> }.into_any();
                };
                match region_responses(code.clone()).await {
                    Ok(responses) => match responses.into_iter().find(|r| r.open) {
                        Some(open) => view! { <Redirect path=format!("/vragenlijst/{}", open.id)/> }.into_any(),
                        None => view! {
                            <Title text="Geen open meting"/>
                            <h1>"Geen open meting"</h1>
                            <p>"Er is op dit moment geen meting open voor uw regio. Eerdere metingen leest u terug op "
                                <a href=format!("/regio/{code}")>"de pagina van uw regio"</a>"."</p>
                        }.into_any(),
                    },
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
