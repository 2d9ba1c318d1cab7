//! Programmes side by side: a coordinator of one programme never reaches another programme's
//! regions, one login may coordinate a region in each of several programmes, rounds take the
//! regions and the compared round of their own programme, each programme's publications form a
//! public series of their own, and the migration puts everything that existed before into NAD,
//! on SQLite and PostgreSQL.

use crate::support;

use app::services::audit::Actor;
use app::services::demo::programmes::{GEMEENTEN_CSV, QUESTIONNAIRE, REGIONS_CSV};
use app::services::responses::response_key;
use app::services::state::AppState;
use app::services::{gemeenten, programmes, questionnaires, regions, rounds, users};
use axum::http::StatusCode;
use serde_json::Value;
use support::*;

/// The NAD test set (`seed`, both NAD versions, an open NAD round) beside a Beschermd Thuis
/// programme with its own six regions, gemeenten, questionnaire, an open round and a
/// coordinator of BT01; returns (NAD round, BT round).
async fn two_programmes(state: &AppState) -> (String, String) {
    seed(state).await;
    load_nad(state).await;
    let nad_round = open_test_round(state, "NAD-meting").await;
    programmes::add(
        &state.pool,
        &Actor::CommandLine,
        "bt",
        "Beschermd Thuis",
        "BT",
        "#5b2a86",
    )
    .await
    .unwrap();
    let bt_regions = regions::parse_csv(REGIONS_CSV).unwrap();
    regions::import(&state.pool, &Actor::CommandLine, "bt", &bt_regions)
        .await
        .unwrap();
    let codes = bt_regions.iter().map(|r| r.code.clone()).collect();
    let division = gemeenten::parse_csv(GEMEENTEN_CSV, &codes, &Default::default()).unwrap();
    gemeenten::import(&state.pool, &Actor::CommandLine, "bt", &division)
        .await
        .unwrap();
    let (file_name, source) = QUESTIONNAIRE;
    questionnaires::import(
        &state.pool,
        &state.questionnaires,
        &Actor::CommandLine,
        file_name,
        source,
    )
    .await
    .unwrap();
    let bt_round = rounds::create(
        &state.pool,
        &Actor::CommandLine,
        rounds::NewRound {
            name: "BT-meting".into(),
            questionnaire_id: "beschermd-thuis".into(),
            questionnaire_version: "2026-06".into(),
            state: app::domain::round::RoundState::Open,
            opens_at: app::services::now_ms() - 1000,
            deadline: app::services::now_ms() + 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .unwrap();
    let id = users::create(
        &state.pool,
        &Actor::CommandLine,
        users::NewUser {
            email: "bt01@test.nl".into(),
            display_name: "BT Groningen".into(),
            role: "coordinator".into(),
            region_code: Some("BT01".into()),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    users::exempt_from_two_factor(&state.pool, &id)
        .await
        .unwrap();
    (nad_round, bt_round)
}

/// A concept round of version 2026-06 of `questionnaire`, opening tomorrow.
async fn concept(
    state: &AppState,
    questionnaire: &str,
    compared: Option<&str>,
    regions: Option<&[&str]>,
) -> Result<String, app::error::AppError> {
    let tomorrow = app::services::now_ms() + 86_400_000;
    rounds::create(
        &state.pool,
        &Actor::CommandLine,
        rounds::NewRound {
            name: format!("Concept {questionnaire}"),
            questionnaire_id: questionnaire.into(),
            questionnaire_version: "2026-06".into(),
            state: app::domain::round::RoundState::Concept,
            opens_at: tomorrow,
            deadline: tomorrow + 9 * 86_400_000,
            compared_round_id: compared.map(str::to_string),
            region_codes: regions.map(|codes| codes.iter().map(|c| c.to_string()).collect()),
        },
    )
    .await
}

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
async fn a_round_takes_its_programme_s_regions_and_compares_within_it() {
    on_every_database(|state| async move {
        let (nad_round, bt_round) = two_programmes(&state).await;
        let participants = |round: String| {
            let pool = state.pool.clone();
            async move {
                sqlx::query_scalar::<_, String>(
                    "SELECT region_code FROM round_regions WHERE round_id = $1 ORDER BY region_code",
                )
                .bind(round)
                .fetch_all(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(participants(nad_round.clone()).await, ["R01", "R02", "R03"]);
        assert_eq!(
            participants(bt_round.clone()).await,
            ["BT01", "BT02", "BT03", "BT04", "BT05", "BT06"]
        );
        let detail = rounds::find(&state.pool, &bt_round).await.unwrap();
        assert_eq!(detail.summary.programme.code, "bt");
        assert_eq!(detail.summary.programme.short_name, "BT");
        // Each round keeps its own programme's gemeenten: Groningen is in both.
        let groningen: Vec<(String, String)> = sqlx::query_as(
            "SELECT round_id, region_code FROM round_gemeenten WHERE gemeente_code = 'GM0014' \
             ORDER BY region_code",
        )
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert_eq!(groningen, [(bt_round.clone(), "BT01".to_string())]);
        // A NAD round compared with a BT round, or with a BT region, is refused with the reason.
        let mixed = concept(&state, "nad", Some(&bt_round), Some(&["R01"])).await.unwrap_err();
        assert!(format!("{mixed:?}").contains("dezelfde vragenlijst"), "{mixed:?}");
        let mixed = concept(&state, "nad", None, Some(&["R01", "BT01"])).await.unwrap_err();
        assert!(format!("{mixed:?}").contains("ander programma"), "{mixed:?}");
        // The next BT round is compared with the BT round, never with the (later) NAD one.
        let next_bt = concept(&state, "beschermd-thuis", None, None).await.unwrap();
        let compared: Option<String> =
            sqlx::query_scalar("SELECT compared_round_id FROM rounds WHERE id = $1")
                .bind(&next_bt)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(compared.as_deref(), Some(bt_round.as_str()));
    })
    .await;
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

#[tokio::test]
async fn questionnaires_and_regions_stay_in_their_programme() {
    on_every_database(|state| async move {
        two_programmes(&state).await;
        // A NAD questionnaire can't move to BT, and an unknown programme is refused by name.
        let (_, nad) = app::services::demo::QUESTIONNAIRES[1];
        let moved = nad
            .replace("version = \"2026-06\"", "version = \"2027-06\"\nprogramme = \"bt\"");
        let problems = questionnaires::import(&state.pool, &state.questionnaires, &Actor::CommandLine, "nad.toml", &moved)
            .await
            .unwrap_err();
        assert!(problems[0].contains("hoort bij het programma 'nad'"), "{problems:?}");
        let unknown = nad.replace("version = \"2026-06\"", "version = \"2027-06\"\nprogramme = \"xyz\"");
        let problems = questionnaires::import(&state.pool, &state.questionnaires, &Actor::CommandLine, "nad.toml", &unknown)
            .await
            .unwrap_err();
        assert!(problems[0].contains("'xyz' bestaat niet"), "{problems:?}");
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM questionnaire_versions")
            .fetch_one(&state.pool)
            .await
            .unwrap();
        assert_eq!(stored, 3);
        // A region code of another programme is refused whole.
        let taken = regions::parse_csv(b"code,region,lead_gemeente\nBT07,Nieuw,Nieuw\nR01,Groningen,Groningen\n").unwrap();
        let error = regions::import(&state.pool, &Actor::CommandLine, "bt", &taken).await.unwrap_err();
        assert!(format!("{error:?}").contains("R01 (programma nad)"), "{error:?}");
        assert!(regions::find(&state.pool, "BT07").await.is_err());
        // Loading BT's division leaves NAD's alone.
        let nad_gemeenten: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM gemeenten WHERE programme_code = 'nad'")
                .fetch_one(&state.pool)
                .await
                .unwrap();
        let codes = ["BT01".to_string()].into_iter().collect();
        let one = gemeenten::parse_csv(b"gemeente_code,gemeente,region_code\nGM0014,Groningen,BT01\n", &codes, &Default::default()).unwrap();
        gemeenten::import(&state.pool, &Actor::CommandLine, "bt", &one).await.unwrap();
        let after: Vec<(String, i64)> = sqlx::query_as(
            "SELECT programme_code, COUNT(*) FROM gemeenten GROUP BY programme_code ORDER BY programme_code",
        )
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert_eq!(after, [("bt".to_string(), 1), ("nad".to_string(), nad_gemeenten)].into_iter().filter(|(_, n)| *n > 0).collect::<Vec<_>>());
    })
    .await;
}

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

#[tokio::test]
async fn admins_add_a_programme_and_bad_input_changes_nothing() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let add =
            |code: &'static str, name: &'static str, short: &'static str, colour: &'static str| {
                let (state, admin) = (state.clone(), admin.clone());
                async move {
                    post(
                        &state,
                        "/api/programmes/add",
                        &[
                            ("new_programme", code),
                            ("programme_name", name),
                            ("short_name", short),
                            ("colour", colour),
                        ],
                        &admin,
                    )
                    .await
                }
            };
        for (code, name, short, colour, message) in [
            ("BT", "Beschermd Thuis", "BT", "#5b2a86", "kleine letter"),
            (
                "regio",
                "Regio",
                "RG",
                "#5b2a86",
                "al in gebruik in de adressen",
            ),
            ("nad", "Nog een NAD", "NAD", "#154273", "bestaat al"),
            ("bt", "", "BT", "#5b2a86", "De naam van het programma"),
            (
                "bt",
                "Beschermd Thuis",
                "BESCHERMDTHUIS",
                "#5b2a86",
                "korte naam",
            ),
            ("bt", "Beschermd Thuis", "BT", "paars", "geen #rrggbb"),
            ("bt", "Beschermd Thuis", "BT", "#ffff00", "kleur"),
        ] {
            let (status, body) = add(code, name, short, colour).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{code} {colour}: {body}"
            );
            assert!(
                body.contains("new_programme") && body.contains(message),
                "{code}: {body}"
            );
        }
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM programmes")
            .fetch_one(&state.pool)
            .await
            .unwrap();
        assert_eq!(stored, 1, "only NAD");
        let (status, body) = add("bt", " Beschermd Thuis ", "BT", "#5b2a86").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let listed = programmes::list(&state.pool).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(
            (listed[1].code.as_str(), listed[1].name.as_str()),
            ("bt", "Beschermd Thuis")
        );
        let audited: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE kind = 'programme_added'")
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(audited, 1);
        // Its mark's colour is in the stylesheet at once; the page lists it.
        let css = body_text(send(&state, get("/huisstijl.css", None)).await).await;
        assert!(css.contains(".programme-mark--bt"), "{css}");
        let page = body_text(send(&state, get("/beheer/regios", Some(&admin))).await).await;
        assert!(
            page.contains("Beschermd Thuis (code bt)") && page.contains("Programma toevoegen"),
            "{page}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_migration_puts_everything_that_existed_into_nad() {
    use sqlx::migrate::Migrator;
    use std::borrow::Cow;
    const PROGRAMMES: i64 = 20261217000001;
    for database in databases().await {
        eprintln!("-- on {}", database.label);
        let pool = app::services::db::connect(&database.url).await.unwrap();
        let before = Migrator {
            migrations: Cow::Owned(
                app::services::db::MIGRATOR
                    .iter()
                    .filter(|m| m.version < PROGRAMMES)
                    .cloned()
                    .collect(),
            ),
            ..Migrator::DEFAULT
        };
        before.run(&pool).await.unwrap();
        for statement in [
            "INSERT INTO regions (code, name, lead_gemeente, created_at, updated_at) VALUES ('R01', 'Groningen', 'Groningen', 1, 1)",
            "INSERT INTO gemeenten (code, name, region_code, updated_at) VALUES ('GM0014', 'Groningen', 'R01', 1)",
            "INSERT INTO users (id, email, email_normalized, display_name, role, region_code, password_hash, created_at, updated_at) \
             VALUES ('u1', 'a@b.nl', 'a@b.nl', 'A', 'coordinator', 'R01', 'x', 1, 1)",
            "INSERT INTO questionnaire_versions (id, identifier, version, title, file_name, source, source_sha256, item_count, imported_at, imported_by) \
             VALUES ('q1', 'nad', '1', 'T', 'f.toml', 's', 'h', 1, 1, 'cli')",
            "INSERT INTO rounds (id, name, questionnaire_id, questionnaire_version, state, opens_at, deadline, created_at) \
             VALUES ('ro1', 'Meting', 'nad', '1', 'closed', 1, 2, 1)",
            "INSERT INTO round_regions (round_id, region_code, region_name, lead_gemeente) VALUES ('ro1', 'R01', 'Groningen', 'Groningen')",
            "INSERT INTO round_gemeenten (round_id, region_code, gemeente_code, gemeente_name) VALUES ('ro1', 'R01', 'GM0014', 'Groningen')",
        ] {
            sqlx::query(statement).execute(&pool).await.unwrap();
        }
        app::services::db::migrate(&pool).await.unwrap();
        let programme_of = |table: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, String>(&format!("SELECT programme_code FROM {table}"))
                    .fetch_all(&pool)
                    .await
                    .unwrap()
            }
        };
        for table in ["regions", "gemeenten", "questionnaire_versions", "rounds"] {
            assert_eq!(programme_of(table).await, ["nad"], "{table}");
        }
        let gemeente: (String, String) =
            sqlx::query_as("SELECT name, region_code FROM gemeenten WHERE code = 'GM0014'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(gemeente, ("Groningen".into(), "R01".into()));
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM round_gemeenten")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(kept, 1);
        let nad: (String, String) =
            sqlx::query_as("SELECT name, short_name FROM programmes WHERE code = 'nad'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(nad.1, "NAD");
        // The coordinator keeps their region; nobody has regions in other programmes yet.
        let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_regions")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(others, 0);
        pool.close().await;
    }
}
