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
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Racemeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let cookie = login(&state, "r01@test.nl").await;
        fill_in_everything(&state, &cookie, &response).await;

        // The savers empty a required answer and fill it in again, over and over: a save
        // that lands after the submit's check leaves a submitted response incomplete.
        let savers: Vec<_> = (0..SAVERS)
            .map(|saver| {
                let (state, cookie, response) = (state.clone(), cookie.clone(), response.clone());
                tokio::spawn(async move {
                    let mut acknowledged = Vec::new();
                    for save in 0..SAVES_EACH {
                        let value = if (saver + save) % 2 == 0 {
                            String::new()
                        } else {
                            format!("Contact {saver}-{save}")
                        };
                        let (status, reply) = save_on_stored_version(
                            &state,
                            &cookie,
                            &response,
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
                })
            })
            .collect();
        // Submit while the saves are under way: refused (422) while the answer happens to
        // be empty, until a moment when it is not.
        let mut submitted = false;
        for _ in 0..500 {
            let reply = send(
                &state,
                call(
                    "/api/responses/submit",
                    &form(&[("response_id", &response)]),
                    Some(&cookie),
                ),
            )
            .await;
            match reply.status() {
                StatusCode::OK => {
                    submitted = true;
                    break;
                }
                StatusCode::UNPROCESSABLE_ENTITY => {
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await
                }
                other => panic!("submit: {other}: {}", body_text(reply).await),
            }
        }
        let mut acknowledged = Vec::new();
        for saver in savers {
            acknowledged.extend(saver.await.unwrap());
        }
        if !submitted {
            // The savers were done before a submit got through: submit the quiet response.
            let (status, body) = post(
                &state,
                "/api/responses/submit",
                &[("response_id", &response)],
                &cookie,
            )
            .await;
            assert!(
                status == StatusCode::OK || body.contains("verplicht"),
                "{status}: {body}"
            );
            return;
        }

        // What was checked is what was submitted: the stored answers are still complete.
        let version = state
            .questionnaires
            .get(&state.pool, "nad", "2026-06")
            .await
            .unwrap();
        let stored = app::services::responses::answers(&state.pool, &response)
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
        let submitted_at: i64 =
            sqlx::query_scalar("SELECT submitted_at FROM responses WHERE id = $1")
                .bind(&response)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        let latest_change: i64 =
            sqlx::query_scalar("SELECT MAX(changed_at) FROM answer_history WHERE response_id = $1")
                .bind(&response)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert!(
            latest_change <= submitted_at,
            "a change at {latest_change} landed after the submit at {submitted_at}"
        );
        assert!(
            acknowledged.iter().all(|at| *at <= submitted_at),
            "a save was acknowledged after the submit"
        );
        // And after it, a save is refused and changes nothing.
        let (status, _) =
            save_on_stored_version(&state, &cookie, &response, "a_contactpersoon", "Te laat").await;
        assert_eq!(status, StatusCode::CONFLICT);
        let after: i64 =
            sqlx::query_scalar("SELECT MAX(changed_at) FROM answer_history WHERE response_id = $1")
                .bind(&response)
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(after, latest_change);
    })
    .await;
}
