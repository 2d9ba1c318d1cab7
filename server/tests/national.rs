//! The national picture: counts over the regions that submitted, with the compared round
//! mapped through lineage, items hidden by conditions counted as not asked, and only for
//! reviewers and admins.

use crate::support;

use app::domain::round::RoundState;
use app::services::audit::Actor;
use app::services::state::AppState;
use axum::http::StatusCode;
use serde_json::Value;
use support::*;

/// Saves `answers` for `region` in `round` as that region's coordinator.
async fn answer(state: &AppState, round: &str, region: &str, answers: &[(&str, &str)]) -> String {
    let cookie = login(state, &format!("{}@test.nl", region.to_lowercase())).await;
    let response = app::services::responses::ensure_response(&state.pool, round, region)
        .await
        .unwrap();
    for (key, value) in answers {
        let (status, body) = if *value == "onbekend" {
            let body = serde_json::json!({ "response_id": response, "answers": [{
                "key": key, "raw": { "values": [], "rows": {}, "special": "onbekend" },
                "base_version": 0 }] });
            let reply = send(
                state,
                json_call("/api/responses/save", &body.to_string(), Some(&cookie)),
            )
            .await;
            (reply.status(), Value::String(body_text(reply).await))
        } else {
            save_on_stored_version(state, &cookie, &response, key, value).await
        };
        assert_eq!(status, StatusCode::OK, "{region} {key}: {body}");
    }
    response
}

/// Marks a response submitted. Submitting through the application needs every required
/// item of the questionnaire answered, which the submit tests cover; here only the counting
/// matters.
async fn mark_submitted(state: &AppState, response: &str) {
    sqlx::query("UPDATE responses SET status = 'submitted', submitted_at = 1 WHERE id = $1")
        .bind(response)
        .execute(&state.pool)
        .await
        .unwrap();
}

fn item<'a>(picture: &'a Value, key: &str) -> &'a Value {
    picture["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|section| section["items"].as_array().unwrap())
        .find(|item| item["key"] == key)
        .unwrap_or_else(|| panic!("{key} in the picture"))
}

