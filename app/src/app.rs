//! The HTML shell and the routes.

use crate::api::auth::current_user;
use crate::components::layout::{SiteFooter, SiteHeader, SkipLink};
use crate::components::status::NotFoundPage;
use crate::pages::{
    account, admin, audit, dashboard, fill, home, info, item_answers, login, national, open_data,
    outbox, publish, questionnaires, regions, review, rounds, two_factor, users,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::leave_page_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                // The operator's colours, after the stylesheet so they win.
                <link rel="stylesheet" href=crate::domain::branding::STYLE_PATH/>
                <HydrationScripts options islands=true/>
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
    let platform = crate::components::branding::branding().platform_name;
    view! {
        <Title formatter=move |title: String| format!("{title} – {platform}")/>
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
                <Route path=path!("/toegankelijkheid") view=info::AccessibilityPage ssr=SsrMode::Async/>
                <Route path=path!("/privacy") view=info::PrivacyPage ssr=SsrMode::Async/>
                <Route path=path!("/help") view=info::HelpPage ssr=SsrMode::Async/>
                <Route path=path!("/contact") view=info::ContactPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard") view=dashboard::DashboardPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/regio/:code") view=dashboard::RegionDashboardPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:round") view=dashboard::DashboardPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:round/regio/:code") view=dashboard::RegionDashboardPage ssr=SsrMode::Async/>
                <Route path=path!("/open-data") view=open_data::OpenDataPage ssr=SsrMode::Async/>
                <Route path=path!("/login/code") view=two_factor::CodePage ssr=SsrMode::Async/>
                <Route path=path!("/tweestapsverificatie") view=two_factor::SetupPage ssr=SsrMode::Async/>
                <Route path=path!("/tweestapsverificatie/herstelcodes") view=two_factor::RecoveryCodesPage ssr=SsrMode::Async/>
                <Route path=path!("/wachtwoord-vergeten") view=account::ForgotPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/wachtwoord-kiezen") view=account::ChoosePasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/mijn-account") view=account::AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/regios") view=regions::RegionsPage ssr=SsrMode::Async/>
                <Route path=path!("/regio/:code") view=regions::RegionPage ssr=SsrMode::Async/>
                <Route path=path!("/invullen") view=fill::FillStartPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id") view=fill::TaskListPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/sectie/:section") view=fill::SectionPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/controleren") view=fill::CheckAnswersPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/afdrukken") view=fill::PrintPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/voortgang") view=fill::ProgressPage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/beoordelen") view=review::ReviewResponsePage ssr=SsrMode::Async/>
                <Route path=path!("/vragenlijst/:id/openstaand") view=review::FindingsPage ssr=SsrMode::Async/>
                <Route path=path!("/beoordelen") view=review::ReviewRoundsPage ssr=SsrMode::Async/>
                <Route path=path!("/beoordelen/:id") view=review::ReviewOverviewPage ssr=SsrMode::Async/>
                <Route path=path!("/beoordelen/:id/antwoorden") view=item_answers::ItemAnswersPage ssr=SsrMode::Async/>
                <Route path=path!("/landelijk") view=national::NationalRoundsPage ssr=SsrMode::Async/>
                <Route path=path!("/landelijk/:id") view=national::NationalPicturePage ssr=SsrMode::Async/>
                <Route path=path!("/beheer") view=admin::AdminPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/gebruikers") view=users::UsersPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/audit") view=audit::AuditPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/metingen") view=rounds::RoundsPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/regios") view=regions::RegionsAdminPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/metingen/:id") view=rounds::RoundPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/metingen/:id/publiceren") view=publish::PublishPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/gebruikers/:id") view=users::UserPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/uitgaande-mail") view=outbox::OutboxPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/vragenlijsten") view=questionnaires::QuestionnairesPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/vragenlijsten/poging/:id") view=questionnaires::ImportAttemptPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/vragenlijsten/controle/:id") view=questionnaires::UploadPreviewPage ssr=SsrMode::Async/>
                <Route path=path!("/beheer/vragenlijsten/:identifier/:version") view=questionnaires::QuestionnairePreviewPage ssr=SsrMode::Async/>
            </Routes>
        </main>
        <SiteFooter/>
    }
}
