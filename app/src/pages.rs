//! One module per route.

pub mod account;
pub mod admin;
pub mod audit;
pub mod dashboard;
pub mod fill;
pub mod home;
pub mod info;
pub mod item_answers;
pub mod login;
pub mod national;
pub mod open_data;
pub mod outbox;
pub mod publish;
pub mod questionnaires;
pub mod regions;
pub mod review;
pub mod rounds;
pub mod two_factor;
pub mod users;

/// Sets `<html data-hydrated>`: the page's interactive parts are live (the browser tests wait
/// for it).
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
