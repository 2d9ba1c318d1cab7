//! The public information pages: anyone may read them, without logging in.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One information page: its title and its text as HTML (made safe on the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoPage {
    pub title: String,
    pub html: String,
}

#[server(endpoint = "info")]
pub async fn get_info_page(name: String) -> Result<InfoPage, AppError> {
    use crate::services::{content, request};
    let state = request::state()?;
    let page = content::page(state.config.content_dir.as_deref(), &name)?;
    Ok(InfoPage {
        title: page.title,
        html: page.html,
    })
}
