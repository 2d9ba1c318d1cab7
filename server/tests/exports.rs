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

/// The answers table: (region, key) → (raw, value, valid, prefilled).
async fn stored(
    state: &AppState,
    round: &str,
) -> HashMap<(String, String), (String, Option<String>, i64, i64)> {
    let rows: Vec<(String, String, String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT r.region_code, a.item_key, a.raw, a.value, a.valid, a.prefilled \
         FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.round_id = $1",
    )
    .bind(round)
    .fetch_all(&state.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(region, key, raw, value, valid, prefilled)| {
            ((region, key), (raw, value, valid, prefilled))
        })
        .collect()
}

/// (status, value, input) of a long row, by (region, key, row).
type Long = HashMap<(String, String, String), (String, String, String)>;

fn read_long(bytes: &[u8]) -> Long {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "meting",
            "vragenlijst",
            "regio_code",
            "regio_naam",
            "status_respons",
            "status_respons_omschrijving",
            "sectie",
            "item_key",
            "rij",
            "status",
            "waarde",
            "invoer"
        ]
    );
    let mut long = Long::new();
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(&record[0], ROUND_NAME);
        assert_eq!(&record[1], "nad/2026-06");
        let status = match &record[2] {
            "R01" => "open",
            "R02" => "submitted",
            _ => "niet_begonnen",
        };
        assert_eq!(&record[4], status);
        long.insert(
            (
                record[2].to_string(),
                record[7].to_string(),
                record[8].to_string(),
            ),
            (
                record[9].to_string(),
                record[10].to_string(),
                record[11].to_string(),
            ),
        );
    }
    long
}

fn at<'a>(long: &'a Long, region: &str, key: &str, row: &str) -> (&'a str, &'a str, &'a str) {
    let (status, value, input) = long
        .get(&(region.to_string(), key.to_string(), row.to_string()))
        .unwrap_or_else(|| panic!("{region} {key}.{row} in the long file"));
    (status, value, input)
}

#[tokio::test]
async fn every_format_holds_the_answers_and_the_codes_of_the_database() {
    on_every_database(|state| async move {
        let case = ExportCase::start(state).await;
        the_long_csv_holds_every_item_type_as_typed_and_as_stored(&case);
        the_long_csv_agrees_with_the_database(&case).await;
        the_wide_csv_holds_the_same_values(&case).await;
        the_json_file_holds_the_same_statuses_and_values_typed(&case).await;
        the_xlsx_file_holds_the_same_cells(&case).await;
    })
    .await;
}

/// The filled round (`fill_round`), a reviewer's session cookie, the questionnaire, and the
/// long CSV read back: the other formats are compared with it.
struct ExportCase {
    state: AppState,
    round: String,
    reviewer: String,
    version: std::sync::Arc<app::services::questionnaires::LoadedVersion>,
    long: Long,
    /// The cells of one region: a column per item and matrix row.
    cells: usize,
}

impl ExportCase {
    async fn start(state: AppState) -> Self {
        let round = fill_round(&state).await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let version = state
            .questionnaires
            .get(&state.pool, "nad", "2026-06")
            .await
            .unwrap();
        let cells: usize = version
            .questionnaire
            .items()
            .map(|item| app::domain::export::columns(item).len())
            .sum();
        let long = long_csv(&state, &round, &reviewer, cells).await;
        ExportCase {
            state,
            round,
            reviewer,
            version,
            long,
            cells,
        }
    }

    fn questionnaire(&self) -> &app::domain::questionnaire::model::Questionnaire {
        &self.version.questionnaire
    }

    /// Downloads `file` of the round as the reviewer: it is there, under the file name that
    /// names round and version (`named`).
    async fn download(&self, file: &str, named: &str) -> Vec<u8> {
        let response = download(&self.state, &self.round, file, &self.reviewer).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(file_name(&response), format!("{FILE_PREFIX}{named}"));
        body_bytes(response).await
    }
}

/// The long CSV: a row per region × item × matrix row.
async fn long_csv(state: &AppState, round: &str, reviewer: &str, cells: usize) -> Long {
    let response = download(state, round, "lang.csv", reviewer).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert_eq!(file_name(&response), format!("{FILE_PREFIX}lang.csv"));
    let long = read_long(&body_bytes(response).await);
    assert_eq!(
        long.len(),
        3 * cells,
        "a row per region × item × matrix row"
    );
    long
}

