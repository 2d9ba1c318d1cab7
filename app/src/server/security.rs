//! The Content-Security-Policy: scripts only from this site or with this response's nonce
//! (Leptos puts the nonce on its hydration scripts), WebAssembly allowed, no framing.

use leptos::nonce::use_nonce;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

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

/// Sets the page's policy with the nonce of this response. Called from the shell.
pub fn set_content_security_policy() {
    let (Some(nonce), Some(options)) = (use_nonce(), use_context::<ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&policy_with_nonce(&nonce)) {
        options.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
