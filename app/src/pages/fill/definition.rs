//! The questionnaire the section form's conditions need, fetched apart from the page: one
//! file per version (`LoadedVersion::form_resource_path`), named by a hash of its content, so
//! the browser keeps it and fetches it once per version rather than with every page.

use super::section::names::SUMMARY_BOX_ATTRIBUTE;
use crate::domain::questionnaire::model::{Index, Questionnaire};
use leptos::prelude::{document, window};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The questionnaire with its index, as the conditions are evaluated.
pub struct Conditions {
    pub questionnaire: Questionnaire,
    pub index: Index,
}

/// How often the file is asked for before the page gives up on live conditions.
const TRIES: u32 = 3;

/// The questionnaire at `url`: three tries, one and two seconds apart. `None` when none
/// succeeds (offline, the session ended, a server that no longer has this version).
pub async fn fetch(url: &str) -> Option<Conditions> {
    for attempt in 0..TRIES {
        if attempt > 0 {
            pause(1000 * attempt as i32).await;
        }
        if let Some(questionnaire) = fetch_once(url).await {
            let index = questionnaire.index().ok()?;
            return Some(Conditions {
                questionnaire,
                index,
            });
        }
    }
    None
}

async fn fetch_once(url: &str) -> Option<Questionnaire> {
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    postcard::from_bytes(&js_sys::Uint8Array::new(&buffer).to_vec()).ok()
}

async fn pause(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ =
            window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
    });
    let _ = JsFuture::from(promise).await;
}

/// The file did not arrive: answers still save, but questions that depend on other answers
/// appear or disappear only when the page is loaded again. Said above the form.
pub fn show_not_loaded() {
    if let Ok(Some(summary)) = document().query_selector(&format!("[{SUMMARY_BOX_ATTRIBUTE}]")) {
        if let Ok(message) = document().create_element("p") {
            let _ = message.set_attribute("class", "warning-text");
            message.set_text_content(Some(
                "Uw antwoorden worden opgeslagen, maar vragen die van andere antwoorden \
                 afhangen verschijnen of verdwijnen pas als u de pagina opnieuw laadt.",
            ));
            let _ = summary.append_child(&message);
        }
    }
}
