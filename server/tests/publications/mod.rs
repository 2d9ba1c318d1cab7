//! Publishing: the frozen snapshot, corrections as new editions, the public pages and the
//! open data without an account, and what must never leak from them.

use crate::support;

use app::domain::questionnaire::model::ItemKind;
use app::services::state::AppState;
use axum::http::StatusCode;
use support::*;

mod nothing_published;
mod publishing;

/// A text that must never appear on a public page or in a public file.
const MARKER: &str = "GEHEIM-7Q";

async fn set_status(state: &AppState, response: &str, status: &str, reviewer: Option<&str>) {
    sqlx::query("UPDATE responses SET status = $1, submitted_at = 1, approved_at = $2, approved_by = $3 WHERE id = $4")
        .bind(status)
        .bind(reviewer.map(|_| 2_i64))
        .bind(reviewer)
        .bind(response)
        .execute(&state.pool)
        .await
        .unwrap();
}

/// A response of `region` with every asked question answered and every free text holding
/// the marker, a comment thread with the marker and a return reason with it.
async fn filled_with_markers(state: &AppState, round: &str, region: &str) -> String {
    let cookie = login(state, &format!("{}@test.nl", region.to_lowercase())).await;
    let response = app::services::responses::ensure_response(&state.pool, round, region)
        .await
        .unwrap();
    fill_in_everything(state, &cookie, &response).await;
    let version = state
        .questionnaires
        .get(&state.pool, "nad", "2026-06")
        .await
        .unwrap();
    let stored = app::services::responses::answers(&state.pool, &response)
        .await
        .unwrap();
    for item in version.questionnaire.items() {
        if matches!(
            item.kind,
            ItemKind::ShortText { .. } | ItemKind::LongText { .. }
        ) && stored.contains_key(&item.key)
        {
            let (status, body) = save_on_stored_version(
                state,
                &cookie,
                &response,
                &item.key,
                &format!("{MARKER} tekst van {region}"),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{}: {body}", item.key);
        }
    }
    let reviewer: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = 'reviewer@test.nl'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    let thread = app::services::new_id();
    sqlx::query("INSERT INTO comment_threads (id, response_id, item_key, resolved, created_by, created_at) VALUES ($1, $2, 'b_wonen_eerst', 0, $3, 1)")
        .bind(&thread)
        .bind(&response)
        .bind(&reviewer)
        .execute(&state.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, 1)")
        .bind(app::services::new_id())
        .bind(&thread)
        .bind(&reviewer)
        .bind(format!("{MARKER} opmerking"))
        .execute(&state.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE responses SET return_reason = $1 WHERE id = $2")
        .bind(format!("{MARKER} reden"))
        .bind(&response)
        .execute(&state.pool)
        .await
        .unwrap();
    response
}

async fn public_get(state: &AppState, path: &str) -> (StatusCode, String) {
    let reply = send(state, get(path, None)).await;
    let status = reply.status();
    (status, body_text(reply).await)
}

const CONCLUSIONS: &str =
    "# Conclusies\n\n- Wonen Eerst in **alle** plannen\n- < 5 regio's zonder plan";

/// A closed-to-be round "Testmeting" with R01 approved and R02 submitted, both holding
/// secrets (`MARKER`) in items that are not public, a running round that must not show, and
/// an admin's session cookie.
struct PublicationCase {
    state: AppState,
    round: String,
    r01: String,
    r02: String,
    admin: String,
}

impl PublicationCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        sqlx::query(
            "UPDATE users SET display_name = $1 WHERE email_normalized = 'reviewer@test.nl'",
        )
        .bind(format!("Recensent {MARKER}"))
        .execute(&state.pool)
        .await
        .unwrap();
        let round = open_test_round(&state, "Testmeting").await;
        let unpublished = open_test_round(&state, &format!("Lopend {MARKER}")).await;
        let r01 = filled_with_markers(&state, &round, "R01").await;
        let r02 = filled_with_markers(&state, &round, "R02").await;
        filled_with_markers(&state, &unpublished, "R01").await;
        let reviewer: String =
            sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = 'reviewer@test.nl'")
                .fetch_one(&state.pool)
                .await
                .unwrap();
        set_status(&state, &r01, "approved", Some(&reviewer)).await;
        set_status(&state, &r02, "submitted", None).await;
        let admin = login(&state, "admin@test.nl").await;
        PublicationCase {
            state,
            round,
            r01,
            r02,
            admin,
        }
    }

    /// The admin publishes a correction of the round with `note`.
    async fn correct(&self, note: &str) -> (StatusCode, String) {
        post(
            &self.state,
            "/api/publications/correct",
            &[
                ("round_id", &self.round),
                ("note", note),
                ("conclusions", CONCLUSIONS),
            ],
            &self.admin,
        )
        .await
    }
}
