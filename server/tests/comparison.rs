//! The previous round beside each item and taking its answers over: a region answered the
//! December 2025 questionnaire; in the round on the June 2026 version its answers appear
//! beside the items, mapped through lineage, and can be taken over and confirmed.

use crate::support;

use app::domain::round::RoundState;
use app::services::audit::Actor;
use app::services::state::AppState;
use axum::http::StatusCode;
use serde_json::Value;
use support::*;

/// A closed round on 2025-12 in which R01 answered; returns its id.
async fn earlier_round(state: &AppState, r01: &str) -> String {
    let round = earlier_test_round(state, "5e meting").await;
    let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
        .await
        .unwrap();
    for (key, value) in [
        ("a_contactpersoon", "Anna de Vries, beleidsadviseur"),
        ("b_plan_status", "vastgesteld_raad"),
        ("b_wonen_eerst", "nee"),
    ] {
        let (status, body) = save_on_stored_version(state, r01, &response, key, value).await;
        assert_eq!(status, StatusCode::OK, "{key}: {body}");
    }
    app::services::rounds::change_state(
        &state.pool,
        &state.config.mail,
        &Actor::CommandLine,
        &round,
        RoundState::Closed,
    )
    .await
    .unwrap();
    round
}

/// Seeds, lets R01 answer a closed earlier round and opens the next; returns R01's
/// coordinator's cookie and R01's response in the open round.
async fn r01_after_an_earlier_round(state: &AppState) -> (String, String) {
    seed(state).await;
    load_nad(state).await;
    let r01 = login(state, "r01@test.nl").await;
    earlier_round(state, &r01).await;
    let round = open_test_round(state, "6e meting").await;
    let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
        .await
        .unwrap();
    (r01, response)
}

