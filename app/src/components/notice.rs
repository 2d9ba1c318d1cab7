//! The confirmation a page shows after a change. A form's server function redirects back with
//! `?melding=<code>`, so the confirmation also appears after a post without JavaScript; each
//! page maps its codes to Dutch texts.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query parameter that names what the previous request did.
pub const NOTICE_PARAMETER: &str = "melding";

/// The text `text_of` gives the code in this page's `melding` parameter, if any.
pub fn notice_from_query(
    text_of: fn(&str) -> Option<String>,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get(NOTICE_PARAMETER)
            .and_then(|code| text_of(&code))
    }
}

/// A confirmation, announced to screen readers.
#[component]
pub fn Notice(text: String) -> impl IntoView {
    view! { <div class="notice" role="status"><p>{text}</p></div> }
}

/// The confirmation after a change, from the `melding` query parameter.
#[component]
pub fn ChangeNotice(text_of: fn(&str) -> Option<String>) -> impl IntoView {
    let notice = notice_from_query(text_of);
    move || notice().map(|text| view! { <Notice text/> })
}
