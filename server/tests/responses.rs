//! Filling in through HTTP: saving, invalid input kept, conflicts between colleagues, bad
//! input refused with nothing stored, the form post without JavaScript, and submitting.
//! Each runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::support;

use app::api::responses::SectionFormData;
use app::domain::questionnaire::answer::{Answer, AnswerValue};
use app::domain::questionnaire::model::Questionnaire;
use app::services::state::AppState;
use axum::http::{header, StatusCode};
use serde_json::{json, Value};
use support::*;

/// Seeds users and questionnaires, opens a round and returns the id of R01's response.
async fn open_round(state: &AppState) -> String {
    seed(state).await;
    load_nad(state).await;
    let round = open_test_round(state, "Testmeting").await;
    app::services::responses::ensure_response(&state.pool, &round, "R01")
        .await
        .unwrap()
}

fn raw(values: &[&str]) -> Value {
    json!({ "values": values, "rows": {}, "special": null })
}

/// Saves one answer as the browser does; returns the status and the body as JSON.
async fn save(
    state: &AppState,
    cookie: &str,
    response: &str,
    key: &str,
    raw: Value,
    base: i64,
) -> (StatusCode, Value) {
    let body = json!({ "response_id": response, "answers": [{ "key": key, "raw": raw, "base_version": base }] });
    let reply = send(
        state,
        json_call("/api/responses/save", &body.to_string(), Some(cookie)),
    )
    .await;
    let status = reply.status();
    let text = body_text(reply).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn count(state: &AppState, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

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
async fn without_javascript_the_section_form_saves_through_the_same_service() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let path = format!("/vragenlijst/{response}/sectie/A/opslaan");
        let body = form(&[
            ("a.a_gemeenten_bevestigd", "ja"),
            ("v.a_gemeenten_bevestigd", "0"),
            ("a.a_contactpersoon", "Jan de Vries, beleidsadviseur"),
            ("v.a_contactpersoon", "0"),
            ("a.a_peildatum", "31-13-2026"),
            ("v.a_peildatum", "0"),
            ("a.a_invullers", "centrumgemeente"),
            ("a.a_invullers", "ggd"),
            ("v.a_invullers", "0"),
            ("actie", "opslaan"),
        ]);
        let reply = send(&state, form_post(&path, &body, Some(&r01))).await;
        assert_eq!(reply.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            reply.headers()[header::LOCATION],
            format!("/vragenlijst/{response}/sectie/A?melding=opgeslagen")
        );
        assert_eq!(count(&state, "answers").await, 4);
        let page = body_text(
            send(
                &state,
                get(&format!("/vragenlijst/{response}/sectie/A"), Some(&r01)),
            )
            .await,
        )
        .await;
        assert!(page.contains("31-13-2026"), "invalid date kept");
        assert!(page.contains("bestaande datum"), "and its problem shown");
        // An unknown field changes nothing.
        let reply = send(
            &state,
            form_post(&path, "a.iets_anders=1&v.iets_anders=0", Some(&r01)),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
        assert_eq!(count(&state, "answers").await, 4);
    })
    .await;
}

#[tokio::test]
async fn a_section_posted_after_the_session_ended_is_saved_after_logging_in_again() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let path = format!("/vragenlijst/{response}/sectie/A/opslaan");
        let fields = [("a.a_contactpersoon", "Jan"), ("v.a_contactpersoon", "0")];
        let reply = send(
            &state,
            form_post(&path, &form(&fields), Some("nad_sessie=verlopen")),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
        let page = body_text(reply).await;
        assert!(
            page.contains("name=\"a.a_contactpersoon\" value=\"Jan\""),
            "the answer is carried along"
        );
        assert_eq!(count(&state, "answers").await, 0);
        let mut with_login = fields.to_vec();
        with_login.push(("inloggen.email", "r01@test.nl"));
        with_login.push(("inloggen.wachtwoord", PASSWORD));
        let reply = send(&state, form_post(&path, &form(&with_login), None)).await;
        assert_eq!(reply.status(), StatusCode::SEE_OTHER);
        assert!(session_cookie(&reply).is_some(), "logged in again");
        assert_eq!(count(&state, "answers").await, 1);
    })
    .await;
}

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
