//! The NAD questionnaire platform: domain, server functions, pages and components.
//!
//! `domain` is pure and compiled for both the browser (wasm) and the server; `server` holds
//! everything that touches the database and is compiled with the `ssr` feature only.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Asynchronous, so that a lazy route's code can be fetched before its page is hydrated.
    // When the page is hydrated, `<html data-hydrated>` says so (the browser tests wait for it).
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("a document has a body");
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
}
