//! The NAD questionnaire platform: domain, server functions, pages and components.
//!
//! `domain` is pure and compiled for both the browser (wasm) and the server; `services` holds
//! everything that touches the database and is compiled with the `ssr` feature only.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
pub mod paths;
/// The id of the request being served, for log lines and the user's error reference.
#[cfg(feature = "ssr")]
pub mod request_id;
/// The page's Content-Security-Policy nonce: written by the HTML shell, read by the server
/// crate's security layer, so it lives beside both rather than among the services.
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod services;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: the rest of every page is plain HTML that works as it is; only the interactive
    // parts (`#[island]`) are hydrated, each by the script Leptos puts in the page.
    leptos::mount::hydrate_islands();
    // `<html data-hydrated>` says the page is ready (the browser tests wait for it): at once on
    // a page without islands, otherwise when its island has hydrated.
    let document = leptos::prelude::document();
    if document
        .query_selector("leptos-island")
        .ok()
        .flatten()
        .is_none()
    {
        pages::mark_hydrated();
    }
}
