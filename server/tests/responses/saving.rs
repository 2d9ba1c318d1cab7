//! Saving: the answer, its version and history, invalid input kept, what page and form read.

use super::*;
use app::api::responses::SectionFormData;
use app::domain::questionnaire::answer::{Answer, AnswerValue};
use app::domain::questionnaire::model::Questionnaire;

#[tokio::test]
async fn an_internal_failure_shows_only_the_request_id_to_quote() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let (status, _) = save(&state, &r01, &response, "a_contactpersoon", raw(&["Jan"]), 0).await;
        assert_eq!(status, StatusCode::OK);
        // What this code never writes: a stored answer that is not JSON.
        sqlx::query("UPDATE answers SET raw = 'geen json' WHERE item_key = 'a_contactpersoon'")
            .execute(&state.pool)
            .await
            .unwrap();
        let request_id = |reply: &axum::http::Response<axum::body::Body>| {
            reply.headers()["x-request-id"].to_str().unwrap().to_string()
        };

        // A page, whose data loads in tasks of its own.
        let page = send(&state, get(&format!("/vragenlijst/{response}/sectie/A"), Some(&r01))).await;
        assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id = request_id(&page);
        let html = body_text(page).await;
        assert!(html.contains(&format!("het kenmerk {id}.")), "{html}");
        assert!(!html.contains("geen json") && !html.contains("expected"), "no cause shown");

        // A server function: the error carries the same id as the response.
        let body = json!({ "response_id": response, "answers": [{ "key": "a_contactpersoon", "raw": raw(&["Piet"]), "base_version": 1 }] });
        let reply = send(&state, json_call("/api/responses/save", &body.to_string(), Some(&r01))).await;
        assert_eq!(reply.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id = request_id(&reply);
        assert_eq!(body_text(reply).await, json!({ "Internal": id }).to_string());
    })
    .await;
}

#[tokio::test]
async fn a_save_stores_the_answer_its_version_and_its_history() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let (status, body) = save(&state, &r01, &response, "a_contactpersoon", raw(&["Jan"]), 0).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body[0]["Saved"]["version"], 1, "{body}");
        assert_eq!(body[0]["Saved"]["problems"], json!([]));
        let (_, body) = save(&state, &r01, &response, "a_contactpersoon", raw(&["Jan de Vries"]), 1).await;
        assert_eq!(body[0]["Saved"]["version"], 2, "{body}");
        // The same text again is no change at all.
        let (_, body) = save(&state, &r01, &response, "a_contactpersoon", raw(&[" Jan de Vries "]), 2).await;
        assert_eq!(body[0]["Unchanged"]["version"], 2, "{body}");
        let history: Vec<(Option<String>, String, i64)> = sqlx::query_as(
            "SELECT old_raw, new_raw, version FROM answer_history WHERE item_key = 'a_contactpersoon' ORDER BY version",
        )
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert_eq!(history.len(), 2);
        assert!(history[0].0.is_none());
        assert!(history[1].0.as_deref().unwrap().contains("\"Jan\""));
        assert!(history[1].1.contains("Jan de Vries"));
        // The page shows it after a reload.
        let page = body_text(send(&state, get(&format!("/vragenlijst/{response}/sectie/A"), Some(&r01))).await).await;
        assert!(page.contains("value=\"Jan de Vries\""), "the stored answer is in the form");
        // The section form's island reads the same answer from the data in the page.
        let island = island_data(&page);
        assert_eq!(island.response_id, response);
        assert!(island.editable);
        assert!(island.fields.iter().any(|field| field.key == "a_contactpersoon" && field.version == 2));
        // Of the answers, the page carries only those the section's conditions read, and no
        // condition reads the contact person.
        assert_eq!(island.answers.get("a_contactpersoon"), None);
        let (_, body) = save(&state, &r01, &response, "a_afgestemd_regiogemeenten", raw(&["deels"]), 0).await;
        assert_eq!(body[0]["Saved"]["version"], 1, "{body}");
        let page = body_text(send(&state, get(&format!("/vragenlijst/{response}/sectie/A"), Some(&r01))).await).await;
        assert_eq!(
            island_data(&page).answers.get("a_afgestemd_regiogemeenten"),
            Some(&Answer::Given(AnswerValue::Code("deels".into()))),
            "a condition of section A reads it"
        );
    })
    .await;
}

