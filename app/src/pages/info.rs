//! `/toegankelijkheid`, `/privacy`, `/help`, `/contact`: the pages a public-sector service
//! must have, linked from every page's footer and readable without logging in. Their texts
//! are files operators edit (see `services::content`).

use crate::api::info::get_info_page;
use crate::components::loaded::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn InfoPage(name: &'static str) -> impl IntoView {
    let page = Resource::new(move || name, |name| get_info_page(name.to_string()));
    view! {
        <Loaded data=page let:page>
            <Title text=page.title.clone()/>
            <div class="narrow info-page" inner_html=page.html></div>
        </Loaded>
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! { <InfoPage name="toegankelijkheid"/> }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <InfoPage name="privacy"/> }
}

#[component]
pub fn HelpPage() -> impl IntoView {
    view! { <InfoPage name="help"/> }
}

#[component]
pub fn ContactPage() -> impl IntoView {
    view! { <InfoPage name="contact"/> }
}
