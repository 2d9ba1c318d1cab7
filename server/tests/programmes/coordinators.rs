//! Coordinators reach their own programme's regions only; one login may have one per programme.

use super::*;
use app::services::responses::response_key;

/// The round names and region codes of the coordinator's running rounds.
async fn open_rounds(state: &AppState, cookie: &str) -> Vec<(String, String)> {
    let (status, body) = post(state, "/api/responses/mine", &[], cookie).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let list: Vec<Value> = serde_json::from_str(&body).unwrap();
    list.iter()
        .map(|r| {
            (
                r["round_name"].as_str().unwrap().to_string(),
                r["region_code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Whether the coordinator behind `cookie` can read and write the response.
async fn reaches(state: &AppState, cookie: &str, response: &str) -> bool {
    let (read, _) = post(
        state,
        "/api/responses/tasks",
        &[("response_id", response)],
        cookie,
    )
    .await;
    let (write, _) = save_on_stored_version(state, cookie, response, "a_contactpersoon", "X").await;
    assert_eq!(
        read == StatusCode::OK,
        write == StatusCode::OK,
        "{read} {write}"
    );
    read == StatusCode::OK
}

#[tokio::test]
async fn a_coordinator_of_one_programme_never_reaches_another_s_regions() {
    on_every_database(|state| async move {
        let (nad_round, bt_round) = two_programmes(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let bt01 = login(&state, "bt01@test.nl").await;
        let (nad_r01, bt_bt01) = (
            response_key(&nad_round, "R01"),
            response_key(&bt_round, "BT01"),
        );
        assert!(reaches(&state, &r01, &nad_r01).await);
        assert!(!reaches(&state, &r01, &bt_bt01).await);
        assert!(reaches(&state, &bt01, &bt_bt01).await);
        assert!(!reaches(&state, &bt01, &nad_r01).await);
        for (cookie, code) in [(&r01, "BT01"), (&bt01, "R01")] {
            let (status, _) =
                post(&state, "/api/responses/region", &[("code", code)], cookie).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{code}");
            let (status, _) = post(&state, "/api/region", &[("code", code)], cookie).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{code}");
            // Nor the list of every programme's regions.
            let (status, _) = post(&state, "/api/regions", &[], cookie).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            let (status, _) = post(&state, "/api/programmes", &[], cookie).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        assert_eq!(
            open_rounds(&state, &r01).await,
            [("NAD-meting".into(), "R01".into())]
        );
        assert_eq!(
            open_rounds(&state, &bt01).await,
            [("BT-meting".into(), "BT01".into())]
        );
    })
    .await;
}

#[tokio::test]
async fn one_login_coordinates_a_region_in_each_of_two_programmes() {
    on_every_database(|state| async move {
        let (nad_round, bt_round) = two_programmes(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let r01 = users::find_by_email(&state.pool, "r01@test.nl")
            .await
            .unwrap();
        let add = |region: &'static str| {
            let (state, admin, id) = (state.clone(), admin.clone(), r01.id.clone());
            async move {
                post(
                    &state,
                    "/api/users/region/add",
                    &[("user_id", &id), ("other_region", region)],
                    &admin,
                )
                .await
            }
        };
        // Not the own programme, not a region that does not exist; nothing is stored.
        for (region, says) in [("R02", "al een eigen regio"), ("BT99", "bestaat niet")] {
            let (status, body) = add(region).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(body.contains(says), "{body}");
        }
        // A coordinator may not give themselves a region.
        let cookie = login(&state, "r01@test.nl").await;
        let (status, _) = post(
            &state,
            "/api/users/region/add",
            &[("user_id", &r01.id), ("other_region", "BT02")],
            &cookie,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_regions")
            .fetch_one(&state.pool)
            .await
            .unwrap();
        assert_eq!(stored, 0);
        let (status, body) = add("BT02").await;
        assert!(
            status.is_success() || status.is_redirection(),
            "{status} {body}"
        );
        // One region per programme.
        let (status, body) = add("BT03").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("al regio BT02"), "{body}");
        // The same login, a fresh session or the old one: both programmes, BT02 only.
        let cookie = login(&state, "r01@test.nl").await;
        let mut running = open_rounds(&state, &cookie).await;
        running.sort();
        assert_eq!(
            running,
            [
                ("BT-meting".into(), "BT02".into()),
                ("NAD-meting".into(), "R01".into())
            ]
        );
        assert!(reaches(&state, &cookie, &response_key(&bt_round, "BT02")).await);
        assert!(reaches(&state, &cookie, &response_key(&nad_round, "R01")).await);
        assert!(!reaches(&state, &cookie, &response_key(&bt_round, "BT01")).await);
        // The region's page names them among its coordinators.
        let (_, page) = post(&state, "/api/region", &[("code", "BT02")], &admin).await;
        assert!(page.contains("r01@test.nl"), "{page}");
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'user_region_added'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(audited, 1);
        // Taken away: the next request no longer reaches it.
        let (status, body) = post(
            &state,
            "/api/users/region/remove",
            &[("user_id", &r01.id), ("region_code", "BT02")],
            &admin,
        )
        .await;
        assert!(
            status.is_success() || status.is_redirection(),
            "{status} {body}"
        );
        assert!(!reaches(&state, &cookie, &response_key(&bt_round, "BT02")).await);
        assert_eq!(open_rounds(&state, &cookie).await.len(), 1);
    })
    .await;
}
