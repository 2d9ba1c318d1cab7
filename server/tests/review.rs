//! Review through HTTP: the completeness overview against numbers worked out by hand, comments
//! between reviewer and coordinator, sending back, approving with the password, voiding an
//! approval, who may do which, and the audit trail that nothing can change.
//! Each runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::support;

use app::services::audit::Actor;
use app::services::state::AppState;
use axum::http::StatusCode;
use serde_json::{json, Value};
use support::*;

/// Four items, worked out by hand below: q1 and q3 always asked and required, q2 required
/// but asked only when q1 is "ja", q4 optional; q3 warns above 100.
const SMALL: &str = r#"
identifier = "klein"
version = "1"
title = "Kleine vragenlijst"

[[section]]
key = "S"
title = "Enige sectie"

[[section.item]]
key = "q1"
type = "yes_no"
label = "Vraag 1"
required = true

[[section.item]]
key = "q2"
type = "short_text"
label = "Vraag 2"
required = true
max_length = 100
visible_if = "q1 == 'ja'"

[[section.item]]
key = "q3"
type = "integer"
label = "Vraag 3"
required = true

[[section.item.rule]]
severity = "warning"
check = "q3 <= 100"
message = "Meer dan 100: klopt dat?"

[[section.item]]
key = "q4"
type = "long_text"
label = "Vraag 4"
max_length = 1000
"#;

