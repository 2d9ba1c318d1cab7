//! The HTML shell and the routes.

use crate::api::auth::current_user;
use crate::components::layout::{SiteFooter, SiteHeader, SkipLink};
use crate::components::status::NotFoundPage;
use crate::pages::{
    admin, audit, fill, home, login, national, questionnaires, regions, review, rounds, users,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::security::set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|title: String| format!("{title} – NAD-monitor")/>
        <Router>
            <Frame/>
        </Router>
    }
}

/// Everything inside the router, so the header can follow navigation.
#[component]
fn Frame() -> impl IntoView {
    let location = use_location();
    // Refetched on every navigation: logging in or out changes who is shown.
    let user = Resource::new(move || location.pathname.get(), |_| current_user());
    view! {
        <SkipLink/>
        <SiteHeader user/>
        // Every page is rendered whole before it is sent (SsrMode::Async), so it can set its
        // status (403, 404) and redirect anonymous visitors to the login page.
        <main id="inhoud" class="page" tabindex="-1">
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=login::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/regios") view={Lazy::<RegionsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/regio/:code") view={Lazy::<RegionRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/invullen") view=fill::FillStartPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id") view=fill::TaskListPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/sectie/:section") view=fill::SectionPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/controleren") view=fill::CheckAnswersPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/afdrukken") view=fill::PrintPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/voortgang") view=fill::ProgressPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/beoordelen") view={Lazy::<ReviewResponseRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beoordelen") view={Lazy::<ReviewRoundsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beoordelen/:id") view={Lazy::<ReviewOverviewRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/landelijk") view={Lazy::<NationalRoundsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/landelijk/:id") view={Lazy::<NationalPictureRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer/gebruikers") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer/metingen") view={Lazy::<RoundsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer/metingen/:id") view={Lazy::<RoundRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer/gebruikers/:id/wachtwoord") view={Lazy::<PasswordRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer/vragenlijsten") view={Lazy::<QuestionnairesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer/vragenlijsten/poging/:id") view={Lazy::<ImportAttemptRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/beheer/vragenlijsten/:identifier/:version") view={Lazy::<QuestionnairePreviewRoute>::new()} ssr=SsrMode::Async/>
            </Routes>
        </main>
        <SiteFooter/>
    }
}

/// The pages of reviewers and admins are lazy routes: with `cargo leptos build --split` the
/// code of each is a separate piece of wasm that the browser fetches when the page is first
/// shown (on the server, and in a build without `--split`, nothing changes). Coordinators
/// thus download the code of filling in only; its pages stay in the main piece, so a section
/// opens without waiting for more.
macro_rules! lazy_pages {
    ($($route:ident => $module:ident :: $page:ident,)*) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                untrack($module::$page).into_any()
            }
        }
    )*};
}

lazy_pages! {
    RegionsRoute => regions::RegionsPage,
    RegionRoute => regions::RegionPage,
    ReviewResponseRoute => review::ReviewResponsePage,
    ReviewRoundsRoute => review::ReviewRoundsPage,
    ReviewOverviewRoute => review::ReviewOverviewPage,
    NationalRoundsRoute => national::NationalRoundsPage,
    NationalPictureRoute => national::NationalPicturePage,
    AdminRoute => admin::AdminPage,
    UsersRoute => users::UsersPage,
    AuditRoute => audit::AuditPage,
    RoundsRoute => rounds::RoundsPage,
    RoundRoute => rounds::RoundPage,
    PasswordRoute => users::PasswordPage,
    QuestionnairesRoute => questionnaires::QuestionnairesPage,
    ImportAttemptRoute => questionnaires::ImportAttemptPage,
    QuestionnairePreviewRoute => questionnaires::QuestionnairePreviewPage,
}
