//! Accounts people manage themselves and the mail that tells them: the outbox delivered over
//! real SMTP (with retries, permanent failures and claims), invitations, password resets,
//! "Mijn account" and the admin's edits. On SQLite and on PostgreSQL.

use crate::support::*;
use app::domain::notice::OutboxMail;
use app::services::audit::Actor;
use app::services::mail::{self, Delivered, MailSettings, Mailer};
use app::services::state::AppState;
use app::services::{now_ms, users};
use axum::http::StatusCode;

#[path = "support/smtp_sink.rs"]
mod smtp_sink;
use smtp_sink::{Mode, SmtpSink};

fn mailer(url: &str) -> Mailer {
    let settings = MailSettings::new(
        Some(url.to_string()),
        "monitor@test.nl".into(),
        "https://monitor.test".into(),
    )
    .unwrap();
    Mailer::from_settings(&settings).unwrap().unwrap()
}

/// A port on 127.0.0.1 where nothing listens (an SMTP server that is down).
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

async fn outbox(state: &AppState) -> Vec<OutboxMail> {
    mail::recent(&state.pool, 1000).await.unwrap()
}

async fn mails_to(state: &AppState, address: &str) -> Vec<OutboxMail> {
    outbox(state)
        .await
        .into_iter()
        .filter(|mail| mail.recipient == address)
        .collect()
}

