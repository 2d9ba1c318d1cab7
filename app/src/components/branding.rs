//! The operator's branding (`domain::branding`) as the pages read it: from the server's
//! settings while rendering, the defaults elsewhere (only the section form runs in the
//! browser, and it shows no branding).

use crate::domain::branding::Branding;

pub fn branding() -> Branding {
    #[cfg(feature = "ssr")]
    if let Some(state) = leptos::prelude::use_context::<crate::services::state::AppState>() {
        return state.config.branding.clone();
    }
    Branding::default()
}
