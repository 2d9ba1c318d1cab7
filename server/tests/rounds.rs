//! Rounds managed by admins, through the server functions the admin's forms post to: setting
//! one up with every kind of bad input refused, its states and who may change them, a later
//! deadline for one region, reopening a submitted response; each change in the audit history.

use crate::support;

use app::services::state::AppState;
use axum::http::StatusCode;
use support::*;

async fn count(state: &AppState, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

async fn round_state(state: &AppState, id: &str) -> String {
    sqlx::query_scalar("SELECT state FROM rounds WHERE id = $1")
        .bind(id)
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

/// Saves the contact person of a response as the browser does, on the stored version.
async fn save_contact(state: &AppState, cookie: &str, response: &str, text: &str) -> StatusCode {
    save_on_stored_version(state, cookie, response, "a_contactpersoon", text)
        .await
        .0
}

/// The set-up form as the browser posts it: the checked regions as `regions[]`.
const GOOD: [(&str, &str); 7] = [
    ("name", "7e meting – juni 2027"),
    ("questionnaire", "nad/2026-06"),
    ("opens_at", "2027-06-01"),
    ("deadline", "2027-07-15"),
    ("compared_round_id", ""),
    ("regions[]", "R01"),
    ("regions[]", "R03"),
];

fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    GOOD.iter()
        .map(|(name, good)| (*name, if *name == field { value } else { *good }))
        .collect()
}

#[tokio::test]
async fn an_admin_sets_up_a_round_and_bad_input_stores_nothing() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let earlier = open_test_round(&state, "Eerdere meting").await;
        let wrong: Vec<(Vec<(&str, &str)>, &str)> = vec![
            (with("name", "   "), "Geef de meting een naam"),
            (with("questionnaire", "nad/1999-01"), "bestaat niet"),
            (
                with("questionnaire", "geen-versie"),
                "Kies de vragenlijstversie",
            ),
            (with("opens_at", "2027-02-30"), "geen datum"),
            (with("deadline", "15-07-2027"), "geen datum"),
            (with("deadline", "2027-05-01"), "na de openingsdatum"),
            (with("compared_round_id", "bestaat-niet"), "bestaat niet"),
            (with("regions[]", "R99"), "De regio 'R99' bestaat niet"),
            (
                GOOD.iter()
                    .copied()
                    .filter(|(name, _)| *name != "regions[]")
                    .collect(),
                "Kies ten minste één regio",
            ),
        ];
        for (fields, message) in wrong {
            let (status, body) = post(&state, "/api/rounds/create", &fields, &admin).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{fields:?}: {body}"
            );
            assert!(body.contains(message), "{fields:?}: {body}");
        }
        let long_name = "x".repeat(101);
        let mut fields = GOOD.to_vec();
        fields[0].1 = &long_name;
        let (status, _) = post(&state, "/api/rounds/create", &fields, &admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            count(&state, "SELECT COUNT(*) FROM rounds").await,
            1,
            "nothing stored"
        );

        let (status, body) = post(&state, "/api/rounds/create", &GOOD, &admin).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (id, round_state, compared, opens_at, deadline): (
            String,
            String,
            Option<String>,
            i64,
            i64,
        ) = sqlx::query_as(
            "SELECT id, state, compared_round_id, opens_at, deadline FROM rounds WHERE name = $1",
        )
        .bind(GOOD[0].1)
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(round_state, "concept", "a new round starts as concept");
        assert_eq!(
            compared.as_deref(),
            Some(earlier.as_str()),
            "compared with the previous round"
        );
        assert_eq!(
            app::domain::time::format_date_time(opens_at),
            "1 juni 2027, 00:00"
        );
        assert_eq!(
            app::domain::time::format_date_time(deadline),
            "15 juli 2027, 23:59",
            "the deadline lasts the whole day"
        );
        assert_eq!(
            count(
                &state,
                &format!("SELECT COUNT(*) FROM round_regions WHERE round_id = '{id}'")
            )
            .await,
            2,
            "the chosen regions take part, as they are now"
        );
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT region_name FROM round_regions WHERE round_id = $1 ORDER BY region_code",
        )
        .bind(&id)
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert_eq!(names, ["Groningen", "Noord- en Midden-Drenthe"]);
        let page =
            body_text(send(&state, get(&format!("/beheer/metingen/{id}"), Some(&admin))).await)
                .await;
        assert!(
            page.contains("7e meting – juni 2027") && page.contains("Openen"),
            "{page}"
        );
        assert!(
            page.contains("Eerdere meting"),
            "the compared round is named"
        );
    })
    .await;
}

