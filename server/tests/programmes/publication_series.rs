//! Each programme's publications form a public series of their own.

use super::*;

/// Closes a round and publishes it as the admin; returns the publication's name.
async fn close_and_publish(state: &AppState, admin: &str, round: &str) -> String {
    for (path, fields) in [
        (
            "/api/rounds/state",
            [("round_id", round), ("state", "closed")],
        ),
        (
            "/api/publications/publish",
            [("round_id", round), ("conclusions", "")],
        ),
    ] {
        let (status, body) = post(state, path, &fields, admin).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    sqlx::query_scalar("SELECT slug FROM publications WHERE round_id = $1")
        .bind(round)
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

async fn public_page(state: &AppState, path: &str) -> (StatusCode, String) {
    let reply = send(state, get(path, None)).await;
    let status = reply.status();
    (status, body_text(reply).await)
}

#[tokio::test]
async fn each_programme_publishes_a_series_of_its_own() {
    on_every_database(|state| async move {
        let (nad_round, bt_round) = two_programmes(&state).await;
        // BT01's response, filled in and approved: the BT publication has data.
        let bt01 = login(&state, "bt01@test.nl").await;
        let response = app::services::responses::ensure_response(&state.pool, &bt_round, "BT01")
            .await
            .unwrap();
        fill_in_everything(&state, &bt01, &response).await;
        sqlx::query("UPDATE responses SET status = 'approved', submitted_at = 1, approved_at = 2 WHERE id = $1")
            .bind(&response)
            .execute(&state.pool)
            .await
            .unwrap();
        let admin = login(&state, "admin@test.nl").await;
        // Both rounds end in the same month; each programme names its own publication.
        let nad = close_and_publish(&state, &admin, &nad_round).await;
        let bt = close_and_publish(&state, &admin, &bt_round).await;
        assert!(app::domain::publication::is_slug(&nad) && !nad.starts_with("bt"), "{nad}");
        assert_eq!(bt, format!("bt-{nad}"));

        // The NAD's dashboard stays the NAD's: its own regions and publications, a link on to
        // the other programme.
        let (status, page) = public_page(&state, "/dashboard").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("0 van de 3 regio's hebben goedgekeurde antwoorden"), "{page}");
        assert!(page.contains(&format!("/dashboard/{nad}/regio/R01")), "{page}");
        assert!(!page.contains("BT01") && !page.contains(&format!("/dashboard/{bt}\"")), "{page}");
        assert!(page.contains("aria-label=\"Programma's\"") && page.contains("href=\"/dashboard/bt\""), "{page}");

        // Beschermd Thuis at /dashboard/bt (its newest) and under its publication's name.
        for path in ["/dashboard/bt".to_string(), format!("/dashboard/{bt}")] {
            let (status, page) = public_page(&state, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {page}");
            assert!(page.contains("<h1>Dashboard Beschermd Thuis – "), "{path}: {page}");
            assert!(page.contains("1 van de 6 regio's hebben goedgekeurde antwoorden"), "{path}: {page}");
            assert!(page.contains(&format!("/dashboard/{bt}/regio/BT01")), "{path}: {page}");
            assert!(!page.contains("/regio/R01") && !page.contains(&format!("href=\"/dashboard/{nad}\"")), "{path}: {page}");
            assert!(!page.contains("U bekijkt een eerdere publicatie"), "{path}: {page}");
        }
        let (status, page) = public_page(&state, &format!("/dashboard/{bt}/regio/BT01")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("dashboard Beschermd Thuis"), "{page}");
        let (status, _) = public_page(&state, "/dashboard/bt/regio/BT01").await;
        assert_eq!(status, StatusCode::OK);
        // A region is found only in its own programme's publications.
        for path in [
            format!("/dashboard/{bt}/regio/R01"),
            format!("/dashboard/{nad}/regio/BT01"),
            "/dashboard/regio/BT01".to_string(),
            "/dashboard/bt/regio/R01".to_string(),
            "/dashboard/onbekend".to_string(),
            "/dashboard/onbekend-2026-12".to_string(),
        ] {
            let (status, _) = public_page(&state, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }

        // The open data lists both, each with its programme.
        let (status, index) = public_page(&state, "/open-data/index.json").await;
        assert_eq!(status, StatusCode::OK, "{index}");
        let index: Value = serde_json::from_str(&index).unwrap();
        let titles: Vec<&str> = index["dataset"]
            .as_array()
            .unwrap()
            .iter()
            .map(|dataset| dataset["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles.len(), 2, "{titles:?}");
        assert!(titles.iter().any(|t| t.contains("Beschermd Thuis")), "{titles:?}");
        assert_eq!(titles.iter().filter(|t| t.contains("Beschermd Thuis")).count(), 1, "{titles:?}");
        let (status, page) = public_page(&state, "/open-data").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("programme-mark--bt") && page.contains("programme-mark--nad"), "{page}");
        let (status, _) = public_page(&state, &format!("/open-data/{bt}/1/lang.csv")).await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
}
