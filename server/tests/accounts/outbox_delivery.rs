//! The outbox delivered over real SMTP: retries, permanent failures, claims of dead instances.

use super::*;
use app::services::mail::{Delivered, MailSettings, Mailer};

#[path = "../support/smtp_sink.rs"]
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