/// The token in the newest mail to `address` that carries a link to choose a password.
async fn token_mailed_to(state: &AppState, address: &str) -> String {
    let mail = mails_to(state, address)
        .await
        .into_iter()
        .find(|mail| mail.body_text.contains("sleutel="))
        .unwrap_or_else(|| panic!("no mail with a link to {address}"));
    let start = mail.body_text.find("sleutel=").unwrap() + "sleutel=".len();
    mail.body_text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

async fn invite(state: &AppState, admin: &str, email: &str) -> StatusCode {
    let body = form(&[
        ("email", email),
        ("display_name", "Nieuwe Collega"),
        ("role", "coordinator"),
        ("region_code", "R02"),
    ]);
    send(state, call("/api/users/create", &body, Some(admin)))
        .await
        .status()
}

async fn try_login(state: &AppState, email: &str, password: &str) -> StatusCode {
    let body = form(&[("email", email), ("password", password)]);
    send(state, call("/api/login", &body, None)).await.status()
}

async fn choose(state: &AppState, token: &str, password: &str) -> (StatusCode, String) {
    let body = form(&[("token", token), ("password", password)]);
    let response = send(state, call("/api/account/choose_password", &body, None)).await;
    (response.status(), body_text(response).await)
}

#[tokio::test]
async fn the_outbox_is_delivered_over_smtp_and_retried_until_it_leaves() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        assert_eq!(
            invite(&state, &admin, "nieuw@test.nl").await,
            StatusCode::OK
        );
        let queued = mails_to(&state, "nieuw@test.nl").await;
        assert_eq!(queued.len(), 1);
        assert_eq!(
            (queued[0].kind.as_str(), queued[0].status.as_str()),
            ("invitation", "pending")
        );

        // The SMTP server is down: the mail stays, with a later attempt planned.
        let now = now_ms();
        let down = mailer(&format!("smtp://127.0.0.1:{}", closed_port().await));
        let done = mail::deliver_due(&state.pool, &down, now).await.unwrap();
        assert_eq!(
            done,
            Delivered {
                sent: 0,
                retrying: 1,
                failed: 0
            }
        );
        let mail = &mails_to(&state, "nieuw@test.nl").await[0];
        assert_eq!((mail.status.as_str(), mail.attempts), ("pending", 1));
        assert!(
            mail.next_attempt_at >= now + 60_000,
            "one minute's back-off"
        );
        assert!(mail.last_error.is_some());
        // Not due yet: nothing is tried.
        let sink = SmtpSink::start().await;
        let up = mailer(&sink.url());
        assert_eq!(
            mail::deliver_due(&state.pool, &up, now + 1_000)
                .await
                .unwrap(),
            Delivered::default()
        );

        // The server refuses for now, then hangs up half-way: still retried.
        sink.set_mode(Mode::RefuseForNow);
        let later = mail.next_attempt_at;
        let done = mail::deliver_due(&state.pool, &up, later).await.unwrap();
        assert_eq!(done.retrying, 1);
        sink.set_mode(Mode::HangUpMidMail);
        let mail = &mails_to(&state, "nieuw@test.nl").await[0];
        assert_eq!(mail.attempts, 2);
        assert!(
            mail.next_attempt_at >= later + 2 * 60_000,
            "back-off doubles"
        );
        let done = mail::deliver_due(&state.pool, &up, mail.next_attempt_at)
            .await
            .unwrap();
        assert_eq!(done.retrying, 1);
        assert!(sink.received().is_empty());

        // Back up: it leaves, once, and says what the outbox says.
        sink.set_mode(Mode::Accept);
        let mail = &mails_to(&state, "nieuw@test.nl").await[0];
        let done = mail::deliver_due(&state.pool, &up, mail.next_attempt_at)
            .await
            .unwrap();
        assert_eq!(
            done,
            Delivered {
                sent: 1,
                retrying: 0,
                failed: 0
            }
        );
        let received = sink.received();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].to, "nieuw@test.nl");
        assert!(received[0]
            .data
            .contains("Subject: Uitnodiging voor de Monitor Eerst een Thuis"));
        let from = received[0]
            .data
            .lines()
            .find(|line| line.starts_with("From: "))
            .unwrap();
        assert!(
            from.contains("Monitor Eerst een Thuis") && from.contains("<monitor@test.nl>"),
            "{from}"
        );
        assert!(received[0].data.contains("text/plain") && received[0].data.contains("text/html"));
        let mail = &mails_to(&state, "nieuw@test.nl").await[0];
        assert_eq!(mail.status, "sent");
        assert!(mail.sent_at.is_some() && mail.last_error.is_none());
        // A sent mail is never sent again.
        let done = mail::deliver_due(&state.pool, &up, now_ms() + 10 * 3_600_000)
            .await
            .unwrap();
        assert_eq!(done, Delivered::default());
        assert_eq!(sink.received().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_permanent_refusal_or_too_many_attempts_mark_a_mail_failed() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        invite(&state, &admin, "onbekend@test.nl").await;
        let sink = SmtpSink::start().await;
        let up = mailer(&sink.url());
        sink.set_mode(Mode::RefuseForGood);
        let done = mail::deliver_due(&state.pool, &up, now_ms()).await.unwrap();
        assert_eq!(
            done,
            Delivered {
                sent: 0,
                retrying: 0,
                failed: 1
            }
        );
        let mail = &mails_to(&state, "onbekend@test.nl").await[0];
        assert_eq!(mail.status, "failed");
        assert!(
            mail.last_error.as_deref().unwrap().contains("550"),
            "{mail:?}"
        );

        // An admin puts it back in line; it leaves once the server accepts.
        let retry = send(
            &state,
            call(
                "/api/outbox/retry",
                &form(&[("id", &mail.id)]),
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(retry.status(), StatusCode::OK);
        sink.set_mode(Mode::Accept);
        assert_eq!(
            mail::deliver_due(&state.pool, &up, now_ms())
                .await
                .unwrap()
                .sent,
            1
        );

        // A server that stays away: failed after the last attempt.
        invite(&state, &admin, "later@test.nl").await;
        let down = mailer(&format!("smtp://127.0.0.1:{}", closed_port().await));
        let mut at = now_ms();
        for attempt in 1..=mail::MAX_ATTEMPTS {
            let done = mail::deliver_due(&state.pool, &down, at).await.unwrap();
            let expected = if attempt == mail::MAX_ATTEMPTS {
                (0, 1)
            } else {
                (1, 0)
            };
            assert_eq!((done.retrying, done.failed), expected, "attempt {attempt}");
            at = mails_to(&state, "later@test.nl").await[0].next_attempt_at;
        }
        assert_eq!(mails_to(&state, "later@test.nl").await[0].status, "failed");
    })
    .await;
}

