//! Submitting: refused while incomplete, then the response is locked.

use super::*;

#[tokio::test]
async fn submitting_is_refused_while_incomplete_and_then_locks_the_response() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let submit = |cookie: String| {
            let (state, response) = (state.clone(), response.clone());
            async move {
                send(
                    &state,
                    call(
                        "/api/responses/submit",
                        &format!("response_id={response}"),
                        Some(&cookie),
                    ),
                )
                .await
            }
        };
        let reply = submit(r01.clone()).await;
        assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = body_text(reply).await;
        assert!(text.contains("verplicht"), "{text}");
        fill_in_everything(&state, &r01, &response).await;
        let reply = submit(r01.clone()).await;
        let status = reply.status();
        assert_eq!(status, StatusCode::OK, "{}", body_text(reply).await);
        let (status_text, by): (String, Option<String>) =
            sqlx::query_as("SELECT status, submitted_by FROM responses WHERE id = $1")
                .bind(&response)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(status_text, "submitted");
        assert!(by.is_some());
        let page =
            body_text(send(&state, get(&format!("/vragenlijst/{response}"), Some(&r01))).await)
                .await;
        assert!(
            page.contains("Ingediend op"),
            "the task list says who submitted and when"
        );
        // Read-only now: a second submit and any save are refused.
        assert_eq!(submit(r01.clone()).await.status(), StatusCode::CONFLICT);
        let (status, _) = save(
            &state,
            &r01,
            &response,
            "a_contactpersoon",
            raw(&["Ander"]),
            1,
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(app::services::audit::recent_kinds(&state.pool, 5)
            .await
            .unwrap()
            .contains(&"response_submitted".to_string()));
    })
    .await;
}
