//! The codebook describes every item and every code.

use super::*;

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
