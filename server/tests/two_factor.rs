//! Two-factor sign-in: required setup for admins and reviewers, the code after the password,
//! codes that work once and within one step, recovery codes, the shared back-off, switching
//! it off, an admin's reset and signing an approval with a code. On SQLite and PostgreSQL.

use crate::support::*;
use app::services::audit::Actor;
use app::services::state::AppState;
use app::services::{now_ms, two_factor, users};
use axum::http::StatusCode;

/// Posts and returns the status and the body.
async fn post(state: &AppState, path: &str, body: &str, cookie: &str) -> (StatusCode, String) {
    let response = send(state, call(path, body, Some(cookie))).await;
    let status = response.status();
    (status, body_text(response).await)
}

/// Logs in with the password alone: the session may still wait for the second factor.
async fn password_step(state: &AppState, email: &str) -> String {
    let body = form(&[("email", email), ("password", PASSWORD)]);
    let response = send(state, call("/api/login", &body, None)).await;
    assert_eq!(response.status(), StatusCode::OK, "password of {email}");
    session_cookie(&response).expect("a session, half-way or whole")
}

fn code(secret: &str, offset_secs: i64) -> String {
    two_factor::code_at(secret, (now_ms() / 1000 + offset_secs) as u64).unwrap()
}

/// Sets a second factor up in a session and returns its secret and the code that confirmed
/// it (the current step's).
async fn set_up(state: &AppState, cookie: &str) -> (String, String) {
    let (status, body) = post(state, "/api/two_factor/setup", "", cookie).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(view["qr_svg"].as_str().unwrap().starts_with("<svg"));
    let secret = view["secret"].as_str().unwrap().replace(' ', "");
    let used = code(&secret, 0);
    let (status, body) = post(
        state,
        "/api/two_factor/confirm",
        &form(&[("code", &used)]),
        cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (secret, used)
}

async fn admin_account(state: &AppState, email: &str, role: &str) -> String {
    users::create(
        &state.pool,
        &Actor::CommandLine,
        users::NewUser {
            email: email.into(),
            display_name: "Tweestap".into(),
            role: role.into(),
            region_code: None,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn an_admin_sets_up_two_factor_at_first_login_and_then_logs_in_with_codes() {
    on_every_database(|state| async move {
        seed(&state).await;
        let id = admin_account(&state, "nieuwe-beheerder@test.nl", "admin").await;
        let half = password_step(&state, "nieuwe-beheerder@test.nl").await;
        until_it_is_set_up_nothing_else_is_reachable(&state, &half).await;
        let enrolled =
            setting_it_up_signs_in_and_shows_the_recovery_codes_once(&state, &id, &half).await;
        let (second, third) =
            the_next_login_asks_for_a_code_that_works_once(&state, &enrolled).await;
        a_recovery_code_signs_in_once(&state, &id, &enrolled, &third).await;
        logging_in_again_on_a_section_page_takes_the_code(&state, &enrolled, &second).await;
    })
    .await;
}

/// What setting up the second factor gave: the secret, the code used to confirm it, and the
/// recovery codes.
struct Enrolled {
    secret: String,
    used: String,
    codes: Vec<String>,
}

/// Not signed in until it is set up: nothing but the setup is reachable.
async fn until_it_is_set_up_nothing_else_is_reachable(state: &AppState, half: &str) {
    assert_eq!(
        post(state, "/api/users", "", half).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post(state, "/api/two_factor/code", "code=123456", half)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = post(state, "/api/two_factor/setup", "", half).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"required\":true"), "{body}");
    // The same secret on a reload.
    let again = post(state, "/api/two_factor/setup", "", half).await.1;
    assert_eq!(body, again);
    // A wrong code: refused, still half-way.
    let (status, body) = post(state, "/api/two_factor/confirm", "code=000000", half).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        post(state, "/api/users", "", half).await.0,
        StatusCode::UNAUTHORIZED
    );
}

async fn setting_it_up_signs_in_and_shows_the_recovery_codes_once(
    state: &AppState,
    id: &str,
    half: &str,
) -> Enrolled {
    let (secret, used) = set_up(state, half).await;
    assert_eq!(
        post(state, "/api/users", "", half).await.0,
        StatusCode::OK,
        "signed in now"
    );
    let (_, codes) = post(state, "/api/two_factor/recovery_codes", "", half).await;
    let codes: Vec<String> = serde_json::from_str(&codes).unwrap();
    assert_eq!(codes.len(), 10);
    let (_, shown_again) = post(state, "/api/two_factor/recovery_codes", "", half).await;
    assert_eq!(shown_again, "[]", "shown once");
    let stored: String = sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(stored, secret);
    let mails = app::services::mail::recent(&state.pool, 10).await.unwrap();
    assert!(mails.iter().any(|m| m.kind == "second_factor_changed"));
    Enrolled {
        secret,
        used,
        codes,
    }
}

/// The next login asks for the code; the one used at setup does not work again, nor one out
/// of the window. Returns the code that signed in and a session waiting for a code.
async fn the_next_login_asks_for_a_code_that_works_once(
    state: &AppState,
    enrolled: &Enrolled,
) -> (String, String) {
    let Enrolled { secret, used, .. } = enrolled;
    let next = password_step(state, "nieuwe-beheerder@test.nl").await;
    assert_eq!(
        post(state, "/api/users", "", &next).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = post(
        state,
        "/api/two_factor/code",
        &form(&[("code", used)]),
        &next,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );
    let second = code(secret, 30);
    let (status, body) = post(
        state,
        "/api/two_factor/code",
        &form(&[("code", &second)]),
        &next,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(post(state, "/api/users", "", &next).await.0, StatusCode::OK);
    // Out of the window: two steps ahead is refused.
    let third = password_step(state, "nieuwe-beheerder@test.nl").await;
    let (status, _) = post(
        state,
        "/api/two_factor/code",
        &form(&[("code", &code(secret, 90))]),
        &third,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    (second, third)
}

/// A recovery code signs in once.
async fn a_recovery_code_signs_in_once(
    state: &AppState,
    id: &str,
    enrolled: &Enrolled,
    third: &str,
) {
    let codes = &enrolled.codes;
    let (status, body) = post(
        state,
        "/api/two_factor/code",
        &form(&[("code", &codes[0].to_uppercase())]),
        third,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fourth = password_step(state, "nieuwe-beheerder@test.nl").await;
    let (status, _) = post(
        state,
        "/api/two_factor/code",
        &form(&[("code", &codes[0])]),
        &fourth,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a recovery code works once"
    );
    assert_eq!(
        two_factor::recovery_codes_left(&state.pool, id)
            .await
            .unwrap(),
        9
    );
}

/// Logging in again on a section page takes the code in the same step.
async fn logging_in_again_on_a_section_page_takes_the_code(
    state: &AppState,
    enrolled: &Enrolled,
    second: &str,
) {
    let codes = &enrolled.codes;
    let without = form(&[
        ("email", "nieuwe-beheerder@test.nl"),
        ("password", PASSWORD),
    ]);
    let (status, body) = post(state, "/api/login_again", &without, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Vul ook de code"), "{body}");
    let with = |code: &str| {
        form(&[
            ("email", "nieuwe-beheerder@test.nl"),
            ("password", PASSWORD),
            ("code", code),
        ])
    };
    let (status, _) = post(state, "/api/login_again", &with(second), "").await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "that code was used above"
    );
    // The wrong attempts above count in the back-off; a quarter of an hour later they don't.
    sqlx::query("DELETE FROM login_throttles")
        .execute(&state.pool)
        .await
        .unwrap();
    let response = send(state, call("/api/login_again", &with(&codes[1]), None)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let again = session_cookie(&response).unwrap();
    assert_eq!(
        post(state, "/api/users", "", &again).await.0,
        StatusCode::OK
    );
    // Someone who still has to set a second factor up is sent to the login page.
    admin_account(state, "nog-instellen@test.nl", "reviewer").await;
    let body = form(&[("email", "nog-instellen@test.nl"), ("password", PASSWORD)]);
    let (status, body) = post(state, "/api/login_again", &body, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("inlogpagina"), "{body}");
}

#[tokio::test]
async fn wrong_codes_count_toward_the_login_back_off() {
    on_every_database(|state| async move {
        seed(&state).await;
        admin_account(&state, "gokker@test.nl", "reviewer").await;
        let half = password_step(&state, "gokker@test.nl").await;
        let (secret, _) = set_up(&state, &half).await;
        let next = password_step(&state, "gokker@test.nl").await;
        let mut refused = None;
        for attempt in 1..=8 {
            let (status, _) = post(&state, "/api/two_factor/code", "code=000000", &next).await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                refused = Some(attempt);
                break;
            }
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        assert!(
            refused.is_some_and(|attempt| attempt <= 6),
            "back-off after a few wrong codes: {refused:?}"
        );
        // Even the right code waits now.
        let (status, _) = post(
            &state,
            "/api/two_factor/code",
            &form(&[("code", &code(&secret, 30))]),
            &next,
        )
        .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    })
    .await;
}

#[tokio::test]
async fn coordinators_switch_it_on_and_off_and_admins_reset_it() {
    on_every_database(|state| async move {
        seed(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let account = post(&state, "/api/account", "", &r01).await.1;
        assert!(account.contains("\"enabled_at\":null"), "{account}");
        let (secret, _) = set_up(&state, &r01).await;
        let user = users::find_by_email(&state.pool, "r01@test.nl")
            .await
            .unwrap();
        assert!(user.two_factor);
        // Off with a wrong code: refused; with a current one: off.
        let (status, _) = post(&state, "/api/two_factor/remove", "code=000000", &r01).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = post(
            &state,
            "/api/two_factor/remove",
            &form(&[("code", &code(&secret, 30))]),
            &r01,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(!two_factor::is_enabled(&state.pool, &user.id).await.unwrap());
        let again = login(&state, "r01@test.nl").await;
        assert_eq!(
            post(&state, "/api/account", "", &again).await.0,
            StatusCode::OK,
            "a password alone again"
        );

        // On again; an admin resets it: every session ends, it is audited.
        let r01 = login(&state, "r01@test.nl").await;
        set_up(&state, &r01).await;
        let admin = login(&state, "admin@test.nl").await;
        let (status, body) = post(
            &state,
            "/api/two_factor/reset",
            &form(&[("user_id", &user.id)]),
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            post(&state, "/api/account", "", &r01).await.0,
            StatusCode::UNAUTHORIZED
        );
        assert!(!two_factor::is_enabled(&state.pool, &user.id).await.unwrap());
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'two_factor_reset' AND subject = $1",
        )
        .bind(&user.id)
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(audited, 1);
        // Nothing to reset any more.
        let (status, _) = post(
            &state,
            "/api/two_factor/reset",
            &form(&[("user_id", &user.id)]),
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // Admins and reviewers can't switch theirs off.
        let reviewer = login(&state, "reviewer@test.nl").await;
        let (reviewer_secret, _) = set_up(&state, &reviewer).await;
        let (status, body) = post(
            &state,
            "/api/two_factor/remove",
            &form(&[("code", &code(&reviewer_secret, 30))]),
            &reviewer,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("verplicht"));
    })
    .await;
}

#[tokio::test]
async fn an_approval_is_signed_with_a_code_when_two_factor_is_on() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Meting tweestap").await;
        let r01 = login(&state, "r01@test.nl").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        fill_in_everything(&state, &r01, &response).await;
        let (status, _) = post(
            &state,
            "/api/responses/submit",
            &form(&[("response_id", &response)]),
            &r01,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let reviewer = login(&state, "reviewer@test.nl").await;
        let (secret, used) = set_up(&state, &reviewer).await;
        let review = post(
            &state,
            "/api/review/response",
            &form(&[("response_id", &response)]),
            &reviewer,
        )
        .await
        .1;
        assert!(review.contains("\"signs_with_code\":true"));
        // The password no longer signs; a used code neither; a fresh one does.
        for (signature, expected) in [
            (PASSWORD.to_string(), StatusCode::UNPROCESSABLE_ENTITY),
            (used, StatusCode::UNPROCESSABLE_ENTITY),
            (code(&secret, 30), StatusCode::OK),
        ] {
            let body = form(&[("response_id", &response), ("password", &signature)]);
            let (status, body) = post(&state, "/api/review/approve", &body, &reviewer).await;
            assert_eq!(status, expected, "{body}");
        }
    })
    .await;
}