async fn stored(state: &AppState, response: &str, key: &str) -> Option<(String, i64)> {
    sqlx::query_as("SELECT raw, prefilled FROM answers WHERE response_id = $1 AND item_key = $2")
        .bind(response)
        .bind(key)
        .fetch_optional(&state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn previous_answers_appear_beside_the_items_and_can_be_taken_over_and_confirmed() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let earlier = earlier_round(&state, &r01).await;
        let round = open_test_round(&state, "6e meting").await;
        let compared: Option<String> =
            sqlx::query_scalar("SELECT compared_round_id FROM rounds WHERE id = $1")
                .bind(&round)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(compared.as_deref(), Some(earlier.as_str()), "compared with the previous round");
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let section_b = format!("/vragenlijst/{response}/sectie/B");
        let page = body_text(send(&state, get(&section_b, Some(&r01))).await).await;
        // The recoded plan status shows in this version's words.
        assert!(page.contains("In de 5e meting: "), "{page}");
        assert!(page.contains("Het plan is vastgesteld"), "recoded through lineage");
        assert!(page.contains("Antwoorden van de vorige meting overnemen"));
        let new_items = body_text(send(&state, get(&format!("/vragenlijst/{response}/sectie/A"), Some(&r01))).await).await;
        assert!(new_items.contains("Anna de Vries"), "unchanged items follow");

        // Only the region's own coordinators take answers over.
        for other in ["r02@test.nl", "reviewer@test.nl", "admin@test.nl"] {
            let cookie = login(&state, other).await;
            let reply = send(&state, call("/api/responses/prefill", &form(&[("response_id", &response), ("section", "B")]), Some(&cookie))).await;
            assert_eq!(reply.status(), StatusCode::FORBIDDEN, "{other}");
        }
        let reply = send(&state, call("/api/responses/prefill", &form(&[("response_id", &response), ("section", "Z")]), Some(&r01))).await;
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST, "an unknown section");
        assert_eq!(stored(&state, &response, "b_plan_status").await, None, "nothing taken over");

        // A colleague already answered one item: taking over leaves it alone.
        let (status, _) = save_on_stored_version(&state, &r01, &response, "b_wonen_eerst", "ja").await;
        assert_eq!(status, StatusCode::OK);
        let reply = send(&state, call("/api/responses/prefill", &form(&[("response_id", &response), ("section", "B")]), Some(&r01))).await;
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(body_text(reply).await, "1", "one answer taken over");
        let (raw, prefilled) = stored(&state, &response, "b_plan_status").await.unwrap();
        assert!(raw.contains("\"vastgesteld\""), "new code: {raw}");
        assert_eq!(prefilled, 1);
        let (raw, prefilled) = stored(&state, &response, "b_wonen_eerst").await.unwrap();
        assert!(raw.contains("ja") && prefilled == 0, "the colleague's answer stays");

        // Taken over, not yet confirmed: not counted as answered.
        let tasks: Value = serde_json::from_str(&body_text(send(&state, call("/api/responses/tasks", &format!("response_id={response}"), Some(&r01))).await).await).unwrap();
        let section = tasks["sections"].as_array().unwrap().iter().find(|s| s["key"] == "B").unwrap().clone();
        let complete_before = section["counts"]["complete"].as_u64().unwrap();
        let page = body_text(send(&state, get(&section_b, Some(&r01))).await).await;
        assert!(page.contains("Overgenomen – nog bevestigen"));
        assert!(page.contains("Overgenomen antwoorden bevestigen"));
        // Wonen Eerst changed since December (nee → ja): the rule asks why, and the
        // explanation, shown because the answer changed, may be saved.
        assert!(page.contains("Gewijzigd"), "the changed answer is marked");
        assert!(page.contains("Licht toe wat er is veranderd"), "{page}");
        let (status, body) = save_on_stored_version(&state, &r01, &response, "b_wonen_eerst_toelichting", "Nieuw plan vastgesteld.").await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let reply = send(&state, call("/api/responses/confirm", &form(&[("response_id", &response), ("section", "B")]), Some(&r01))).await;
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(body_text(reply).await, "1");
        assert_eq!(stored(&state, &response, "b_plan_status").await.unwrap().1, 0);
        let tasks: Value = serde_json::from_str(&body_text(send(&state, call("/api/responses/tasks", &format!("response_id={response}"), Some(&r01))).await).await).unwrap();
        let section = tasks["sections"].as_array().unwrap().iter().find(|s| s["key"] == "B").unwrap().clone();
        assert_eq!(section["counts"]["complete"].as_u64().unwrap(), complete_before + 1, "confirmed");
        assert_eq!(section["counts"]["blocking"].as_u64().unwrap(), 0, "the change is explained");

        // The progress page: this round beside the previous one, filterable to changes.
        let progress: Value = serde_json::from_str(&body_text(send(&state, call("/api/responses/progress", &format!("response_id={response}"), Some(&r01))).await).await).unwrap();
        assert_eq!(progress["compared_round"], "5e meting");
        assert_eq!(progress["changed_count"], 1, "Wonen Eerst: nee → ja");
        assert_eq!(progress["compared_count"], 2, "plan status (recoded, same) and Wonen Eerst");
        let page = body_text(send(&state, get(&format!("/vragenlijst/{response}/voortgang?gewijzigd=ja"), Some(&r01))).await).await;
        assert!(page.contains("1 van de 2 antwoorden"), "{page}");
        assert!(page.contains("Kernindicatoren"));
        assert!(
            page.contains("<strong>Wonen Eerst opgenomen in regionaal plan</strong>: Ja (vorige meting: Nee)"),
            "{page}"
        );
        // Rows as rendered (the page's data for the browser holds every item).
        let row = |label: &str| format!(">{label}</th>");
        assert!(page.contains(&row("Is Wonen Eerst opgenomen in het regionale plan?")), "{page}");
        assert!(
            !page.contains(&row("Wat is de status van het regionale plan tegen dakloosheid?")),
            "unchanged items filtered out"
        );
        let page = body_text(send(&state, get(&format!("/vragenlijst/{response}/voortgang?sectie=A"), Some(&r01))).await).await;
        assert!(page.contains(&row("Naam en functie van de contactpersoon voor deze vragenlijst")));
        assert!(!page.contains(&row("Is Wonen Eerst opgenomen in het regionale plan?")));
        let r02 = login(&state, "r02@test.nl").await;
        let reply = send(&state, get(&format!("/vragenlijst/{response}/voortgang"), Some(&r02))).await;
        assert_eq!(reply.status(), StatusCode::FORBIDDEN, "another region's comparison");
        let reviewer = login(&state, "reviewer@test.nl").await;
        let reply = send(&state, get(&format!("/vragenlijst/{response}/voortgang"), Some(&reviewer))).await;
        assert_eq!(reply.status(), StatusCode::OK);

        // Every answer taken over is in its history; both steps are in the audit trail.
        let history: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM answer_history WHERE response_id = $1 AND item_key = 'b_plan_status'",
        )
        .bind(&response)
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(history, 1);
        let kinds = app::services::audit::recent_kinds(&state.pool, 10).await.unwrap();
        assert!(kinds.contains(&"answers_prefilled".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"prefill_confirmed".to_string()), "{kinds:?}");
    })
    .await;
}

