//! Who may read an item's answers, what a bad link gets, and rounds without answers or
//! regions.

use super::*;

#[tokio::test]
async fn only_reviewers_and_admins_read_it_and_bad_links_are_refused() {
    on_every_database(|state| async move {
        let case = Case::start(state).await;
        coordinators_and_visitors_are_refused(&case).await;
        bad_links_get_a_clear_refusal(&case).await;
    })
    .await;
}

/// Coordinators see only their own region: the page, its data and its files are refused.
/// Visitors who are not logged in go to the login page, and back afterwards.
async fn coordinators_and_visitors_are_refused(case: &Case) {
    let (status, _) = case.data(&case.r01, &[("item", "b_wonen_eerst")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, html) = case.page("?vraag=b_wonen_eerst", Some(&case.r01)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Nieuw plan vastgesteld"));
    for file in ["export.csv", "export.xlsx"] {
        let reply = case
            .download(file, "?vraag=b_wonen_eerst", Some(&case.r01))
            .await;
        assert_eq!(reply.status(), StatusCode::FORBIDDEN, "{file}");
    }
    let reply = case
        .download("export.csv", "?vraag=b_wonen_eerst", None)
        .await;
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    let location = header_of(&reply, header::LOCATION);
    assert!(
        location.starts_with("/login?terug=/beoordelen/"),
        "{location}"
    );
    assert!(
        location.contains("export.csv%3Fvraag%3Db_wonen_eerst"),
        "{location}"
    );
    let (status, _) = case.page("?vraag=b_wonen_eerst", None).await;
    assert_eq!(status, StatusCode::FOUND);
}

/// Unknown item, round or field, unknown codes, oversized values, a concept round: a status
/// and a Dutch sentence, never a file.
async fn bad_links_get_a_clear_refusal(case: &Case) {
    let concept = concept_round(&case.state).await;
    let long = "z".repeat(201);
    let this =
        |file: &str, query: &str| format!("/beoordelen/{}/antwoorden/{file}{query}", case.round);
    for (path, expected) in [
        (this("export.csv", "?vraag=bestaat_niet"), 404),
        (
            "/beoordelen/bestaat-niet/antwoorden/export.csv?vraag=b_wonen_eerst".to_string(),
            404,
        ),
        (
            format!("/beoordelen/{concept}/antwoorden/export.csv?vraag=b_wonen_eerst"),
            404,
        ),
        (this("export.csv", ""), 400),
        (this("export.csv", "?vraag=b_wonen_eerst&keuze=nooit"), 400),
        (
            this("export.xlsx", "?vraag=b_wonen_eerst&volgorde=zijwaarts"),
            400,
        ),
        (
            this("export.csv", &format!("?vraag=b_wonen_eerst&zoek={long}")),
            400,
        ),
        (this("export.csv", "?vraag=b_wonen_eerst&geheim=1"), 400),
        (
            "/beoordelen/bestaat-niet/antwoorden?vraag=b_wonen_eerst".to_string(),
            404,
        ),
        (
            format!("/beoordelen/{concept}/antwoorden?vraag=b_wonen_eerst"),
            404,
        ),
    ] {
        let reply = send(&case.state, get(&path, Some(&case.reviewer))).await;
        assert_eq!(reply.status().as_u16(), expected, "{path}");
        if path.contains("/export.") {
            assert_eq!(
                header_of(&reply, header::CONTENT_TYPE),
                "text/plain; charset=utf-8"
            );
            let text = body_text(reply).await;
            assert!(
                !text.is_empty() && !text.contains("panic"),
                "{path}: {text}"
            );
        }
    }
    // The admin sees the round in concept, as on every other page.
    let admin = send(
        &case.state,
        get(
            &format!("/beoordelen/{concept}/antwoorden?vraag=b_wonen_eerst"),
            Some(&case.admin),
        ),
    )
    .await;
    assert_eq!(admin.status(), StatusCode::OK);
}

/// A round in concept: not there for reviewers, as if it did not exist.
async fn concept_round(state: &AppState) -> String {
    let now = app::services::now_ms();
    app::services::rounds::create(
        &state.pool,
        &Actor::CommandLine,
        app::services::rounds::NewRound {
            name: "Conceptmeting".into(),
            questionnaire_id: "nad".into(),
            questionnaire_version: "2026-06".into(),
            state: RoundState::Concept,
            opens_at: now + 86_400_000,
            deadline: now + 2 * 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_round_without_answers_or_regions_reads_as_such() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let round = open_test_round(&state, "Lege meting").await;
        let page = |query: String| {
            let (state, reviewer, round) = (state.clone(), reviewer.clone(), round.clone());
            async move {
                let reply = send(
                    &state,
                    get(
                        &format!("/beoordelen/{round}/antwoorden{query}"),
                        Some(&reviewer),
                    ),
                )
                .await;
                (reply.status(), body_text(reply).await)
            }
        };
        let (status, html) =
            page("?vraag=b_wonen_eerst&beantwoord=ja&gewijzigd=ja&sorteer=vorig".into()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("0 van 3 regio"), "{html}");
        assert!(
            html.contains("Geen regio&#x27;s die aan dit filter voldoen.")
                || html.contains("Geen regio's die aan dit filter voldoen.")
        );
        assert!(html.contains("Deze meting wordt met geen eerdere meting vergeleken."));
        // Every region taken out of the round: still a page, in words.
        sqlx::query("DELETE FROM round_regions WHERE round_id = $1")
            .bind(&round)
            .execute(&state.pool)
            .await
            .unwrap();
        let (status, html) = page("?vraag=a_contactpersoon&zoek=iets".into()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Aan deze meting doen geen regio"), "{html}");
        let reply = send(
            &state,
            get(
                &format!("/beoordelen/{round}/antwoorden/export.csv?vraag=a_contactpersoon"),
                Some(&reviewer),
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(body_text(reply).await.lines().count(), 1, "the header only");
    })
    .await;
}