fn the_long_csv_holds_every_item_type_as_typed_and_as_stored(case: &ExportCase) {
    let long = &case.long;
    for (key, row, status, value) in [
        ("a_gemeenten_bevestigd", "", "BEANTWOORD", "ja"),
        (
            "a_contactpersoon",
            "",
            "BEANTWOORD",
            "Beleidsadviseur wonen",
        ),
        ("a_peildatum", "", "BEANTWOORD", "2026-06-30"),
        (
            "a_invullers",
            "",
            "BEANTWOORD",
            "centrumgemeente;regiogemeenten",
        ),
        ("a_afgestemd_regiogemeenten", "", "BEANTWOORD", "deels"),
        (
            "a_afstemming_toelichting",
            "",
            "BEANTWOORD",
            "Twee gemeenten;\n\"nog\" niet",
        ),
        ("b_plan_status", "", "BEANTWOORD", "geen"),
        ("b_bestuurlijk_draagvlak", "", "BEANTWOORD", "4"),
        ("d_huisbezoeken_pct", "", "BEANTWOORD", "85"),
        ("d_uitstroom", "mo", "BEANTWOORD", "ja"),
        ("d_uitstroom", "jeugdzorg", "BEANTWOORD", "deels"),
        ("e_wonen_eerst_plekken", "", "BEANTWOORD", "1234"),
        ("f_wachttijd_weken", "", "BEANTWOORD", "3.5"),
        (
            "g_samenwerking_partners",
            "corporaties",
            "BEANTWOORD",
            "structureel",
        ),
        (
            "j_top3",
            "",
            "BEANTWOORD",
            "personeel;woningtekort;regeldruk",
        ),
        // Never a formula in a CSV file.
        (
            "k_toelichting",
            "",
            "BEANTWOORD",
            "'=HYPERLINK(\"https://example.org\")",
        ),
        // Hidden by its condition although an answer is stored.
        ("b_plan_datum", "", "NIET_GEVRAAGD", ""),
        // A matrix row left empty.
        ("d_uitstroom", "ziekenhuis", "NIET_BEANTWOORD", ""),
        ("c_briefadres", "", "NIET_BEANTWOORD", ""),
        ("b_wonen_eerst", "", "ONBEKEND", ""),
        ("d_uitstroom_aantal", "mo", "NVT", ""),
        ("d_uitstroom_aantal", "ziekenhuis", "NVT", ""),
    ] {
        let got = at(long, "R01", key, row);
        assert_eq!((got.0, got.1), (status, value), "R01 {key}.{row}");
    }
    assert_eq!(
        at(long, "R01", "f_capaciteit_nacht", ""),
        ("ONGELDIG", "", "veel")
    );
    assert_eq!(
        at(long, "R01", "g_cbs_monitor", ""),
        ("NIET_BEVESTIGD", "", "ja")
    );
    // R02: hidden items are not asked, the rest not answered.
    assert_eq!(at(long, "R02", "b_wonen_eerst", "").1, "ja");
    assert_eq!(at(long, "R02", "b_plan_datum", "").0, "NIET_GEVRAAGD");
    assert_eq!(at(long, "R02", "f_wachttijd_weken", "").0, "NIET_GEVRAAGD");
    assert_eq!(at(long, "R02", "a_peildatum", "").0, "NIET_BEANTWOORD");
    // R03 never started: only codes.
    assert!(long
        .iter()
        .filter(|((region, _, _), _)| region == "R03")
        .all(|(_, (status, value, _))| value.is_empty()
            && ["NIET_GEVRAAGD", "NIET_BEANTWOORD"].contains(&status.as_str())));
}