#[tokio::test]
async fn without_javascript_taking_over_returns_to_the_section() {
    on_every_database(|state| async move {
        let (r01, response) = r01_after_an_earlier_round(&state).await;
        let body = form(&[("response_id", &response), ("section", "A")]);
        let request = axum::http::Request::post("/api/responses/prefill")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("cookie", &r01)
            .body(axum::body::Body::from(body))
            .unwrap();
        let reply = send(&state, request).await;
        assert!(reply.status().is_redirection(), "{}", reply.status());
        assert_eq!(
            reply.headers()["location"],
            format!("/vragenlijst/{response}/sectie/A?melding=overgenomen-1").as_str()
        );
        let page = body_text(
            send(
                &state,
                get(
                    &format!("/vragenlijst/{response}/sectie/A?melding=overgenomen-1"),
                    Some(&r01),
                ),
            )
            .await,
        )
        .await;
        assert!(
            page.contains("1 antwoord van de vorige meting overgenomen"),
            "{page}"
        );
    })
    .await;
}

/// R01's response in the open round with every answer of the earlier round taken over.
struct TakenOver {
    state: AppState,
    r01: String,
    response: String,
}

impl TakenOver {
    async fn start(state: AppState) -> Self {
        let (r01, response) = r01_after_an_earlier_round(&state).await;
        let body = form(&[("response_id", &response), ("section", "")]);
        let reply = send(&state, call("/api/responses/prefill", &body, Some(&r01))).await;
        assert_eq!(body_text(reply).await, "3", "three answers taken over");
        TakenOver {
            state,
            r01,
            response,
        }
    }

    /// (prefilled, confirmed_unchanged) of an answer.
    async fn marks(&self, key: &str) -> (i64, i64) {
        sqlx::query_as(
            "SELECT prefilled, confirmed_unchanged FROM answers WHERE response_id = $1 AND item_key = $2",
        )
        .bind(&self.response)
        .bind(key)
        .fetch_one(&self.state.pool)
        .await
        .unwrap()
    }

    async fn confirm_answer(&self, key: &str, cookie: &str) -> (StatusCode, String) {
        let body = form(&[("response_id", &self.response), ("key", key)]);
        let reply = send(
            &self.state,
            call("/api/responses/confirm-answer", &body, Some(cookie)),
        )
        .await;
        let status = reply.status();
        (status, body_text(reply).await)
    }

    async fn submit(&self, confirm: bool) -> (StatusCode, String) {
        let mut fields = vec![("response_id", self.response.as_str())];
        if confirm {
            fields.push(("confirm_taken_over", "ja"));
        }
        let reply = send(
            &self.state,
            call("/api/responses/submit", &form(&fields), Some(&self.r01)),
        )
        .await;
        let status = reply.status();
        (status, body_text(reply).await)
    }
}

#[tokio::test]
async fn taken_over_answers_are_confirmed_one_by_one_or_at_submitting() {
    on_every_database(|state| async move {
        let case = TakenOver::start(state).await;
        one_answer_is_confirmed_with_klopt_nog(&case).await;
        without_javascript_klopt_nog_saves_the_form_and_confirms(&case).await;
        the_reviewer_sees_what_was_confirmed_unchanged(&case).await;
        submitting_asks_to_confirm_what_is_left(&case).await;
    })
    .await;
}

