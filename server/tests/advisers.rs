//! Region advisers (regioadviseurs): a reviewer who advises a region fills in its
//! questionnaire, never another region's, and submits it only with the region's agreement
//! recorded (with whom, on which day), audited; the review overview and the exports say who
//! filled in and whether the region agreed. On SQLite and PostgreSQL.

use crate::support;

use app::domain::time::{input_date, local_parts, start_of_local_day};
use app::services::audit::Actor;
use app::services::state::AppState;
use app::services::users;
use axum::http::StatusCode;
use serde_json::Value;
use support::*;

const ADVISER: &str = "adviseur@test.nl";

async fn submit(
    state: &AppState,
    cookie: &str,
    response: &str,
    with: &str,
    on: &str,
) -> (StatusCode, String) {
    post(
        state,
        "/api/responses/submit",
        &[
            ("response_id", response),
            ("agreed_with", with),
            ("agreed_on", on),
        ],
        cookie,
    )
    .await
}

fn today() -> String {
    input_date(app::services::now_ms())
}

#[tokio::test]
async fn an_adviser_fills_in_their_region_and_submits_it_with_the_region_s_agreement() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Adviesmeting").await;
        let adviser_id = adviser_of(&state, ADVISER, "R01").await;
        let adviser = login(&state, ADVISER).await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let r01 = app::services::responses::response_key(&round, "R01");
        let r02 = app::services::responses::response_key(&round, "R02");

        // The adviser fills in R01, and only R01; a reviewer who advises nothing fills in none.
        let (status, body) =
            save_on_stored_version(&state, &adviser, &r01, "a_contactpersoon", "Anna").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, _) =
            save_on_stored_version(&state, &adviser, &r02, "a_contactpersoon", "Anna").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) =
            save_on_stored_version(&state, &reviewer, &r01, "a_contactpersoon", "Ruben").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, mine) = post(&state, "/api/responses/mine", &[], &adviser).await;
        assert_eq!(status, StatusCode::OK, "{mine}");
        let mine: Vec<Value> = serde_json::from_str(&mine).unwrap();
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert_eq!(mine[0]["region_code"], "R01");
        let r01 = mine[0]["id"].as_str().unwrap().to_string();
        let page = body_text(
            send(
                &state,
                get(&format!("/vragenlijst/{r01}/controleren"), Some(&adviser)),
            )
            .await,
        )
        .await;
        assert!(
            page.contains("Afstemming met de regio") && page.contains("Afgestemd met"),
            "{page}"
        );
        let page = body_text(
            send(
                &state,
                get(&format!("/vragenlijst/{r01}/controleren"), Some(&reviewer)),
            )
            .await,
        )
        .await;
        assert!(!page.contains("Afstemming met de regio"), "{page}");

        // Complete, but without the agreement (or with a day in the future, or before the round
        // opened) it is refused on those fields, and nothing changes.
        fill_in_everything(&state, &adviser, &r01).await;
        let (status, body) = submit(&state, &adviser, &r01, "", "").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.contains("agreed_with") && body.contains("agreed_on"),
            "{body}"
        );
        let tomorrow = input_date(app::services::now_ms() + 86_400_000);
        let (status, body) = submit(&state, &adviser, &r01, "Jan de Vries", &tomorrow).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("toekomst"), "{body}");
        let (status, body) = submit(&state, &adviser, &r01, "Jan de Vries", "2001-01-01").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("vóór de opening"), "{body}");
        let (status, body) = submit(&state, &adviser, &r01, "Jan\tde Vries", &today()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let stored: (String, Option<String>) =
            sqlx::query_as("SELECT status, agreed_with FROM responses WHERE id = $1")
                .bind(&r01)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(stored, ("open".to_string(), None));

        // With the region's agreement it is submitted, and the agreement is kept and audited.
        let with = "Jan de Vries, beleidsadviseur gemeente Groningen";
        let (status, body) = submit(&state, &adviser, &r01, &format!("  {with} "), &today()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let stored: (String, String, Option<String>, Option<i64>) = sqlx::query_as(
            "SELECT status, submitted_by, agreed_with, agreed_on FROM responses WHERE id = $1",
        )
        .bind(&r01)
        .fetch_one(&state.pool)
        .await
        .unwrap();
        let (year, month, day, ..) = local_parts(app::services::now_ms());
        assert_eq!(
            stored,
            (
                "submitted".to_string(),
                adviser_id.clone(),
                Some(with.to_string()),
                Some(start_of_local_day(year, month, day))
            )
        );
        let details: String = sqlx::query_scalar(
            "SELECT details FROM audit_events WHERE kind = 'response_submitted' AND subject = $1",
        )
        .bind(&r01)
        .fetch_one(&state.pool)
        .await
        .unwrap();
        let details: Value = serde_json::from_str(&details).unwrap();
        assert_eq!(details["agreed_with"], with);
        assert_eq!(details["agreed_on"], today());

        // R02's coordinator fills in R02 themselves: no agreement to record.
        let r02_cookie = login(&state, "r02@test.nl").await;
        let (status, _) =
            save_on_stored_version(&state, &r02_cookie, &r02, "a_contactpersoon", "Femke").await;
        assert_eq!(status, StatusCode::OK);

        // The review overview says who filled in, and with whom the adviser agreed it.
        let (status, overview) = post(
            &state,
            "/api/review/overview",
            &[("round_id", &round)],
            &reviewer,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{overview}");
        let overview: Value = serde_json::from_str(&overview).unwrap();
        let rows = overview["rows"]
            .as_array()
            .or_else(|| overview[1].as_array())
            .unwrap_or_else(|| panic!("{overview}"));
        let row = |code: &str| {
            rows.iter()
                .find(|row| row["region_code"] == code)
                .unwrap()
                .clone()
        };
        assert_eq!(row("R01")["filled_in_by"], "Adviser");
        assert_eq!(row("R01")["agreement"]["with"], with);
        assert_eq!(row("R02")["filled_in_by"], "Region");
        assert!(row("R02")["agreement"].is_null());
        assert_eq!(row("R03")["filled_in_by"], "Nobody");
        let page = body_text(
            send(
                &state,
                get(&format!("/beoordelen/{round}"), Some(&reviewer)),
            )
            .await,
        )
        .await;
        assert!(
            page.contains("Ingevuld door") && page.contains(&format!("afgestemd met {with} op")),
            "{page}"
        );
        let page =
            body_text(send(&state, get(&format!("/vragenlijst/{r01}"), Some(&reviewer))).await)
                .await;
        assert!(
            page.contains("(regioadviseur), afgestemd met Jan de Vries"),
            "{page}"
        );

        // So do the exports.
        let wide = body_text(
            send(
                &state,
                get(
                    &format!("/landelijk/{round}/export/breed.csv"),
                    Some(&reviewer),
                ),
            )
            .await,
        )
        .await;
        let mut lines = wide.lines();
        let header = lines.next().unwrap();
        assert!(
            header.contains(",ingevuld_door,afgestemd_met,afgestemd_op,"),
            "{header}"
        );
        let r01_line = lines.find(|line| line.contains(",R01,")).unwrap();
        assert!(
            r01_line.contains(&format!(",regioadviseur,\"{with}\",{},", today())),
            "{r01_line}"
        );
        let r02_line = wide.lines().find(|line| line.contains(",R02,")).unwrap();
        assert!(r02_line.contains(",regio,,,"), "{r02_line}");
        let json = body_text(
            send(
                &state,
                get(
                    &format!("/landelijk/{round}/export/meting.json"),
                    Some(&reviewer),
                ),
            )
            .await,
        )
        .await;
        let json: Value = serde_json::from_str(&json).unwrap();
        let r01_json = json["regions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "R01")
            .unwrap();
        assert_eq!(r01_json["filled_in_by"], "regioadviseur");
        assert_eq!(r01_json["agreement"]["with"], with);

        // Four eyes: the adviser who submitted it does not approve it; another reviewer does.
        let approve = [("response_id", r01.as_str()), ("password", PASSWORD)];
        let (status, body) = post(&state, "/api/review/approve", &approve, &adviser).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body.contains("zelf ingediend"), "{body}");
        let (status, body) = post(&state, "/api/review/approve", &approve, &reviewer).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    })
    .await;
}

