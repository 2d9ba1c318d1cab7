//! Admins add, rename, retire and reinstate regions and edit the division of gemeenten, through
//! the server functions the pages post to: bad input is explained and changes nothing, other
//! roles are refused, every change is audited, and rounds keep their own copy.

use crate::support;

use app::services::state::AppState;
use axum::http::StatusCode;
use support::*;

async fn regions(state: &AppState) -> Vec<(String, String, String, Option<i64>)> {
    sqlx::query_as("SELECT code, name, lead_gemeente, retired_at FROM regions ORDER BY code")
        .fetch_all(&state.pool)
        .await
        .unwrap()
}

async fn division(state: &AppState) -> Vec<(String, String)> {
    sqlx::query_as("SELECT code, region_code FROM gemeenten ORDER BY code")
        .fetch_all(&state.pool)
        .await
        .unwrap()
}

async fn audited(state: &AppState, kind: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT actor_label, details FROM audit_events WHERE kind = $1 ORDER BY occurred_at, id",
    )
    .bind(kind)
    .fetch_all(&state.pool)
    .await
    .unwrap()
}

/// Posts `fields` to `path` as the reviewer and as R01's coordinator: both refused.
async fn refused_for_others(state: &AppState, path: &str, fields: &[(&str, &str)]) {
    for who in ["reviewer@test.nl", "r01@test.nl"] {
        let cookie = login(state, who).await;
        let (status, body) = post(state, path, fields, &cookie).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path} as {who}: {body}");
    }
}

