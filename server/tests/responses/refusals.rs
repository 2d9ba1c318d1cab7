//! Bad input and another region's coordinators are refused, and nothing is stored.

use super::*;

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_stores_nothing() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let r02 = login(&state, "r02@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let long = "x".repeat(app::domain::response::MAX_RAW_CHARS + 1);
        for (cookie, key, value, expected, says) in [
            (&r01, "bestaat_niet", raw(&["1"]), 422, "geen vraag"),
            // Hidden: only asked when the gemeenten were not confirmed.
            (&r01, "a_gemeenten_toelichting", raw(&["uitleg"]), 422, "niet van toepassing"),
            (&r01, "a_contactpersoon", raw(&[long.as_str()]), 422, "te groot"),
            (&r01, "a_contactpersoon", raw(&["x"]), 422, "Ongeldige versie"),
            (&r02, "a_contactpersoon", raw(&["x"]), 403, "Forbidden"),
            (&reviewer, "a_contactpersoon", raw(&["x"]), 403, "Forbidden"),
        ] {
            let base = if says == "Ongeldige versie" { -1 } else { 0 };
            let (status, body) = save(&state, cookie, &response, key, value, base).await;
            assert_eq!(status.as_u16(), expected, "{key}: {body}");
            assert!(body.to_string().contains(says), "{key}: {body}");
        }
        // Wrong types and unknown fields in the request itself.
        for body in [
            json!({ "response_id": response, "answers": [{ "key": "a_contactpersoon", "raw": "Jan", "base_version": 0 }] }),
            json!({ "response_id": response, "answers": [{ "key": "a_contactpersoon", "raw": raw(&["Jan"]), "base_version": "nul" }] }),
            json!({ "response_id": response }),
        ] {
            let reply = send(&state, json_call("/api/responses/save", &body.to_string(), Some(&r01))).await;
            assert!(reply.status().is_client_error(), "{body}: {}", reply.status());
        }
        let (status, _) = save(&state, &r01, "bestaat-niet", "a_contactpersoon", raw(&["x"]), 0).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(count(&state, "answers").await, 0);
        assert_eq!(count(&state, "answer_history").await, 0);

        // A closed round and a submitted response accept nothing.
        sqlx::query("UPDATE rounds SET state = 'closed'").execute(&state.pool).await.unwrap();
        let (status, body) = save(&state, &r01, &response, "a_contactpersoon", raw(&["x"]), 0).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body.to_string().contains("niet open"));
        sqlx::query("UPDATE rounds SET state = 'open'").execute(&state.pool).await.unwrap();
        sqlx::query("UPDATE responses SET status = 'submitted'").execute(&state.pool).await.unwrap();
        let (status, body) = save(&state, &r01, &response, "a_contactpersoon", raw(&["x"]), 0).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body.to_string().contains("ingediend"));
        assert_eq!(count(&state, "answers").await, 0);
    })
    .await;
}

#[tokio::test]
async fn coordinators_of_another_region_reach_none_of_the_pages_of_a_response() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r02 = login(&state, "r02@test.nl").await;
        for page in ["", "/sectie/A", "/controleren", "/afdrukken"] {
            let reply = send(
                &state,
                get(&format!("/vragenlijst/{response}{page}"), Some(&r02)),
            )
            .await;
            assert_eq!(reply.status(), StatusCode::FORBIDDEN, "{page}");
        }
        let reply = send(
            &state,
            form_post(
                &format!("/vragenlijst/{response}/sectie/A/opslaan"),
                "a.a_contactpersoon=x&v.a_contactpersoon=0",
                Some(&r02),
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::FORBIDDEN);
        assert_eq!(count(&state, "answers").await, 0);
    })
    .await;
}
