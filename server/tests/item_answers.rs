//! One item's answers across every region of a round, beside the previous round's: what the
//! table says (the previous answer through lineage, invalid input, items a condition hid), its
//! filters and order, the downloads' bytes, and who may read it.
//! Each runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::support;

use app::domain::round::RoundState;
use app::services::audit::Actor;
use app::services::state::AppState;
use axum::body::Body;
use axum::http::{header, Response, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use support::*;

mod access;
mod downloads;

/// Two rounds: December on the 2025-12 version, closed, and the open round on 2026-06 that is
/// compared with it. R01 changed its Wonen Eerst answer (and explains why), R02 kept it and
/// typed a word where the number of places belongs, R03 has not started.
struct Case {
    state: AppState,
    round: String,
    reviewer: String,
    admin: String,
    r01: String,
    /// R01's response in the open round.
    first: String,
}

async fn save(state: &AppState, cookie: &str, response: &str, key: &str, value: &str) {
    let (status, body) = save_on_stored_version(state, cookie, response, key, value).await;
    assert_eq!(status, StatusCode::OK, "{key}: {body}");
}

impl Case {
    async fn start(state: AppState) -> Case {
        seed(&state).await;
        load_nad(&state).await;
        let (r01, r02) = (
            login(&state, "r01@test.nl").await,
            login(&state, "r02@test.nl").await,
        );
        let earlier = earlier_test_round(&state, "5e meting").await;
        let before = |code| app::services::responses::ensure_response(&state.pool, &earlier, code);
        let (old_one, old_two) = (before("R01").await.unwrap(), before("R02").await.unwrap());
        save(&state, &r01, &old_one, "b_wonen_eerst", "nee").await;
        save(&state, &r01, &old_one, "b_plan_status", "vastgesteld_raad").await;
        save(&state, &r02, &old_two, "b_wonen_eerst", "ja").await;
        save(&state, &r02, &old_two, "e_housing_first_plekken", "12").await;
        app::services::rounds::change_state(
            &state.pool,
            &state.config.mail,
            &Actor::CommandLine,
            &earlier,
            RoundState::Closed,
        )
        .await
        .unwrap();
        let round = open_test_round(&state, "6e meting").await;
        let now = |code| app::services::responses::ensure_response(&state.pool, &round, code);
        let (first, second) = (now("R01").await.unwrap(), now("R02").await.unwrap());
        save(&state, &r01, &first, "b_wonen_eerst", "ja").await;
        save(
            &state,
            &r01,
            &first,
            "b_wonen_eerst_toelichting",
            "Nieuw plan vastgesteld.",
        )
        .await;
        save(&state, &r01, &first, "b_plan_status", "vastgesteld").await;
        save(&state, &r01, &first, "b_doel_2030", "4").await;
        save(
            &state,
            &r01,
            &first,
            "a_contactpersoon",
            "Bezwaren van Omwonenden vertragen de bouw",
        )
        .await;
        save(&state, &r02, &second, "b_wonen_eerst", "ja").await;
        save(&state, &r02, &second, "e_wonen_eerst_plekken", "veel").await;
        save(&state, &r02, &second, "a_contactpersoon", "=SOM(A1)").await;
        Case {
            reviewer: login(&state, "reviewer@test.nl").await,
            admin: login(&state, "admin@test.nl").await,
            state,
            round,
            r01,
            first,
        }
    }

    /// The page's data through its server function, as `cookie`; `fields` are its arguments
    /// besides the round.
    async fn data(&self, cookie: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let mut all = vec![("round_id", self.round.as_str())];
        all.extend_from_slice(fields);
        post(&self.state, "/api/review/item_answers", &all, cookie).await
    }

    async fn rows(&self, fields: &[(&str, &str)]) -> Value {
        let (status, body) = self.data(&self.reviewer, fields).await;
        assert_eq!(status, StatusCode::OK, "{fields:?}: {body}");
        let data: Value = serde_json::from_str(&body).unwrap();
        data["item"].clone()
    }

    async fn page(&self, query: &str, cookie: Option<&str>) -> (StatusCode, String) {
        let path = format!("/beoordelen/{}/antwoorden{query}", self.round);
        let reply = send(&self.state, get(&path, cookie)).await;
        let status = reply.status();
        (status, body_text(reply).await)
    }

    async fn download(&self, file: &str, query: &str, cookie: Option<&str>) -> Response<Body> {
        let path = format!("/beoordelen/{}/antwoorden/{file}{query}", self.round);
        send(&self.state, get(&path, cookie)).await
    }
}

/// The rows' region codes, in the order given.
fn codes(item: &Value) -> Vec<String> {
    item["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["region_code"].as_str().unwrap().to_string())
        .collect()
}

fn row<'a>(item: &'a Value, code: &str) -> &'a Value {
    item["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["region_code"] == code)
        .unwrap_or_else(|| panic!("no row for {code}: {item}"))
}

#[tokio::test]
async fn an_items_answers_stand_side_by_side_with_the_previous_round() {
    on_every_database(|state| async move {
        let case = Case::start(state).await;
        each_region_answers_beside_december(&case).await;
        lineage_and_conditions_decide_what_is_shown(&case).await;
        filters_and_sorting_narrow_and_order_the_rows(&case).await;
        the_page_shows_the_chooser_the_table_and_the_downloads(&case).await;
    })
    .await;
}

async fn each_region_answers_beside_december(case: &Case) {
    let item = case.rows(&[("item", "b_wonen_eerst")]).await;
    assert_eq!(
        item["label"],
        "Is Wonen Eerst opgenomen in het regionale plan?"
    );
    assert_eq!(
        codes(&item),
        ["R02", "R01", "R03"],
        "by name: Friesland, Groningen, Noord-"
    );
    let one = row(&item, "R01");
    assert_eq!(
        (one["now"].as_str(), one["before"].as_str()),
        (Some("Ja"), Some("Nee"))
    );
    assert_eq!(one["changed"], true);
    assert_eq!(one["status"], "Busy");
    assert_eq!(one["response_id"], case.first.as_str());
    let two = row(&item, "R02");
    assert_eq!(
        (
            two["now"].as_str(),
            two["before"].as_str(),
            two["changed"].as_bool()
        ),
        (Some("Ja"), Some("Ja"), Some(false))
    );
    let three = row(&item, "R03");
    assert_eq!(three["now"], "Niet beantwoord");
    assert_eq!(
        (three["before"].is_null(), three["changed"].is_null()),
        (true, true)
    );
    assert_eq!(three["status"], "NotStarted");
    assert_eq!(item["totals"]["answered"], 2);
    assert_eq!(item["totals"]["participating"], 3);
    let tally: Vec<(String, u64, u64)> = item["tally"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["label"].as_str().unwrap().to_string(),
                l["now"].as_u64().unwrap(),
                l["before"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        &tally[..3],
        [
            ("Ja".into(), 2, 1),
            ("Deels".into(), 0, 0),
            ("Nee".into(), 0, 1)
        ]
    );
}

async fn lineage_and_conditions_decide_what_is_shown(case: &Case) {
    // Recoded: December's "vastgesteld_raad" is this version's "vastgesteld".
    let plan = case.rows(&[("item", "b_plan_status")]).await;
    let one = row(&plan, "R01");
    assert_eq!(
        (one["now"].as_str(), one["before"].as_str()),
        (
            Some("Het plan is vastgesteld"),
            Some("Het plan is vastgesteld")
        )
    );
    assert_eq!(one["changed"], false);
    // Renamed: December asked it as e_housing_first_plekken. Invalid input is marked.
    let places = case.rows(&[("item", "e_wonen_eerst_plekken")]).await;
    let two = row(&places, "R02");
    assert_eq!(two["standing"], "Invalid");
    assert_eq!(two["now"], "Ongeldige invoer: veel");
    assert_eq!(two["before"], "12 plekken");
    // New in this version: nothing to compare, and the page says why.
    let new = case.rows(&[("item", "b_doel_2030")]).await;
    assert_eq!(new["not_compared"], "Nieuwe vraag in deze meting.");
    assert!(row(&new, "R01")["before"].is_null());
    assert_eq!(row(&new, "R01")["now"], "4");
    // Asked when the answer is nee or deels, or changed since December: only R01.
    let explained = case.rows(&[("item", "b_wonen_eerst_toelichting")]).await;
    assert_eq!(row(&explained, "R01")["now"], "Nieuw plan vastgesteld.");
    assert_eq!(row(&explained, "R02")["now"], "Niet gesteld");
    assert_eq!(row(&explained, "R03")["standing"], "NotAsked");
    assert_eq!(explained["totals"]["not_asked"], 2);
}

async fn filters_and_sorting_narrow_and_order_the_rows(case: &Case) {
    let shown =
        |fields: Vec<(&'static str, &'static str)>| async move { codes(&case.rows(&fields).await) };
    let wonen = ("item", "b_wonen_eerst");
    assert_eq!(shown(vec![wonen, ("choice", "ja")]).await, ["R02", "R01"]);
    assert_eq!(shown(vec![wonen, ("changed", "ja")]).await, ["R01"]);
    assert_eq!(shown(vec![wonen, ("answered", "nee")]).await, ["R03"]);
    assert_eq!(
        shown(vec![wonen, ("status", "niet-begonnen")]).await,
        ["R03"]
    );
    assert_eq!(
        shown(vec![wonen, ("sort", "vorig")]).await,
        ["R02", "R01", "R03"],
        "ja before nee"
    );
    assert_eq!(
        shown(vec![wonen, ("sort", "regio"), ("order", "af")]).await,
        ["R03", "R01", "R02"]
    );
    let contact = ("item", "a_contactpersoon");
    assert_eq!(
        shown(vec![contact, ("search", "OMWONENDEN")]).await,
        ["R01"]
    );
    assert_eq!(
        shown(vec![contact, ("search", "niemand schreef dit")]).await,
        Vec::<String>::new()
    );
    // Codes the item does not know, too long a value: a clear refusal, nothing else.
    for (fields, message) in [
        (
            vec![wonen, ("choice", "misschien")],
            "Deze vraag heeft geen keuze 'misschien'.",
        ),
        (
            vec![wonen, ("status", "klaar")],
            "Onbekende status 'klaar'.",
        ),
        (vec![wonen, ("sort", "hoogte")], "sorteren"),
        (vec![wonen, ("changed", "nee")], "gewijzigd"),
        (vec![contact, ("choice", "ja")], "geen keuze"),
    ] {
        let (status, body) = case.data(&case.reviewer, &fields).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{fields:?}");
        assert!(body.contains(message), "{fields:?}: {body}");
    }
    let long = "x".repeat(201);
    let (status, body) = case.data(&case.reviewer, &[wonen, ("search", &long)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("hoogstens 200 tekens"), "{body}");
    let (status, _) = case.data(&case.reviewer, &[("item", "bestaat_niet")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_page_shows_the_chooser_the_table_and_the_downloads(case: &Case) {
    let (status, html) = case.page("", Some(&case.reviewer)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<title>Antwoorden naast elkaar – 6e meting"),
        "{html}"
    );
    assert!(
        html.contains("<optgroup label=\"Regionale aanpak\""),
        "items by section"
    );
    assert!(!html.contains("<table"), "no item chosen, no table");
    let (status, html) = case
        .page(
            "?vraag=b_wonen_eerst&sorteer=antwoord",
            Some(&case.reviewer),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("2 van 3 regio&#x27;s beantwoord")
            || html.contains("2 van 3 regio's beantwoord"),
        "{html}"
    );
    assert!(html.contains("aria-sort=\"ascending\""));
    assert!(html.contains(&format!(
        "/vragenlijst/{}/beoordelen#vraag-b_wonen_eerst",
        case.first
    )));
    assert!(
        html.contains(&format!(
            "/beoordelen/{}/antwoorden/export.csv?vraag=b_wonen_eerst&amp;sorteer=antwoord",
            case.round
        )),
        "the download carries the query"
    );
    assert!(html.contains("5e meting"), "the previous round's column");
    assert!(html.contains("Gewijzigd"));
    let (_, html) = case
        .page(
            "?vraag=b_wonen_eerst&beantwoord=niet-gesteld",
            Some(&case.reviewer),
        )
        .await;
    assert!(
        html.contains("Geen regio&#x27;s die aan dit filter voldoen.")
            || html.contains("Geen regio's die aan dit filter voldoen.")
    );
    let (status, html) = case
        .page("?vraag=b_wonen_eerst&status=klaar", Some(&case.reviewer))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Onbekende status"), "{html}");
    let (status, _) = case.page("?vraag=bestaat_niet", Some(&case.reviewer)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The national picture links each item here.
    let national = body_text(
        send(
            &case.state,
            get(&format!("/landelijk/{}", case.round), Some(&case.reviewer)),
        )
        .await,
    )
    .await;
    assert!(national.contains(&format!(
        "/beoordelen/{}/antwoorden?vraag=b_wonen_eerst",
        case.round
    )));
}

pub(super) async fn bytes(response: Response<Body>) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

pub(super) fn header_of(response: &Response<Body>, name: header::HeaderName) -> &str {
    response.headers().get(name).unwrap().to_str().unwrap()
}