#[tokio::test]
async fn rounds_move_through_their_states_by_admins_only() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let r01 = login(&state, "r01@test.nl").await;
        let (status, _) = post(&state, "/api/rounds/create", &GOOD, &admin).await;
        assert_eq!(status, StatusCode::OK);
        let id: String = sqlx::query_scalar("SELECT id FROM rounds")
            .fetch_one(&state.pool)
            .await
            .unwrap();
        let change = |target: &'static str, cookie: String| {
            let (state, id) = (state.clone(), id.clone());
            async move {
                // Opening a closed round again needs a reason; the other changes take one.
                let fields = [("round_id", id.as_str()), ("state", target), ("state_reason", "Proef")];
                post(&state, "/api/rounds/state", &fields, &cookie).await
            }
        };
        // A concept round is invisible to coordinators.
        let regions = body_text(send(&state, call("/api/responses/region", "code=R01", Some(&r01))).await).await;
        assert!(!regions.contains("7e meting"), "{regions}");

        assert_eq!(change("open", reviewer.clone()).await.0, StatusCode::FORBIDDEN);
        assert_eq!(change("open", r01.clone()).await.0, StatusCode::FORBIDDEN);
        assert_eq!(round_state(&state, &id).await, "concept");
        let (status, body) = change("published", admin.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT, "concept can't be published");
        assert!(body.contains("Alleen een gesloten meting kan worden gepubliceerd"), "{body}");
        assert_eq!(change("verwijderd", admin.clone()).await.0, StatusCode::BAD_REQUEST);
        for target in ["open", "closed", "open", "closed", "published"] {
            let (status, body) = change(target, admin.clone()).await;
            assert_eq!(status, StatusCode::OK, "{target}: {body}");
            assert_eq!(round_state(&state, &id).await, target);
        }
        assert_eq!(change("open", admin.clone()).await.0, StatusCode::CONFLICT, "published is final");
        let (status, _) = post(&state, "/api/rounds/state", &[("round_id", "bestaat-niet"), ("state", "open")], &admin).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let changes: Vec<String> = sqlx::query_scalar(
            "SELECT details FROM audit_events WHERE kind = 'round_state_changed' ORDER BY occurred_at, id",
        )
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert_eq!(changes.len(), 5, "every change of state is in the audit history");
        assert!(changes[0].contains("concept") && changes[0].contains("open"));
    })
    .await;
}

#[tokio::test]
async fn one_region_gets_a_later_deadline_and_a_submitted_response_reopens() {
    on_every_database(|state| async move {
        let case = DeadlineCase::start(state).await;
        after_the_deadline_nobody_saves(&case).await;
        an_extension_needs_a_reason_a_later_date_and_an_admin(&case).await;
        the_extension_lets_only_that_region_save(&case).await;
        only_a_submitted_response_reopens_and_with_a_reason(&case).await;
        extensions_and_reopenings_are_audited(&case).await;
    })
    .await;
}

/// An open round with responses of R01 and R02, and the session cookies of the admin and
/// both coordinators.
struct DeadlineCase {
    state: AppState,
    admin: String,
    r01: String,
    r02: String,
    round: String,
    /// R01's response.
    response: String,
    /// R02's response.
    other: String,
}

