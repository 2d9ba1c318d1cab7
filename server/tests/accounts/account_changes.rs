//! "Mijn account": one's own password and sessions; and the admin's edits of accounts.

use super::*;

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
