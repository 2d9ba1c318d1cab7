//! The completeness overview against numbers worked out by hand, its filters and drill-down.

use super::*;

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
