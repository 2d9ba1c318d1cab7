//! Pages for errors: not logged in, no access, not found. Each sets its HTTP status during
//! server rendering, so the status line tells the same story as the page.

use crate::error::AppError;
use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Sets the response status while rendering on the server; does nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(
            http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// What a page shows when loading its data failed.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthorized => {
            let location = use_location();
            let back = location.pathname.get_untracked();
            let target = crate::domain::link::login_returning_to(&back);
            view! { <Redirect path=target/> }.into_any()
        }
        AppError::Forbidden => {
            set_status(403);
            view! {
                <Title text="Geen toegang"/>
                <h1>"Geen toegang"</h1>
                <p>"U hebt geen toegang tot deze pagina. Ga naar "<a href=paths::HOME>"uw startpagina"</a>"."</p>
            }
            .into_any()
        }
        AppError::NotFound => view! { <NotFoundPage/> }.into_any(),
        other => {
            set_status(other.status());
            view! {
                <Title text="Er ging iets mis"/>
                <h1>"Er ging iets mis"</h1>
                <p>{other.to_string()}</p>
            }
            .into_any()
        }
    }
}

/// The 404 page, also the router's fallback.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Pagina niet gevonden"/>
        <h1>"Pagina niet gevonden"</h1>
        <p>"Deze pagina bestaat niet (meer). Controleer het adres, of ga naar "
            <a href=paths::HOME>"de startpagina"</a>"."</p>
    }
}

/// The tag style of a region's place in the review (overview, answers side by side).
pub fn review_status_class(status: crate::domain::review::ReviewStatus) -> &'static str {
    use crate::domain::review::ReviewStatus;
    match status {
        ReviewStatus::NotStarted => "tag",
        ReviewStatus::Busy => "tag tag--busy",
        ReviewStatus::Submitted => "tag tag--submitted",
        ReviewStatus::Returned => "tag tag--error",
        ReviewStatus::Approved => "tag tag--done",
    }
}
