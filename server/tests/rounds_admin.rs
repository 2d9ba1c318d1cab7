//! What admins change on a round after setting it up, through the server functions its page
//! posts to: name and dates, the round it is compared with (by default the latest earlier
//! round of the same questionnaire), closing and opening again with a reason, and the copy of
//! its regions made again at its first opening. Bad input and other roles change nothing.

use crate::support;

use app::services::state::AppState;
use axum::http::StatusCode;
use support::*;

#[derive(sqlx::FromRow, Debug, PartialEq)]
struct Row {
    name: String,
    state: String,
    opens_at: i64,
    deadline: i64,
    compared_round_id: Option<String>,
    state_reason: Option<String>,
}

async fn row(state: &AppState, id: &str) -> Row {
    sqlx::query_as(
        "SELECT name, state, opens_at, deadline, compared_round_id, state_reason FROM rounds \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&state.pool)
    .await
    .unwrap()
}

async fn audit_details(state: &AppState, kind: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT details FROM audit_events WHERE kind = $1 ORDER BY occurred_at, id")
        .bind(kind)
        .fetch_all(&state.pool)
        .await
        .unwrap()
}

/// A concept round made through the admin's form; returns its id.
async fn concept(state: &AppState, admin: &str, name: &str, compared: &str) -> String {
    let fields = [
        ("name", name),
        ("questionnaire", "nad/2026-06"),
        ("opens_at", "2031-01-01"),
        ("deadline", "2031-02-15"),
        ("compared_round_id", compared),
        ("regions[]", "R01"),
        ("regions[]", "R02"),
    ];
    let (status, body) = post(state, "/api/rounds/create", &fields, admin).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    sqlx::query_scalar("SELECT id FROM rounds WHERE name = $1")
        .bind(name)
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

fn details<'a>(
    id: &'a str,
    name: &'a str,
    opens: &'a str,
    deadline: &'a str,
) -> [(&'a str, &'a str); 4] {
    [
        ("round_id", id),
        ("round_name", name),
        ("round_opens_at", opens),
        ("round_deadline", deadline),
    ]
}

#[tokio::test]
async fn an_admin_renames_a_round_and_moves_its_dates_within_its_life() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let id = concept(&state, &admin, "Meting A", "").await;
        let before = row(&state, &id).await;
        for (fields, field, message) in [
            (
                details(&id, " ", "2031-01-01", "2031-02-15"),
                "round_name",
                "Geef de meting een naam",
            ),
            (
                details(&id, "B", "2031-03-01", "2031-02-15"),
                "round_deadline",
                "na de openingsdatum",
            ),
            (
                details(&id, "B", "1-1-2031", "2031-02-15"),
                "round_opens_at",
                "geen datum",
            ),
            (
                details(&id, "B", "2031-01-01", "2031-02-31"),
                "round_deadline",
                "geen datum",
            ),
        ] {
            let (status, body) = post(&state, "/api/rounds/update", &fields, &admin).await;
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
        let unknown = details("bestaat-niet", "B", "2031-01-01", "2031-02-15");
        assert_eq!(
            post(&state, "/api/rounds/update", &unknown, &admin).await.0,
            StatusCode::NOT_FOUND
        );
        for who in ["reviewer@test.nl", "r01@test.nl"] {
            let cookie = login(&state, who).await;
            let fields = details(&id, "Gekaapt", "2031-01-02", "2031-03-01");
            assert_eq!(
                post(&state, "/api/rounds/update", &fields, &cookie).await.0,
                StatusCode::FORBIDDEN
            );
        }
        assert_eq!(row(&state, &id).await, before, "nothing changed");
        assert!(audit_details(&state, "round_changed").await.is_empty());

        let fields = details(&id, "  Meting B  ", "2031-01-05", "2031-03-01");
        let (status, body) = post(&state, "/api/rounds/update", &fields, &admin).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let after = row(&state, &id).await;
        assert_eq!(after.name, "Meting B");
        assert_eq!(
            app::domain::time::format_date_time(after.opens_at),
            "5 januari 2031, 00:00"
        );
        assert_eq!(
            app::domain::time::format_date_time(after.deadline),
            "1 maart 2031, 23:59"
        );
        let audited = audit_details(&state, "round_changed").await;
        assert_eq!(audited.len(), 1);
        assert!(
            audited[0].contains("Meting A") && audited[0].contains("Meting B"),
            "{audited:?}"
        );

        // Open: the opening stays, the deadline may not move into the past.
        let open = earlier_test_round(&state, "Lopend").await;
        let now = app::services::now_ms();
        let today = app::domain::time::input_date(now);
        let yesterday = app::domain::time::input_date(now - 86_400_000);
        let opened = app::domain::time::input_date(row(&state, &open).await.opens_at);
        let (status, body) = post(
            &state,
            "/api/rounds/update",
            &details(&open, "Lopend", "2020-01-01", "2099-01-01"),
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("al geopend"), "{body}");
        let (status, body) = post(
            &state,
            "/api/rounds/update",
            &details(&open, "Lopend", &opened, &yesterday),
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("verleden"), "{body}");
        let (status, body) = post(
            &state,
            "/api/rounds/update",
            &details(&open, "Lopend", &opened, &today),
            &admin,
        )
        .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "the end of today is still ahead: {body}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_round_is_compared_with_the_latest_earlier_round_of_its_own_questionnaire() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let (file_name, source) = app::services::demo::QUESTIONNAIRES
            .iter()
            .find(|(name, _)| name.contains("2025-12"))
            .expect("the earlier NAD version");
        let other = source.replacen("identifier = \"nad\"", "identifier = \"jeugd\"", 1);
        app::services::questionnaires::import(
            &state.pool,
            &state.questionnaires,
            &app::services::audit::Actor::CommandLine,
            file_name,
            &other,
        )
        .await
        .unwrap();
        let admin = login(&state, "admin@test.nl").await;
        let earlier = earlier_test_round(&state, "NAD eerder").await;
        // Another questionnaire's round, later than the NAD one: not the default.
        let fields = [
            ("name", "Jeugd"),
            ("questionnaire", "jeugd/2025-12"),
            ("opens_at", "2026-11-01"),
            ("deadline", "2026-12-01"),
            ("compared_round_id", ""),
            ("regions[]", "R01"),
        ];
        assert_eq!(
            post(&state, "/api/rounds/create", &fields, &admin).await.0,
            StatusCode::OK
        );
        let jeugd: String = sqlx::query_scalar("SELECT id FROM rounds WHERE name = 'Jeugd'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
        app::services::rounds::change_state(
            &state.pool,
            &state.config.mail,
            &app::services::audit::Actor::CommandLine,
            &jeugd,
            app::domain::round::RoundState::Open,
        )
        .await
        .unwrap();
        let id = concept(&state, &admin, "NAD nieuw", "").await;
        assert_eq!(
            row(&state, &id).await.compared_round_id.as_deref(),
            Some(earlier.as_str())
        );
        let choices = app::services::rounds::comparison_choices(&state.pool, &id)
            .await
            .unwrap();
        assert_eq!(
            choices.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            [earlier.as_str()]
        );

        // Choosing: another questionnaire's round, a later round or an unknown one is refused.
        // Opening on the same day: not earlier.
        let later = concept(&state, &admin, "NAD later", "").await;
        for wrong in [jeugd.as_str(), later.as_str(), "bestaat-niet"] {
            let fields = [("round_id", id.as_str()), ("compared_round_id", wrong)];
            let (status, body) = post(&state, "/api/rounds/comparison", &fields, &admin).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}: {body}");
            assert!(body.contains("dezelfde vragenlijst"), "{body}");
        }
        let reviewer = login(&state, "reviewer@test.nl").await;
        let none = [("round_id", id.as_str()), ("compared_round_id", "")];
        assert_eq!(
            post(&state, "/api/rounds/comparison", &none, &reviewer)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            row(&state, &id).await.compared_round_id.as_deref(),
            Some(earlier.as_str())
        );
        // No comparison at all, then the earlier round again: each change audited.
        assert_eq!(
            post(&state, "/api/rounds/comparison", &none, &admin)
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(row(&state, &id).await.compared_round_id, None);
        let chosen = [
            ("round_id", id.as_str()),
            ("compared_round_id", earlier.as_str()),
        ];
        assert_eq!(
            post(&state, "/api/rounds/comparison", &chosen, &admin)
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            row(&state, &id).await.compared_round_id.as_deref(),
            Some(earlier.as_str())
        );
        assert_eq!(
            audit_details(&state, "round_comparison_changed")
                .await
                .len(),
            2
        );
        // A chosen round of another questionnaire is refused when setting one up, too.
        let fields = [
            ("name", "NAD met jeugd"),
            ("questionnaire", "nad/2026-06"),
            ("opens_at", "2031-01-01"),
            ("deadline", "2031-02-01"),
            ("compared_round_id", jeugd.as_str()),
            ("regions[]", "R01"),
        ];
        let (status, body) = post(&state, "/api/rounds/create", &fields, &admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("dezelfde vragenlijst"), "{body}");
    })
    .await;
}

