//! `/`: sends each user to the start page of their role, and anonymous visitors to login.

use crate::api::auth::current_user;
use crate::components::loaded::Loaded;
use crate::paths;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Loaded data=user let:user>
            <Redirect path=user.map_or_else(|| paths::LOGIN.to_string(), |user| user.start_page())/>
        </Loaded>
    }
}