/// "Klopt nog" through the script's server function: only the region's coordinators, only
/// known items; a second time confirms nothing; a later change clears the mark.
async fn one_answer_is_confirmed_with_klopt_nog(case: &TakenOver) {
    assert_eq!(case.marks("a_contactpersoon").await, (1, 0));
    for other in ["r02@test.nl", "reviewer@test.nl"] {
        let cookie = login(&case.state, other).await;
        let (status, _) = case.confirm_answer("a_contactpersoon", &cookie).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{other}");
    }
    let (status, body) = case.confirm_answer("bestaat_niet", &case.r01).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Onbekende vraag"), "{body}");
    assert_eq!(
        case.marks("a_contactpersoon").await,
        (1, 0),
        "nothing changed"
    );
    assert_eq!(
        case.confirm_answer("a_contactpersoon", &case.r01).await,
        (StatusCode::OK, "1".to_string())
    );
    assert_eq!(case.marks("a_contactpersoon").await, (0, 1));
    assert_eq!(
        case.confirm_answer("a_contactpersoon", &case.r01).await,
        (StatusCode::OK, "0".to_string())
    );
    // Changed afterwards, it is no longer the answer confirmed unchanged.
    let (status, _) = save_on_stored_version(
        &case.state,
        &case.r01,
        &case.response,
        "a_contactpersoon",
        "Bram Bos, projectleider",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(case.marks("a_contactpersoon").await, (0, 0));
}

/// Without JavaScript the button posts the whole section: what was typed is saved, then the
/// answer is confirmed, and the page returns to it.
async fn without_javascript_klopt_nog_saves_the_form_and_confirms(case: &TakenOver) {
    let section_b = format!("/vragenlijst/{}/sectie/B", case.response);
    let page = body_text(send(&case.state, get(&section_b, Some(&case.r01))).await).await;
    assert!(page.contains("Klopt nog"), "{page}");
    assert!(
        page.contains("name=\"bevestig\" value=\"b_plan_status\""),
        "{page}"
    );
    let body = form(&[
        ("a.b_wonen_eerst_toelichting", "Het plan wordt herzien."),
        ("v.b_wonen_eerst_toelichting", "0"),
        ("bevestig", "b_plan_status"),
    ]);
    let reply = send(
        &case.state,
        form_post(&format!("{section_b}/opslaan"), &body, Some(&case.r01)),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        reply.headers()["location"],
        format!("{section_b}?melding=bevestigd-1#vraag-b_plan_status").as_str()
    );
    assert_eq!(case.marks("b_plan_status").await, (0, 1));
    let (raw, _) = stored(&case.state, &case.response, "b_wonen_eerst_toelichting")
        .await
        .unwrap();
    assert!(
        raw.contains("Het plan wordt herzien."),
        "the typed answer is saved too: {raw}"
    );
}

async fn the_reviewer_sees_what_was_confirmed_unchanged(case: &TakenOver) {
    let reviewer = login(&case.state, "reviewer@test.nl").await;
    let reply = send(
        &case.state,
        call(
            "/api/review/response",
            &format!("response_id={}", case.response),
            Some(&reviewer),
        ),
    )
    .await;
    let page: Value = serde_json::from_str(&body_text(reply).await).unwrap();
    let item = |key: &str| {
        page["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap().iter())
            .find(|i| i["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            item("b_plan_status")["confirmed_unchanged"].as_bool(),
            item("b_plan_status")["prefilled"].as_bool()
        ),
        (Some(true), Some(false))
    );
    assert_eq!(
        item("a_contactpersoon")["confirmed_unchanged"],
        false,
        "changed after confirming"
    );
    assert_eq!(
        item("b_wonen_eerst")["prefilled"],
        true,
        "not confirmed yet"
    );
    let html = body_text(
        send(
            &case.state,
            get(
                &format!("/vragenlijst/{}/beoordelen", case.response),
                Some(&reviewer),
            ),
        )
        .await,
    )
    .await;
    assert!(
        html.contains("Overgenomen en ongewijzigd bevestigd"),
        "{html}"
    );
}

/// The check page lists what is still taken over; submitting refuses it unless the box is
/// ticked, and then confirms it with the submission, or not at all when something else blocks.
async fn submitting_asks_to_confirm_what_is_left(case: &TakenOver) {
    let (status, _) = case.submit(true).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the rest is not filled in"
    );
    assert_eq!(
        case.marks("b_wonen_eerst").await,
        (1, 0),
        "rolled back with the refusal"
    );
    fill_in_everything(&case.state, &case.r01, &case.response).await;
    let check = format!("/vragenlijst/{}/controleren", case.response);
    let html = body_text(send(&case.state, get(&check, Some(&case.r01))).await).await;
    assert!(
        html.contains("Overgenomen antwoorden die u nog niet hebt bevestigd (1)"),
        "{html}"
    );
    assert!(html.contains("Ik heb de 1 overgenomen antwoorden hierboven gecontroleerd"));
    assert!(
        !html.contains("Nog te doen voor u kunt indienen"),
        "nothing else blocks: {html}"
    );
    let (status, body) = case.submit(false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("confirm_taken_over") && body.contains("nog niet bevestigd"),
        "{body}"
    );
    assert_eq!(case.marks("b_wonen_eerst").await, (1, 0));
    let (status, body) = case.submit(true).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(case.marks("b_wonen_eerst").await, (0, 1));
    let status: String = sqlx::query_scalar("SELECT status FROM responses WHERE id = $1")
        .bind(&case.response)
        .fetch_one(&case.state.pool)
        .await
        .unwrap();
    assert_eq!(status, "submitted");
}