/// Against the database: every exported value is a stored, valid, confirmed answer, and
/// every stored answer of an asked item is exported with its own status.
async fn the_long_csv_agrees_with_the_database(case: &ExportCase) {
    let database = stored(&case.state, &case.round).await;
    for ((region, key, row), (status, value, input)) in &case.long {
        let stored = database.get(&(region.clone(), key.clone()));
        match status.as_str() {
            "BEANTWOORD" => {
                let (_, json, valid, prefilled) = stored.expect("a stored answer");
                assert_eq!((*valid, *prefilled), (1, 0), "{region} {key}");
                let answer: Value = serde_json::from_str(json.as_deref().unwrap()).unwrap();
                let text = answer.to_string();
                let value = value.strip_prefix('\'').unwrap_or(value);
                for part in value.split(';') {
                    let part = part.replace('\n', "\\n").replace('"', "\\\"");
                    let number = part.parse::<f64>().ok();
                    assert!(
                        text.contains(&part)
                            || number.is_some_and(|n| text.contains(&n.to_string())),
                        "{region} {key}.{row}: {value} not in {text}"
                    );
                }
            }
            "ONGELDIG" => {
                let (raw, _, valid, _) = stored.expect("stored input");
                assert_eq!(*valid, 0);
                assert!(raw.contains(input.as_str()));
            }
            "NIET_BEVESTIGD" => assert_eq!(stored.expect("stored").3, 1),
            "ONBEKEND" | "NVT" => {
                let (_, json, _, _) = stored.expect("stored");
                let expected = if status == "ONBEKEND" {
                    "\"Unknown\""
                } else {
                    "\"NotApplicable\""
                };
                assert_eq!(json.as_deref(), Some(expected));
            }
            "NIET_BEANTWOORD" if row.is_empty() => assert!(
                stored.is_none_or(|(_, value, _, _)| value.is_none()),
                "{region} {key}"
            ),
            "NIET_BEANTWOORD" | "NIET_GEVRAAGD" => {}
            other => panic!("unknown status {other}"),
        }
    }
}

/// Wide CSV: one row per region, the same values, a code where there is none.
async fn the_wide_csv_holds_the_same_values(case: &ExportCase) {
    let bytes = case.download("breed.csv", "breed.csv").await;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header.len(), 9 + case.cells);
    assert_eq!(
        &header[6..9],
        ["ingevuld_door", "afgestemd_met", "afgestemd_op"]
    );
    assert!(header.contains(&"d_uitstroom.mo".to_string()));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    for record in &records {
        assert_eq!(&record[0], ROUND_NAME);
        assert_eq!(&record[1], "nad/2026-06");
        for (name, cell) in header.iter().zip(record.iter()).skip(9) {
            let (key, row) = name.split_once('.').unwrap_or((name, ""));
            let (status, value, _) = at(&case.long, &record[2], key, row);
            let expected = if status == "BEANTWOORD" {
                value
            } else {
                status
            };
            assert_eq!(cell, expected, "{} {name}", &record[2]);
        }
    }
}

