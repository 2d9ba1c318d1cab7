//! The notices that keep a round moving: queued with their events (submit, send back,
//! approve, comment, a round opening, a new device), only to the people they concern,
//! respecting opt-outs; deadline reminders once per person and deadline, also when two
//! instances run the job at once. On SQLite and on PostgreSQL.

use crate::support::*;
use app::domain::notice::OutboxMail;
use app::domain::round::RoundState;
use app::services::audit::Actor;
use app::services::state::AppState;
use app::services::{mail, notices, now_ms, rounds};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

const DAY: i64 = 86_400_000;

async fn outbox(state: &AppState) -> Vec<OutboxMail> {
    let mut mails = mail::recent(&state.pool, 1000).await.unwrap();
    mails.reverse(); // oldest first
    mails
}

/// (recipient, kind) of every mail queued since `before` mails were there.
async fn new_mails(state: &AppState, before: usize) -> Vec<(String, String)> {
    let mut mails: Vec<(String, String)> = outbox(state)
        .await
        .into_iter()
        .skip(before)
        .map(|mail| (mail.recipient, mail.kind))
        .collect();
    mails.sort();
    mails
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = list
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    pairs.sort();
    pairs
}

/// Posts as `cookie` and returns (recipient, kind) of the mails the post queued.
async fn mails_of(state: &AppState, path: &str, body: &str, cookie: &str) -> Vec<(String, String)> {
    let before = outbox(state).await.len();
    post_ok(state, path, body, cookie).await;
    new_mails(state, before).await
}

async fn post_ok(state: &AppState, path: &str, body: &str, cookie: &str) {
    let response = send(state, call(path, body, Some(cookie))).await;
    let status = response.status();
    assert_eq!(
        status,
        StatusCode::OK,
        "{path}: {}",
        body_text(response).await
    );
}

#[tokio::test]
async fn review_events_tell_the_people_they_concern_and_no_one_else() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Meting notities").await;
        let r01 = login(&state, "r01@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        fill_in_everything(&state, &r01, &response).await;

        // Submitted: every reviewer (not the admin, not coordinators).
        let before = outbox(&state).await.len();
        post_ok(
            &state,
            "/api/responses/submit",
            &form(&[("response_id", &response)]),
            &r01,
        )
        .await;
        assert_eq!(
            new_mails(&state, before).await,
            pairs(&[("reviewer@test.nl", "response_submitted")])
        );

        // A reviewer's comment: the region's coordinators (both), not other regions'.
        let body = form(&[
            ("response_id", &response),
            ("item_key", "a_contactpersoon"),
            ("body", "Klopt dit adres?"),
        ]);
        assert_eq!(
            mails_of(&state, "/api/review/comment", &body, &reviewer).await,
            pairs(&[
                ("r01@test.nl", "comment_added"),
                ("geblokkeerd@test.nl", "comment_added")
            ])
        );
        let comment_mail = outbox(&state).await.pop().unwrap();
        assert!(
            comment_mail.body_text.contains("Klopt dit adres?"),
            "{}",
            comment_mail.body_text
        );
        assert!(comment_mail.body_text.contains("Test reviewer@test.nl"));
        // A coordinator's own comment is not mailed back to them.
        let body = form(&[
            ("response_id", &response),
            ("item_key", "a_contactpersoon"),
            ("body", "Ja, dat klopt."),
        ]);
        assert_eq!(
            mails_of(&state, "/api/review/comment", &body, &r01).await,
            pairs(&[("geblokkeerd@test.nl", "comment_added")])
        );

        // Sent back: the coordinators, with the reason and the open comment.
        let body = form(&[
            ("response_id", &response),
            ("reason", "Licht het adres toe."),
        ]);
        assert_eq!(
            mails_of(&state, "/api/review/return", &body, &reviewer).await,
            pairs(&[
                ("r01@test.nl", "response_returned"),
                ("geblokkeerd@test.nl", "response_returned")
            ])
        );
        let returned = outbox(&state).await.pop().unwrap();
        assert!(
            returned.body_text.contains("Reden: Licht het adres toe."),
            "{}",
            returned.body_text
        );
        assert!(
            returned.body_text.contains("Ja, dat klopt."),
            "the open comment's last message: {}",
            returned.body_text
        );
        assert!(returned
            .body_text
            .contains(&format!("/vragenlijst/{response}")));

        // Submitted again, then approved.
        let before = outbox(&state).await.len();
        post_ok(
            &state,
            "/api/responses/submit",
            &form(&[("response_id", &response)]),
            &r01,
        )
        .await;
        let again = outbox(&state).await.pop().unwrap();
        assert_eq!(again.kind, "response_submitted");
        assert!(
            again.subject.contains("opnieuw ingediend"),
            "{}",
            again.subject
        );
        let body = form(&[("response_id", &response), ("password", PASSWORD)]);
        post_ok(&state, "/api/review/approve", &body, &reviewer).await;
        assert_eq!(
            new_mails(&state, before).await,
            pairs(&[
                ("reviewer@test.nl", "response_submitted"),
                ("r01@test.nl", "response_approved"),
                ("geblokkeerd@test.nl", "response_approved"),
            ])
        );
    })
    .await;
}

