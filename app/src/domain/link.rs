//! Building links: the one percent-encoder for values put into a query string or a path.

use crate::paths;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What stays as it is in a query value: RFC 3986's unreserved characters, and `/`, which a
/// query may hold and which keeps a return path (`/login?terug=/vragenlijst/…`) readable.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// `text` percent-encoded (as UTF-8) for use as one value in a query string.
pub fn query_value(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// What stays as it is in one segment of a path: the unreserved characters only.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `text` percent-encoded (as UTF-8) for use as one segment of a path.
pub fn path_segment(text: &str) -> String {
    utf8_percent_encode(text, PATH_SEGMENT).to_string()
}

/// The login page, returning to `path` afterwards.
pub fn login_returning_to(path: &str) -> String {
    paths::returning_to(paths::LOGIN, &query_value(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_keep_paths_readable_and_encode_the_rest() {
        assert_eq!(
            query_value("/vragenlijst/abc-1/sectie/A"),
            "/vragenlijst/abc-1/sectie/A"
        );
        assert_eq!(query_value("a b&c=d?#"), "a%20b%26c%3Dd%3F%23");
        assert_eq!(query_value("Súdwest-Fryslân"), "S%C3%BAdwest-Frysl%C3%A2n");
        assert_eq!(query_value("50%+"), "50%25%2B");
        assert_eq!(login_returning_to("/beheer"), "/login?terug=/beheer");
        assert_eq!(path_segment("nad-2026.06"), "nad-2026.06");
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
    }
}