impl DeadlineCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let r01 = login(&state, "r01@test.nl").await;
        let r02 = login(&state, "r02@test.nl").await;
        let round = open_test_round(&state, "Lopende meting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let other = app::services::responses::ensure_response(&state.pool, &round, "R02")
            .await
            .unwrap();
        DeadlineCase {
            state,
            admin,
            r01,
            r02,
            round,
            response,
            other,
        }
    }

    /// The admin gives `region` the deadline `date` for `reason`.
    async fn extend(&self, region: &str, date: &str, reason: &str) -> (StatusCode, String) {
        let fields = [
            ("round_id", self.round.as_str()),
            ("region_code", region),
            ("deadline", date),
            ("reason", reason),
        ];
        post(&self.state, "/api/rounds/deadline", &fields, &self.admin).await
    }

    /// The admin reopens R01's response for `reason`.
    async fn reopen(&self, reason: &str) -> (StatusCode, String) {
        post(
            &self.state,
            "/api/rounds/reopen",
            &[
                ("round_id", &self.round),
                ("reopen_region", "R01"),
                ("reopen_reason", reason),
            ],
            &self.admin,
        )
        .await
    }
}

/// The round's deadline passes: nobody may save.
async fn after_the_deadline_nobody_saves(case: &DeadlineCase) {
    let DeadlineCase {
        state,
        r01,
        round,
        response,
        ..
    } = case;
    sqlx::query("UPDATE rounds SET deadline = $1 WHERE id = $2")
        .bind(app::services::now_ms() - 1000)
        .bind(round)
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        save_contact(state, r01, response, "Anna").await,
        StatusCode::CONFLICT
    );
}

async fn an_extension_needs_a_reason_a_later_date_and_an_admin(case: &DeadlineCase) {
    let DeadlineCase { state, round, .. } = case;
    for (region, date, reason, message) in [
        ("R01", "2099-01-01", "  ", "Geef een reden"),
        ("R01", "2000-01-01", "Ziekte", "na de huidige deadline"),
        ("R01", "morgen", "Ziekte", "geen datum"),
        ("R99", "2099-01-01", "Ziekte", "doet niet mee"),
    ] {
        let (status, body) = case.extend(region, date, reason).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{region} {date}: {body}"
        );
        assert!(body.contains(message), "{body}");
    }
    let reviewer = login(state, "reviewer@test.nl").await;
    let forbidden = post(
        state,
        "/api/rounds/deadline",
        &[
            ("round_id", round),
            ("region_code", "R01"),
            ("deadline", "2099-01-01"),
            ("reason", "x"),
        ],
        &reviewer,
    )
    .await;
    assert_eq!(forbidden.0, StatusCode::FORBIDDEN);
}

async fn the_extension_lets_only_that_region_save(case: &DeadlineCase) {
    let DeadlineCase {
        state,
        r01,
        r02,
        response,
        other,
        ..
    } = case;
    let (status, body) = case.extend("R01", "2099-01-01", "Personeel ziek").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        save_contact(state, r01, response, "Anna").await,
        StatusCode::OK,
        "R01 may save again"
    );
    assert_eq!(
        save_contact(state, r02, other, "Bert").await,
        StatusCode::CONFLICT,
        "the other regions keep the round's deadline"
    );
}

/// Reopening: only a submitted or approved response, with a reason.
async fn only_a_submitted_response_reopens_and_with_a_reason(case: &DeadlineCase) {
    let DeadlineCase {
        state,
        r01,
        response,
        ..
    } = case;
    let (status, body) = case.reopen("Fout in B").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("niets te heropenen"), "{body}");
    sqlx::query("UPDATE responses SET status = 'submitted', submitted_at = 1 WHERE id = $1")
        .bind(response)
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        save_contact(state, r01, response, "Anna B").await,
        StatusCode::CONFLICT
    );
    let (status, body) = case.reopen("").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("reopen_reason"),
        "the form's own field: {body}"
    );
    let (status, body) = case.reopen("Fout in B").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let status_now: String = sqlx::query_scalar("SELECT status FROM responses WHERE id = $1")
        .bind(response)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(status_now, "open");
    assert_eq!(
        save_contact(state, r01, response, "Anna B").await,
        StatusCode::OK
    );
}

async fn extensions_and_reopenings_are_audited(case: &DeadlineCase) {
    let state = &case.state;
    let kinds = app::services::audit::recent_kinds(&state.pool, 10)
        .await
        .unwrap();
    assert!(
        kinds.contains(&"deadline_extended".to_string()),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"response_reopened".to_string()),
        "{kinds:?}"
    );
    let reason: String =
        sqlx::query_scalar("SELECT details FROM audit_events WHERE kind = 'response_reopened'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert!(reason.contains("Fout in B"), "{reason}");
}