#[tokio::test]
async fn optional_notices_can_be_switched_off_and_the_others_not() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Meting keuzes").await;
        let r01 = login(&state, "r01@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        // Unknown kinds, and kinds that can't be switched off: refused, nothing changes.
        for wanted in [
            "wanted%5B%5D=bestaat_niet",
            "wanted%5B%5D=response_returned",
        ] {
            let response = send(&state, call("/api/account/notices", wanted, Some(&r01))).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        }
        // Nothing checked: every optional notice off.
        post_ok(&state, "/api/account/notices", "", &r01).await;
        let account = send(&state, call("/api/account", "", Some(&r01))).await;
        let account: serde_json::Value = serde_json::from_str(&body_text(account).await).unwrap();
        assert_eq!(account["notices"].as_array().unwrap().len(), 3);
        assert!(account["notices"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n[2] == false));

        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let body = form(&[
            ("response_id", &response),
            ("item_key", "a_contactpersoon"),
            ("body", "Vraag"),
        ]);
        assert_eq!(
            mails_of(&state, "/api/review/comment", &body, &reviewer).await,
            pairs(&[("geblokkeerd@test.nl", "comment_added")])
        );

        // Switched on again: mailed again.
        post_ok(
            &state,
            "/api/account/notices",
            "wanted%5B%5D=comment_added",
            &r01,
        )
        .await;
        assert_eq!(
            mails_of(&state, "/api/review/comment", &body, &reviewer).await,
            pairs(&[
                ("r01@test.nl", "comment_added"),
                ("geblokkeerd@test.nl", "comment_added")
            ])
        );
    })
    .await;
}

#[tokio::test]
async fn opening_a_round_tells_the_coordinators_of_its_regions() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = rounds::create(
            &state.pool,
            &Actor::CommandLine,
            rounds::NewRound {
                name: "Meting december".into(),
                questionnaire_id: "nad".into(),
                questionnaire_version: "2026-06".into(),
                state: RoundState::Concept,
                opens_at: now_ms(),
                deadline: now_ms() + 30 * DAY,
                compared_round_id: None,
                region_codes: Some(vec!["R01".into(), "R03".into()]),
            },
        )
        .await
        .unwrap();
        // An invited coordinator of R03 without a password yet has their invitation instead.
        let admin = login(&state, "admin@test.nl").await;
        let body = form(&[
            ("email", "nieuw-r03@test.nl"),
            ("display_name", "Nieuw"),
            ("role", "coordinator"),
            ("region_code", "R03"),
        ]);
        post_ok(&state, "/api/users/create", &body, &admin).await;
        let before = outbox(&state).await.len();
        rounds::change_state(
            &state.pool,
            &state.config.mail,
            &Actor::CommandLine,
            &round,
            RoundState::Open,
        )
        .await
        .unwrap();
        assert_eq!(
            new_mails(&state, before).await,
            pairs(&[
                ("geblokkeerd@test.nl", "round_opened"),
                ("r01@test.nl", "round_opened"),
                ("r03@test.nl", "round_opened"),
            ])
        );
        let mail = outbox(&state).await.pop().unwrap();
        assert!(mail.subject.contains("Meting december"), "{}", mail.subject);
    })
    .await;
}

