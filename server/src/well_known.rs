//! `GET /.well-known/security.txt` (RFC 9116): where to report a vulnerability. The contact
//! comes from `NAD_SECURITY_CONTACT`, the canonical address from `NAD_PUBLIC_URL`; both are
//! read when the file is asked for, and `Expires` is always a year from then, so the file
//! never goes stale while the platform runs.

use app::paths;
use axum::http::header;
use axum::response::IntoResponse;

/// Where reports go when `NAD_SECURITY_CONTACT` is not set.
pub const DEFAULT_CONTACT: &str = "mailto:security@nad.example";
/// The setting with the contact: one or more (separated by `,`) `mailto:`, `https://` or
/// `tel:` addresses; a bare e-mail address gets `mailto:`.
pub const CONTACT_VARIABLE: &str = "NAD_SECURITY_CONTACT";
/// The setting with the platform's public address (`https://…`), for `Canonical`.
pub const PUBLIC_URL_VARIABLE: &str = "NAD_PUBLIC_URL";
/// How long the file is valid after it is served.
const VALID_MS: i64 = 365 * 24 * 60 * 60 * 1000;

pub async fn security_txt() -> impl IntoResponse {
    let contact = std::env::var(CONTACT_VARIABLE).ok();
    let public_url = std::env::var(PUBLIC_URL_VARIABLE).ok();
    let body = security_text(
        contact.as_deref(),
        public_url.as_deref(),
        app::services::now_ms(),
    );
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        body,
    )
}

/// The file: `Contact` lines, `Expires` a year after `now_ms`, `Preferred-Languages`, and
/// `Canonical` when the public address is an `https://` address.
pub fn security_text(contact: Option<&str>, public_url: Option<&str>, now_ms: i64) -> String {
    let mut contacts: Vec<String> = contact
        .unwrap_or_default()
        .split(',')
        .filter_map(contact_uri)
        .collect();
    if contacts.is_empty() {
        if contact.is_some_and(|c| !c.trim().is_empty()) {
            tracing::warn!(
                "{CONTACT_VARIABLE} is not a mailto:, https:// or tel: address; using {DEFAULT_CONTACT}"
            );
        }
        contacts.push(DEFAULT_CONTACT.to_string());
    }
    let mut text = String::new();
    for contact in contacts {
        text.push_str(&format!("Contact: {contact}\n"));
    }
    text.push_str(&format!("Expires: {}\n", rfc3339(now_ms + VALID_MS)));
    text.push_str("Preferred-Languages: nl, en\n");
    if let Some(base) = public_url.map(|url| url.trim().trim_end_matches('/')) {
        if base.starts_with("https://") && base.len() > "https://".len() && is_clean(base) {
            text.push_str(&format!("Canonical: {base}{}\n", paths::SECURITY_TXT));
        }
    }
    text
}

/// One contact as a URI, or `None` when it is not one this file may carry.
fn contact_uri(contact: &str) -> Option<String> {
    let contact = contact.trim();
    if contact.is_empty() || !is_clean(contact) {
        return None;
    }
    let lower = contact.to_ascii_lowercase();
    if ["mailto:", "https://", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && contact.len() > scheme.len())
    {
        Some(contact.to_string())
    } else if contact.contains('@') && !contact.contains(':') {
        Some(format!("mailto:{contact}"))
    } else {
        None
    }
}

/// No spaces or control characters: one value on one line.
fn is_clean(text: &str) -> bool {
    !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// UTC milliseconds as an RFC 3339 time in whole seconds, `2027-06-01T12:00:00Z`.
fn rfc3339(utc_ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(utc_ms.div_euclid(1000))
        .ok()
        .and_then(|moment| {
            moment
                .format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_798_761_599_999), "2026-12-31T23:59:59Z");
    }

    #[test]
    fn contacts_are_uris_and_nothing_else() {
        let contacts = |setting: &str| {
            security_text(Some(setting), None, 0)
                .lines()
                .filter_map(|line| line.strip_prefix("Contact: "))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            contacts("beveiliging@vng.nl"),
            ["mailto:beveiliging@vng.nl"]
        );
        assert_eq!(
            contacts("mailto:a@b.nl, https://vng.nl/melden"),
            ["mailto:a@b.nl", "https://vng.nl/melden"]
        );
        assert_eq!(contacts("tel:+31-70-000-0000"), ["tel:+31-70-000-0000"]);
        for wrong in ["", "   ", "http://vng.nl", "javascript:alert(1)", "mailto:"] {
            assert_eq!(contacts(wrong), [DEFAULT_CONTACT], "{wrong:?}");
        }
        assert_eq!(
            security_text(None, None, 0),
            "Contact: mailto:security@nad.example\nExpires: 1971-01-01T00:00:00Z\n\
             Preferred-Languages: nl, en\n"
        );
    }

    #[test]
    fn canonical_only_for_an_https_address() {
        let canonical = |url: &str| {
            security_text(None, Some(url), 0)
                .lines()
                .find_map(|line| line.strip_prefix("Canonical: "))
                .map(str::to_string)
        };
        assert_eq!(
            canonical("https://monitor.nad.example/").as_deref(),
            Some("https://monitor.nad.example/.well-known/security.txt")
        );
        assert_eq!(canonical("http://127.0.0.1:3000"), None);
        assert_eq!(canonical("https://"), None);
        assert_eq!(canonical("https://a.example\nContact: x"), None);
    }
}
