//! Signing in and out: cookies, errors, back-off, ended and timed-out sessions, cross-origin.

use super::*;
use app::services::state::Config;

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
