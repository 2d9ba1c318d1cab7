//! `/.well-known/security.txt` through the router: its fields (RFC 9116), the contact and
//! canonical address from the settings, and that anyone may read it.

mod support;

use axum::http::{header, StatusCode};
use support::*;

/// Days since 1970 of a civil date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2027-06-01T12:00:00Z` as UTC milliseconds.
fn parse_rfc3339(text: &str) -> i64 {
    assert_eq!(text.len(), 20, "{text}");
    assert!(text.ends_with('Z') && &text[10..11] == "T", "{text}");
    let number = |range: std::ops::Range<usize>| text[range].parse::<i64>().unwrap();
    let days = days_from_civil(number(0..4), number(5..7), number(8..10));
    ((days * 24 + number(11..13)) * 60 + number(14..16)) * 60_000 + number(17..19) * 1000
}

/// The fields of the file, in order.
fn fields(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|line| {
            let (name, value) = line.split_once(": ").unwrap_or_else(|| panic!("{line:?}"));
            (name.to_string(), value.to_string())
        })
        .collect()
}

// One test: it changes the process's environment, which no other test in this file reads.
#[tokio::test]
async fn security_txt_names_a_contact_expires_in_a_year_and_is_public() {
    on_every_database(|state| async move {
        std::env::remove_var("NAD_SECURITY_CONTACT");
        std::env::remove_var("NAD_PUBLIC_URL");
        seed(&state).await;

        // Anyone may read it, logged in or not.
        let admin = login(&state, "admin@test.nl").await;
        for cookie in [None, Some(admin.as_str())] {
            let reply = send(&state, get("/.well-known/security.txt", cookie)).await;
            assert_eq!(reply.status(), StatusCode::OK);
            assert_eq!(
                reply.headers()[header::CONTENT_TYPE],
                "text/plain; charset=utf-8"
            );
            let now = app::services::now_ms();
            let text = body_text(reply).await;
            let fields = fields(&text);
            let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
            assert_eq!(
                names,
                ["Contact", "Expires", "Preferred-Languages"],
                "{text}"
            );
            assert_eq!(fields[0].1, "mailto:security@nad.example");
            assert_eq!(fields[2].1, "nl, en");
            // A year ahead, worked out when asked.
            let expires = parse_rfc3339(&fields[1].1);
            let year = 365 * 86_400_000;
            assert!(
                (now + year - 60_000..=now + year + 60_000).contains(&expires),
                "{text}"
            );
        }

        // The operator's contact and public address.
        std::env::set_var(
            "NAD_SECURITY_CONTACT",
            "cert@vng.example, https://vng.example/kwetsbaarheid-melden",
        );
        std::env::set_var("NAD_PUBLIC_URL", "https://monitor.nad.example/");
        let reply = send(&state, get("/.well-known/security.txt", None)).await;
        std::env::remove_var("NAD_SECURITY_CONTACT");
        std::env::remove_var("NAD_PUBLIC_URL");
        assert_eq!(reply.status(), StatusCode::OK);
        let text = body_text(reply).await;
        let fields = fields(&text);
        let contacts: Vec<&str> = fields
            .iter()
            .filter(|(name, _)| name == "Contact")
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(
            contacts,
            [
                "mailto:cert@vng.example",
                "https://vng.example/kwetsbaarheid-melden"
            ]
        );
        assert!(
            fields.contains(&(
                "Canonical".to_string(),
                "https://monitor.nad.example/.well-known/security.txt".to_string()
            )),
            "{text}"
        );
        assert_eq!(
            fields.iter().filter(|(name, _)| name == "Expires").count(),
            1,
            "Expires exactly once"
        );
    })
    .await;
}
