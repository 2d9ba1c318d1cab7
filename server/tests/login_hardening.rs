//! Logging in can't be used to take the server down or to lock people out: every way of
//! logging in goes through one throttle that counts attempts atomically, password checks are
//! bounded, failures of unknown accounts don't grow the audit log, and behind a trusted proxy
//! each client is throttled on its own address.

mod support;

use app::domain::account::{FREE_ATTEMPTS_PER_ACCOUNT, FREE_ATTEMPTS_PER_ADDRESS};
use app::services::state::{AppState, Config};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use std::net::SocketAddr;
use support::*;

/// A request as it arrives over a socket from `peer`, optionally through a proxy that names
/// the client in `X-Forwarded-For`.
fn from(mut request: Request<Body>, peer: &str, forwarded_for: Option<&str>) -> Request<Body> {
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    if let Some(forwarded) = forwarded_for {
        request
            .headers_mut()
            .insert("x-forwarded-for", forwarded.parse().unwrap());
    }
    request
}

/// The flood test fills this process's hashing slots on purpose, which refuses every other
/// password check meanwhile: it runs alone, the others side by side.
static HASHING_SLOTS: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

fn login_form(email: &str, password: &str) -> String {
    form(&[("email", email), ("password", password)])
}

async fn state_with(database: &TestDatabase, config: Config) -> AppState {
    let state = state_for(database, config).await;
    seed(&state).await;
    state
}