fn shares(figures: &Value) -> Vec<(String, u64)> {
    figures["distribution"]["Choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["code"].as_str().unwrap().to_string(),
                s["regions"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_national_picture_counts_submitted_regions_beside_the_compared_round() {
    on_every_database(|state| async move {
        let case = NationalCase::start(state).await;
        let picture = case.picture("B", &case.reviewer).await;
        only_submitted_regions_count(&picture);
        each_answer_counts_beside_the_compared_round(&picture);
        recoded_answers_count_as_the_new_code(&picture);
        answers_no_longer_asked_are_not_counted(&picture);
        the_page_says_it_in_plain_dutch(&case).await;
        only_reviewers_and_admins_see_it(&case).await;
    })
    .await;
}

/// The open round "6e meting", compared with the closed "5e meting"; in both R01 and R02
/// submitted and R03 answered without submitting. A reviewer's session cookie.
struct NationalCase {
    state: AppState,
    round: String,
    reviewer: String,
}

impl NationalCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        answer_and_close_the_compared_round(&state).await;
        let round = open_test_round(&state, "6e meting").await;
        answer_the_current_round(&state, &round).await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        NationalCase {
            state,
            round,
            reviewer,
        }
    }

    /// The picture of `section` ("" for all) as `cookie`'s user sees it.
    async fn picture(&self, section: &str, cookie: &str) -> Value {
        let reply = self.ask(&self.round, section, Some(cookie)).await;
        assert_eq!(reply.status(), StatusCode::OK);
        serde_json::from_str(&body_text(reply).await).unwrap()
    }

    /// Asks for the national picture of `round` and `section`.
    async fn ask(
        &self,
        round: &str,
        section: &str,
        cookie: Option<&str>,
    ) -> axum::http::Response<axum::body::Body> {
        send(
            &self.state,
            call(
                "/api/national",
                &form(&[("round_id", round), ("section", section)]),
                cookie,
            ),
        )
        .await
    }
}

async fn answer_and_close_the_compared_round(state: &AppState) {
    let earlier = earlier_test_round(state, "5e meting").await;
    let r01 = answer(
        state,
        &earlier,
        "R01",
        &[
            ("b_wonen_eerst", "nee"),
            ("b_plan_status", "vastgesteld_raad"),
        ],
    )
    .await;
    let r02 = answer(
        state,
        &earlier,
        "R02",
        &[
            ("b_wonen_eerst", "ja"),
            ("b_plan_status", "vastgesteld_college"),
        ],
    )
    .await;
    // R03 answered but never submitted: not counted.
    answer(state, &earlier, "R03", &[("b_wonen_eerst", "ja")]).await;
    mark_submitted(state, &r01).await;
    mark_submitted(state, &r02).await;
    app::services::rounds::change_state(
        &state.pool,
        &state.config.mail,
        &Actor::CommandLine,
        &earlier,
        RoundState::Closed,
    )
    .await
    .unwrap();
}

async fn answer_the_current_round(state: &AppState, round: &str) {
    let r01 = answer(
        state,
        round,
        "R01",
        &[
            ("b_wonen_eerst", "ja"),
            ("b_plan_status", "vastgesteld"),
            ("b_plan_datum", "2026-03-01"),
        ],
    )
    .await;
    // R02 gave a plan date while the plan was a concept, then said there is no plan:
    // the date is kept, but not asked any more, so not counted.
    let r02 = answer(
        state,
        round,
        "R02",
        &[
            ("b_wonen_eerst", "onbekend"),
            ("b_plan_status", "concept"),
            ("b_plan_datum", "2026-02-01"),
            ("b_plan_status", "geen"),
        ],
    )
    .await;
    answer(state, round, "R03", &[("b_wonen_eerst", "nee")]).await;
    mark_submitted(state, &r01).await;
    mark_submitted(state, &r02).await;
}

fn only_submitted_regions_count(picture: &Value) {
    assert_eq!(picture["participating"], 3);
    assert_eq!(picture["submitted"], 2);
    assert_eq!(picture["compared_round"]["name"], "5e meting");
    assert_eq!(picture["compared_round"]["submitted"], 2);
    assert_eq!(
        picture["sections"].as_array().unwrap().len(),
        1,
        "only section B"
    );
}

fn each_answer_counts_beside_the_compared_round(picture: &Value) {
    let wonen_eerst = item(picture, "b_wonen_eerst");
    assert_eq!(wonen_eerst["current"]["given"], 1);
    assert_eq!(wonen_eerst["current"]["unknown"], 1);
    assert_eq!(
        shares(&wonen_eerst["current"]),
        [("ja".into(), 1), ("deels".into(), 0), ("nee".into(), 0)]
    );
    assert_eq!(wonen_eerst["compared"]["given"], 2, "R03 did not submit");
    assert_eq!(
        shares(&wonen_eerst["compared"]),
        [("ja".into(), 1), ("deels".into(), 0), ("nee".into(), 1)]
    );
}

/// Recoded: both old 'vastgesteld' codes count as the new one.
fn recoded_answers_count_as_the_new_code(picture: &Value) {
    let plan = item(picture, "b_plan_status");
    assert_eq!(
        shares(&plan["compared"])
            .iter()
            .find(|(c, _)| c == "vastgesteld")
            .unwrap()
            .1,
        2
    );
    assert_eq!(
        shares(&plan["current"])
            .iter()
            .find(|(c, _)| c == "geen")
            .unwrap()
            .1,
        1
    );
}

fn answers_no_longer_asked_are_not_counted(picture: &Value) {
    let date = item(picture, "b_plan_datum");
    assert_eq!(date["current"]["given"], 1, "R02's date is no longer asked");
    assert_eq!(date["current"]["not_asked"], 1);
    assert_eq!(date["current"]["not_answered"], 0);

    let explanation = item(picture, "b_wonen_eerst_toelichting");
    assert!(
        explanation["compared"].is_object(),
        "unchanged explanation is compared"
    );
    // Asked when Wonen Eerst changed since the compared round: R01 went from "nee" to
    // "ja" and was asked (and left it open); R02's "onbekend" is no change.
    assert_eq!(explanation["current"]["not_answered"], 1, "R01 was asked");
    assert_eq!(explanation["current"]["not_asked"], 1, "R02 was not");
}

async fn the_page_says_it_in_plain_dutch(case: &NationalCase) {
    let NationalCase {
        state,
        round,
        reviewer,
    } = case;
    let page = body_text(
        send(
            state,
            get(&format!("/landelijk/{round}?sectie=B"), Some(reviewer)),
        )
        .await,
    )
    .await;
    assert!(page.contains("100% (1 van 1; 1 onbekend)"), "{page}");
    assert!(page.contains("50% (1 van 2)"));
    assert!(page.contains("<svg"), "bars are drawn on the server");
    assert!(
        page.contains("Wonen Eerst opgenomen in regionaal plan: ‘Ja’ bij 100% (1 van 1; 1 onbekend); vorige meting 50% (1 van 2)"),
        "the key indicator in plain Dutch"
    );
    assert!(
        page.contains("2 van 3 regio&#x27;s hebben ingediend")
            || page.contains("2 van 3 regio's hebben ingediend"),
        "{page}"
    );
}

/// Everything for admins too; coordinators and strangers get nothing.
async fn only_reviewers_and_admins_see_it(case: &NationalCase) {
    let NationalCase {
        state,
        round,
        reviewer,
    } = case;
    let admin = login(state, "admin@test.nl").await;
    let all = case.picture("", &admin).await;
    assert!(
        all["sections"].as_array().unwrap().len() > 5,
        "every section"
    );
    for coordinator in ["r01@test.nl", "r02@test.nl"] {
        let cookie = login(state, coordinator).await;
        let reply = case.ask(round, "", Some(&cookie)).await;
        assert_eq!(reply.status(), StatusCode::FORBIDDEN, "{coordinator}");
        let reply = send(state, get(&format!("/landelijk/{round}"), Some(&cookie))).await;
        assert_eq!(reply.status(), StatusCode::FORBIDDEN, "{coordinator}");
    }
    let reply = case.ask(round, "", None).await;
    assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
    let reply = case.ask("bestaat-niet", "", Some(reviewer)).await;
    assert_eq!(reply.status(), StatusCode::NOT_FOUND);
    let reply = case.ask(round, "ZZ", Some(reviewer)).await;
    assert_eq!(
        reply.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unknown section"
    );
}

/// The share of regions answering "ja" to `key`, as a percentage of those with an answer.
fn yes_percent(figures: &Value) -> u64 {
    let given = figures["given"].as_u64().unwrap();
    let yes = shares(figures)
        .iter()
        .find(|(code, _)| code == "ja")
        .unwrap()
        .1;
    (yes * 200 + given) / (given * 2)
}

#[tokio::test]
async fn the_demo_history_tells_the_story_of_the_action_plan() {
    on_every_database(|state| async move {
        app::services::demo::load(&state)
            .await
            .unwrap();
        // The NAD's rounds; Beschermd Thuis's open round is a programme of its own.
        let (rounds, other): (Vec<_>, Vec<_>) = app::services::rounds::list(&state.pool)
            .await
            .unwrap()
            .into_iter()
            .partition(|r| r.programme.code == "nad");
        assert_eq!(other.len(), 1);
        assert_eq!(other[0].region_count, 6);
        assert_eq!(other[0].submitted_count, 2);
        let names: Vec<&str> = rounds.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["6e meting – december 2026", "5e meting – juni 2026", "4e meting – december 2025", "3e meting – juni 2025"]
        );
        let (current, june, december, june_before) = (&rounds[0], &rounds[1], &rounds[2], &rounds[3]);
        assert_eq!(june_before.submitted_count, 45);
        // The earlier rounds are published, the latest with its conclusions.
        let published: Vec<(String, String)> =
            sqlx::query_as("SELECT slug, conclusions FROM publications ORDER BY slug")
                .fetch_all(&state.pool)
                .await
                .unwrap();
        let slugs: Vec<&str> = published.iter().map(|(slug, _)| slug.as_str()).collect();
        assert_eq!(slugs, ["2025-06", "2025-12", "2026-06"]);
        assert!(published[2].1.contains("Wonen Eerst"), "{}", published[2].1);
        assert_eq!(december.submitted_count, 45);
        assert_eq!(june.submitted_count, 45 - app::services::demo::BLANK_REGIONS.len() as i64);
        assert_eq!(june.compared_round.as_deref(), Some("4e meting – december 2025"));
        assert_eq!(current.compared_round.as_deref(), Some("5e meting – juni 2026"));
        assert!(current.submitted_count > 15 && current.submitted_count < 35, "{}", current.submitted_count);
        let statuses: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM responses WHERE round_id = $1 GROUP BY status ORDER BY status",
        )
        .bind(&current.id)
        .fetch_all(&state.pool)
        .await
        .unwrap();
        let status_names: Vec<&str> = statuses.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            status_names,
            ["approved", "open", "returned", "submitted"],
            "busy, submitted, one sent back and one approved"
        );
        for code in app::services::demo::BLANK_REGIONS {
            let responses: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM responses WHERE region_code = $1 AND round_id NOT IN ($2, $3)",
            )
            .bind(code)
            .bind(&december.id)
            .bind(&june_before.id)
            .fetch_one(&state.pool)
            .await
            .unwrap();
            assert_eq!(responses, 0, "{code} starts blank");
        }

        // Wonen Eerst ≈ 82% → 95%, shelter in the gemeente of origin ≈ 79% → 92%.
        let reviewer = app::domain::access::SignedInUser {
            id: "-".into(),
            email: "reviewer@nad.example".into(),
            display_name: "Ruben".into(),
            role: app::domain::role::Role::Reviewer,
            region_code: None,
            region_name: None,
            other_regions: Vec::new(),
            advised_regions: Vec::new(),
        };
        let picture = app::services::national::picture(&state, &reviewer, &june.id, Some("B")).await.unwrap();
        let picture = serde_json::to_value(picture).unwrap();
        // The open round beside December 2025 instead of June: another earlier round can be
        // chosen; a round that is not earlier can not.
        let choices = app::services::rounds::comparison_choices(&state.pool, &current.id).await.unwrap();
        let offered: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(offered, ["5e meting – juni 2026", "4e meting – december 2025", "3e meting – juni 2025"]);
        assert_eq!(choices[0].note.as_deref().map(|n| n.contains("vorige meting")), Some(true));
        let beside_december = app::services::national::picture_compared_with(
            &state, &reviewer, &current.id, Some("B"), Some(&december.id),
        )
        .await
        .unwrap();
        assert_eq!(beside_december.compared_round.unwrap().name, "4e meting – december 2025");
        assert_eq!(beside_december.compared_round_id.as_deref(), Some(december.id.as_str()));
        let refused = app::services::national::picture_compared_with(
            &state, &reviewer, &june.id, None, Some(&current.id),
        )
        .await;
        assert!(matches!(refused, Err(app::error::AppError::Validation(_))));
        for (key, before, after) in [("b_wonen_eerst", 82, 95), ("b_opvang_herkomstgemeente", 79, 92)] {
            let item = item(&picture, key);
            let (now, then) = (yes_percent(&item["current"]), yes_percent(&item["compared"]));
            assert!(now.abs_diff(after) <= 6, "{key} now {now}%");
            assert!(then.abs_diff(before) <= 6, "{key} then {then}%");
        }

        // Every generated submitted response could have been submitted: nothing blocks (the
        // rules that compare with the previous round are left to the round's own check).
        // Beschermd Thuis's submitted responses too, against their own questionnaire.
        let submitted: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT re.id, ro.questionnaire_id, ro.questionnaire_version FROM responses re \
             JOIN rounds ro ON ro.id = re.round_id \
             WHERE re.status IN ('submitted', 'approved') AND re.round_id NOT IN ($1, $2)",
        )
        .bind(&december.id)
        .bind(&june_before.id)
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert!(submitted.iter().any(|(_, questionnaire, _)| questionnaire == "beschermd-thuis"));
        for (id, questionnaire, version) in &submitted {
            let version = state.questionnaires.get(&state.pool, questionnaire, version).await.unwrap();
            let stored = app::services::responses::answers(&state.pool, id).await.unwrap();
            let answers = app::services::responses::engine_answers(&stored);
            let evaluation = app::domain::questionnaire::completeness::evaluate(
                &version.questionnaire,
                &version.index,
                &answers,
            );
            let problems = app::services::responses::blocking_problems(&version, &evaluation);
            let missing: Vec<_> = problems.iter().filter(|(_, messages)| !messages.iter().all(|m| m.contains("vorige meting"))).collect();
            assert!(missing.is_empty(), "{id}: {missing:?}");
        }
    })
    .await;
}