#[tokio::test]
async fn an_admin_adds_and_renames_regions_and_nobody_else_can() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let before = regions(&state).await;
        refused_for_others(
            &state,
            "/api/regions/add",
            &[("code", "R46"), ("name", "N"), ("lead_gemeente", "L")],
        )
        .await;
        refused_for_others(
            &state,
            "/api/regions/rename",
            &[("code", "R01"), ("name", "N"), ("lead_gemeente", "L")],
        )
        .await;
        for (code, name, lead, field, message) in [
            (
                "r01",
                "Dubbel",
                "Ergens",
                "code",
                "De regiocode R01 bestaat al (Groningen)",
            ),
            (
                "R 46",
                "Spatie",
                "Ergens",
                "code",
                "mag alleen letters, cijfers",
            ),
            ("", "Leeg", "Ergens", "code", "De regiocode is leeg."),
            ("R46", "  ", "Ergens", "name", "De regionaam is leeg."),
            (
                "R46",
                "Naam",
                "",
                "lead_gemeente",
                "De centrumgemeente is leeg.",
            ),
        ] {
            let fields = [("code", code), ("name", name), ("lead_gemeente", lead)];
            let (status, body) = post(&state, "/api/regions/add", &fields, &admin).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{fields:?}: {body}"
            );
            assert!(
                body.contains(field) && body.contains(message),
                "{fields:?}: {body}"
            );
        }
        assert_eq!(regions(&state).await, before, "nothing changed");

        let fields = [
            ("code", " R46 "),
            ("name", "Gooi en Vechtstreek"),
            ("lead_gemeente", "Hilversum"),
        ];
        let (status, body) = post(&state, "/api/regions/add", &fields, &admin).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let page =
            body_text(send(&state, get("/regio/R46?melding=toegevoegd", Some(&admin))).await).await;
        assert!(
            page.contains("Gooi en Vechtstreek") && page.contains("Regio beheren"),
            "{page}"
        );
        let reviewer = login(&state, "reviewer@test.nl").await;
        let page = body_text(send(&state, get("/regio/R46", Some(&reviewer))).await).await;
        assert!(!page.contains("Regio beheren"), "only admins see the forms");

        // A round keeps the name it was made with.
        let round = open_test_round(&state, "Lopend").await;
        let (status, _) = post(
            &state,
            "/api/regions/rename",
            &[("code", "R01"), ("name", " "), ("lead_gemeente", "X")],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = post(
            &state,
            "/api/regions/rename",
            &[("code", "R99"), ("name", "N"), ("lead_gemeente", "L")],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let fields = [
            ("code", "R01"),
            ("name", "Groningen-Ommeland"),
            ("lead_gemeente", "Groningen"),
        ];
        assert_eq!(
            post(&state, "/api/regions/rename", &fields, &admin).await.0,
            StatusCode::OK
        );
        let kept: String = sqlx::query_scalar(
            "SELECT region_name FROM round_regions WHERE round_id = $1 AND region_code = 'R01'",
        )
        .bind(&round)
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(kept, "Groningen");
        let renamed = audited(&state, "region_renamed").await;
        assert_eq!(renamed.len(), 1);
        assert_eq!(renamed[0].0, "admin@test.nl");
        assert!(
            renamed[0].1.contains("Groningen-Ommeland")
                && renamed[0].1.contains("\"from\":\"Groningen\""),
            "{renamed:?}"
        );
        assert_eq!(audited(&state, "region_added").await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_retired_region_takes_part_in_no_new_round_and_keeps_its_history() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let actor = app::services::audit::Actor::CommandLine;
        app::services::gemeenten::add(&state.pool, &actor, "GM0080", "Leeuwarden", "R02")
            .await
            .unwrap();
        let round = open_test_round(&state, "Lopende meting").await;
        let retire = |reason: &'static str| {
            let state = state.clone();
            let admin = admin.clone();
            async move {
                post(
                    &state,
                    "/api/regions/retire",
                    &[("code", "R02"), ("retire_reason", reason)],
                    &admin,
                )
                .await
            }
        };
        refused_for_others(
            &state,
            "/api/regions/retire",
            &[("code", "R02"), ("retire_reason", "Fusie")],
        )
        .await;
        let (status, body) = retire("").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Geef een reden"), "{body}");
        let (status, body) = retire("Fusie").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Lopende meting"), "names the round: {body}");
        app::services::rounds::change_state(
            &state.pool,
            &state.config.mail,
            &actor,
            &round,
            app::domain::round::RoundState::Closed,
        )
        .await
        .unwrap();
        let (status, body) = retire("Fusie").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Verplaats ze eerst"), "{body}");
        assert!(
            regions(&state).await.iter().all(|r| r.3.is_none()),
            "nothing retired"
        );
        let fields = [("gemeente_code", "GM0080"), ("region_code", "R01")];
        assert_eq!(
            post(&state, "/api/gemeenten/move", &fields, &admin).await.0,
            StatusCode::OK
        );
        let (status, body) = retire("Fusie met Groningen").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(retire("Nog eens").await.0, StatusCode::CONFLICT);
        let retired = audited(&state, "region_retired").await;
        assert!(retired[0].1.contains("Fusie met Groningen"), "{retired:?}");

        // Its history stays; new rounds go without it, and choosing it is explained.
        let in_old: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM round_regions WHERE round_id = $1 AND region_code = 'R02'",
        )
        .bind(&round)
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(in_old, 1);
        let new_round = open_test_round(&state, "Nieuwe meting").await;
        let codes: Vec<String> = sqlx::query_scalar(
            "SELECT region_code FROM round_regions WHERE round_id = $1 ORDER BY region_code",
        )
        .bind(&new_round)
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert_eq!(codes, ["R01", "R03"]);
        let fields = [
            ("name", "Met R02"),
            ("questionnaire", "nad/2026-06"),
            ("opens_at", "2031-01-01"),
            ("deadline", "2031-02-01"),
            ("compared_round_id", ""),
            ("regions[]", "R02"),
        ];
        let (status, body) = post(&state, "/api/rounds/create", &fields, &admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("is opgeheven"), "{body}");
        let page = body_text(send(&state, get("/regios", Some(&admin))).await).await;
        assert!(page.contains("(opgeheven)"), "{page}");
        // A gemeente can't move into it; it comes back into use on request.
        let fields = [("gemeente_code", "GM0080"), ("region_code", "R02")];
        let (status, body) = post(&state, "/api/gemeenten/move", &fields, &admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("opgeheven"), "{body}");
        refused_for_others(&state, "/api/regions/reinstate", &[("code", "R02")]).await;
        assert_eq!(
            post(&state, "/api/regions/reinstate", &[("code", "R02")], &admin)
                .await
                .0,
            StatusCode::OK
        );
        assert!(regions(&state).await.iter().all(|r| r.3.is_none()));
        assert_eq!(audited(&state, "region_reinstated").await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn an_admin_edits_the_division_one_gemeente_at_a_time() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let add = [
            ("new_gemeente_code", "GM0014"),
            ("new_gemeente_name", "Groningen"),
            ("new_gemeente_region", "R01"),
        ];
        refused_for_others(&state, "/api/gemeenten/add", &add).await;
        assert!(division(&state).await.is_empty());
        assert_eq!(
            post(&state, "/api/gemeenten/add", &add, &admin).await.0,
            StatusCode::OK
        );
        for (fields, message) in [
            (
                add.to_vec(),
                "De gemeentecode GM0014 bestaat al (Groningen, regio R01).",
            ),
            (
                vec![
                    ("new_gemeente_code", "GM14"),
                    ("new_gemeente_name", "X"),
                    ("new_gemeente_region", "R01"),
                ],
                "geen CBS-gemeentecode",
            ),
            (
                vec![
                    ("new_gemeente_code", "GM0015"),
                    ("new_gemeente_name", " "),
                    ("new_gemeente_region", "R01"),
                ],
                "De gemeentenaam is leeg.",
            ),
            (
                vec![
                    ("new_gemeente_code", "GM0015"),
                    ("new_gemeente_name", "X"),
                    ("new_gemeente_region", "R99"),
                ],
                "Deze regio bestaat niet.",
            ),
        ] {
            let (status, body) = post(&state, "/api/gemeenten/add", &fields, &admin).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{fields:?}: {body}"
            );
            assert!(body.contains(message), "{fields:?}: {body}");
        }
        let round = open_test_round(&state, "Meting").await;
        let moving = [("gemeente_code", "GM0014"), ("region_code", "R02")];
        refused_for_others(&state, "/api/gemeenten/move", &moving).await;
        for (fields, message) in [
            (
                vec![("gemeente_code", "GM0014"), ("region_code", "R01")],
                "hoort al bij deze regio",
            ),
            (
                vec![("gemeente_code", "GM9999"), ("region_code", "R02")],
                "staat niet in de indeling",
            ),
        ] {
            let (status, body) = post(&state, "/api/gemeenten/move", &fields, &admin).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(body.contains(message), "{body}");
        }
        assert_eq!(
            division(&state).await,
            [("GM0014".to_string(), "R01".to_string())]
        );
        assert_eq!(
            post(&state, "/api/gemeenten/move", &moving, &admin).await.0,
            StatusCode::OK
        );
        assert_eq!(
            division(&state).await,
            [("GM0014".to_string(), "R02".to_string())]
        );
        let kept = app::services::gemeenten::of_round_region(&state.pool, &round, "R01")
            .await
            .unwrap();
        assert_eq!(kept.len(), 1, "the open round keeps its copy");
        let moved = audited(&state, "gemeente_moved").await;
        assert!(
            moved[0].1.contains("\"from\":\"R01\"") && moved[0].1.contains("\"to\":\"R02\""),
            "{moved:?}"
        );

        let removing = [("removed_gemeente", "GM0014")];
        refused_for_others(&state, "/api/gemeenten/remove", &removing).await;
        let (status, body) = post(
            &state,
            "/api/gemeenten/remove",
            &[("removed_gemeente", "GM9999")],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("removed_gemeente"), "{body}");
        assert_eq!(
            post(&state, "/api/gemeenten/remove", &removing, &admin)
                .await
                .0,
            StatusCode::OK
        );
        assert!(division(&state).await.is_empty());
        assert_eq!(
            app::services::gemeenten::of_round_region(&state.pool, &round, "R01")
                .await
                .unwrap()
                .len(),
            1
        );
        for kind in ["gemeente_added", "gemeente_removed"] {
            assert_eq!(audited(&state, kind).await.len(), 1, "{kind}");
        }
        let page = body_text(send(&state, get("/beheer/regios", Some(&admin))).await).await;
        assert!(
            page.contains("Indeling van gemeenten") && page.contains("Regio toevoegen"),
            "{page}"
        );
    })
    .await;
}