#[tokio::test]
async fn the_section_page_links_the_questionnaire_file_which_the_browser_may_keep() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let page = body_text(
            send(
                &state,
                get(&format!("/vragenlijst/{response}/sectie/E"), Some(&r01)),
            )
            .await,
        )
        .await;
        let island = island_data(&page);
        let loaded = state
            .questionnaires
            .get(&state.pool, "nad", "2026-06")
            .await
            .unwrap();
        assert_eq!(island.questionnaire_url, loaded.form_resource_path());
        // The file reads back as the questionnaire, and may be kept for good.
        let reply = send(&state, get(&island.questionnaire_url, Some(&r01))).await;
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(
            reply.headers()["cache-control"],
            "private, max-age=31536000, immutable"
        );
        assert_eq!(reply.headers()["content-type"], "application/octet-stream");
        let bytes = axum::body::to_bytes(reply.into_body(), usize::MAX)
            .await
            .unwrap();
        let questionnaire: Questionnaire =
            postcard::from_bytes(&bytes).expect("the file reads back");
        assert_eq!(questionnaire, loaded.questionnaire);
        // Another hash, another version or no session: nothing.
        let other_hash = island
            .questionnaire_url
            .replace(&loaded.form_resource.hash, "0123456789abcdef");
        let other_version = island.questionnaire_url.replace("/2026-06/", "/2099-01/");
        for (url, cookie, status) in [
            (
                other_hash.as_str(),
                Some(r01.as_str()),
                StatusCode::NOT_FOUND,
            ),
            (
                other_version.as_str(),
                Some(r01.as_str()),
                StatusCode::NOT_FOUND,
            ),
            (
                island.questionnaire_url.as_str(),
                None,
                StatusCode::UNAUTHORIZED,
            ),
        ] {
            assert_eq!(
                send(&state, get(url, cookie)).await.status(),
                status,
                "{url}"
            );
        }
    })
    .await;
}

/// The data the section page gives its island (`data-props` of `<leptos-island>`), read back
/// as the browser reads it.
fn island_data(page: &str) -> SectionFormData {
    let start = page
        .find("<leptos-island")
        .expect("the section page has an island");
    let props = &page[start..];
    let props = &props[props.find("data-props=\"").expect("the island has props") + 12..];
    let props = props[..props.find('"').unwrap()]
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let props: Value = serde_json::from_str(&props).expect("the props are JSON");
    SectionFormData::from_page_data(props["data"].as_str().expect("the section's data"))
        .expect("the section's data reads back")
}

#[tokio::test]
async fn invalid_input_is_kept_flagged_and_blocks_submitting() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let (status, body) = save(
            &state,
            &r01,
            &response,
            "e_wonen_eerst_plekken",
            raw(&["een stuk of tien"]),
            0,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let problems = body[0]["Saved"]["problems"].as_array().unwrap().clone();
        assert!(
            problems[0].as_str().unwrap().contains("heel getal"),
            "{body}"
        );
        let (stored, valid): (String, i64) = sqlx::query_as(
            "SELECT raw, valid FROM answers WHERE item_key = 'e_wonen_eerst_plekken'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert!(
            stored.contains("een stuk of tien"),
            "what was typed is kept"
        );
        assert_eq!(valid, 0);
        let reply = send(
            &state,
            call(
                "/api/responses/submit",
                &format!("response_id={response}"),
                Some(&r01),
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = body_text(reply).await;
        assert!(text.contains("e_wonen_eerst_plekken"), "{text}");
        let page = body_text(
            send(
                &state,
                get(&format!("/vragenlijst/{response}/sectie/E"), Some(&r01)),
            )
            .await,
        )
        .await;
        assert!(page.contains("een stuk of tien") && page.contains("Er is een probleem"));
    })
    .await;
}

/// What the section form asks after its saves: the stored answers its rules and conditions
/// read, a colleague's newest included, and nothing else; only for who may read the response.
#[tokio::test]
async fn the_section_form_reads_what_its_rules_read_as_stored_now() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let inputs = |cookie: String, section: &'static str| {
            let body = format!("response_id={response}&section={section}");
            let state = state.clone();
            async move {
                send(
                    &state,
                    call("/api/responses/form-inputs", &body, Some(&cookie)),
                )
                .await
            }
        };
        let (status, _) = save(
            &state,
            &r01,
            &response,
            "a_contactpersoon",
            raw(&["Anna"]),
            0,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let reply = inputs(r01.clone(), "I").await;
        assert_eq!(reply.status(), StatusCode::OK);
        let before: Value = serde_json::from_str(&body_text(reply).await).unwrap();
        assert!(before["answers"].get("i_in_beeld").is_none(), "{before}");
        // A colleague saves the total that section I's rules compare with.
        let (status, _) = save(&state, &r01, &response, "i_in_beeld", raw(&["10"]), 0).await;
        assert_eq!(status, StatusCode::OK);
        let reply = inputs(r01.clone(), "I").await;
        let after: Value = serde_json::from_str(&body_text(reply).await).unwrap();
        assert_eq!(
            after["answers"]["i_in_beeld"],
            json!({ "Given": { "Integer": 10 } }),
            "{after}"
        );
        assert!(
            after["answers"].get("a_contactpersoon").is_none(),
            "not read by section I"
        );
        let reply = inputs(r01.clone(), "Z").await;
        assert!(reply.status().is_client_error(), "an unknown section");
        let r02 = login(&state, "r02@test.nl").await;
        assert_eq!(inputs(r02, "I").await.status(), StatusCode::FORBIDDEN);
    })
    .await;
}