#[tokio::test]
async fn deadline_reminders_go_out_once_per_person_and_deadline() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Meting herinnering").await;
        let settings = state.config.mail.clone();
        let deadline: i64 = sqlx::query_scalar("SELECT deadline FROM rounds WHERE id = $1")
            .bind(&round)
            .fetch_one(&state.pool)
            .await
            .unwrap();
        let thresholds = [14, 3];
        // Too early: nothing.
        let at = deadline - 20 * DAY;
        assert_eq!(notices::send_deadline_reminders(&state.pool, &settings, at, &thresholds).await.unwrap(), 0);

        // R02's response is approved already: no reminder for its coordinator.
        sqlx::query("INSERT INTO responses (id, round_id, region_code, status, created_at) VALUES ('r02-klaar', $1, 'R02', 'approved', 0)")
            .bind(&round)
            .execute(&state.pool)
            .await
            .unwrap();
        // Ten days before, from two instances at once: each coordinator once.
        let at = deadline - 10 * DAY;
        let (a, b) = tokio::join!(
            notices::send_deadline_reminders(&state.pool, &settings, at, &thresholds),
            notices::send_deadline_reminders(&state.pool, &settings, at, &thresholds)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 3, "r01, geblokkeerd (R01) and r03");
        let reminders: Vec<OutboxMail> = outbox(&state).await.into_iter().filter(|m| m.kind == "deadline_reminder").collect();
        assert_eq!(reminders.len(), 3);
        assert!(reminders.iter().all(|m| m.recipient != "r02@test.nl"));
        assert!(reminders[0].subject.contains("Nog 10 dagen"), "{}", reminders[0].subject);
        // A restart an hour later: nothing again.
        assert_eq!(notices::send_deadline_reminders(&state.pool, &settings, at + 3_600_000, &thresholds).await.unwrap(), 0);
        // Two days before: the nearer threshold, once more each.
        assert_eq!(notices::send_deadline_reminders(&state.pool, &settings, deadline - 2 * DAY, &thresholds).await.unwrap(), 3);
        assert_eq!(notices::send_deadline_reminders(&state.pool, &settings, deadline - DAY, &thresholds).await.unwrap(), 0);
        // R03 gets a later deadline: reminded again for the new one; R01's has passed.
        let extended = deadline + 20 * DAY;
        sqlx::query("UPDATE round_regions SET deadline = $1 WHERE round_id = $2 AND region_code = 'R03'")
            .bind(extended)
            .bind(&round)
            .execute(&state.pool)
            .await
            .unwrap();
        assert_eq!(notices::send_deadline_reminders(&state.pool, &settings, extended - 5 * DAY, &thresholds).await.unwrap(), 1);
        // Past the deadline: nothing.
        assert_eq!(notices::send_deadline_reminders(&state.pool, &settings, extended + 1, &thresholds).await.unwrap(), 0);
    })
    .await;
}

fn login_with(email: &str, user_agent: &str) -> Request<Body> {
    let body = form(&[("email", email), ("password", PASSWORD)]);
    let mut request = call("/api/login", &body, None);
    request
        .headers_mut()
        .insert(header::USER_AGENT, user_agent.parse().unwrap());
    request
}

#[tokio::test]
async fn a_login_from_a_new_device_is_told_and_a_known_one_is_not() {
    on_every_database(|state| async move {
        seed(&state).await;
        const FIREFOX: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        const NEWER_FIREFOX: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:134.0) Gecko/20100101 Firefox/134.0";
        const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";
        // The first login ever, the same device again, and after a browser update: no notice.
        for agent in [FIREFOX, FIREFOX, NEWER_FIREFOX] {
            assert_eq!(send(&state, login_with("r02@test.nl", agent)).await.status(), StatusCode::OK);
        }
        assert!(outbox(&state).await.is_empty());
        let response = send(&state, login_with("r02@test.nl", PHONE)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let mails = outbox(&state).await;
        assert_eq!(mails.len(), 1);
        assert_eq!((mails[0].recipient.as_str(), mails[0].kind.as_str()), ("r02@test.nl", "new_device"));
        assert!(mails[0].body_text.contains("Safari op iPhone"), "{}", mails[0].body_text);
        // The sessions list names the devices too.
        let cookie = session_cookie(&response).unwrap();
        let account = send(&state, call("/api/account", "", Some(&cookie))).await;
        let text = body_text(account).await;
        assert!(text.contains("Safari op iPhone") && text.contains("Firefox op Windows"), "{text}");
    })
    .await;
}