/// JSON: the same statuses and values, typed.
async fn the_json_file_holds_the_same_statuses_and_values_typed(case: &ExportCase) {
    let bytes = case.download("meting.json", "data.json").await;
    let data: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(data["round"]["name"], ROUND_NAME);
    assert_eq!(data["questionnaire"]["identifier"], "nad");
    assert_eq!(data["questionnaire"]["version"], "2026-06");
    assert_eq!(data["questionnaire"]["programme"], "nad");
    assert!(data["exported_at"].as_str().unwrap().starts_with("20"));
    for code in [
        "NIET_GEVRAAGD",
        "NIET_BEANTWOORD",
        "ONBEKEND",
        "NVT",
        "ONGELDIG",
        "NIET_BEVESTIGD",
    ] {
        assert!(data["codes"][code].is_string(), "{code} in the legend");
    }
    let regions = data["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 3);
    let r01 = &regions[0];
    assert_eq!(
        (&r01["code"], &r01["status"]),
        (&json!("R01"), &json!("open"))
    );
    assert_eq!(regions[2]["status"], "niet_begonnen");
    r01_answers_are_typed(&r01["answers"]);
    for region in regions {
        for item in case.questionnaire().items() {
            let status = region["answers"][&item.key]["status"].as_str().unwrap();
            if app::domain::export::columns(item).len() == 1 {
                let code = region["code"].as_str().unwrap();
                assert_eq!(
                    status,
                    at(&case.long, code, &item.key, "").0,
                    "{code} {}",
                    item.key
                );
            }
        }
    }
}

/// R01's answers in the JSON file: numbers, lists and matrices as such, codes for the rest.
fn r01_answers_are_typed(answers: &Value) {
    assert_eq!(
        answers["e_wonen_eerst_plekken"],
        json!({"status": "BEANTWOORD", "value": 1234})
    );
    assert_eq!(answers["f_wachttijd_weken"]["value"], json!(3.5));
    assert_eq!(
        answers["a_invullers"]["value"],
        json!(["centrumgemeente", "regiogemeenten"])
    );
    assert_eq!(
        answers["d_uitstroom"]["value"],
        json!({"mo": "ja", "jeugdzorg": "deels"})
    );
    assert_eq!(
        answers["b_plan_datum"],
        json!({"status": "NIET_GEVRAAGD", "value": null})
    );
    assert_eq!(answers["b_wonen_eerst"]["status"], "ONBEKEND");
    assert_eq!(answers["d_uitstroom_aantal"]["status"], "NVT");
    assert_eq!(
        answers["f_capaciteit_nacht"],
        json!({"status": "ONGELDIG", "value": null, "invoer": "veel"})
    );
    assert_eq!(answers["g_cbs_monitor"]["status"], "NIET_BEVESTIGD");
    assert_eq!(answers["c_briefadres"]["status"], "NIET_BEANTWOORD");
    assert_eq!(
        answers["k_toelichting"]["value"],
        "=HYPERLINK(\"https://example.org\")"
    );
}

/// XLSX: a sheet per section, Info, Codeboek and Regio's, the same cells.
async fn the_xlsx_file_holds_the_same_cells(case: &ExportCase) {
    use calamine::{Reader, Xlsx};
    let bytes = case.download("meting.xlsx", "tabellen.xlsx").await;
    let questionnaire = case.questionnaire();
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = workbook.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("Info"));
    assert_eq!(names[names.len() - 2], "Codeboek");
    assert_eq!(names.last().map(String::as_str), Some("Regio's"));
    assert_eq!(names.len(), questionnaire.sections.len() + 3);
    let regions = workbook.worksheet_range("Regio's").unwrap();
    let header: Vec<String> = regions
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "regio_code",
            "regio_naam",
            "status_respons",
            "ingevuld_door",
            "afgestemd_met",
            "afgestemd_op"
        ]
    );
    // The three regions (R03 has not started), each filled in by its own coordinator.
    let rows: Vec<Vec<String>> = regions
        .rows()
        .skip(1)
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][..4], ["R01", "Groningen", "open", "regio"]);
    assert_eq!(rows[2][3], "");
    let info = workbook.worksheet_range("Info").unwrap();
    let info_text: Vec<String> = info.rows().flatten().map(|c| c.to_string()).collect();
    assert!(info_text.contains(&ROUND_NAME.to_string()));
    assert!(info_text.contains(&"2026-06".to_string()));
    assert!(info_text.contains(&"NIET_BEVESTIGD".to_string()));
    for (section, name) in questionnaire.sections.iter().zip(&names[1..]) {
        assert!(name.starts_with(&section.key));
        let sheet = workbook.worksheet_range(name).unwrap();
        the_sheet_holds_the_long_files_cells(&case.long, name, &sheet);
    }
    let codebook = workbook.worksheet_range("Codeboek").unwrap();
    assert_eq!(
        codebook.rows().count(),
        1 + questionnaire.items().count() + 7
    );
}

/// A section's sheet: a row per region, each cell as in the long file.
fn the_sheet_holds_the_long_files_cells(
    long: &Long,
    name: &str,
    sheet: &calamine::Range<calamine::Data>,
) {
    use calamine::Data;
    let mut rows = sheet.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..3], ["regio_code", "regio_naam", "status_respons"]);
    let mut regions = 0;
    for row in rows {
        regions += 1;
        let region = row[0].to_string();
        for (name, cell) in header.iter().zip(row.iter()).skip(3) {
            let (key, matrix_row) = name.split_once('.').unwrap_or((name, ""));
            let (status, value, _) = at(long, &region, key, matrix_row);
            match cell {
                Data::Float(number) => {
                    assert_eq!(status, "BEANTWOORD");
                    assert_eq!(*number, value.parse::<f64>().unwrap(), "{region} {name}");
                }
                other => {
                    // The XLSX file holds text as text: no guard against formulas.
                    let value = value.strip_prefix('\'').unwrap_or(value);
                    let expected = if status == "BEANTWOORD" {
                        value
                    } else {
                        status
                    };
                    assert_eq!(other.to_string(), expected, "{region} {name}");
                }
            }
        }
    }
    assert_eq!(regions, 3, "sheet {name}");
}

