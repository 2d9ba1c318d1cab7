//! Forgotten passwords reset by mail, without revealing accounts; blocked and expired links.

use super::*;
use app::services::audit::Actor;

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
