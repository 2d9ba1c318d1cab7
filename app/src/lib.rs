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
    leptos::mount::hydrate_body(app::App);
}
