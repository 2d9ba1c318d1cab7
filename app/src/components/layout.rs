//! The frame around every page: skip link, header with the user and the logout button,
//! navigation per role, footer.

use crate::domain::access::SignedInUser;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::paths;
use leptos::prelude::*;

pub type UserResource = Resource<Result<Option<SignedInUser>, AppError>>;

#[component]
pub fn SkipLink() -> impl IntoView {
    // rel="external": the browser, not the router, follows it, and so moves focus to main.
    view! { <a class="skip-link" href="#inhoud" rel="external">"Naar de inhoud"</a> }
}

/// Links for the signed-in user's role.
fn navigation(user: &SignedInUser) -> Vec<(String, &'static str)> {
    match user.role {
        Role::Admin => vec![
            (paths::ADMIN.to_string(), "Beheer"),
            (paths::USERS.to_string(), "Gebruikers"),
            (paths::QUESTIONNAIRES.to_string(), "Vragenlijsten"),
            (paths::ROUNDS.to_string(), "Metingen"),
            (paths::AUDIT.to_string(), "Audittrail"),
            (paths::REVIEW.to_string(), "Beoordelen"),
            (paths::REGIONS.to_string(), "Regio's"),
            (paths::NATIONAL.to_string(), "Landelijk beeld"),
        ],
        Role::Reviewer if user.advised_regions.is_empty() => vec![
            (paths::REVIEW.to_string(), "Beoordelen"),
            (paths::REGIONS.to_string(), "Regio's"),
            (paths::NATIONAL.to_string(), "Landelijk beeld"),
        ],
        // A region adviser also fills in the questionnaires of the regions they advise.
        Role::Reviewer => vec![
            (paths::REVIEW.to_string(), "Beoordelen"),
            (paths::FILL_START.to_string(), "Invullen als adviseur"),
            (paths::REGIONS.to_string(), "Regio's"),
            (paths::NATIONAL.to_string(), "Landelijk beeld"),
        ],
        // `/invullen`: the running round, or a choice between those of several programmes.
        Role::Coordinator if user.other_regions.is_empty() => {
            vec![(user.start_page(), "Mijn regio")]
        }
        Role::Coordinator => vec![(user.start_page(), "Mijn regio's")],
    }
}

#[component]
pub fn SiteHeader(user: UserResource) -> impl IntoView {
    let branding = super::branding::branding();
    let mark = if branding.has_logo {
        view! { <img class="site-header__image" src=crate::domain::branding::LOGO_PATH alt="" height="32"/> }.into_any()
    } else {
        view! { <span class="site-header__logo" aria-hidden="true">{branding.mark.clone()}</span> }
            .into_any()
    };
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-header__brand" href=paths::HOME>
                    {mark}
                    <span>{branding.platform_name.clone()}</span>
                </a>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(user)) => view! { <UserBar user/> }.into_any(),
                            _ => view! {
                                <a class="site-header__login" href=paths::LOGIN>"Inloggen"</a>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </header>
    }
}

#[component]
fn UserBar(user: SignedInUser) -> impl IntoView {
    let links = navigation(&user);
    // A coordinator in several programmes: every region, each with its programme's mark.
    let others: String = user
        .other_regions
        .iter()
        .map(|r| format!(", {} ({})", r.name, r.programme_short_name))
        .collect();
    // A region adviser: the regions they fill in.
    let advised: Vec<&str> = user
        .advised_regions
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    let role = match &user.region_name {
        Some(region) => format!("{} · {}{others}", user.role.label(), region),
        None if !advised.is_empty() => format!(
            "{} · regioadviseur van {}",
            user.role.label(),
            advised.join(", ")
        ),
        None => user.role.label().to_string(),
    };
    view! {
        <nav class="site-nav" aria-label="Hoofdmenu">
            <ul>
                {links
                    .into_iter()
                    .map(|(href, label)| view! { <li><a href=href>{label}</a></li> })
                    .collect_view()}
            </ul>
        </nav>
        <div class="site-header__user">
            <p class="site-header__who">
                <span class="site-header__name">{user.display_name}</span>
                <span class="site-header__role">{role}</span>
            </p>
            <a class="site-header__account" href=paths::ACCOUNT>"Mijn account"</a>
            <form method="post" action=paths::LOGOUT>
                <button type="submit" class="button button--secondary">"Uitloggen"</button>
            </form>
        </div>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let branding = super::branding::branding();
    view! {
        <footer class="site-footer">
            <p>
                {format!("Monitor van het {}. ", branding.programme_name)}
                "Vul in vrije tekstvelden nooit gegevens over cliënten in."
            </p>
            <nav aria-label="Over deze website">
                <ul class="site-footer__links">
                    <li><a href=paths::DASHBOARD>"Dashboard"</a></li>
                    <li><a href=paths::OPEN_DATA>"Open data"</a></li>
                    <li><a href=paths::HELP>"Hulp bij het invullen"</a></li>
                    <li><a href=paths::CONTACT>"Contact"</a></li>
                    <li><a href=paths::PRIVACY>"Privacy"</a></li>
                    <li><a href=paths::ACCESSIBILITY>"Toegankelijkheid"</a></li>
                </ul>
            </nav>
        </footer>
    }
}