#[tokio::test]
async fn mail_claimed_by_an_instance_that_died_is_sent_afterwards_and_only_once() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        for n in 0..5 {
            invite(&state, &admin, &format!("collega{n}@test.nl")).await;
        }
        // Another instance took one mail and died before it could send it.
        let taken = &outbox(&state).await[0];
        let now = now_ms();
        sqlx::query("UPDATE outbox SET claimed_until = $1, attempts = 1 WHERE id = $2")
            .bind(now + 60_000)
            .bind(&taken.id)
            .execute(&state.pool)
            .await
            .unwrap();
        let sink = SmtpSink::start().await;
        // Two instances deliver at once: every other mail leaves exactly once.
        let (a, b) = (mailer(&sink.url()), mailer(&sink.url()));
        let (first, second) = tokio::join!(
            mail::deliver_due(&state.pool, &a, now),
            mail::deliver_due(&state.pool, &b, now)
        );
        assert_eq!(first.unwrap().sent + second.unwrap().sent, 4);
        assert_eq!(sink.received().len(), 4);
        assert!(sink
            .received()
            .iter()
            .all(|mail| mail.to != taken.recipient));
        // When the claim runs out, the mail is taken over and sent.
        let done = mail::deliver_due(&state.pool, &a, now + 3 * 60_000)
            .await
            .unwrap();
        assert_eq!(done.sent, 1);
        let mut recipients: Vec<String> = sink.received().into_iter().map(|m| m.to).collect();
        recipients.sort();
        recipients.dedup();
        assert_eq!(recipients.len(), 5);
    })
    .await;
}

#[tokio::test]
async fn an_invitation_link_lets_its_owner_choose_a_password_once() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        assert_eq!(
            invite(&state, &admin, "Nieuw@Test.nl").await,
            StatusCode::OK
        );
        // The same address again, in another case: refused, nothing added.
        assert_eq!(
            invite(&state, &admin, "nieuw@test.nl").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // A malformed address: refused.
        assert_eq!(
            invite(&state, &admin, "geen-adres").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(outbox(&state).await.len(), 1);

        let user = users::find_by_email(&state.pool, "nieuw@test.nl")
            .await
            .unwrap();
        assert!(!user.has_password);
        // No password yet: logging in fails like any wrong password.
        assert_eq!(
            try_login(&state, "nieuw@test.nl", PASSWORD).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        let token = token_mailed_to(&state, "Nieuw@Test.nl").await;
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM account_links WHERE token_hash = $1")
                .bind(&token)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(stored, 0, "only the token's hash is stored");
        let link = send(
            &state,
            call("/api/account/link", &form(&[("token", &token)]), None),
        )
        .await;
        assert_eq!(link.status(), StatusCode::OK);
        assert!(body_text(link).await.contains("\"invitation\":true"));

        // A password that breaks the rules: refused, and the link still works.
        let (status, body) = choose(&state, &token, "kort").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("minstens 12 tekens"), "{body}");
        // A forged token: refused.
        let (status, body) = choose(&state, "vervalst", "een nieuw lang wachtwoord").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("ongeldig"), "{body}");

        let (status, body) = choose(&state, &token, "een nieuw lang wachtwoord").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            try_login(&state, "nieuw@test.nl", "een nieuw lang wachtwoord").await,
            StatusCode::OK
        );
        // Once only.
        let (status, body) = choose(&state, &token, "nog een ander wachtwoord").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("al gebruikt"), "{body}");
        assert_eq!(
            try_login(&state, "nieuw@test.nl", "een nieuw lang wachtwoord").await,
            StatusCode::OK
        );

        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT kind FROM audit_events WHERE subject = $1 ORDER BY occurred_at, kind",
        )
        .bind(&user.id)
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert!(
            kinds.contains(&"user_created".to_string())
                && kinds.contains(&"invitation_accepted".to_string()),
            "{kinds:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_new_invitation_replaces_the_old_and_links_expire() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        invite(&state, &admin, "traag@test.nl").await;
        let first = token_mailed_to(&state, "traag@test.nl").await;
        let user = users::find_by_email(&state.pool, "traag@test.nl")
            .await
            .unwrap();
        let again = send(
            &state,
            call(
                "/api/users/invite_again",
                &form(&[("user_id", &user.id)]),
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(again.status(), StatusCode::OK);
        assert_eq!(mails_to(&state, "traag@test.nl").await.len(), 2);
        let second = token_mailed_to(&state, "traag@test.nl").await;
        assert_ne!(first, second);
        let (status, body) = choose(&state, &first, "een nieuw lang wachtwoord").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("vervangen"), "{body}");

        // Seven days later the new one has expired too.
        sqlx::query("UPDATE account_links SET expires_at = $1 WHERE user_id = $2")
            .bind(now_ms() - 1)
            .bind(&user.id)
            .execute(&state.pool)
            .await
            .unwrap();
        let (status, body) = choose(&state, &second, "een nieuw lang wachtwoord").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("verlopen"), "{body}");
        assert!(
            !users::find(&state.pool, &user.id)
                .await
                .unwrap()
                .has_password
        );
    })
    .await;
}

