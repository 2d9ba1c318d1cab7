//! No cell of any CSV export starts a formula.

use super::*;

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