#[tokio::test]
async fn admins_assign_advisers_to_regions_and_take_them_away_audited() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Adviesmeting").await;
        let adviser_id = adviser_of(&state, ADVISER, "R01").await;
        let admin = login(&state, "admin@test.nl").await;
        let r03 = users::find_by_email(&state.pool, "r03@test.nl")
            .await
            .unwrap();
        // Only reviewers advise; only existing regions; not twice.
        for (user, region, message) in [
            (r03.id.as_str(), "R02", "Alleen een beoordelaar"),
            (adviser_id.as_str(), "R99", "bestaat niet"),
            (adviser_id.as_str(), "R01", "al regioadviseur"),
        ] {
            let (status, body) = post(
                &state,
                "/api/users/advised/add",
                &[("user_id", user), ("advised_region", region)],
                &admin,
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{region}: {body}");
            assert!(body.contains(message), "{region}: {body}");
        }
        let (status, body) = post(
            &state,
            "/api/users/advised/add",
            &[("user_id", &adviser_id), ("advised_region", "R02")],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, user) = post(
            &state,
            "/api/users/one",
            &[("user_id", &adviser_id)],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let user: Value = serde_json::from_str(&user).unwrap();
        let advised: Vec<&str> = user["advised_regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert_eq!(advised, ["R01", "R02"]);
        let page = body_text(
            send(
                &state,
                get(&format!("/beheer/gebruikers/{adviser_id}"), Some(&admin)),
            )
            .await,
        )
        .await;
        assert!(
            page.contains("Regioadviseur") && page.contains("Regio als regioadviseur"),
            "{page}"
        );

        // Taken away: the next request no longer fills in R01.
        let adviser = login(&state, ADVISER).await;
        let r01 = app::services::responses::response_key(&round, "R01");
        let (status, _) = post(
            &state,
            "/api/users/advised/remove",
            &[("user_id", &adviser_id), ("region_code", "R01")],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) =
            save_on_stored_version(&state, &adviser, &r01, "a_contactpersoon", "Anna").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT kind FROM audit_events WHERE subject = $1 AND kind LIKE 'adviser_region_%' \
             ORDER BY occurred_at, id",
        )
        .bind(&adviser_id)
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert_eq!(
            kinds,
            [
                "adviser_region_added",
                "adviser_region_added",
                "adviser_region_removed"
            ]
        );

        // Someone who stops being a reviewer advises nothing any more.
        users::update(
            &state.pool,
            &Actor::CommandLine,
            &adviser_id,
            users::NewAccount {
                email: ADVISER.into(),
                display_name: "Anna Adviseur".into(),
                role: "admin".into(),
                region_code: None,
            },
        )
        .await
        .unwrap();
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM adviser_regions WHERE user_id = $1")
                .bind(&adviser_id)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(left, 0);
    })
    .await;
}