#[tokio::test]
async fn the_login_again_form_counts_against_the_address_like_every_login() {
    let _side_by_side = HASHING_SLOTS.read().await;
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Herinlogmeting").await;
        let response = app::services::responses::response_key(&round, "R01");
        let path = format!("/vragenlijst/{response}/sectie/A/opslaan");
        // Wrong passwords for ever other (unknown) accounts through the section form's
        // login-again path, all from one address.
        for attempt in 0..FREE_ATTEMPTS_PER_ADDRESS {
            let body = form(&[
                ("a.a_contactpersoon", "Iemand"),
                ("inloggen.email", &format!("gok{attempt}@test.nl")),
                ("inloggen.wachtwoord", "een verkeerd wachtwoord"),
            ]);
            let reply = send(
                &state,
                from(form_post(&path, &body, None), "192.0.2.10", None),
            )
            .await;
            assert_eq!(
                reply.status(),
                StatusCode::UNAUTHORIZED,
                "attempt {attempt}"
            );
            let html = body_text(reply).await;
            assert!(html.contains("onjuist"), "{html}");
            // The answer is carried along again.
            assert!(html.contains("name=\"a.a_contactpersoon\" value=\"Iemand\""));
        }
        // The address is now slowed down, on every path: the section form...
        let body = form(&[
            ("inloggen.email", "r01@test.nl"),
            ("inloggen.wachtwoord", PASSWORD),
        ]);
        let reply = send(
            &state,
            from(form_post(&path, &body, None), "192.0.2.10", None),
        )
        .await;
        assert!(body_text(reply).await.contains("Te veel mislukte pogingen"));
        // ... and the login page.
        let reply = send(
            &state,
            from(
                call("/api/login", &login_form("r02@test.nl", PASSWORD), None),
                "192.0.2.10",
                None,
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::TOO_MANY_REQUESTS);
        // Another address is not affected.
        let reply = send(
            &state,
            from(
                call("/api/login", &login_form("r02@test.nl", PASSWORD), None),
                "192.0.2.11",
                None,
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::OK);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_attempts_on_one_account_are_counted_one_by_one() {
    let _side_by_side = HASHING_SLOTS.read().await;
    on_every_database(|state| async move {
        seed(&state).await;
        // Far more attempts at once than the account has free: before a check and its count
        // were one step, every one of them passed the check.
        let attempts: Vec<_> = (0..20)
            .map(|_| {
                let state = state.clone();
                tokio::spawn(async move {
                    send(
                        &state,
                        call(
                            "/api/login",
                            &login_form("r01@test.nl", "een verkeerd wachtwoord"),
                            None,
                        ),
                    )
                    .await
                    .status()
                })
            })
            .collect();
        let mut checked = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {}
                other => panic!("unexpected {other}"),
            }
        }
        assert!(
            checked <= FREE_ATTEMPTS_PER_ACCOUNT,
            "{checked} passwords were checked; at most {FREE_ATTEMPTS_PER_ACCOUNT} may be"
        );
        let failures: i64 = sqlx::query_scalar(
            "SELECT MAX(failures) FROM login_throttles WHERE throttle_key LIKE 'account:%'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert!(failures >= checked as i64);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_password_checks_is_refused_with_503_not_queued() {
    let _alone = HASHING_SLOTS.write().await;
    on_every_database(|state| async move {
        seed(&state).await;
        // Unknown accounts, no address: nothing throttles these, only the hashing slots.
        let attempts: Vec<_> = (0..80)
            .map(|n| {
                let state = state.clone();
                tokio::spawn(async move {
                    let reply = send(
                        &state,
                        call(
                            "/api/login",
                            &login_form(&format!("vloed{n}@test.nl"), "een verkeerd wachtwoord"),
                            None,
                        ),
                    )
                    .await;
                    let retry_after = reply.headers().get(header::RETRY_AFTER).cloned();
                    (reply.status(), retry_after, body_text(reply).await)
                })
            })
            .collect();
        let (mut busy, mut checked) = (0, 0);
        for attempt in attempts {
            let (status, retry_after, body) = attempt.await.unwrap();
            match status {
                StatusCode::SERVICE_UNAVAILABLE => {
                    busy += 1;
                    assert_eq!(retry_after.unwrap(), "2");
                    assert!(body.contains("erg druk"), "{body}");
                }
                StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
                other => panic!("unexpected {other}: {body}"),
            }
        }
        assert!(busy > 0, "80 checks at once must overflow the queue");
        assert!(checked > 0, "the first checks are done");
        // Afterwards the server logs people in as usual.
        login(&state, "r01@test.nl").await;
    })
    .await;
}

#[tokio::test]
async fn failures_of_unknown_accounts_do_not_grow_the_audit_log() {
    let _side_by_side = HASHING_SLOTS.read().await;
    on_every_database(|state| async move {
        seed(&state).await;
        let before = app::services::audit::recent_kinds(&state.pool, 1000)
            .await
            .unwrap()
            .len();
        for n in 0..25 {
            let body = login_form(
                &format!("geheim-{n}@onbekend.nl"),
                "een verkeerd wachtwoord",
            );
            let reply = send(&state, call("/api/login", &body, None)).await;
            assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        let events = app::services::audit::recent_kinds(&state.pool, 1000)
            .await
            .unwrap();
        // The 1st and the 10th are recorded, not all 25.
        assert_eq!(events.len() - before, 2, "{events:?}");
        let typed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE details LIKE '%onbekend.nl%' \
             OR subject LIKE '%onbekend.nl%'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(
            typed, 0,
            "a typed address of an unknown account was recorded"
        );
        let kept: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_throttles WHERE throttle_key LIKE '%onbekend.nl%'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(kept, 0, "typed addresses are kept as hashes only");
    })
    .await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_throttled_on_its_own_address() {
    let _side_by_side = HASHING_SLOTS.read().await;
    for database in databases().await {
        let trusted = Config {
            trusted_proxies: app::services::client_address::parse_trusted_proxies("127.0.0.1")
                .unwrap(),
            ..Config::default()
        };
        let state = state_with(&database, trusted).await;
        // One client behind the proxy fails again and again (other accounts each time).
        for n in 0..FREE_ATTEMPTS_PER_ADDRESS {
            let body = login_form(&format!("gok{n}@test.nl"), "een verkeerd wachtwoord");
            let request = from(
                call("/api/login", &body, None),
                "127.0.0.1",
                Some("198.51.100.1"),
            );
            assert_eq!(
                send(&state, request).await.status(),
                StatusCode::UNPROCESSABLE_ENTITY
            );
        }
        let request = from(
            call("/api/login", &login_form("r01@test.nl", PASSWORD), None),
            "127.0.0.1",
            Some("198.51.100.1"),
        );
        assert_eq!(
            send(&state, request).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
        // Everyone else behind the same proxy still gets in.
        let request = from(
            call("/api/login", &login_form("r01@test.nl", PASSWORD), None),
            "127.0.0.1",
            Some("198.51.100.2"),
        );
        assert_eq!(send(&state, request).await.status(), StatusCode::OK);
        // A client that writes its own header without a trusted proxy is its peer address.
        let request = from(
            call("/api/login", &login_form("r02@test.nl", PASSWORD), None),
            "198.51.100.1",
            Some("203.0.113.50"),
        );
        assert_eq!(
            send(&state, request).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
        close(&state).await;

        // Without trusted proxies the header is ignored: the proxy's address is the client.
        let untrusting = state_for(&database, Config::default()).await;
        for n in 0..FREE_ATTEMPTS_PER_ADDRESS {
            let body = login_form(&format!("ander{n}@test.nl"), "een verkeerd wachtwoord");
            let request = from(
                call("/api/login", &body, None),
                "127.0.0.2",
                Some("198.51.100.9"),
            );
            send(&untrusting, request).await;
        }
        let request = from(
            call("/api/login", &login_form("r03@test.nl", PASSWORD), None),
            "127.0.0.2",
            Some("198.51.100.10"),
        );
        assert_eq!(
            send(&untrusting, request).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
        close(&untrusting).await;
    }
}

#[tokio::test]
async fn a_wrong_approval_password_backs_off_like_a_login() {
    let _side_by_side = HASHING_SLOTS.read().await;
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Goedkeurmeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let r01 = login(&state, "r01@test.nl").await;
        fill_in_everything(&state, &r01, &response).await;
        let (status, body) = post(
            &state,
            "/api/responses/submit",
            &[("response_id", &response)],
            &r01,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let reviewer = login(&state, "reviewer@test.nl").await;
        for attempt in 0..FREE_ATTEMPTS_PER_ACCOUNT {
            let (status, body) = post(
                &state,
                "/api/review/approve",
                &[
                    ("response_id", &response),
                    ("password", "een verkeerd wachtwoord"),
                ],
                &reviewer,
            )
            .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "attempt {attempt}: {body}"
            );
        }
        let (status, body) = post(
            &state,
            "/api/review/approve",
            &[("response_id", &response), ("password", PASSWORD)],
            &reviewer,
        )
        .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        let approved: String = sqlx::query_scalar("SELECT status FROM responses WHERE id = $1")
            .bind(&response)
            .fetch_one(&state.pool)
            .await
            .unwrap();
        assert_eq!(approved, "submitted", "nothing was approved");
    })
    .await;
}

#[tokio::test]
async fn the_login_again_page_carries_a_section_but_never_megabytes() {
    let _side_by_side = HASHING_SLOTS.read().await;
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Grootmeting").await;
        let response = app::services::responses::response_key(&round, "R01");
        let path = format!("/vragenlijst/{response}/sectie/A/opslaan");
        // Fields that are not the form's are never echoed.
        let body = form(&[("a.a_contactpersoon", "Iemand"), ("iets.anders", "x")]);
        let html = body_text(send(&state, form_post(&path, &body, None)).await).await;
        assert!(html.contains("a.a_contactpersoon") && !html.contains("iets.anders"));
        // 2.5 MB of answers: refused without echoing them back, and nothing saved.
        let huge = "x".repeat(9_000);
        let fields: Vec<(String, String)> = (0..280)
            .map(|n| (format!("a.veld{n}"), huge.clone()))
            .collect();
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let reply = send(&state, form_post(&path, &form(&pairs), None)).await;
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
        let html = body_text(reply).await;
        assert!(html.len() < 10_000, "the page echoed {} bytes", html.len());
        assert!(html.contains("meer dan een sectie"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn early_refusals_carry_the_security_headers() {
    let _side_by_side = HASHING_SLOTS.read().await;
    on_every_database(|state| async move {
        let cross_origin = Request::post("/api/login")
            .header("sec-fetch-site", "cross-site")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("email=a&password=b"))
            .unwrap();
        let too_large = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, 50 * 1024 * 1024)
            .body(Body::empty())
            .unwrap();
        for (request, status) in [
            (cross_origin, StatusCode::FORBIDDEN),
            (too_large, StatusCode::PAYLOAD_TOO_LARGE),
        ] {
            let reply = send(&state, request).await;
            assert_eq!(reply.status(), status);
            let headers = reply.headers();
            for name in [
                "content-security-policy",
                "x-content-type-options",
                "referrer-policy",
                "x-frame-options",
            ] {
                assert!(headers.contains_key(name), "{status}: {name} missing");
            }
            let policy = headers["content-security-policy"].to_str().unwrap();
            assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        }
    })
    .await;
}

#[tokio::test]
async fn behind_https_the_session_cookie_has_the_host_prefix() {
    let _side_by_side = HASHING_SLOTS.read().await;
    for database in databases().await {
        let state = state_with(
            &database,
            Config {
                secure_cookies: true,
                ..Config::default()
            },
        )
        .await;
        let reply = send(
            &state,
            call("/api/login", &login_form("r01@test.nl", PASSWORD), None),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::OK);
        let cookie = reply.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.starts_with("__Host-nad_sessie="), "{cookie}");
        assert!(cookie.contains("Secure") && cookie.contains("Path=/"));
        assert!(!cookie.contains("Domain"));
        let pair = cookie.split(';').next().unwrap().to_string();
        let reply = send(&state, call("/api/current_user", "", Some(&pair))).await;
        assert!(body_text(reply).await.contains("r01@test.nl"));
        // The same value without the prefix is not a session.
        let plain = pair.replace("__Host-", "");
        let reply = send(&state, call("/api/current_user", "", Some(&plain))).await;
        assert_eq!(body_text(reply).await, "null");
        close(&state).await;
    }
}

#[test]
fn sessions_end_after_thirty_minutes_idle_and_twelve_hours_by_default() {
    let config = Config::default();
    assert_eq!(config.session_idle_secs, 30 * 60);
    assert_eq!(config.session_absolute_secs, 12 * 60 * 60);
}
