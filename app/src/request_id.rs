//! The id of the request being served. The server's outermost layer gives every request one
//! (or keeps the one a proxy in front of it set), sends it back in the `x-request-id` header,
//! and puts it on the request's log span; an internal error logs its cause under it and shows
//! it to the user, so a question to the helpdesk leads straight to the log lines.

use std::future::Future;

/// The header that carries the id, in and out.
pub const HEADER: &str = "x-request-id";

/// The longest id accepted from a proxy; anything longer, or with other characters than
/// letters, digits, `-` and `_`, is replaced by our own.
const MAX_ACCEPTED_CHARS: usize = 64;

tokio::task_local! {
    static CURRENT: String;
}

/// A new id: 12 random hexadecimal digits, short enough to read out over the phone.
pub fn new_id() -> String {
    let mut id = uuid::Uuid::new_v4().simple().to_string();
    id.truncate(12);
    id
}

/// The id a proxy in front of us set, if it is one we can safely log and show; else a new one.
pub fn accept_or_new(incoming: Option<&str>) -> String {
    match incoming {
        Some(id)
            if !id.is_empty()
                && id.len() <= MAX_ACCEPTED_CHARS
                && id
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_') =>
        {
            id.to_string()
        }
        _ => new_id(),
    }
}

/// Runs `future` as the request with this id.
pub async fn scope<F: Future>(id: String, future: F) -> F::Output {
    CURRENT.scope(id, future).await
}

/// The id of the request this task serves, if it runs inside one (see `scope`).
pub fn try_current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// The id of the request being served: from the task (server functions, form posts), else
/// from the request's headers in the page's context (a page's data loads in tasks of its own),
/// else a new id, so that a log line and a user's message always share one.
pub fn current() -> String {
    if let Some(id) = try_current() {
        return id;
    }
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(HEADER)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_else(new_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_short_hexadecimal_and_differ() {
        let (a, b) = (new_id(), new_id());
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|byte| byte.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn a_proxys_id_is_kept_only_when_it_is_safe_to_log() {
        assert_eq!(accept_or_new(Some("lb-7f3a_01")), "lb-7f3a_01");
        for unsafe_id in ["", "a b", "x\ny", "ø", &"a".repeat(65)] {
            let replaced = accept_or_new(Some(unsafe_id));
            assert_ne!(replaced, unsafe_id);
            assert_eq!(replaced.len(), 12);
        }
        assert_eq!(accept_or_new(None).len(), 12);
    }

    #[tokio::test]
    async fn the_id_is_the_scope_s_inside_and_none_outside() {
        assert_eq!(try_current(), None);
        let inside = scope("abc".to_string(), async { current() }).await;
        assert_eq!(inside, "abc");
        assert_eq!(current().len(), 12);
    }
}