#[tokio::test]
async fn the_codebook_describes_every_item_and_code() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, ROUND_NAME).await;
        let admin = login(&state, "admin@test.nl").await;
        let response = download(&state, &round, "codeboek.csv", &admin).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(file_name(&response), format!("{FILE_PREFIX}codeboek.csv"));
        let bytes = body_bytes(response).await;
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let records: Vec<HashMap<String, String>> = reader
            .records()
            .map(|r| {
                header
                    .iter()
                    .cloned()
                    .zip(r.unwrap().iter().map(str::to_string))
                    .collect()
            })
            .collect();
        let item = |key: &str| {
            records
                .iter()
                .find(|r| r["soort"] == "vraag" && r["item_key"] == key)
                .unwrap_or_else(|| panic!("{key} in the codebook"))
        };
        let plan = item("b_plan_status");
        assert_eq!(plan["meting"], ROUND_NAME);
        assert_eq!(plan["vragenlijst"], "nad/2026-06");
        assert_eq!(plan["sectie"], "B");
        assert_eq!(plan["type"], "single_choice");
        assert!(plan["opties"].contains("vastgesteld=Het plan is vastgesteld"));
        assert!(
            plan["herkomst"].contains("vastgesteld_raad=vastgesteld"),
            "{}",
            plan["herkomst"]
        );
        assert_eq!(plan["verplicht"], "ja");
        let date = item("b_plan_datum");
        assert_eq!(
            date["voorwaarde"],
            "b_plan_status in ['concept', 'vastgesteld']"
        );
        assert_eq!(date["onbekend_mogelijk"], "ja");
        let matrix = item("d_uitstroom_aantal");
        assert_eq!(matrix["type"], "matrix (integer)");
        assert_eq!(matrix["eenheid"], "personen");
        assert!(matrix["kolommen"].starts_with("d_uitstroom_aantal.mo;"));
        assert!(matrix["rijen"].contains("mo=Maatschappelijke opvang (MO)"));
        assert_eq!(item("b_doel_2030")["herkomst"], "Nieuw in deze versie.");
        let codes: Vec<&str> = records
            .iter()
            .filter(|r| r["soort"] == "code")
            .map(|r| r["item_key"].as_str())
            .collect();
        assert_eq!(
            codes,
            [
                "BEANTWOORD",
                "NIET_GEVRAAGD",
                "NIET_BEANTWOORD",
                "ONBEKEND",
                "NVT",
                "ONGELDIG",
                "NIET_BEVESTIGD"
            ]
        );
    })
    .await;
}

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

/// Every cell of a CSV file, with its row and column for the message.
fn csv_cells(bytes: &[u8]) -> Vec<(usize, usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut cells = Vec::new();
    for (row, record) in reader.records().enumerate() {
        for (column, cell) in record.unwrap().iter().enumerate() {
            cells.push((row, column, cell.to_string()));
        }
    }
    cells
}