async fn small_round(state: &AppState) -> String {
    app::services::questionnaires::import(
        &state.pool,
        &state.questionnaires,
        &Actor::CommandLine,
        "klein.toml",
        SMALL,
    )
    .await
    .unwrap();
    let now = app::services::now_ms();
    app::services::rounds::create(
        &state.pool,
        &Actor::CommandLine,
        app::services::rounds::NewRound {
            name: "Kleine meting".into(),
            questionnaire_id: "klein".into(),
            questionnaire_version: "1".into(),
            state: app::domain::round::RoundState::Open,
            opens_at: now - 1000,
            deadline: now + 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .unwrap()
}

async fn save(state: &AppState, cookie: &str, response: &str, key: &str, value: &str) {
    let (status, body) = save_on_stored_version(state, cookie, response, key, value).await;
    assert_eq!(status, StatusCode::OK, "{key}: {body}");
}

async fn overview(state: &AppState, cookie: &str, round: &str, extra: &str) -> Value {
    let reply = send(
        state,
        call(
            "/api/review/overview",
            &format!("round_id={round}{extra}"),
            Some(cookie),
        ),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::OK);
    serde_json::from_str(&body_text(reply).await).unwrap()
}

async fn status_of(state: &AppState, response: &str) -> String {
    sqlx::query_scalar("SELECT status FROM responses WHERE id = $1")
        .bind(response)
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_overview_counts_as_worked_out_by_hand() {
    on_every_database(|state| async move {
        let case = OverviewCase::start(state).await;
        let data = overview(&case.state, &case.reviewer, &case.round, "").await;
        each_region_counts_as_worked_out_by_hand(&data);
        the_overview_sorts_and_filters(&case).await;
        the_page_shows_the_headline_and_a_row_per_region(&case).await;
        the_overview_filters_on_open_points(&case).await;
        the_drill_down_lists_each_open_point(&case).await;
    })
    .await;
}

/// The small round: R01 answered everything and submitted, R02 is busy with an invalid
/// answer and an open comment, R03 never started.
struct OverviewCase {
    state: AppState,
    round: String,
    /// R01's response.
    first: String,
    /// R02's response.
    second: String,
    r01: String,
    reviewer: String,
}

impl OverviewCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        let round = small_round(&state).await;
        let (r01, r02) = (
            login(&state, "r01@test.nl").await,
            login(&state, "r02@test.nl").await,
        );
        let reviewer = login(&state, "reviewer@test.nl").await;
        let first = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let second = app::services::responses::ensure_response(&state.pool, &round, "R02")
            .await
            .unwrap();
        // R01: q1 ja, so q2 is asked too; all three required answered; q3 warns.
        save(&state, &r01, &first, "q1", "ja").await;
        save(&state, &r01, &first, "q2", "tekst").await;
        save(&state, &r01, &first, "q3", "150").await;
        // R02: q1 nee hides q2; q3 is not a number: stored, invalid, blocking.
        save(&state, &r02, &second, "q1", "nee").await;
        save(&state, &r02, &second, "q3", "veel").await;
        let reply = send(
            &state,
            call(
                "/api/responses/submit",
                &format!("response_id={first}"),
                Some(&r01),
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::OK);
        // A comment on R02 that stays open.
        let (status, _) = post(
            &state,
            "/api/review/comment",
            &[
                ("response_id", &second),
                ("item_key", "q3"),
                ("body", "Is dit een getal?"),
            ],
            &reviewer,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        OverviewCase {
            state,
            round,
            first,
            second,
            r01,
            reviewer,
        }
    }
}

fn each_region_counts_as_worked_out_by_hand(data: &Value) {
    let rows = data["rows"].as_array().unwrap();
    let row = |code: &str| {
        rows.iter()
            .find(|r| r["region_code"] == code)
            .unwrap()
            .clone()
    };
    let (one, two, three) = (row("R01"), row("R02"), row("R03"));
    assert_eq!(
        (
            one["status"].as_str(),
            one["required"].as_u64(),
            one["complete"].as_u64()
        ),
        (Some("Submitted"), Some(3), Some(3))
    );
    assert_eq!(
        (one["warnings"].as_u64(), one["blocking"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(
        (
            two["status"].as_str(),
            two["required"].as_u64(),
            two["complete"].as_u64()
        ),
        (Some("Busy"), Some(2), Some(1)),
        "q2 is hidden by q1 = nee; q3 is invalid so not complete"
    );
    assert_eq!(
        (two["blocking"].as_u64(), two["open_comments"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (
            three["status"].as_str(),
            three["required"].as_u64(),
            three["complete"].as_u64()
        ),
        (Some("NotStarted"), Some(2), Some(0)),
        "no answers: q2 is not asked while q1 is empty"
    );
    assert!(three["response_id"].is_null());
    assert_eq!(data["totals"]["submitted"], 1);
    assert_eq!(data["totals"]["participating"], 3);
    assert!(one["last_activity"][0]
        .as_str()
        .unwrap()
        .contains("r01@test.nl"));
    assert!(two["last_activity"][0]
        .as_str()
        .unwrap()
        .contains("reviewer@test.nl"));
}

/// Sorted by completeness, highest first; filtered to one status.
async fn the_overview_sorts_and_filters(case: &OverviewCase) {
    let OverviewCase {
        state,
        round,
        reviewer,
        ..
    } = case;
    let sorted = overview(state, reviewer, round, "&sort=compleet&order=af").await;
    let codes: Vec<&str> = sorted["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["region_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["R01", "R02", "R03"]);
    let busy = overview(state, reviewer, round, "&status=bezig").await;
    assert_eq!(busy["rows"].as_array().unwrap().len(), 1);
    assert_eq!(
        busy["totals"]["participating"], 3,
        "totals ignore the filter"
    );
    let reply = send(
        state,
        call(
            "/api/review/overview",
            &format!("round_id={round}&status=kwijt"),
            Some(reviewer),
        ),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    the_overview_searches_and_pages(case).await;
}

/// A search keeps the regions whose name or code holds the text; a page past the last is the
/// last; a search too long is refused with what is wrong. Every region of a round this small
/// fits on one page, so the page has no pager.
async fn the_overview_searches_and_pages(case: &OverviewCase) {
    let OverviewCase {
        state,
        round,
        reviewer,
        ..
    } = case;
    let found = overview(state, reviewer, round, "&search=%20fries%20").await;
    assert_eq!(region_codes(&found), ["R02"]);
    assert_eq!(found["search"], "fries", "the search is trimmed");
    assert_eq!(found["page"]["matching"], 1);
    assert_eq!(
        found["totals"]["participating"], 3,
        "totals ignore the search"
    );
    let by_code = overview(state, reviewer, round, "&search=r03").await;
    assert_eq!(region_codes(&by_code), ["R03"]);
    let far = overview(state, reviewer, round, "&page=7").await;
    assert_eq!(far["page"]["number"], 1);
    assert_eq!(far["page"]["pages"], 1);
    assert_eq!(region_codes(&far).len(), 3);
    let reply = send(
        state,
        call(
            "/api/review/overview",
            &format!("round_id={round}&search={}", "x".repeat(101)),
            Some(reviewer),
        ),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(reply).await.contains("hoogstens 100 tekens"));
    let page = format!("/beoordelen/{round}?zoek=Gron&sorteer=compleet");
    let html = body_text(send(state, get(&page, Some(reviewer))).await).await;
    assert!(
        html.contains("Groningen (R01)") && !html.contains("Friesland (R02)"),
        "{html}"
    );
    assert!(html.contains(r#"name="zoek" value="Gron""#), "{html}");
    assert!(!html.contains("Pagina 1 van"), "{html}");
    let html = body_text(
        send(
            state,
            get(&format!("/beoordelen/{round}?zoek=Utrecht"), Some(reviewer)),
        )
        .await,
    )
    .await;
    assert!(
        html.contains("aan dit filter en deze zoekterm voldoen"),
        "{html}"
    );
}

/// The page shows the headline and a row per region; coordinators get 403.
async fn the_page_shows_the_headline_and_a_row_per_region(case: &OverviewCase) {
    let OverviewCase {
        state,
        round,
        first,
        r01,
        reviewer,
        ..
    } = case;
    let html =
        body_text(send(state, get(&format!("/beoordelen/{round}"), Some(reviewer))).await).await;
    assert!(html.contains("1 van 3 ingediend"), "{html}");
    assert!(html.contains(&format!("/vragenlijst/{first}/beoordelen")));
    let reply = send(state, get(&format!("/beoordelen/{round}"), Some(r01))).await;
    assert_eq!(reply.status(), StatusCode::FORBIDDEN);
}

/// The codes of the overview's rows, in code order (the overview sorts by name).
fn region_codes(data: &Value) -> Vec<String> {
    let mut codes: Vec<String> = data["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["region_code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

/// Each kind of open point filters the overview to the regions that still have some; the
/// filter goes with the status filter, and an unknown one is refused.
async fn the_overview_filters_on_open_points(case: &OverviewCase) {
    let OverviewCase {
        state,
        round,
        reviewer,
        ..
    } = case;
    for (problem, expected) in [
        ("waarschuwingen", vec!["R01"]),
        ("fouten", vec!["R02"]),
        ("opmerkingen", vec!["R02"]),
        ("ontbrekend", vec!["R02", "R03"]),
        ("", vec!["R01", "R02", "R03"]),
    ] {
        let data = overview(state, reviewer, round, &format!("&problem={problem}")).await;
        assert_eq!(region_codes(&data), expected, "probleem={problem}");
        assert_eq!(data["totals"]["participating"], 3);
    }
    let both = overview(
        state,
        reviewer,
        round,
        "&status=ingediend&problem=ontbrekend",
    )
    .await;
    assert!(region_codes(&both).is_empty());
    let reply = send(
        state,
        call(
            "/api/review/overview",
            &format!("round_id={round}&problem=alles"),
            Some(reviewer),
        ),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(reply).await.contains("Onbekend filter"));
    // The page: the filter is a GET form; nothing matches gives a sentence, not an empty table.
    let page = format!("/beoordelen/{round}?status=ingediend&probleem=ontbrekend");
    let html = body_text(send(state, get(&page, Some(reviewer))).await).await;
    assert!(html.contains("die aan dit filter voldoen."), "{html}");
    let page = format!("/beoordelen/{round}?probleem=waarschuwingen");
    let html = body_text(send(state, get(&page, Some(reviewer))).await).await;
    assert!(
        html.contains("Groningen (R01)") && !html.contains("Friesland (R02)"),
        "{html}"
    );
    assert!(html.contains(&format!(
        "/vragenlijst/{}/openstaand#waarschuwingen",
        case.first
    )));
}

fn findings_of(data: &Value, kind: &str) -> Vec<String> {
    data["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["item_key"].as_str().unwrap().to_string())
        .collect()
}

/// R02's open points item by item, as worked out by hand; R01 only warns. The region's own
/// coordinators may read theirs; another region's coordinator is refused.
async fn the_drill_down_lists_each_open_point(case: &OverviewCase) {
    let OverviewCase {
        state,
        first,
        second,
        r01,
        reviewer,
        ..
    } = case;
    let findings = |response: String, cookie: String| async move {
        send(
            state,
            call(
                "/api/review/findings",
                &format!("response_id={response}"),
                Some(&cookie),
            ),
        )
        .await
    };
    let reply = findings(second.clone(), reviewer.clone()).await;
    assert_eq!(reply.status(), StatusCode::OK);
    let data: Value = serde_json::from_str(&body_text(reply).await).unwrap();
    // q3 is invalid: it is missing (required, not complete) and invalid; q2 is hidden.
    assert_eq!(findings_of(&data, "Missing"), ["q3"]);
    assert_eq!(findings_of(&data, "Invalid"), ["q3"]);
    assert!(findings_of(&data, "Blocking").is_empty());
    assert!(findings_of(&data, "Warning").is_empty());
    assert_eq!(findings_of(&data, "OpenComment"), ["q3"]);
    let reply = findings(first.clone(), r01.clone()).await;
    assert_eq!(
        reply.status(),
        StatusCode::OK,
        "the region's own coordinator"
    );
    let data: Value = serde_json::from_str(&body_text(reply).await).unwrap();
    assert_eq!(findings_of(&data, "Warning"), ["q3"]);
    assert_eq!(data["findings"].as_array().unwrap().len(), 1);
    let reply = findings(second.clone(), r01.clone()).await;
    assert_eq!(
        reply.status(),
        StatusCode::FORBIDDEN,
        "another region's response"
    );
    let reply = findings("bestaat-niet".to_string(), reviewer.clone()).await;
    assert_eq!(reply.status(), StatusCode::NOT_FOUND);

    let page = format!("/vragenlijst/{second}/openstaand");
    let html = body_text(send(state, get(&page, Some(reviewer))).await).await;
    assert!(html.contains("Er staan nog 3 punten open."), "{html}");
    assert!(html.contains("Ongeldige antwoorden (1)"));
    assert!(html.contains("Aan alle regels is voldaan."));
    assert!(html.contains(&format!("/vragenlijst/{second}/beoordelen#vraag-q3")));
    assert!(html.contains(&format!("/vragenlijst/{second}/beoordelen#opmerking-")));
    assert!(html.contains("Is dit een getal?"));
    let reply = send(state, get(&page, Some(r01))).await;
    assert_eq!(reply.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn comment_send_back_resubmit_approve_and_void() {
    on_every_database(|state| async move {
        let case = ReviewCase::start(state).await;
        nothing_to_review_before_it_is_submitted(&case).await;
        the_reviewer_comments_and_no_other_region_reads_it(&case).await;
        sending_back_needs_a_reason_and_a_reviewer(&case).await;
        the_coordinator_answers_changes_and_submits_again(&case).await;
        approving_asks_for_the_reviewers_own_password(&case).await;
        voiding_the_approval_sends_the_response_back(&case).await;
        every_step_is_audited_and_each_answers_history_shown(&case).await;
    })
    .await;
}

/// One region's response on its way through review, and who acts on it: its coordinator,
/// another region's coordinator and a reviewer (session cookies).
struct ReviewCase {
    state: AppState,
    response: String,
    r01: String,
    r02: String,
    reviewer: String,
}

impl ReviewCase {
    /// An open round with region R01's response filled in completely, not yet submitted.
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Beoordelingsmeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let r01 = login(&state, "r01@test.nl").await;
        let r02 = login(&state, "r02@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        fill_in_everything(&state, &r01, &response).await;
        ReviewCase {
            state,
            response,
            r01,
            r02,
            reviewer,
        }
    }
}

/// Submits the response as `cookie`'s user, as the check page's button does.
async fn submit(state: &AppState, cookie: &str, response: &str) -> StatusCode {
    send(
        state,
        call(
            "/api/responses/submit",
            &format!("response_id={response}"),
            Some(cookie),
        ),
    )
    .await
    .status()
}

async fn nothing_to_review_before_it_is_submitted(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r01,
        reviewer,
        ..
    } = case;
    // Nothing to review before it is submitted.
    let (status, body) = post(
        state,
        "/api/review/return",
        &[("response_id", response), ("reason", "Te vroeg")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("nog niet ingediend"), "{body}");
    assert_eq!(submit(state, r01, response).await, StatusCode::OK);
}

async fn the_reviewer_comments_and_no_other_region_reads_it(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r02,
        reviewer,
        ..
    } = case;
    // The reviewer comments on an item; another region's coordinator can't read it.
    let (status, _) = post(
        state,
        "/api/review/comment",
        &[
            ("response_id", response),
            ("item_key", "a_contactpersoon"),
            ("body", "Graag ook de functie noemen."),
        ],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for (fields, expected) in [
        (
            vec![("item_key", "bestaat_niet"), ("body", "x")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("item_key", "a_contactpersoon"), ("body", "   ")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let mut fields = fields;
        fields.push(("response_id", response));
        assert_eq!(
            post(state, "/api/review/comment", &fields, reviewer)
                .await
                .0,
            expected
        );
    }
    let long = "x".repeat(2001);
    let (status, _) = post(
        state,
        "/api/review/comment",
        &[
            ("response_id", response),
            ("item_key", "a_contactpersoon"),
            ("body", &long),
        ],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let threads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(threads, 1, "refused comments store nothing");
    let reply = send(
        state,
        call(
            "/api/review/response",
            &format!("response_id={response}"),
            Some(r02),
        ),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::FORBIDDEN);
    let reply = send(
        state,
        get(&format!("/vragenlijst/{response}/beoordelen"), Some(r02)),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::FORBIDDEN);
}

async fn sending_back_needs_a_reason_and_a_reviewer(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r01,
        reviewer,
        ..
    } = case;
    // Sending back needs a reason; without one nothing changes.
    let (status, _) = post(
        state,
        "/api/review/return",
        &[("response_id", response), ("reason", " ")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(state, response).await, "submitted");
    // A coordinator never reviews, not even their own region.
    let (status, _) = post(
        state,
        "/api/review/return",
        &[("response_id", response), ("reason", "Zelf")],
        r01,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post(
        state,
        "/api/review/return",
        &[
            ("response_id", response),
            ("reason", "Vraag A graag aanvullen."),
        ],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(state, response).await, "returned");
}

async fn the_coordinator_answers_changes_and_submits_again(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r01,
        reviewer,
        ..
    } = case;
    // The coordinator sees the return and the comment beside the item, answers it,
    // changes the answer and submits again.
    let tasks =
        body_text(send(state, get(&format!("/vragenlijst/{response}"), Some(r01))).await).await;
    assert!(
        tasks.contains("Teruggestuurd door de reviewer")
            && tasks.contains("Vraag A graag aanvullen.")
    );
    assert!(tasks.contains("1 opmerking(en) van de reviewer open"));
    let section = body_text(
        send(
            state,
            get(&format!("/vragenlijst/{response}/sectie/A"), Some(r01)),
        )
        .await,
    )
    .await;
    assert!(section.contains("Graag ook de functie noemen."));
    let thread: String = sqlx::query_scalar("SELECT id FROM comment_threads")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let (status, _) = post(
        state,
        "/api/review/comment",
        &[
            ("response_id", response),
            ("item_key", "a_contactpersoon"),
            ("thread_id", &thread),
            ("body", "Aangevuld."),
        ],
        r01,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A reply must belong to the same response and item.
    let (status, _) = post(
        state,
        "/api/review/comment",
        &[
            ("response_id", response),
            ("item_key", "a_peildatum"),
            ("thread_id", &thread),
            ("body", "Elders"),
        ],
        r01,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Only reviewers resolve.
    let (status, _) = post(
        state,
        "/api/review/resolve",
        &[("thread_id", &thread), ("resolved", "ja")],
        r01,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    save(
        state,
        r01,
        response,
        "a_contactpersoon",
        "Anna, beleidsadviseur",
    )
    .await;
    assert_eq!(submit(state, r01, response).await, StatusCode::OK);
    let (status, _) = post(
        state,
        "/api/review/resolve",
        &[("thread_id", &thread), ("resolved", "ja")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

async fn approving_asks_for_the_reviewers_own_password(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r01,
        reviewer,
        ..
    } = case;
    // Approving asks for the reviewer's own password; a wrong one changes nothing.
    let (status, body) = post(
        state,
        "/api/review/approve",
        &[
            ("response_id", response),
            ("password", "verkeerd wachtwoord"),
        ],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("klopt niet"), "{body}");
    assert_eq!(status_of(state, response).await, "submitted");
    let (status, _) = post(
        state,
        "/api/review/approve",
        &[("response_id", response), ("password", PASSWORD)],
        r01,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a coordinator can never approve"
    );
    let (status, body) = post(
        state,
        "/api/review/approve",
        &[("response_id", response), ("password", PASSWORD)],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(state, response).await, "approved");
    // Approved is locked: the coordinator can't change answers, nobody approves twice.
    let (status, _) =
        save_on_stored_version(state, r01, response, "a_contactpersoon", "Bert").await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = post(
        state,
        "/api/review/approve",
        &[("response_id", response), ("password", PASSWORD)],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let tasks =
        body_text(send(state, get(&format!("/vragenlijst/{response}"), Some(r01))).await).await;
    assert!(
        tasks.contains("Goedgekeurd op"),
        "the coordinator sees the approval"
    );
}

async fn voiding_the_approval_sends_the_response_back(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        reviewer,
        ..
    } = case;
    // Voiding the approval needs a reason and sends the response back.
    let (status, _) = post(
        state,
        "/api/review/void",
        &[("response_id", response), ("reason", "")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(state, response).await, "approved");
    let (status, _) = post(
        state,
        "/api/review/void",
        &[("response_id", response), ("reason", "Cijfer F klopt niet")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, approved_at): (String, Option<i64>) =
        sqlx::query_as("SELECT status, approved_at FROM responses WHERE id = $1")
            .bind(response)
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), approved_at), ("returned", None));
}

async fn every_step_is_audited_and_each_answers_history_shown(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        reviewer,
        ..
    } = case;
    // Every step is in the audit trail, newest first.
    let kinds = app::services::audit::recent_kinds(&state.pool, 12)
        .await
        .unwrap();
    for kind in [
        "approval_voided",
        "response_approved",
        "approval_failed",
        "comment_resolved",
        "response_returned",
        "comment_added",
        "response_submitted",
    ] {
        assert!(kinds.contains(&kind.to_string()), "{kind} in {kinds:?}");
    }
    // The review page shows each answer's history, old → new, to the reviewer.
    let html = body_text(
        send(
            state,
            get(
                &format!("/vragenlijst/{response}/beoordelen"),
                Some(reviewer),
            ),
        )
        .await,
    )
    .await;
    assert!(
        html.contains("Geschiedenis van dit antwoord (2 wijziging(en))"),
        "{html}"
    );
    assert!(html.contains("Anna, beleidsadviseur"));
    assert!(html.contains("Aangevuld."));
}

#[tokio::test]
async fn the_audit_trail_can_not_be_changed_and_admins_browse_and_export_it() {
    on_every_database(|state| async move {
        let case = AuditCase::start(state).await;
        nothing_changes_the_entries_already_written(&case).await;
        let reviewer = admins_browse_the_trail_by_kind_user_and_region(&case).await;
        the_page_and_the_csv_export_carry_the_same_filter(&case).await;
        the_export_streams_compressed(&case).await;
        only_admins_see_the_page_and_the_export(&case, &reviewer).await;
    })
    .await;
}

/// An open round in which R01's coordinator changed an answer and the admin commented on it.
struct AuditCase {
    state: AppState,
    round: String,
    r01: String,
    admin: String,
}

impl AuditCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Auditmeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let r01 = login(&state, "r01@test.nl").await;
        save(&state, &r01, &response, "a_contactpersoon", "Anna").await;
        save(&state, &r01, &response, "a_contactpersoon", "Anna de Vries").await;
        let admin = login(&state, "admin@test.nl").await;
        let (status, _) = post(
            &state,
            "/api/review/comment",
            &[
                ("response_id", &response),
                ("item_key", "a_contactpersoon"),
                ("body", "Wie is Anna?"),
            ],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        AuditCase {
            state,
            round,
            r01,
            admin,
        }
    }
}

/// The audit events and the answer history, as stored.
async fn audit_snapshot(
    state: &AppState,
) -> (Vec<(String, String, String)>, Vec<(String, String)>) {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, kind, details FROM audit_events ORDER BY id")
            .fetch_all(&state.pool)
            .await
            .unwrap();
    let history: Vec<(String, String)> =
        sqlx::query_as("SELECT id, new_raw FROM answer_history ORDER BY id")
            .fetch_all(&state.pool)
            .await
            .unwrap();
    (rows, history)
}

async fn nothing_changes_the_entries_already_written(case: &AuditCase) {
    let AuditCase { state, admin, .. } = case;
    let before = audit_snapshot(state).await;
    // The database refuses to change or delete entries, whoever asks.
    for sql in [
        "UPDATE audit_events SET kind = 'x'",
        "DELETE FROM audit_events",
        "UPDATE answer_history SET new_raw = '{}'",
        "DELETE FROM answer_history",
        "UPDATE comments SET body = 'x'",
        "DELETE FROM comments",
    ] {
        let error = sqlx::query(sql).execute(&state.pool).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    // Every server function, called by the admin with what an attacker might send,
    // leaves the earlier entries as they were (new ones may be added).
    for (path, body) in [
        ("/api/audit", "kind=login'; DELETE FROM audit_events; --"),
        ("/api/audit", "user=%25&page=-5"),
        ("/api/review/resolve", "thread_id=x&resolved=ja"),
    ] {
        let reply = send(state, call(path, body, Some(admin))).await;
        assert!(reply.status().as_u16() < 500, "{path}");
    }
    let after = audit_snapshot(state).await;
    assert!(after.0.len() >= before.0.len());
    assert!(
        before.0.iter().all(|entry| after.0.contains(entry)),
        "no entry changed"
    );
    assert_eq!(before.1, after.1);
}

/// The audit page's data, as `cookie`'s user asks for it with `query`.
async fn browse(state: &AppState, query: &str, cookie: &str) -> (StatusCode, Value) {
    let reply = send(state, call("/api/audit", query, Some(cookie))).await;
    let status = reply.status();
    let text = body_text(reply).await;
    (
        status,
        serde_json::from_str::<Value>(&text).unwrap_or(json!(text)),
    )
}

/// Browsing: answer changes are in it, filtered by kind, user and region; for admins only.
/// Returns the reviewer's session cookie.
async fn admins_browse_the_trail_by_kind_user_and_region(case: &AuditCase) -> String {
    let AuditCase {
        state,
        round,
        r01,
        admin,
    } = case;
    let (status, page) = browse(state, "kind=answer_changed", admin).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 2);
    let details = page["entries"][0]["details"].as_str().unwrap();
    assert_eq!(details, "a_contactpersoon: Anna → Anna de Vries");
    assert_eq!(page["entries"][0]["actor"], "r01@test.nl");
    let (_, page) = browse(state, &format!("round={round}&region=R01"), admin).await;
    assert_eq!(
        page["total"], 3,
        "the answers and the comment belong to the round; {page}"
    );
    let (_, page) = browse(state, "user=ADMIN@test&kind=login", admin).await;
    assert_eq!(page["total"], 1);
    let (_, page) = browse(state, "region=R02", admin).await;
    assert_eq!(
        page["total"], 1,
        "only the R02 coordinator's account: {page}"
    );
    assert_eq!(page["entries"][0]["kind"], "user_created");
    let (status, _) = browse(state, "from=gisteren", admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let reviewer = login(state, "reviewer@test.nl").await;
    assert_eq!(browse(state, "", &reviewer).await.0, StatusCode::FORBIDDEN);
    assert_eq!(browse(state, "", r01).await.0, StatusCode::FORBIDDEN);
    reviewer
}

/// The page and the CSV export carry the same filter.
async fn the_page_and_the_csv_export_carry_the_same_filter(case: &AuditCase) {
    let AuditCase { state, admin, .. } = case;
    let html = body_text(
        send(
            state,
            get("/beheer/audit?soort=answer_changed", Some(admin)),
        )
        .await,
    )
    .await;
    assert!(html.contains("2 gebeurtenis(sen) gevonden"), "{html}");
    let csv = send(
        state,
        get(
            "/beheer/audit/export.csv?soort=answer_changed&regio=R01",
            Some(admin),
        ),
    )
    .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = body_text(csv).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(&records[0][1], "r01@test.nl");
    assert_eq!(&records[0][2], "answer_changed");
    assert_eq!(&records[0][6], "a_contactpersoon: Anna → Anna de Vries");
}

/// Compressed, as browsers ask for it: the stream ends cleanly.
async fn the_export_streams_compressed(case: &AuditCase) {
    let AuditCase { state, admin, .. } = case;
    let mut compressed = get("/beheer/audit/export.csv", Some(admin));
    compressed.headers_mut().insert(
        axum::http::header::ACCEPT_ENCODING,
        axum::http::HeaderValue::from_static("gzip"),
    );
    let reply = send(state, compressed).await;
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(reply.headers()["content-encoding"], "gzip");
    let gzipped = http_body_util::BodyExt::collect(reply.into_body())
        .await
        .expect("the whole body arrives")
        .to_bytes();
    assert!(gzipped.len() > 20);
}

async fn only_admins_see_the_page_and_the_export(case: &AuditCase, reviewer: &str) {
    let AuditCase { state, admin, .. } = case;
    for (path, cookie, expected) in [
        ("/beheer/audit/export.csv", Some(reviewer), 403),
        ("/beheer/audit/export.csv", None, 401),
        (
            "/beheer/audit/export.csv?onbekend=1",
            Some(admin.as_str()),
            400,
        ),
        (
            "/beheer/audit/export.csv?van=2026-13-01",
            Some(admin.as_str()),
            422,
        ),
        ("/beheer/audit", Some(reviewer), 403),
    ] {
        let reply = send(state, get(path, cookie)).await;
        assert_eq!(reply.status().as_u16(), expected, "{path}");
    }
}

/// A cell that a spreadsheet would run as a formula: it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return and is not a plain number.
fn starts_a_formula(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix(['=', '+', '-', '@', '\t', '\r']) else {
        return false;
    };
    let number = cell.starts_with(['+', '-'])
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.');
    !number
}

/// The audit export as it downloads for the admin: its rows without the header.
async fn audit_csv(state: &AppState, query: &str, admin: &str) -> Vec<csv::StringRecord> {
    let reply = send(
        state,
        get(&format!("/beheer/audit/export.csv{query}"), Some(admin)),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::OK);
    let text = body_text(reply).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        &csv::StringRecord::from(app::services::audit::CSV_COLUMNS.to_vec())
    );
    reader.records().map(Result::unwrap).collect()
}

#[tokio::test]
async fn no_cell_of_the_audit_export_starts_a_formula() {
    const RISKY_ROUND: &str = "=HYPERLINK(\"http://x\")";
    on_every_database(|state| async move {
        seed(&state).await;
        // Valid addresses that start like a formula, each logging in once.
        for email in ["+plus@test.nl", "=is@test.nl", "-min@test.nl"] {
            let id = app::services::users::create(
                &state.pool,
                &Actor::CommandLine,
                app::services::users::NewUser {
                    email: email.into(),
                    display_name: "@Naam".into(),
                    role: "reviewer".into(),
                    region_code: None,
                    password: PASSWORD.into(),
                },
            )
            .await
            .unwrap();
            app::services::users::exempt_from_two_factor(&state.pool, &id)
                .await
                .unwrap();
            login(&state, email).await;
        }
        load_nad(&state).await;
        let round = open_test_round(&state, RISKY_ROUND).await;
        // Entries as the log may hold them, whatever wrote them: every text starts a formula.
        let now = app::services::now_ms();
        for (id, actor, kind, region, subject, details) in [
            ("=id", "@actor", "=kind", "@R9", Some(round.as_str()), "=1+1"),
            ("+id", "-actor", "+kind", "+R8", None, r#"{"=reden": "-2+3"}"#),
            ("@id", "\tactor", "\rkind", "-R7", None, "\t=1+1"),
        ] {
            sqlx::query(
                "INSERT INTO audit_events \
                 (id, occurred_at, actor_user_id, actor_label, kind, region_code, subject, details) \
                 VALUES ($1, $2, NULL, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(now)
            .bind(actor)
            .bind(kind)
            .bind(region)
            .bind(subject)
            .bind(details)
            .execute(&state.pool)
            .await
            .unwrap();
        }
        let admin = login(&state, "admin@test.nl").await;
        let records = audit_csv(&state, "", &admin).await;
        assert!(records.len() > 10);
        for (row, record) in records.iter().enumerate() {
            for (column, cell) in record.iter().enumerate() {
                assert!(
                    !starts_a_formula(cell),
                    "row {row} column {column}: {cell:?}"
                );
            }
        }
        let cells: Vec<&str> = records.iter().flat_map(|record| record.iter()).collect();
        for guarded in [
            "'+plus@test.nl",
            "'=is@test.nl",
            "'-min@test.nl",
            "'=HYPERLINK(\"http://x\")",
            "'=id",
            "'@actor",
            "'=kind",
            "'@R9",
            "'=1+1",
            "'+kind",
            "'+R8",
            "'\tactor",
            "'\rkind",
            "'-R7",
            "'\t=1+1",
            "'=reden: -2+3",
        ] {
            assert!(cells.contains(&guarded), "{guarded:?} in {cells:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_audit_export_reads_a_long_trail_by_key_each_entry_once_in_order() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        // More entries than one chunk of the export (1,000), seven to a millisecond, so that
        // entries of one moment straddle the chunks; ids in no particular order.
        const COUNT: u64 = 2_503;
        let base = app::services::now_ms() - 3_600_000;
        let mut expected: Vec<(i64, String)> = (0..COUNT)
            .map(|n| {
                let at = base + (n / 7) as i64;
                let id = format!("{:032x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                (at, id)
            })
            .collect();
        let mut transaction = state.pool.begin().await.unwrap();
        for (at, id) in &expected {
            sqlx::query(
                "INSERT INTO audit_events \
                 (id, occurred_at, actor_user_id, actor_label, kind, region_code, subject, details) \
                 VALUES ($1, $2, NULL, 'cli', 'comment_resolved', 'R01', NULL, '{}')",
            )
            .bind(id)
            .bind(*at)
            .execute(&mut *transaction)
            .await
            .unwrap();
        }
        transaction.commit().await.unwrap();
        expected.sort_by(|a, b| b.cmp(a));

        // The download's first chunk is read before it answers; an entry that arrives after
        // that, among the entries already sent, must not push one of them into the next chunk.
        let reply = send(
            &state,
            get(
                "/beheer/audit/export.csv?soort=comment_resolved",
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::OK);
        sqlx::query(
            "INSERT INTO audit_events \
             (id, occurred_at, actor_user_id, actor_label, kind, region_code, subject, details) \
             VALUES ($1, $2, NULL, 'cli', 'comment_resolved', 'R01', NULL, '{}')",
        )
        .bind("f".repeat(32))
        .bind(expected[0].0)
        .execute(&state.pool)
        .await
        .unwrap();
        let text = body_text(reply).await;
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let ids: Vec<String> = reader
            .records()
            .map(|record| record.unwrap()[7].to_string())
            .collect();
        let wanted: Vec<String> = expected.iter().map(|(_, id)| id.clone()).collect();
        assert_eq!(ids.len(), wanted.len(), "every entry exactly once");
        assert!(ids == wanted, "newest first, then by id");

        // The same again now that nothing arrives: the late entry first, then the rest.
        let records = audit_csv(&state, "?soort=comment_resolved", &admin).await;
        assert_eq!(records.len() as u64, COUNT + 1);
        assert_eq!(&records[0][7], "f".repeat(32));
        assert!(records[1..]
            .iter()
            .map(|record| &record[7])
            .eq(wanted.iter().map(String::as_str)));

        // The page still counts and pages by number: 100 a page, the last one partly filled.
        let filter = app::domain::audit::AuditFilter {
            kind: Some("comment_resolved".into()),
            ..Default::default()
        };
        let last = app::services::audit::browse(&state.pool, &filter, 99)
            .await
            .unwrap();
        assert_eq!((last.total, last.page), (COUNT as i64 + 1, 26));
        assert_eq!(last.entries.len(), 4);
        assert_eq!(last.entries[3].id, wanted[wanted.len() - 1]);
        let second = app::services::audit::browse(&state.pool, &filter, 2)
            .await
            .unwrap();
        assert_eq!(second.entries[0].id, wanted[99]);
    })
    .await;
}