#[tokio::test]
async fn forgotten_passwords_are_reset_by_mail_without_revealing_accounts() {
    on_every_database(|state| async move {
        seed(&state).await;
        let old_session = login(&state, "r01@test.nl").await;
        let ask = |email: &'static str| {
            let state = state.clone();
            async move {
                let response = send(
                    &state,
                    call(
                        "/api/account/forgot_password",
                        &form(&[("email", email)]),
                        None,
                    ),
                )
                .await;
                let status = response.status();
                (status, body_text(response).await)
            }
        };
        // The same answer for an account and for nobody.
        let known = ask("R01@test.nl").await;
        let unknown = ask("niemand@test.nl").await;
        assert_eq!(known, unknown);
        assert_eq!(known.0, StatusCode::OK);
        assert_eq!(outbox(&state).await.len(), 1);
        assert_eq!(
            mails_to(&state, "r01@test.nl").await[0].kind,
            "password_reset"
        );
        // Asked again at once: no second mail.
        ask("r01@test.nl").await;
        assert_eq!(outbox(&state).await.len(), 1);
        // A malformed address gets a clear message.
        let bad = send(
            &state,
            call(
                "/api/account/forgot_password",
                &form(&[("email", "geen adres")]),
                None,
            ),
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let token = token_mailed_to(&state, "r01@test.nl").await;
        let (status, body) = choose(&state, &token, "mijn nieuwe lange wachtwoord").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // Every other session ended; the old password no longer works, the new one does.
        let response = send(&state, call("/api/region", "code=R01", Some(&old_session))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            try_login(&state, "r01@test.nl", PASSWORD).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            try_login(&state, "r01@test.nl", "mijn nieuwe lange wachtwoord").await,
            StatusCode::OK
        );
        let kinds: Vec<String> = mails_to(&state, "r01@test.nl")
            .await
            .into_iter()
            .map(|m| m.kind)
            .collect();
        assert!(kinds.contains(&"password_changed".to_string()), "{kinds:?}");
    })
    .await;
}

#[tokio::test]
async fn a_reset_link_of_a_blocked_account_or_an_expired_one_changes_nothing() {
    on_every_database(|state| async move {
        seed(&state).await;
        send(
            &state,
            call(
                "/api/account/forgot_password",
                &form(&[("email", "r02@test.nl")]),
                None,
            ),
        )
        .await;
        let token = token_mailed_to(&state, "r02@test.nl").await;
        let user = users::find_by_email(&state.pool, "r02@test.nl")
            .await
            .unwrap();
        users::set_active(&state.pool, &Actor::CommandLine, &user.id, false)
            .await
            .unwrap();
        let (status, body) = choose(&state, &token, "mijn nieuwe lange wachtwoord").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("geblokkeerd"), "{body}");
        users::set_active(&state.pool, &Actor::CommandLine, &user.id, true)
            .await
            .unwrap();
        assert_eq!(
            try_login(&state, "r02@test.nl", PASSWORD).await,
            StatusCode::OK
        );

        // After an hour the link has expired.
        sqlx::query("UPDATE account_links SET created_at = $1, expires_at = $2 WHERE user_id = $3")
            .bind(now_ms() - 3_600_001)
            .bind(now_ms() - 1)
            .bind(&user.id)
            .execute(&state.pool)
            .await
            .unwrap();
        let (status, body) = choose(&state, &token, "mijn nieuwe lange wachtwoord").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("verlopen"), "{body}");
        assert_eq!(
            try_login(&state, "r02@test.nl", PASSWORD).await,
            StatusCode::OK
        );
    })
    .await;
}

