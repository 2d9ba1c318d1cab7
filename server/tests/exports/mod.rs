//! Exports of a round: every format read back and compared with the database and with each
//! other, for every item type of the NAD questionnaire, with each code for a missing answer;
//! who may download; and file names that name round and version.

use crate::support;

use app::services::state::AppState;
use axum::body::Body;
use axum::http::{header, Response, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use support::*;

mod codebook;
mod compared_round;
mod every_format;
mod formula_guard;
mod who_may_download;

const ROUND_NAME: &str = "6e meting – december 2026";
const FILE_PREFIX: &str = "nad-6e-meting-december-2026_nad-2026-06_";

/// Saves one answer as the browser does, based on the stored version.
async fn save(state: &AppState, cookie: &str, response: &str, key: &str, raw: Value) {
    let base: Option<i64> =
        sqlx::query_scalar("SELECT version FROM answers WHERE response_id = $1 AND item_key = $2")
            .bind(response)
            .bind(key)
            .fetch_optional(&state.pool)
            .await
            .unwrap();
    let body = json!({ "response_id": response, "answers": [{
        "key": key, "raw": raw, "base_version": base.unwrap_or(0) }] });
    let reply = send(
        state,
        json_call("/api/responses/save", &body.to_string(), Some(cookie)),
    )
    .await;
    let status = reply.status();
    let text = body_text(reply).await;
    assert_eq!(status, StatusCode::OK, "{key}: {text}");
    assert!(!text.contains("Conflict"), "{key}: {text}");
}

fn values(list: &[&str]) -> Value {
    json!({ "values": list, "rows": {}, "special": null })
}

fn special(which: &str) -> Value {
    json!({ "values": [], "rows": {}, "special": which })
}

fn rows(cells: &[(&str, &str)]) -> Value {
    let rows: serde_json::Map<String, Value> = cells
        .iter()
        .map(|(row, value)| (row.to_string(), Value::from(*value)))
        .collect();
    json!({ "values": [], "rows": rows, "special": null })
}

/// R01 answers items of every type, with onbekend, n.v.t., invalid input, an item hidden by
/// a condition that still holds an old answer, and an answer taken over and not confirmed;
/// R02 answers a little and is submitted; R03 never opened the questionnaire.
async fn fill_round(state: &AppState) -> String {
    seed(state).await;
    load_nad(state).await;
    let round = open_test_round(state, ROUND_NAME).await;
    let cookie = login(state, "r01@test.nl").await;
    let r01 = app::services::responses::ensure_response(&state.pool, &round, "R01")
        .await
        .unwrap();
    let answers: Vec<(&str, Value)> = vec![
        ("a_gemeenten_bevestigd", values(&["ja"])),
        ("a_contactpersoon", values(&["Beleidsadviseur wonen"])),
        ("a_peildatum", values(&["30-6-2026"])),
        (
            "a_invullers",
            values(&["regiogemeenten", "centrumgemeente"]),
        ),
        ("a_afgestemd_regiogemeenten", values(&["deels"])),
        (
            "a_afstemming_toelichting",
            values(&["Twee gemeenten;\n\"nog\" niet"]),
        ),
        // The plan date is given while the plan is a concept, then there is no plan any
        // more: the date is kept but no longer asked.
        ("b_plan_status", values(&["concept"])),
        ("b_plan_datum", values(&["2026-02-01"])),
        ("b_plan_status", values(&["geen"])),
        ("b_wonen_eerst", special("onbekend")),
        ("b_bestuurlijk_draagvlak", values(&["4"])),
        ("d_huisbezoeken", values(&["ja"])),
        ("d_huisbezoeken_pct", values(&["85"])),
        ("d_uitstroom", rows(&[("mo", "ja"), ("jeugdzorg", "deels")])),
        ("d_uitstroom_aantal", special("nvt")),
        ("e_wonen_eerst_plekken", values(&["1.234"])),
        ("f_capaciteit_nacht", values(&["veel"])),
        ("f_wachtlijst", values(&["ja"])),
        ("f_wachttijd_weken", values(&["3,5"])),
        (
            "g_samenwerking_partners",
            rows(&[("corporaties", "structureel")]),
        ),
        (
            "j_knelpunten",
            values(&["woningtekort", "personeel", "regeldruk"]),
        ),
        (
            "j_top3",
            values(&["personeel", "woningtekort", "regeldruk"]),
        ),
        ("g_cbs_monitor", values(&["ja"])),
        // Text that a spreadsheet would run as a formula.
        (
            "k_toelichting",
            values(&["=HYPERLINK(\"https://example.org\")"]),
        ),
    ];
    for (key, raw) in answers {
        save(state, &cookie, &r01, key, raw).await;
    }
    // Taken over from the previous round and not confirmed.
    sqlx::query("UPDATE answers SET prefilled = 1 WHERE response_id = $1 AND item_key = $2")
        .bind(&r01)
        .bind("g_cbs_monitor")
        .execute(&state.pool)
        .await
        .unwrap();

    let cookie = login(state, "r02@test.nl").await;
    let r02 = app::services::responses::ensure_response(&state.pool, &round, "R02")
        .await
        .unwrap();
    save(state, &cookie, &r02, "b_wonen_eerst", values(&["ja"])).await;
    save(
        state,
        &cookie,
        &r02,
        "e_wonen_eerst_plekken",
        values(&["40"]),
    )
    .await;
    sqlx::query("UPDATE responses SET status = 'submitted', submitted_at = 1 WHERE id = $1")
        .bind(&r02)
        .execute(&state.pool)
        .await
        .unwrap();
    round
}

async fn download(state: &AppState, round: &str, file: &str, cookie: &str) -> Response<Body> {
    send(
        state,
        get(&format!("/landelijk/{round}/export/{file}"), Some(cookie)),
    )
    .await
}

async fn body_bytes(response: Response<Body>) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

fn file_name(response: &Response<Body>) -> String {
    let disposition = response
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .expect("Content-Disposition")
        .to_str()
        .unwrap()
        .to_string();
    disposition
        .strip_prefix("attachment; filename=\"")
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{disposition}"))
        .to_string()
}
