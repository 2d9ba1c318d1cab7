//! Nothing lands after a response is submitted: many saves race one submit, and every
//! change in the answers' history is from before the submit. Saves that lose the race are
//! refused with 409 and change nothing.

use crate::support;

use axum::http::StatusCode;
use support::*;

const SAVERS: usize = 8;
const SAVES_EACH: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saves_racing_a_submit_never_land_after_it() {
    on_every_database(|state| async move {
        let case = RaceCase::start(state).await;
        // The savers empty a required answer and fill it in again, over and over: a save
        // that lands after the submit's check leaves a submitted response incomplete.
        let savers: Vec<_> = (0..SAVERS)
            .map(|saver| tokio::spawn(case.clone().save_over_and_over(saver)))
            .collect();
        let submitted = case.submit_while_saving().await;
        let mut acknowledged = Vec::new();
        for saver in savers {
            acknowledged.extend(saver.await.unwrap());
        }
        if !submitted {
            case.submit_the_quiet_response().await;
            return;
        }
        case.what_was_checked_is_what_was_submitted().await;
        let latest_change = case.nothing_landed_after_the_submit(&acknowledged).await;
        case.a_later_save_is_refused_and_changes_nothing(latest_change)
            .await;
    })
    .await;
}

/// R01's response in an open round, filled in completely, and its coordinator's session
/// cookie.
#[derive(Clone)]
struct RaceCase {
    state: app::services::state::AppState,
    response: String,
    cookie: String,
}

impl RaceCase {
    async fn start(state: app::services::state::AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Racemeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let cookie = login(&state, "r01@test.nl").await;
        fill_in_everything(&state, &cookie, &response).await;
        RaceCase {
            state,
            response,
            cookie,
        }
    }

    /// One saver: empties the answer and fills it in again until the submit refuses it.
    /// Returns when each acknowledged save was saved.
    async fn save_over_and_over(self, saver: usize) -> Vec<i64> {
        let mut acknowledged = Vec::new();
        for save in 0..SAVES_EACH {
            let value = if (saver + save).is_multiple_of(2) {
                String::new()
            } else {
                format!("Contact {saver}-{save}")
            };
            let (status, reply) = save_on_stored_version(
                &self.state,
                &self.cookie,
                &self.response,
                "a_contactpersoon",
                &value,
            )
            .await;
            match status {
                StatusCode::OK => {
                    if let Some(saved_at) = reply[0]["Saved"]["saved_at"].as_i64() {
                        acknowledged.push(saved_at);
                    }
                }
                StatusCode::CONFLICT => {
                    let text = reply.to_string();
                    assert!(text.contains("ingediend"), "{text}");
                    break;
                }
                other => panic!("unexpected {other}: {reply}"),
            }
        }
        acknowledged
    }

    /// Submit while the saves are under way: refused (422) while the answer happens to be
    /// empty, until a moment when it is not. Whether a submit got through.
    async fn submit_while_saving(&self) -> bool {
        for _ in 0..500 {
            let reply = send(
                &self.state,
                call(
                    "/api/responses/submit",
                    &form(&[("response_id", &self.response)]),
                    Some(&self.cookie),
                ),
            )
            .await;
            match reply.status() {
                StatusCode::OK => return true,
                StatusCode::UNPROCESSABLE_ENTITY => {
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await
                }
                other => panic!("submit: {other}: {}", body_text(reply).await),
            }
        }
        false
    }

    /// The savers were done before a submit got through: submit the quiet response.
    async fn submit_the_quiet_response(&self) {
        let (status, body) = post(
            &self.state,
            "/api/responses/submit",
            &[("response_id", &self.response)],
            &self.cookie,
        )
        .await;
        assert!(
            status == StatusCode::OK || body.contains("verplicht"),
            "{status}: {body}"
        );
    }

    /// What was checked is what was submitted: the stored answers are still complete.
    async fn what_was_checked_is_what_was_submitted(&self) {
        let state = &self.state;
        let version = state
            .questionnaires
            .get(&state.pool, "nad", "2026-06")
            .await
            .unwrap();
        let stored = app::services::responses::answers(&state.pool, &self.response)
            .await
            .unwrap();
        let evaluation = app::services::responses::evaluation(
            &version,
            &stored,
            &app::services::responses::Compared::default(),
        );
        let problems = app::services::responses::blocking_problems(&version, &evaluation);
        assert!(
            problems.is_empty(),
            "a save landed after the submit's check: {problems:?}"
        );
    }

    /// No change in the history and no acknowledged save is later than the submit. Returns
    /// the latest change.
    async fn nothing_landed_after_the_submit(&self, acknowledged: &[i64]) -> i64 {
        let submitted_at: i64 =
            sqlx::query_scalar("SELECT submitted_at FROM responses WHERE id = $1")
                .bind(&self.response)
                .fetch_one(&self.state.pool)
                .await
                .unwrap();
        let latest_change = self.latest_change().await;
        assert!(
            latest_change <= submitted_at,
            "a change at {latest_change} landed after the submit at {submitted_at}"
        );
        assert!(
            acknowledged.iter().all(|at| *at <= submitted_at),
            "a save was acknowledged after the submit"
        );
        latest_change
    }

    /// And after it, a save is refused and changes nothing.
    async fn a_later_save_is_refused_and_changes_nothing(&self, latest_change: i64) {
        let (status, _) = save_on_stored_version(
            &self.state,
            &self.cookie,
            &self.response,
            "a_contactpersoon",
            "Te laat",
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(self.latest_change().await, latest_change);
    }

    /// When the answers' history last changed.
    async fn latest_change(&self) -> i64 {
        sqlx::query_scalar("SELECT MAX(changed_at) FROM answer_history WHERE response_id = $1")
            .bind(&self.response)
            .fetch_one(&self.state.pool)
            .await
            .unwrap()
    }
}