#[tokio::test]
async fn no_cell_of_any_csv_starts_a_formula() {
    const RISKY_ROUND: &str = "=HYPERLINK(\"http://x\")";
    on_every_database(|state| async move {
        seed(&state).await;
        // Region names as an admin might load them.
        let regions = app::services::regions::parse_csv(
            b"code,region,lead_gemeente\nR01,@Groningen,Groningen\nR02,+Friesland,-Leeuwarden\nR03,=Drenthe,Assen\n",
        )
        .unwrap();
        app::services::regions::import(
            &state.pool,
            &app::services::audit::Actor::CommandLine,
            "nad",
            &regions,
        )
        .await
        .unwrap();
        load_nad(&state).await;
        let round = open_test_round(&state, RISKY_ROUND).await;
        let cookie = login(&state, "r01@test.nl").await;
        let r01 = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        save(
            &state,
            &cookie,
            &r01,
            "a_contactpersoon",
            values(&["@beleid"]),
        )
        .await;
        save(&state, &cookie, &r01, "k_toelichting", values(&["-2+3"])).await;
        save(
            &state,
            &cookie,
            &r01,
            "e_wonen_eerst_plekken",
            values(&["+cmd"]),
        )
        .await;
        let reviewer = login(&state, "reviewer@test.nl").await;

        for file in ["lang.csv", "breed.csv", "codeboek.csv"] {
            let response = download(&state, &round, file, &reviewer).await;
            assert_eq!(response.status(), StatusCode::OK, "{file}");
            let cells = csv_cells(&body_bytes(response).await);
            assert!(cells.len() > 100, "{file} has content");
            for (row, column, cell) in &cells {
                assert!(
                    !starts_a_formula(cell),
                    "{file} row {row} column {column}: {cell:?}"
                );
            }
            // The round's name is in every file, guarded.
            assert!(
                cells
                    .iter()
                    .any(|(_, _, cell)| *cell == format!("'{RISKY_ROUND}")),
                "{file} names the round"
            );
            if file != "codeboek.csv" {
                for guarded in ["'@Groningen", "'+Friesland", "'=Drenthe"] {
                    assert!(
                        cells.iter().any(|(_, _, cell)| cell == guarded),
                        "{file}: {guarded:?}"
                    );
                }
            }
            if file == "lang.csv" {
                for guarded in ["'@beleid", "'-2+3", "'+cmd"] {
                    assert!(
                        cells.iter().any(|(_, _, cell)| cell == guarded),
                        "{file}: {guarded:?}"
                    );
                }
            }
        }
        // JSON holds the text as typed.
        let response = download(&state, &round, "meting.json", &reviewer).await;
        let data: Value = serde_json::from_slice(&body_bytes(response).await).unwrap();
        assert_eq!(data["round"]["name"], RISKY_ROUND);
        assert_eq!(data["regions"][0]["name"], "@Groningen");
    })
    .await;
}

/// Whether an item was asked can depend on the region's answer in the compared round
/// (`changed(x)`): the export decides it from that answer, as the region's form did. R01
/// said "nee" then and "ja" now, so the explanation was asked (and left empty); R02 said
/// "ja" both times, so it was not.
#[tokio::test]
async fn what_was_asked_follows_the_answers_in_the_compared_round() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let earlier = earlier_test_round(&state, "Vorige").await;
        let now = app::services::now_ms();
        let round = app::services::rounds::create(
            &state.pool,
            &app::services::audit::Actor::CommandLine,
            app::services::rounds::NewRound {
                name: "Deze".into(),
                questionnaire_id: "nad".into(),
                questionnaire_version: "2026-06".into(),
                state: app::domain::round::RoundState::Open,
                opens_at: now - 1000,
                deadline: now + 86_400_000,
                compared_round_id: Some(earlier.clone()),
                region_codes: None,
            },
        )
        .await
        .unwrap();
        for (region, email, then) in [("R01", "r01@test.nl", "nee"), ("R02", "r02@test.nl", "ja")] {
            let cookie = login(&state, email).await;
            for (round, answer) in [(&earlier, then), (&round, "ja")] {
                let response =
                    app::services::responses::ensure_response(&state.pool, round, region)
                        .await
                        .unwrap();
                save(
                    &state,
                    &cookie,
                    &response,
                    "b_wonen_eerst",
                    values(&[answer]),
                )
                .await;
            }
        }
        let reviewer = login(&state, "reviewer@test.nl").await;
        let reply = download(&state, &round, "lang.csv", &reviewer).await;
        assert_eq!(reply.status(), StatusCode::OK);
        let bytes = body_bytes(reply).await;
        let mut explanation = HashMap::new();
        for record in csv::Reader::from_reader(bytes.as_slice()).records() {
            let record = record.unwrap();
            if &record[7] == "b_wonen_eerst_toelichting" {
                explanation.insert(record[2].to_string(), record[9].to_string());
            }
        }
        assert_eq!(
            explanation["R01"], "NIET_BEANTWOORD",
            "changed since then: asked"
        );
        assert_eq!(
            explanation["R02"], "NIET_GEVRAAGD",
            "the same as then: not asked"
        );
    })
    .await;
}
