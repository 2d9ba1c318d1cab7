//! Invitations: the link lets its owner choose a password once; a new invitation replaces the old.

use super::*;

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