#[tokio::test]
async fn people_change_their_own_password_and_end_their_own_sessions_only() {
    on_every_database(|state| async move {
        seed(&state).await;
        let here = login(&state, "r01@test.nl").await;
        let elsewhere = login(&state, "r01@test.nl").await;
        let other_person = login(&state, "r02@test.nl").await;
        let account = send(&state, call("/api/account", "", Some(&here))).await;
        let account: serde_json::Value = serde_json::from_str(&body_text(account).await).unwrap();
        let sessions = account["sessions"].as_array().unwrap();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);

        // Someone else's session can't be ended, even with its reference.
        let theirs = send(&state, call("/api/account", "", Some(&other_person))).await;
        let theirs: serde_json::Value = serde_json::from_str(&body_text(theirs).await).unwrap();
        let reference = theirs["sessions"][0]["reference"]
            .as_str()
            .unwrap()
            .to_string();
        let response = send(
            &state,
            call(
                "/api/account/end_session",
                &form(&[("session", &reference)]),
                Some(&here),
            ),
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let still = send(&state, call("/api/region", "code=R02", Some(&other_person))).await;
        assert_eq!(still.status(), StatusCode::OK);

        // A wrong current password: refused, nothing changes.
        let body = form(&[
            ("current_password", "niet mijn wachtwoord"),
            ("new_password", "een ander lang wachtwoord"),
        ]);
        let response = send(&state, call("/api/account/password", &body, Some(&here))).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(response)
            .await
            .contains("huidige wachtwoord klopt niet"));
        assert_eq!(
            try_login(&state, "r01@test.nl", PASSWORD).await,
            StatusCode::OK
        );

        let body = form(&[
            ("current_password", PASSWORD),
            ("new_password", "een ander lang wachtwoord"),
        ]);
        let response = send(&state, call("/api/account/password", &body, Some(&here))).await;
        assert_eq!(response.status(), StatusCode::OK);
        // This session goes on; the others ended; a mail says so.
        assert_eq!(
            send(&state, call("/api/region", "code=R01", Some(&here)))
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            send(&state, call("/api/region", "code=R01", Some(&elsewhere)))
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            mails_to(&state, "r01@test.nl").await[0].kind,
            "password_changed"
        );
        assert_eq!(
            try_login(&state, "r01@test.nl", "een ander lang wachtwoord").await,
            StatusCode::OK
        );
    })
    .await;
}

#[tokio::test]
async fn admins_edit_accounts_and_every_change_is_recorded() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let admin_user = users::find_by_email(&state.pool, "admin@test.nl")
            .await
            .unwrap();
        let user = users::find_by_email(&state.pool, "r03@test.nl")
            .await
            .unwrap();
        let update = |fields: Vec<(&'static str, String)>| {
            let state = state.clone();
            let admin = admin.clone();
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let response = send(
                    &state,
                    call("/api/users/update", &form(&fields), Some(&admin)),
                )
                .await;
                (response.status(), body_text(response).await)
            }
        };
        let fields = |id: &str, email: &str, role: &str, region: &str| {
            vec![
                ("user_id", id.to_string()),
                ("email", email.to_string()),
                ("display_name", "Nieuwe Naam".to_string()),
                ("role", role.to_string()),
                ("region_code", region.to_string()),
            ]
        };
        // Taken address, a reviewer with a region, an unknown region: refused, nothing changes.
        for (email, role, region) in [
            ("r01@test.nl", "coordinator", "R03"),
            ("r03@test.nl", "reviewer", "R03"),
            ("r03@test.nl", "coordinator", "R99"),
        ] {
            let (status, body) = update(fields(&user.id, email, role, region)).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{email} {role} {region}: {body}"
            );
        }
        assert_eq!(users::find(&state.pool, &user.id).await.unwrap(), user);
        // An admin can't change their own role.
        let (status, _) = update(fields(&admin_user.id, "admin@test.nl", "reviewer", "")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let (status, body) = update(fields(&user.id, "nieuw-r03@test.nl", "reviewer", "")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let changed = users::find(&state.pool, &user.id).await.unwrap();
        assert_eq!(
            (
                changed.email.as_str(),
                changed.display_name.as_str(),
                changed.region_code.as_deref()
            ),
            ("nieuw-r03@test.nl", "Nieuwe Naam", None)
        );
        let details: String = sqlx::query_scalar(
            "SELECT details FROM audit_events WHERE kind = 'user_changed' AND subject = $1",
        )
        .bind(&user.id)
        .fetch_one(&state.pool)
        .await
        .unwrap();
        for part in [
            "r03@test.nl",
            "nieuw-r03@test.nl",
            "coordinator",
            "reviewer",
            "R03",
        ] {
            assert!(details.contains(part), "{details}");
        }
        // The old address no longer logs in; the new one does.
        assert_eq!(
            try_login(&state, "nieuw-r03@test.nl", PASSWORD).await,
            StatusCode::OK
        );
        // Logging in is recorded as the last login.
        assert!(users::find(&state.pool, &user.id)
            .await
            .unwrap()
            .last_login_at
            .is_some());
    })
    .await;
}