#[tokio::test]
async fn closing_takes_a_reason_and_opening_again_needs_one() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let id = open_test_round(&state, "Meting").await;
        let change = |target: &'static str, reason: &'static str, cookie: String| {
            let (state, id) = (state.clone(), id.clone());
            async move {
                let fields = [
                    ("round_id", id.as_str()),
                    ("state", target),
                    ("state_reason", reason),
                ];
                post(&state, "/api/rounds/state", &fields, &cookie).await
            }
        };
        for who in ["reviewer@test.nl", "r01@test.nl"] {
            let cookie = login(&state, who).await;
            assert_eq!(
                change("closed", "Klaar", cookie).await.0,
                StatusCode::FORBIDDEN
            );
        }
        assert_eq!(row(&state, &id).await.state, "open");
        let (status, body) = change("closed", "  Alle regio's zijn klaar  ", admin.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let closed = row(&state, &id).await;
        assert_eq!(
            (closed.state.as_str(), closed.state_reason.as_deref()),
            ("closed", Some("Alle regio's zijn klaar"))
        );
        let page =
            body_text(send(&state, get(&format!("/beheer/metingen/{id}"), Some(&admin))).await)
                .await;
        assert!(
            page.contains("Alle regio&#x27;s zijn klaar")
                || page.contains("Alle regio's zijn klaar"),
            "the reason is shown"
        );
        assert!(page.contains("Reden om weer te openen"), "{page}");

        let (status, body) = change("open", " ", admin.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("state_reason") && body.contains("Geef een reden"),
            "{body}"
        );
        assert_eq!(row(&state, &id).await.state, "closed", "nothing changed");
        let (status, body) = change("open", "Regio 2 was te laat", admin.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let reopened = row(&state, &id).await;
        assert_eq!(
            reopened.state_reason.as_deref(),
            Some("Regio 2 was te laat")
        );
        // Closing without a reason is fine; the old reason goes.
        assert_eq!(change("closed", "", admin.clone()).await.0, StatusCode::OK);
        assert_eq!(row(&state, &id).await.state_reason, None);
        let audited = audit_details(&state, "round_state_changed").await;
        assert!(
            audited
                .iter()
                .any(|d| d.contains("Regio 2 was te laat") && d.contains("\"to\":\"open\"")),
            "{audited:?}"
        );
        assert!(
            audited
                .iter()
                .any(|d| d.contains("Alle regio's zijn klaar")),
            "{audited:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_concept_round_takes_the_regions_as_they_are_when_it_opens_and_keeps_them() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let actor = app::services::audit::Actor::CommandLine;
        app::services::gemeenten::add(&state.pool, &actor, "GM0014", "Groningen", "R01")
            .await
            .unwrap();
        app::services::gemeenten::add(&state.pool, &actor, "GM0080", "Leeuwarden", "R02")
            .await
            .unwrap();
        let id = concept(&state, &admin, "Concept", "").await;
        app::services::regions::rename(&state.pool, &actor, "R01", "Groningen-Stad", "Groningen")
            .await
            .unwrap();
        app::services::gemeenten::move_to(&state.pool, &actor, "GM0080", "R01")
            .await
            .unwrap();
        let fields = [("round_id", id.as_str()), ("state", "open")];
        assert_eq!(
            post(&state, "/api/rounds/state", &fields, &admin).await.0,
            StatusCode::OK
        );
        let copy = || async {
            let name: String = sqlx::query_scalar(
                "SELECT region_name FROM round_regions WHERE round_id = $1 AND region_code = 'R01'",
            )
            .bind(&id)
            .fetch_one(&state.pool)
            .await
            .unwrap();
            let gemeenten = app::services::gemeenten::of_round_region(&state.pool, &id, "R01")
                .await
                .unwrap();
            (name, gemeenten.len())
        };
        assert_eq!(
            copy().await,
            ("Groningen-Stad".to_string(), 2),
            "made again at opening"
        );
        // From now on the round keeps its copy.
        app::services::regions::rename(&state.pool, &actor, "R01", "Stad", "Groningen")
            .await
            .unwrap();
        app::services::gemeenten::move_to(&state.pool, &actor, "GM0080", "R02")
            .await
            .unwrap();
        assert_eq!(copy().await, ("Groningen-Stad".to_string(), 2));
    })
    .await;
}
