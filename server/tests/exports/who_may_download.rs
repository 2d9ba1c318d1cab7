//! Who may download which file, and the national picture's links to the exports.

use super::*;

#[tokio::test]
async fn only_reviewers_and_admins_download_and_only_what_exists() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, ROUND_NAME).await;
        let coordinator = login(&state, "r01@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let admin = login(&state, "admin@test.nl").await;

        let refused = download(&state, &round, "lang.csv", &coordinator).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert!(refused.headers().get(header::CONTENT_DISPOSITION).is_none());

        let anonymous = send(
            &state,
            get(&format!("/landelijk/{round}/export/lang.csv"), None),
        )
        .await;
        assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            anonymous.headers()[header::LOCATION],
            format!("/login?terug=/landelijk/{round}/export/lang.csv").as_str()
        );

        let unknown_round = download(&state, "geen-meting", "lang.csv", &reviewer).await;
        assert_eq!(unknown_round.status(), StatusCode::NOT_FOUND);
        let unknown_file = download(&state, &round, "geheim.txt", &reviewer).await;
        assert_eq!(unknown_file.status(), StatusCode::NOT_FOUND);
        for file in [
            "lang.csv",
            "breed.csv",
            "meting.xlsx",
            "meting.json",
            "codeboek.csv",
        ] {
            let response = download(&state, &round, file, &admin).await;
            assert_eq!(response.status(), StatusCode::OK, "{file}");
            assert!(file_name(&response).starts_with(FILE_PREFIX), "{file}");
            assert!(!body_bytes(response).await.is_empty(), "{file}");
        }

        // A concept round: admins may look at it before it opens, reviewers not yet.
        sqlx::query("UPDATE rounds SET state = 'concept' WHERE id = $1")
            .bind(&round)
            .execute(&state.pool)
            .await
            .unwrap();
        let concept = download(&state, &round, "lang.csv", &reviewer).await;
        assert_eq!(concept.status(), StatusCode::NOT_FOUND);
        let concept = download(&state, &round, "lang.csv", &admin).await;
        assert_eq!(concept.status(), StatusCode::OK);
        body_bytes(concept).await;
    })
    .await;
}

#[tokio::test]
async fn the_national_picture_links_to_the_exports() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, ROUND_NAME).await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let page =
            body_text(send(&state, get(&format!("/landelijk/{round}"), Some(&reviewer))).await)
                .await;
        for file in [
            "lang.csv",
            "breed.csv",
            "meting.xlsx",
            "meting.json",
            "codeboek.csv",
        ] {
            assert!(
                page.contains(&format!("/landelijk/{round}/export/{file}")),
                "link to {file}"
            );
        }
        assert!(page.contains("NIET_GEVRAAGD"));
    })
    .await;
}
