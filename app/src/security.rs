//! The Content-Security-Policy: scripts only from this site or with this response's nonce
//! (Leptos puts the nonce on its hydration scripts), WebAssembly allowed, no framing.

use leptos::nonce::use_nonce;
use leptos::prelude::use_context;

/// The policy for a page whose inline scripts carry `nonce`.
pub fn policy_with_nonce(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
}

/// The policy for everything that is not a rendered page.
pub const STRICT_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Where the shell leaves the nonce of the page it renders, for the security layer around
/// every request (server/src/layers.rs), which puts it in the page's policy. The layer puts
/// an empty one in each request's extensions; the page reads it from the request's parts.
/// The layer, not the page's response options, sets the header: a header set through those
/// once went missing, and the page's own styles and scripts were refused.
#[derive(Clone, Default)]
pub struct PageNonce(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl PageNonce {
    pub fn get(&self) -> Option<String> {
        self.0.lock().ok()?.clone()
    }

    /// Sets the nonce of a page served without rendering it (a kept public page).
    pub fn set(&self, nonce: &str) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(nonce.to_string());
        }
    }
}

/// Leaves the nonce of this page where the security layer finds it to write the page's
/// policy. Called from the shell.
pub fn leave_page_nonce() {
    let (Some(nonce), Some(slot)) = (
        use_nonce(),
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<PageNonce>().cloned()),
    ) else {
        return;
    };
    slot.set(&nonce);
}
