//! HTTP tests through the router: login, sessions, headers, and the authorization table.
//! Each runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::support;

use crate::questionnaire_uploads::upload_and_store;
use app::services::state::{AppState, Config};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use support::*;

#[tokio::test]
async fn healthz_answers_200_and_503_without_a_database() {
    on_every_database(|state| async move {
        let postgres = !state
            .pool
            .connect_options()
            .database_url
            .scheme()
            .starts_with("sqlite");
        let response = send(&state, get("/healthz", None)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let health: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["reachable"], true);
        assert_eq!(
            health["database"],
            if postgres { "postgresql" } else { "sqlite" }
        );
        assert!(health["answered_in_ms"].as_f64().unwrap() >= 0.0);
        assert!(health["connections"].as_u64().unwrap() >= 1);
        close(&state).await;
        let response = send(&state, get("/healthz", None)).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let health: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(health["status"], "database onbereikbaar");
        assert_eq!(health["reachable"], false);
    })
    .await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_proxy_s_safe_id_is_kept() {
    on_every_database(|state| async move {
        let first = send(&state, get("/login", None)).await;
        let second = send(&state, get("/login", None)).await;
        let id = |response: &axum::http::Response<Body>| {
            response
                .headers()
                .get("x-request-id")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(id(&first).len(), 12);
        assert_ne!(id(&first), id(&second), "each request its own id");

        let mut request = get("/healthz", None);
        request
            .headers_mut()
            .insert("x-request-id", "lb-01_ab".parse().unwrap());
        assert_eq!(id(&send(&state, request).await), "lb-01_ab");
        let mut request = get("/healthz", None);
        request
            .headers_mut()
            .insert("x-request-id", "a\"b".parse().unwrap());
        assert_ne!(
            id(&send(&state, request).await),
            "a\"b",
            "unsafe ids are replaced"
        );
    })
    .await;
}

#[tokio::test]
async fn login_sets_a_safe_cookie_and_sends_each_role_to_its_start_page() {
    on_every_database(|state| async move {
        seed(&state).await;
        for (email, start) in [
            ("admin@test.nl", "/beheer"),
            ("reviewer@test.nl", "/regios"),
            ("r01@test.nl", "/invullen"),
        ] {
            let body = form(&[("email", email), ("password", PASSWORD)]);
            let response = send(&state, call("/api/login", &body, None)).await;
            assert_eq!(response.status(), StatusCode::OK, "{email}");
            let cookie = response
                .headers()
                .get(header::SET_COOKIE)
                .unwrap()
                .to_str()
                .unwrap();
            assert!(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
                "{cookie}"
            );
            assert!(!cookie.contains("Secure"), "not secure unless configured");
            let token = cookie
                .split(';')
                .next()
                .unwrap()
                .trim_start_matches("nad_sessie=");
            assert!(token.len() >= 43, "at least 256 bits, base64: {token}");
            // The browser's server-function client is told where to go.
            assert!(response.headers().get("serverfnredirect").is_some());
            assert_eq!(response.headers().get(header::LOCATION).unwrap(), start);
        }
        // Without JavaScript the same form post is answered with a redirect.
        let response = send(
            &state,
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, "http://127.0.0.1:3000/login")
                .body(Body::from(form(&[
                    ("email", "R01@Test.nl "),
                    ("password", PASSWORD),
                ])))
                .unwrap(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(
            response.headers().get(header::LOCATION).unwrap(),
            "/invullen"
        );
        assert!(session_cookie(&response).is_some());
    })
    .await;
}

#[tokio::test]
async fn login_returns_to_a_local_page_only() {
    on_every_database(|state| async move {
        seed(&state).await;
        for (next, expected) in [
            ("/regio/R01?x=1", "/regio/R01?x=1"),
            ("https://evil.example/", "/invullen"),
            ("//evil.example", "/invullen"),
        ] {
            let body = form(&[
                ("email", "r01@test.nl"),
                ("password", PASSWORD),
                ("next", next),
            ]);
            let response = send(&state, call("/api/login", &body, None)).await;
            assert_eq!(response.headers().get(header::LOCATION).unwrap(), expected);
        }
    })
    .await;
}

#[tokio::test]
async fn wrong_password_and_unknown_address_get_the_same_generic_error() {
    on_every_database(|state| async move {
        seed(&state).await;
        let mut bodies = Vec::new();
        for (email, password) in [
            ("r01@test.nl", "een verkeerd wachtwoord"),
            ("niemand@test.nl", PASSWORD),
            ("geblokkeerd@test.nl", PASSWORD),
        ] {
            if email.starts_with("geblokkeerd") {
                let user = app::services::users::find_by_email(&state.pool, email)
                    .await
                    .unwrap();
                app::services::users::set_active(
                    &state.pool,
                    &app::services::audit::Actor::CommandLine,
                    &user.id,
                    false,
                )
                .await
                .unwrap();
            }
            let body = form(&[("email", email), ("password", password)]);
            let response = send(&state, call("/api/login", &body, None)).await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{email}"
            );
            assert!(session_cookie(&response).is_none());
            bodies.push(body_text(response).await);
        }
        assert!(bodies[0].contains("Het e-mailadres of het wachtwoord is onjuist."));
        assert!(bodies.iter().all(|body| body == &bodies[0]), "{bodies:?}");
        let kinds = app::services::audit::recent_kinds(&state.pool, 100)
            .await
            .unwrap();
        let failures = kinds.iter().filter(|kind| *kind == "login_failed").count();
        assert_eq!(failures, 3, "every failure is in the audit log: {kinds:?}");
    })
    .await;
}

#[tokio::test]
async fn malformed_and_oversized_login_bodies_get_a_clear_error_not_a_500() {
    on_every_database(|state| async move {
        seed(&state).await;
        let long_email = format!("{}@test.nl", "a".repeat(300));
        let cases: Vec<(String, StatusCode)> = vec![
            ("".to_string(), StatusCode::BAD_REQUEST),
            ("email=r01%40test.nl".to_string(), StatusCode::BAD_REQUEST),
            ("%%%=&&&".to_string(), StatusCode::BAD_REQUEST),
            (
                form(&[("email", &long_email), ("password", PASSWORD)]),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                form(&[("email", "r01@test.nl"), ("password", &"x".repeat(200))]),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                form(&[
                    ("email", "r01@test.nl"),
                    ("password", &"x".repeat(3_200_000)),
                ]),
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
        ];
        for (body, expected) in cases {
            let shown = body.chars().take(40).collect::<String>();
            let response = send(&state, call("/api/login", &body, None)).await;
            assert_eq!(response.status(), expected, "{shown}");
            let text = body_text(response).await;
            assert!(!text.is_empty(), "{shown}: the error says what is wrong");
        }
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_slow_down_without_locking_out_for_good() {
    on_every_database(|state| async move {
        seed(&state).await;
        let wrong = form(&[
            ("email", "r01@test.nl"),
            ("password", "een verkeerd wachtwoord"),
        ]);
        for attempt in 0..app::domain::account::FREE_ATTEMPTS_PER_ACCOUNT {
            let response = send(&state, call("/api/login", &wrong, None)).await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "attempt {attempt}"
            );
        }
        let response = send(&state, call("/api/login", &wrong, None)).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(body_text(response).await.contains("Probeer het over"));
        // Even the right password waits: the back-off is per account.
        let right = form(&[("email", "r01@test.nl"), ("password", PASSWORD)]);
        let response = send(&state, call("/api/login", &right, None)).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        // Once the failures are older than the back-off, logging in works again.
        sqlx::query("UPDATE login_throttles SET last_failure_at = last_failure_at - 600000")
            .execute(&state.pool)
            .await
            .unwrap();
        let response = send(&state, call("/api/login", &right, None)).await;
        assert_eq!(response.status(), StatusCode::OK);
        // Other accounts were never affected.
        login(&state, "r02@test.nl").await;
    })
    .await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    on_every_database(|state| async move {
        seed(&state).await;
        let cookie = login(&state, "r01@test.nl").await;
        let response = send(
            &state,
            Request::post("/logout")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(header::LOCATION).unwrap(),
            "/login?uitgelogd=1"
        );
        let removal = response
            .headers()
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(removal.contains("Max-Age=0"), "{removal}");
        let response = send(&state, call("/api/current_user", "", Some(&cookie))).await;
        assert_eq!(body_text(response).await, "null");
    })
    .await;
}

#[tokio::test]
async fn disabling_a_user_or_changing_their_password_ends_their_sessions() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let user = app::services::users::find_by_email(&state.pool, "r01@test.nl")
            .await
            .unwrap();

        let coordinator = login(&state, "r01@test.nl").await;
        // An operator sets a password on the command line.
        app::services::users::set_password(
            &state.pool,
            &app::services::audit::Actor::CommandLine,
            &user.id,
            "een heel nieuw wachtwoord".to_string(),
        )
        .await
        .unwrap();
        let response = send(&state, call("/api/region", "code=R01", Some(&coordinator))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

        let body = form(&[
            ("email", "r01@test.nl"),
            ("password", "een heel nieuw wachtwoord"),
        ]);
        let response = send(&state, call("/api/login", &body, None)).await;
        let coordinator = session_cookie(&response).unwrap();
        let body = form(&[("user_id", &user.id), ("active", "false")]);
        let response = send(&state, call("/api/users/active", &body, Some(&admin))).await;
        assert_eq!(response.status(), StatusCode::OK);
        let response = send(&state, call("/api/region", "code=R01", Some(&coordinator))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn idle_and_absolute_timeouts_end_sessions() {
    for database in databases().await {
        let config = Config {
            session_idle_secs: 60,
            session_absolute_secs: 3600,
            ..Config::default()
        };
        let state = state_for(&database, config).await;
        seed(&state).await;
        let cookie = login(&state, "r01@test.nl").await;
        let response = send(&state, call("/api/region", "code=R01", Some(&cookie))).await;
        assert_eq!(response.status(), StatusCode::OK);
        sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 120000")
            .execute(&state.pool)
            .await
            .unwrap();
        let response = send(&state, call("/api/region", "code=R01", Some(&cookie))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "idle timeout");

        let cookie = login(&state, "r01@test.nl").await;
        sqlx::query("UPDATE sessions SET created_at = created_at - 4000000")
            .execute(&state.pool)
            .await
            .unwrap();
        let response = send(&state, call("/api/region", "code=R01", Some(&cookie))).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "absolute timeout"
        );
        close(&state).await;
    }
}

#[tokio::test]
async fn cross_origin_posts_are_refused() {
    on_every_database(|state| async move {
        seed(&state).await;
        let body = form(&[("email", "r01@test.nl"), ("password", PASSWORD)]);
        for (name, value, expected) in [
            ("sec-fetch-site", "cross-site", StatusCode::FORBIDDEN),
            ("sec-fetch-site", "same-site", StatusCode::FORBIDDEN),
            ("origin", "https://evil.example", StatusCode::FORBIDDEN),
            ("origin", "null", StatusCode::FORBIDDEN),
            ("sec-fetch-site", "same-origin", StatusCode::OK),
            ("origin", "http://127.0.0.1:3000", StatusCode::OK),
        ] {
            let mut request = call("/api/login", &body, None);
            request.headers_mut().insert(name, value.parse().unwrap());
            request
                .headers_mut()
                .insert(header::HOST, "127.0.0.1:3000".parse().unwrap());
            let response = send(&state, request).await;
            assert_eq!(response.status(), expected, "{name}: {value}");
        }
        let mut request = Request::post("/logout").body(Body::empty()).unwrap();
        request
            .headers_mut()
            .insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert_eq!(send(&state, request).await.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_csp_whose_nonce_the_scripts_use() {
    on_every_database(|state| async move {
        let response = send(&state, get("/login", None)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(headers.get("referrer-policy").unwrap(), "same-origin");
        assert_eq!(headers.get("cache-control").unwrap(), "no-store");
        let csp = headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
            "{csp}"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string();
        let html = body_text(response).await;
        assert!(html.contains("<html lang=\"nl\""), "Dutch document");
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "scripts carry the nonce"
        );
        assert!(html.contains("<title>Inloggen – Monitor Eerst een Thuis</title>"));
        assert!(html.contains("autocomplete=\"current-password\""));
        assert!(html.contains("Naar de inhoud"), "skip link");

        let response = send(&state, get("/healthz", None)).await;
        let csp = response.headers().get("content-security-policy").unwrap();
        assert!(csp.to_str().unwrap().starts_with("default-src 'none'"));
    })
    .await;
}

#[tokio::test]
async fn pages_answer_with_the_right_status() {
    on_every_database(|state| async move {
        let case = PageCase::start(state).await;
        let cases = page_status_table(&case);
        for pattern in PAGE_PATTERNS {
            assert!(
                cases
                    .iter()
                    .any(|(path, _, _)| pattern_matches(pattern, path)),
                "page {pattern} has no case here"
            );
        }
        for (path, cookie, expected) in cases {
            let response = send(&case.state, get(path, cookie)).await;
            assert_eq!(
                response.status().as_u16(),
                expected,
                "{path} with {cookie:?}"
            );
        }
        the_login_page_leads_back_and_the_region_links_the_key(&case).await;
        looking_makes_nothing_and_the_first_save_makes_the_response(&case).await;
    })
    .await;
}

/// An open round in which R01 has not written anything (its response exists only as its
/// key), a round in concept, the pages of both, and everyone's session cookie.
struct PageCase {
    state: AppState,
    admin: String,
    reviewer: String,
    r01: String,
    r02: String,
    /// R01's response key in the open round.
    key: String,
    tasks: String,
    section: String,
    check: String,
    print: String,
    progress: String,
    review: String,
    findings: String,
    concept_tasks: String,
    concept_review: String,
    concept_national: String,
    publish: String,
    /// One item's answers across the regions of the open round.
    item_answers: String,
}

impl PageCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let r01 = login(&state, "r01@test.nl").await;
        let r02 = login(&state, "r02@test.nl").await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Paginameting").await;
        let key = app::services::responses::response_key(&round, "R01");
        let tasks = format!("/vragenlijst/{key}");
        let concept = concept_round(&state).await;
        PageCase {
            section: format!("{tasks}/sectie/A"),
            check: format!("{tasks}/controleren"),
            print: format!("{tasks}/afdrukken"),
            progress: format!("{tasks}/voortgang"),
            review: format!("{tasks}/beoordelen"),
            findings: format!("{tasks}/openstaand"),
            concept_tasks: format!(
                "/vragenlijst/{}",
                app::services::responses::response_key(&concept, "R01")
            ),
            concept_review: format!("/beoordelen/{concept}"),
            concept_national: format!("/landelijk/{concept}"),
            publish: format!("/beheer/metingen/{round}/publiceren"),
            item_answers: format!("/beoordelen/{round}/antwoorden?vraag=b_wonen_eerst"),
            state,
            admin,
            reviewer,
            r01,
            r02,
            key,
            tasks,
        }
    }
}

/// Each page with each kind of visitor, and the status they get.
fn page_status_table(case: &PageCase) -> Vec<(&str, Option<&str>, u16)> {
    let PageCase {
        admin,
        reviewer,
        r01,
        r02,
        tasks,
        section,
        check,
        print,
        progress,
        review,
        findings,
        concept_tasks,
        concept_review,
        concept_national,
        publish,
        item_answers,
        ..
    } = case;
    // A table, one row per page and visitor: it reads best as one piece.
    vec![
        ("/", None, 302),
        ("/", Some(r01), 302),
        ("/login", None, 200),
        ("/regios", None, 302),
        ("/regios", Some(r01), 403),
        ("/regios", Some(reviewer), 200),
        ("/regio/R01", Some(r01), 200),
        ("/regio/R02", Some(r01), 403),
        ("/regio/R99", Some(r01), 403),
        ("/regio/R02", Some(reviewer), 200),
        ("/regio/R99", Some(reviewer), 404),
        ("/beheer", Some(r01), 403),
        ("/beheer", Some(reviewer), 403),
        ("/beheer", Some(admin), 200),
        ("/beheer/gebruikers", Some(admin), 200),
        ("/beheer/gebruikers", Some(reviewer), 403),
        ("/beheer/metingen", Some(admin), 200),
        ("/beheer/metingen", Some(reviewer), 403),
        ("/beheer/metingen", Some(r01), 403),
        ("/beheer/metingen/bestaat-niet", Some(admin), 404),
        ("/beheer/metingen/bestaat-niet", Some(r01), 403),
        ("/beheer/regios", Some(admin), 200),
        ("/beheer/regios", Some(reviewer), 403),
        ("/beheer/regios", Some(r01), 403),
        ("/beheer/regios", None, 302),
        ("/landelijk", Some(reviewer), 200),
        ("/landelijk", Some(admin), 200),
        ("/landelijk", Some(r01), 403),
        ("/landelijk", None, 302),
        ("/landelijk/bestaat-niet", Some(reviewer), 404),
        ("/landelijk/bestaat-niet", Some(r01), 403),
        ("/beoordelen", Some(reviewer), 200),
        ("/beoordelen", Some(admin), 200),
        ("/beoordelen", Some(r01), 403),
        ("/beoordelen", None, 302),
        ("/beoordelen/bestaat-niet", Some(reviewer), 404),
        ("/beoordelen/bestaat-niet", Some(r01), 403),
        (item_answers, Some(reviewer), 200),
        (item_answers, Some(admin), 200),
        (item_answers, Some(r01), 403),
        (item_answers, None, 302),
        ("/beoordelen/bestaat-niet/antwoorden", Some(reviewer), 404),
        ("/vragenlijst/bestaat-niet/beoordelen", Some(reviewer), 404),
        ("/beheer/audit", Some(admin), 200),
        ("/beheer/audit", Some(reviewer), 403),
        ("/beheer/audit", Some(r01), 403),
        ("/beheer/audit", None, 302),
        ("/bestaat-niet", None, 404),
        ("/bestaat-niet", Some(admin), 404),
        ("/invullen", Some(r01), 302),
        ("/invullen", Some(reviewer), 302),
        (tasks, Some(r01), 200),
        (tasks, Some(r02), 403),
        (tasks, Some(reviewer), 200),
        (tasks, None, 302),
        (section, Some(r01), 200),
        (section, Some(r02), 403),
        (check, Some(r01), 200),
        (print, Some(r01), 200),
        (progress, Some(r01), 200),
        (progress, Some(r02), 403),
        (review, Some(reviewer), 200),
        (review, Some(r02), 403),
        (findings, Some(reviewer), 200),
        (findings, Some(admin), 200),
        (findings, Some(r01), 200),
        (findings, Some(r02), 403),
        (findings, None, 302),
        ("/vragenlijst/bestaat-niet/openstaand", Some(reviewer), 404),
        (concept_tasks, Some(r01), 404),
        (concept_tasks, Some(reviewer), 404),
        (concept_review, Some(reviewer), 404),
        (concept_national, Some(reviewer), 404),
        (concept_national, Some(admin), 200),
        ("/beheer/gebruikers/bestaat-niet", Some(admin), 404),
        ("/beheer/gebruikers/bestaat-niet", Some(reviewer), 403),
        ("/beheer/uitgaande-mail", Some(admin), 200),
        ("/beheer/uitgaande-mail", Some(reviewer), 403),
        ("/mijn-account", Some(r01), 200),
        ("/wachtwoord-vergeten", None, 200),
        ("/wachtwoord-kiezen?sleutel=vervalst", None, 200),
        ("/login/code", None, 200),
        ("/toegankelijkheid", None, 200),
        ("/privacy", None, 200),
        ("/help", None, 200),
        ("/contact", Some(r01), 200),
        ("/tweestapsverificatie", None, 302),
        ("/tweestapsverificatie", Some(r01), 200),
        ("/tweestapsverificatie/herstelcodes", Some(r01), 200),
        ("/beheer/vragenlijsten", Some(admin), 200),
        ("/beheer/vragenlijsten", Some(reviewer), 403),
        (
            "/beheer/vragenlijsten/poging/bestaat-niet",
            Some(admin),
            404,
        ),
        (
            "/beheer/vragenlijsten/controle/bestaat-niet",
            Some(admin),
            404,
        ),
        (
            "/beheer/vragenlijsten/controle/bestaat-niet",
            Some(reviewer),
            403,
        ),
        ("/beheer/vragenlijsten/nad/2026-06", Some(admin), 200),
        ("/beheer/vragenlijsten/nad/2026-06", Some(r01), 403),
        // Public, for everyone; nothing is published yet here.
        ("/dashboard", None, 404),
        ("/dashboard", Some(r01), 404),
        ("/dashboard/2026-06", None, 404),
        ("/dashboard/regio/R01", None, 404),
        ("/dashboard/2026-06/regio/R01", None, 404),
        ("/open-data", None, 200),
        ("/open-data", Some(reviewer), 200),
        (publish, Some(admin), 200),
        (publish, Some(reviewer), 403),
        (publish, Some(r01), 403),
        (publish, None, 302),
        ("/beheer/metingen/bestaat-niet/publiceren", Some(admin), 404),
    ]
}

async fn the_login_page_leads_back_and_the_region_links_the_key(case: &PageCase) {
    let PageCase {
        state, r01, tasks, ..
    } = case;
    let response = send(state, get("/regios", None)).await;
    assert_eq!(
        response.headers().get(header::LOCATION).unwrap(),
        "/login?terug=/regios"
    );
    let html = body_text(send(state, get("/regio/R01", Some(r01))).await).await;
    assert!(html.contains("Regio Groningen") && html.contains("Test r01@test.nl"));
    assert!(
        html.contains(tasks.as_str()),
        "the region page links to the response's key"
    );
}

/// Looking made nothing: every page above was a GET. The first save makes the response,
/// under the key the pages linked to.
async fn looking_makes_nothing_and_the_first_save_makes_the_response(case: &PageCase) {
    let PageCase {
        state, r01, key, ..
    } = case;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0, "a GET made a response row");
    let (status, _) = save_on_stored_version(state, r01, key, "a_contactpersoon", "Iemand").await;
    assert_eq!(status, StatusCode::OK);
    let made: Vec<String> = sqlx::query_scalar("SELECT id FROM responses")
        .fetch_all(&state.pool)
        .await
        .unwrap();
    assert_eq!(made, vec![key.clone()]);
}

/// A round of NAD 2026-06 in concept (not opened yet) in which every region takes part.
async fn concept_round(state: &AppState) -> String {
    app::services::rounds::create(
        &state.pool,
        &app::services::audit::Actor::CommandLine,
        app::services::rounds::NewRound {
            name: "Conceptmeting".into(),
            questionnaire_id: "nad".into(),
            questionnaire_version: "2026-06".into(),
            state: app::domain::round::RoundState::Concept,
            opens_at: app::services::now_ms(),
            deadline: app::services::now_ms() + 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .unwrap()
}

/// Every page of the app, as the router registers it. `every_page_is_in_the_page_table` fails
/// for a page missing here, and `pages_answer_with_the_right_status` for one without a case.
const PAGE_PATTERNS: &[&str] = &[
    "/",
    "/login",
    "/regios",
    "/regio/{code}",
    "/invullen",
    "/vragenlijst/{id}",
    "/vragenlijst/{id}/sectie/{section}",
    "/vragenlijst/{id}/controleren",
    "/vragenlijst/{id}/afdrukken",
    "/vragenlijst/{id}/voortgang",
    "/vragenlijst/{id}/beoordelen",
    "/vragenlijst/{id}/openstaand",
    "/beoordelen",
    "/beoordelen/{id}",
    "/beoordelen/{id}/antwoorden",
    "/landelijk",
    "/landelijk/{id}",
    "/beheer",
    "/beheer/gebruikers",
    "/beheer/audit",
    "/beheer/metingen",
    "/beheer/metingen/{id}",
    "/beheer/regios",
    "/beheer/gebruikers/{id}",
    "/beheer/uitgaande-mail",
    "/wachtwoord-vergeten",
    "/wachtwoord-kiezen",
    "/mijn-account",
    "/login/code",
    "/toegankelijkheid",
    "/privacy",
    "/help",
    "/contact",
    "/tweestapsverificatie",
    "/tweestapsverificatie/herstelcodes",
    "/beheer/vragenlijsten",
    "/beheer/vragenlijsten/poging/{id}",
    "/beheer/vragenlijsten/controle/{id}",
    "/beheer/vragenlijsten/{identifier}/{version}",
    "/dashboard",
    "/dashboard/{round}",
    "/dashboard/regio/{code}",
    "/dashboard/{round}/regio/{code}",
    "/open-data",
    "/beheer/metingen/{id}/publiceren",
];

/// Whether a path is one of a route pattern's (`{name}` matches any one segment).
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.split('/').collect());
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
}

/// A reviewer who advises R01, the region of the tables' response.
const ADVISER: &str = "adviseur@test.nl";

/// Who may call which server function. Every server function of the platform has a row;
/// a new function without a row fails `every_server_function_is_in_the_table`.
#[derive(Clone, Copy, Debug)]
enum Caller {
    Anonymous,
    CoordinatorSameRegion,
    CoordinatorOtherRegion,
    Reviewer,
    /// A reviewer who advises R01 (regioadviseur): fills in R01's questionnaire.
    Adviser,
    Admin,
    Disabled,
}

const CALLERS: [Caller; 7] = [
    Caller::Anonymous,
    Caller::CoordinatorSameRegion,
    Caller::CoordinatorOtherRegion,
    Caller::Reviewer,
    Caller::Adviser,
    Caller::Admin,
    Caller::Disabled,
];

/// (path, body, expected status per caller in the order of `CALLERS`).
/// `{user}` in a body is replaced by the id of the R03 coordinator, `{caller}` by the
/// caller's name (for unique e-mail addresses).
const TABLE: &[(&str, &str, [u16; 7])] = &[
    (
        "/api/login",
        "email=niemand-{caller}%40test.nl&password=een+lang+genoeg+wachtwoord",
        [422, 422, 422, 422, 422, 422, 422],
    ),
    ("/api/current_user", "", [200, 200, 200, 200, 200, 200, 200]),
    // The information pages: for everyone; an unknown name is not found.
    ("/api/info", "name=privacy", [200, 200, 200, 200, 200, 200, 200]),
    ("/api/info", "name=..%2Fgeheim", [404, 404, 404, 404, 404, 404, 404]),
    ("/api/regions", "", [401, 403, 403, 200, 200, 200, 401]),
    ("/api/programmes", "", [401, 403, 403, 200, 200, 200, 401]),
    ("/api/region", "code=R01", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/users", "", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/users/create",
        "email=nieuw-{caller}%40test.nl&display_name=Nieuw&role=reviewer",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    ("/api/users/one", "user_id={user}", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/users/update",
        "user_id={user}&email=r03%40test.nl&display_name=R03+{caller}&role=coordinator&region_code=R03",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    // R03's coordinator has a password: no invitation needed, which the admin is told.
    ("/api/users/invite_again", "user_id={user}", [401, 403, 403, 403, 403, 400, 401]),
    ("/api/outbox", "", [401, 403, 403, 403, 403, 200, 401]),
    ("/api/outbox/retry", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    // One's own account: anyone signed in; the link pages need no login at all.
    ("/api/account", "", [401, 200, 200, 200, 200, 200, 401]),
    (
        "/api/account/password",
        "current_password=niet+het+wachtwoord&new_password=een+ander+lang+wachtwoord",
        [401, 422, 422, 422, 422, 422, 401],
    ),
    ("/api/account/end_session", "session=bestaat-niet", [401, 400, 400, 400, 400, 400, 401]),
    ("/api/account/notices", "wanted%5B%5D=comment_added", [401, 200, 200, 200, 200, 200, 401]),
    ("/api/account/link", "token=vervalst", [400, 400, 400, 400, 400, 400, 400]),
    (
        "/api/account/choose_password",
        "token=vervalst&password=een+lang+genoeg+wachtwoord",
        [400, 400, 400, 400, 400, 400, 400],
    ),
    ("/api/account/forgot_password", "email=niemand%40test.nl", [200, 200, 200, 200, 200, 200, 200]),
    // Two-factor sign-in. The code step needs a session that waits for it; these are whole.
    ("/api/two_factor/code", "code=123456", [401, 401, 401, 401, 401, 401, 401]),
    ("/api/two_factor/setup", "", [401, 200, 200, 200, 200, 200, 401]),
    // Fresh sessions have no secret being set up: told so.
    ("/api/two_factor/confirm", "code=123456", [401, 400, 400, 400, 400, 400, 401]),
    ("/api/two_factor/recovery_codes", "", [401, 200, 200, 200, 200, 200, 401]),
    // Nothing is on; for reviewers and admins it may not be switched off at all.
    ("/api/two_factor/remove", "code=123456", [401, 422, 422, 400, 400, 400, 401]),
    ("/api/two_factor/reset", "user_id={user}", [401, 403, 403, 403, 403, 400, 401]),
    ("/api/users/active", "user_id={user}&active=true", [401, 403, 403, 403, 403, 200, 401]),
    // The R03 coordinator's own programme is NAD: a NAD region is refused, as a field error.
    (
        "/api/users/region/add",
        "user_id={user}&other_region=R01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    (
        "/api/users/region/remove",
        "user_id={user}&region_code=R01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    // The R03 coordinator is no reviewer: refused as a field error, for the admin only.
    (
        "/api/users/advised/add",
        "user_id={user}&advised_region=R01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    (
        "/api/users/advised/remove",
        "user_id={user}&region_code=R01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    (
        "/api/programmes/add",
        "new_programme=nieuw-{caller}&programme_name=Nieuw&short_name=NW&colour=%23123456",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    ("/api/questionnaires", "", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/questionnaire",
        "identifier=nad&version=2026-06",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    ("/api/questionnaires/attempt", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    ("/api/questionnaires/upload", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    ("/api/questionnaires/upload/store", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    ("/api/questionnaires/upload/discard", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    (
        "/api/login_again",
        "email=niemand-{caller}%40test.nl&password=een+lang+genoeg+wachtwoord",
        [422, 422, 422, 422, 422, 422, 422],
    ),
    ("/api/responses/region", "code=R01", [401, 200, 403, 200, 200, 200, 401]),
    // Anyone signed in: a coordinator's own running rounds, nothing for others.
    ("/api/responses/mine", "", [401, 200, 200, 200, 200, 200, 401]),
    ("/api/responses/tasks", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    (
        "/api/responses/section",
        "response_id={response}&section=A",
        [401, 200, 403, 200, 200, 200, 401],
    ),
    ("/api/responses/summary", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/responses/form-inputs", "response_id={response}&section=I", [401, 200, 403, 200, 200, 200, 401]),
    // JSON, as the browser sends it. Only the region's own coordinators and its adviser change
    // answers.
    (
        "/api/responses/save",
        r#"{"response_id":"{response}","answers":[{"key":"a_contactpersoon","raw":{"values":["{caller}"],"rows":{},"special":null},"base_version":0}]}"#,
        [401, 200, 403, 403, 200, 403, 401],
    ),
    // The adviser's save (on version 0) met the coordinator's answer: theirs to resolve.
    (
        "/api/responses/conflict",
        "response_id={response}&key=a_contactpersoon&keep=mijn",
        [401, 404, 403, 403, 200, 403, 401],
    ),
    // Incomplete (and from the adviser without the region's agreement), so refused with the
    // fields named for both who fill in; nobody else may submit at all.
    ("/api/responses/submit", "response_id={response}", [401, 422, 403, 403, 422, 403, 401]),
    // No compared round here, so there is nothing to take over, but only those who fill in may.
    (
        "/api/responses/prefill",
        "response_id={response}&section=B",
        [401, 200, 403, 403, 200, 403, 401],
    ),
    ("/api/responses/confirm", "response_id={response}&section=B", [401, 200, 403, 403, 200, 403, 401]),
    (
        "/api/responses/confirm-answer",
        "response_id={response}&key=a_contactpersoon",
        [401, 200, 403, 403, 200, 403, 401],
    ),
    ("/api/responses/progress", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/rounds", "", [401, 403, 403, 200, 200, 200, 401]),
    ("/api/round", "id={round}", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/rounds/create",
        "name=Meting+{caller}&questionnaire=nad%2F2026-06&opens_at=2030-01-01&deadline=2030-02-01&compared_round_id=&regions%5B%5D=R01",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    // A concept round, so the one change of state the admin makes is allowed.
    ("/api/rounds/state", "round_id={concept}&state=open", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/rounds/deadline",
        "round_id={round}&region_code=R03&deadline=2090-01-01&reason=Ziekte",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    // An empty name: refused for the admin with the field named, nobody else gets that far.
    (
        "/api/rounds/update",
        "round_id={round}&round_name=&round_opens_at=2030-01-01&round_deadline=2030-02-01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    ("/api/rounds/comparison", "round_id={round}&compared_round_id=", [401, 403, 403, 403, 403, 200, 401]),
    // Regions and the division of gemeenten: admins only.
    ("/api/regions/admin", "", [401, 403, 403, 403, 403, 200, 401]),
    ("/api/regions/add", "code=R77&name=Nieuw&lead_gemeente=Ergens", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/regions/rename",
        "code=R03&name=Drenthe&lead_gemeente=Assen",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    // R03 takes part in the open round: refused, with the round named.
    ("/api/regions/retire", "code=R03&retire_reason=Fusie", [401, 403, 403, 403, 403, 422, 401]),
    ("/api/regions/reinstate", "code=R03", [401, 403, 403, 403, 403, 409, 401]),
    // No gemeenten are loaded here: the one to move is not in the division.
    ("/api/gemeenten/move", "gemeente_code=GM0014&region_code=R02", [401, 403, 403, 403, 403, 422, 401]),
    (
        "/api/gemeenten/add",
        "new_gemeente_code=GM0014&new_gemeente_name=Groningen&new_gemeente_region=R01",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    ("/api/gemeenten/remove", "removed_gemeente=GM9999", [401, 403, 403, 403, 403, 422, 401]),
    // R01 has not submitted, so even the admin gets a clear refusal.
    (
        "/api/rounds/reopen",
        "round_id={round}&reopen_region=R01&reopen_reason=Fout",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    // The national picture: reviewers and admins only, never a coordinator.
    ("/api/national", "round_id={round}&section=", [401, 403, 403, 200, 200, 200, 401]),
    ("/api/national", "round_id={round}&section=B", [401, 403, 403, 200, 200, 200, 401]),
    // Review: reviewers and admins; the region's coordinators read the response's review
    // page and comment (to answer), but never send back, approve or resolve.
    ("/api/review/overview", "round_id={round}", [401, 403, 403, 200, 200, 200, 401]),
    // One item's answers across every region: reviewers and admins, never a coordinator.
    ("/api/review/item_answers", "round_id={round}", [401, 403, 403, 200, 200, 200, 401]),
    (
        "/api/review/item_answers",
        "round_id={round}&item=b_wonen_eerst&answered=ja&sort=vorig",
        [401, 403, 403, 200, 200, 200, 401],
    ),
    ("/api/review/response", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/review/findings", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/review/overview", "round_id={round}&problem=fouten", [401, 403, 403, 200, 200, 200, 401]),
    // R01 has not submitted: reviewers and admins are told so, coordinators are refused.
    ("/api/review/return", "response_id={response}&reason=Onvolledig", [401, 403, 403, 409, 409, 409, 401]),
    (
        "/api/review/approve",
        "response_id={response}&password=een+lang+genoeg+wachtwoord",
        [401, 403, 403, 409, 409, 409, 401],
    ),
    ("/api/review/void", "response_id={response}&reason=Fout", [401, 403, 403, 409, 409, 409, 401]),
    (
        "/api/review/comment",
        "response_id={response}&item_key=a_contactpersoon&body=Klopt+dit%3F",
        [401, 200, 403, 200, 200, 200, 401],
    ),
    ("/api/review/resolve", "thread_id=bestaat-niet&resolved=ja", [401, 403, 403, 404, 404, 404, 401]),
    // The public dashboard and open data: for everyone, also without an account (nothing
    // is published here, so the dashboard is not found).
    ("/api/dashboard", "round=", [404, 404, 404, 404, 404, 404, 404]),
    ("/api/dashboard/region", "round=&code=R01", [404, 404, 404, 404, 404, 404, 404]),
    ("/api/open-data", "", [200, 200, 200, 200, 200, 200, 200]),
    // Publishing: admins only; the round is open, so even the admin is refused.
    ("/api/publications/preview", "round_id={round}", [401, 403, 403, 403, 403, 200, 401]),
    ("/api/publications/publish", "round_id={round}&conclusions=", [401, 403, 403, 403, 403, 409, 401]),
    (
        "/api/publications/correct",
        "round_id={round}&note=Fout&conclusions=",
        [401, 403, 403, 403, 403, 409, 401],
    ),
    // The audit trail: admins only.
    ("/api/audit", "", [401, 403, 403, 403, 403, 200, 401]),
    ("/api/audit", "kind=login&from=2026-01-01&until=2026-12-31", [401, 403, 403, 403, 403, 200, 401]),
];

#[tokio::test]
async fn authorization_table() {
    on_every_database(|state| async move {
        seed(&state).await;
        adviser_of(&state, ADVISER, "R01").await;
        load_nad(&state).await;
        let disabled = login(&state, "geblokkeerd@test.nl").await;
        let target = app::services::users::find_by_email(&state.pool, "r03@test.nl")
            .await
            .unwrap();
        let round = open_test_round(&state, "Tabelmeting").await;
        let concept = concept_round(&state).await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let blocked = app::services::users::find_by_email(&state.pool, "geblokkeerd@test.nl")
            .await
            .unwrap();
        app::services::users::set_active(
            &state.pool,
            &app::services::audit::Actor::CommandLine,
            &blocked.id,
            false,
        )
        .await
        .unwrap();
        for (path, body, expected) in TABLE {
            for (caller, expected) in CALLERS.iter().zip(expected) {
                // Fresh sessions for each call: some calls end the target's sessions.
                let cookie = match caller {
                    Caller::Anonymous => None,
                    Caller::CoordinatorSameRegion => Some(login(&state, "r01@test.nl").await),
                    Caller::CoordinatorOtherRegion => Some(login(&state, "r02@test.nl").await),
                    Caller::Reviewer => Some(login(&state, "reviewer@test.nl").await),
                    Caller::Adviser => Some(login(&state, ADVISER).await),
                    Caller::Admin => Some(login(&state, "admin@test.nl").await),
                    Caller::Disabled => Some(disabled.clone()),
                };
                let body = body.replace("{user}", &target.id);
                let body = body.replace("{response}", &response);
                let body = body
                    .replace("{round}", &round)
                    .replace("{concept}", &concept);
                let body = body.replace("{caller}", &format!("{caller:?}").to_lowercase());
                let request = if body.starts_with('{') {
                    json_call(path, &body, cookie.as_deref())
                } else {
                    call(path, &body, cookie.as_deref())
                };
                let response = send(&state, request).await;
                assert_eq!(
                    response.status().as_u16(),
                    *expected,
                    "{path} as {caller:?}: {}",
                    body_text(response).await
                );
            }
        }
    })
    .await;
}

/// Who may use which plain axum route (not a page, not a server function): method, path as
/// registered, the request's path (with `{response}` and `{round}` filled in), and the
/// expected status per caller in the order of `CALLERS`. Anonymous visitors of pages and
/// downloads go to the login page (303); a form post whose session ended gets the login
/// form that carries the answers (401).
const ROUTE_TABLE: &[(&str, &str, &str, [u16; 7])] = &[
    (
        "GET",
        "/healthz",
        "/healthz",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/.well-known/security.txt",
        "/.well-known/security.txt",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/logout",
        "/logout",
        [303, 303, 303, 303, 303, 303, 303],
    ),
    (
        "POST",
        "/beheer/vragenlijsten/laden",
        "/beheer/vragenlijsten/laden",
        [401, 403, 403, 403, 403, 303, 401],
    ),
    (
        "GET",
        "/beheer/audit/export.csv",
        "/beheer/audit/export.csv",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    (
        "POST",
        "/vragenlijst/{id}/sectie/{section}/opslaan",
        "/vragenlijst/{response}/sectie/A/opslaan",
        [401, 303, 403, 403, 303, 403, 401],
    ),
    (
        "GET",
        "/landelijk/{id}/export/{file}",
        "/landelijk/{round}/export/lang.csv",
        [303, 403, 403, 200, 200, 200, 303],
    ),
    (
        "GET",
        "/beoordelen/{id}/antwoorden/export.csv",
        "/beoordelen/{round}/antwoorden/export.csv?vraag=b_wonen_eerst",
        [303, 403, 403, 200, 200, 200, 303],
    ),
    (
        "GET",
        "/beoordelen/{id}/antwoorden/export.xlsx",
        "/beoordelen/{round}/antwoorden/export.xlsx?vraag=b_wonen_eerst&sorteer=antwoord",
        [303, 403, 403, 200, 200, 200, 303],
    ),
    // The same for every region: a questionnaire's definition is not a region's data.
    (
        "GET",
        "/vragenlijst-data/{identifier}/{version}/{file}",
        "{questionnaire_file}",
        [401, 200, 200, 200, 200, 200, 401],
    ),
    // Public: open data and the operator's branding, for everyone alike.
    (
        "GET",
        "/open-data/index.json",
        "/open-data/index.json",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/open-data/{round}/{edition}/{file}",
        "/open-data/2099-01/1/lang.csv",
        [404, 404, 404, 404, 404, 404, 404],
    ),
    (
        "GET",
        "/huisstijl.css",
        "/huisstijl.css",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/huisstijl/logo",
        "/huisstijl/logo",
        [404, 404, 404, 404, 404, 404, 404],
    ),
];

#[tokio::test]
async fn authorization_table_of_plain_routes() {
    on_every_database(|state| async move {
        seed(&state).await;
        adviser_of(&state, ADVISER, "R01").await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Routemeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let disabled = login(&state, "geblokkeerd@test.nl").await;
        let blocked = app::services::users::find_by_email(&state.pool, "geblokkeerd@test.nl")
            .await
            .unwrap();
        app::services::users::set_active(
            &state.pool,
            &app::services::audit::Actor::CommandLine,
            &blocked.id,
            false,
        )
        .await
        .unwrap();
        let definition = shipped("nad-2026-06.toml").replace("2026-06", "2099-01");
        let questionnaire_file = state
            .questionnaires
            .get(&state.pool, "nad", "2026-06")
            .await
            .unwrap()
            .form_resource_path();
        for (method, route, path, expected) in ROUTE_TABLE {
            let path = path
                .replace("{response}", &response)
                .replace("{round}", &round)
                .replace("{questionnaire_file}", &questionnaire_file);
            for (caller, expected) in CALLERS.iter().zip(expected) {
                let cookie = match caller {
                    Caller::Anonymous => None,
                    Caller::CoordinatorSameRegion => Some(login(&state, "r01@test.nl").await),
                    Caller::CoordinatorOtherRegion => Some(login(&state, "r02@test.nl").await),
                    Caller::Reviewer => Some(login(&state, "reviewer@test.nl").await),
                    Caller::Adviser => Some(login(&state, ADVISER).await),
                    Caller::Admin => Some(login(&state, "admin@test.nl").await),
                    Caller::Disabled => Some(disabled.clone()),
                };
                let request = match (*method, *route) {
                    (_, "/beheer/vragenlijsten/laden") => {
                        multipart("nad.toml", &definition, cookie.as_deref())
                    }
                    (_, "/vragenlijst/{id}/sectie/{section}/opslaan") => form_post(
                        &path,
                        &form(&[
                            ("a.a_contactpersoon", "Iemand"),
                            ("v.a_contactpersoon", "0"),
                        ]),
                        cookie.as_deref(),
                    ),
                    ("POST", _) => form_post(&path, "", cookie.as_deref()),
                    _ => get(&path, cookie.as_deref()),
                };
                let reply = send(&state, request).await;
                assert_eq!(
                    reply.status().as_u16(),
                    *expected,
                    "{method} {path} as {caller:?}: {}",
                    body_text(reply).await.chars().take(300).collect::<String>()
                );
            }
        }
    })
    .await;
}

#[test]
fn every_plain_route_is_in_the_table() {
    let registered = server::plain_routes();
    assert!(
        registered.len() >= ROUTE_TABLE.len(),
        "the registry of plain routes is empty or incomplete: {registered:?}"
    );
    for (method, path) in &registered {
        assert!(
            ROUTE_TABLE
                .iter()
                .any(|(m, p, _, _)| *m == method.as_str() && p == path),
            "plain route {method} {path} has no row in the authorization table"
        );
    }
    for (method, path, _, _) in ROUTE_TABLE {
        assert!(
            registered
                .iter()
                .any(|(m, p)| m.as_str() == *method && p == path),
            "the table lists {method} {path}, which is not a route"
        );
    }
}

#[test]
fn every_page_is_in_the_page_table() {
    let pages = server::page_paths();
    assert!(!pages.is_empty(), "no page routes were registered");
    for page in &pages {
        assert!(
            PAGE_PATTERNS.contains(&page.as_str()),
            "page {page} has no row in PAGE_PATTERNS: add it and its cases to \
             pages_answer_with_the_right_status"
        );
    }
}

#[test]
fn every_server_function_is_in_the_table() {
    let registered: Vec<String> = server_fn_paths();
    assert!(
        registered.len() >= 30,
        "the registry of server functions is empty or incomplete: {registered:?}"
    );
    for path in &registered {
        assert!(
            TABLE.iter().any(|(listed, _, _)| listed == path),
            "server function {path} has no row in the authorization table"
        );
    }
}

fn server_fn_paths() -> Vec<String> {
    // Building the router registers every server function.
    let _ = app::app::App;
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| path.to_string())
        .collect()
}

#[tokio::test]
async fn a_coordinator_can_not_reach_another_region_through_any_payload() {
    on_every_database(|state| async move {
        seed(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        for body in [
            "code=R02",
            "code=r01",
            "code=R01%00",
            "code=R02&code=R01",
            "code=..%2FR02",
            "code=",
        ] {
            let response = send(&state, call("/api/region", body, Some(&r01))).await;
            assert!(
                [400, 403].contains(&response.status().as_u16()),
                "{body}: {}",
                response.status()
            );
        }
    })
    .await;
}

pub(crate) fn multipart(file_name: &str, content: &str, cookie: Option<&str>) -> Request<Body> {
    upload_request(file_name, content.as_bytes(), &[], cookie)
}

/// The questionnaire upload form as a browser posts it: text `fields`, then the file.
pub(crate) fn upload_request(
    file_name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> Request<Body> {
    let boundary = "grens1234";
    let mut body: Vec<u8> = Vec::new();
    for (field, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut builder = Request::post("/beheer/vragenlijsten/laden")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).unwrap()
}

pub(crate) fn shipped(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../questionnaires/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[tokio::test]
async fn admins_upload_definitions_and_read_back_every_problem() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let source = shipped("nad-2025-12.toml");

        let response = send(&state, multipart("nad-2025-12.toml", &source, None)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let response = send(
            &state,
            multipart("nad-2025-12.toml", &source, Some(&reviewer)),
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);

        // A file without problems is kept for its preview; storing it is the next step
        // (questionnaire_uploads.rs tests that step).
        upload_and_store(&state, "nad-2025-12.toml", &source, &admin).await;

        let broken = shipped("broken/duplicate-key.toml");
        let response = send(&state, multipart("dubbel.toml", &broken, Some(&admin))).await;
        let location = response
            .headers()
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            location.starts_with("/beheer/vragenlijsten/poging/"),
            "{location}"
        );
        let page = body_text(send(&state, get(&location, Some(&admin))).await).await;
        assert!(
            page.contains(
                "dubbel.toml: regel 23, vraag a_keuze: de sleutel komt ook voor op regel 16"
            ),
            "{page}"
        );
        assert!(page.contains("Er is niets opgeslagen"));

        let preview = send(
            &state,
            get("/beheer/vragenlijsten/nad/2025-12", Some(&admin)),
        )
        .await;
        assert_eq!(preview.status(), StatusCode::OK);
        let html = body_text(preview).await;
        assert!(
            html.contains("Is Wonen Eerst opgenomen in het regionale plan?")
                || html.contains("Wonen Eerst"),
            "preview shows the items"
        );
        assert!(html.contains("<fieldset"), "choice groups are fieldsets");
        let coordinator = login(&state, "r01@test.nl").await;
        let response = send(
            &state,
            get("/beheer/vragenlijsten/nad/2025-12", Some(&coordinator)),
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = send(&state, get("/beheer/vragenlijsten/nad/9999", Some(&admin))).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    })
    .await;
}
