//! Every format (long and wide CSV, JSON, XLSX) holds the answers and codes of the database.

use super::*;

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
