//! Conflicts between colleagues: an old version overwrites nothing; other items never conflict.

use super::*;

#[tokio::test]
async fn a_save_based_on_an_old_version_is_a_conflict_and_overwrites_nothing() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let anna = login(&state, "r01@test.nl").await;
        let bert = login(&state, "geblokkeerd@test.nl").await;
        let (_, body) = save(
            &state,
            &anna,
            &response,
            "e_wonen_eerst_plekken",
            raw(&["12"]),
            0,
        )
        .await;
        assert_eq!(body[0]["Saved"]["version"], 1);
        // Bert opened the page before Anna saved.
        let (status, body) = save(
            &state,
            &bert,
            &response,
            "e_wonen_eerst_plekken",
            raw(&["15"]),
            0,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let conflict = &body[0]["Conflict"];
        assert_eq!(conflict["theirs"]["values"], json!(["12"]), "{body}");
        assert_eq!(conflict["mine"]["values"], json!(["15"]));
        assert_eq!(conflict["changed_by"], "Test r01@test.nl");
        assert_eq!(conflict["their_version"], 1);
        let stored: String =
            sqlx::query_scalar("SELECT raw FROM answers WHERE item_key = 'e_wonen_eerst_plekken'")
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert!(stored.contains("\"12\""), "Anna's answer stands: {stored}");
        // Bert sees both answers on the page, and keeps his.
        let page = body_text(
            send(
                &state,
                get(&format!("/vragenlijst/{response}/sectie/E"), Some(&bert)),
            )
            .await,
        )
        .await;
        assert!(
            page.contains("Een collega heeft dit antwoord gewijzigd"),
            "conflict shown"
        );
        let reply = send(
            &state,
            call(
                "/api/responses/conflict",
                &format!("response_id={response}&key=e_wonen_eerst_plekken&keep=mijn"),
                Some(&bert),
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::OK);
        let stored: (String, i64) = sqlx::query_as(
            "SELECT raw, version FROM answers WHERE item_key = 'e_wonen_eerst_plekken'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert!(stored.0.contains("\"15\"") && stored.1 == 2, "{stored:?}");
        assert_eq!(count(&state, "answer_conflicts").await, 0);
        // Anna, still on version 1, now conflicts in turn and takes Bert's answer.
        let (_, body) = save(
            &state,
            &anna,
            &response,
            "e_wonen_eerst_plekken",
            raw(&["13"]),
            1,
        )
        .await;
        assert!(body[0]["Conflict"].is_object(), "{body}");
        let reply = send(
            &state,
            call(
                "/api/responses/conflict",
                &format!("response_id={response}&key=e_wonen_eerst_plekken&keep=ander"),
                Some(&anna),
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(count(&state, "answer_conflicts").await, 0);
        let version: i64 = sqlx::query_scalar(
            "SELECT version FROM answers WHERE item_key = 'e_wonen_eerst_plekken'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(version, 2, "taking the colleague's answer writes nothing");
    })
    .await;
}

#[tokio::test]
async fn colleagues_saving_different_items_at_the_same_time_never_conflict() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let anna = login(&state, "r01@test.nl").await;
        let bert = login(&state, "geblokkeerd@test.nl").await;
        let keys = [
            "a_contactpersoon",
            "e_wonen_eerst_plekken",
            "b_wonen_eerst",
            "a_gemeenten_bevestigd",
        ];
        let values = ["Anna", "12", "ja", "ja"];
        let saves = keys
            .into_iter()
            .zip(values)
            .enumerate()
            .map(|(n, (key, value))| {
                let cookie = if n % 2 == 0 {
                    anna.clone()
                } else {
                    bert.clone()
                };
                let (state, response) = (state.clone(), response.clone());
                async move { save(&state, &cookie, &response, key, raw(&[value]), 0).await }
            });
        let running: Vec<_> = saves.map(tokio::spawn).collect();
        for task in running {
            let (status, body) = task.await.unwrap();
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body[0]["Saved"]["version"], 1, "{body}");
        }
        assert_eq!(count(&state, "answers").await, 4);
    })
    .await;
}
