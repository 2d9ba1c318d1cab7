//! Property: whatever two colleagues save, in whatever order and at the same time, every save
//! the server acknowledged is in the answer's history as written, every overwrite was based on
//! the version it replaced (nothing lost silently), and every other save was reported to its
//! sender as a conflict or as no change.

use crate::support;

use app::domain::access::SignedInUser;
use app::domain::questionnaire::answer::RawAnswer;
use app::domain::response::{AnswerInput, SaveOutcome};
use app::services::state::{AppState, Config};
use proptest::prelude::*;
use std::collections::HashMap;

const KEYS: [&str; 3] = ["a_contactpersoon", "e_wonen_eerst_plekken", "b_wonen_eerst"];
const VALUES: [[&str; 3]; 3] = [
    ["Anna", "Bert", "Carla"],
    ["1", "2", "twee"],
    ["ja", "nee", "deels"],
];

/// One person's saves, each based on the version they last heard of. Returns the saves the
/// server acknowledged as written: (key, version, typed value).
async fn work(
    state: AppState,
    user: SignedInUser,
    response: String,
    saves: Vec<(usize, usize)>,
) -> Vec<(String, i64, String)> {
    let mut seen: HashMap<&str, i64> = HashMap::new();
    let mut written = Vec::new();
    for (key, value) in saves {
        let (key, text) = (KEYS[key], VALUES[key][value]);
        let input = AnswerInput {
            key: key.to_string(),
            raw: RawAnswer {
                values: vec![text.to_string()],
                ..RawAnswer::default()
            },
            base_version: *seen.get(key).unwrap_or(&0),
        };
        let outcome = app::services::responses::save(&state, &user, &response, vec![input])
            .await
            .expect("a save is answered")
            .pop()
            .unwrap();
        match outcome {
            SaveOutcome::Saved { version, .. } => {
                seen.insert(key, version);
                written.push((key.to_string(), version, text.to_string()));
            }
            SaveOutcome::Unchanged { version, .. } => {
                seen.insert(key, version);
            }
            // Reported: the person now sees the colleague's answer and goes on from there.
            SaveOutcome::Conflict(conflict) => {
                assert_eq!(conflict.mine.values, vec![text.to_string()]);
                seen.insert(key, conflict.their_version);
            }
        }
    }
    written
}

fn check(saves_a: Vec<(usize, usize)>, saves_b: Vec<(usize, usize)>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let database = support::databases().await.remove(0);
        let state = support::state_for(&database, Config::default()).await;
        support::seed(&state).await;
        support::load_nad(&state).await;
        let round = support::open_test_round(&state, "Eigenschap").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let anna = support::signed_in(&state, "r01@test.nl").await;
        let bert = support::signed_in(&state, "geblokkeerd@test.nl").await;
        let a = tokio::spawn(work(state.clone(), anna.clone(), response.clone(), saves_a));
        let b = tokio::spawn(work(state.clone(), bert.clone(), response.clone(), saves_b));
        let written_a = a.await.unwrap();
        let written_b = b.await.unwrap();

        let history: Vec<(String, Option<String>, String, i64, String)> = sqlx::query_as(
            "SELECT item_key, old_raw, new_raw, version, changed_by FROM answer_history \
             WHERE response_id = $1 ORDER BY item_key, version",
        )
        .bind(&response)
        .fetch_all(&state.pool)
        .await
        .unwrap();
        for (written, user) in [(&written_a, &anna), (&written_b, &bert)] {
            for (key, version, text) in written {
                let row = history
                    .iter()
                    .find(|row| &row.0 == key && row.3 == *version)
                    .unwrap_or_else(|| {
                        panic!("acknowledged save {key} v{version} is in the history")
                    });
                assert!(
                    row.2.contains(&format!("\"{text}\"")),
                    "{row:?} holds {text}"
                );
                assert_eq!(row.4, user.id);
            }
        }
        // Per item the history is one chain: versions 1..n, each written over the one before.
        for key in KEYS {
            let chain: Vec<_> = history.iter().filter(|row| row.0 == key).collect();
            for (n, row) in chain.iter().enumerate() {
                assert_eq!(row.3, n as i64 + 1, "versions of {key} follow each other");
                let previous = n.checked_sub(1).map(|p| chain[p].2.clone());
                assert_eq!(row.1, previous, "{key} v{} replaced what was there", row.3);
            }
            let stored: Option<(String, i64)> = sqlx::query_as(
                "SELECT raw, version FROM answers WHERE response_id = $1 AND item_key = $2",
            )
            .bind(&response)
            .bind(key)
            .fetch_optional(&state.pool)
            .await
            .unwrap();
            assert_eq!(
                stored.map(|s| (s.0, s.1)),
                chain.last().map(|row| (row.2.clone(), row.3))
            );
        }
        assert_eq!(
            history.len(),
            written_a.len() + written_b.len(),
            "every write was acknowledged to someone"
        );
        support::close(&state).await;
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn every_acknowledged_save_is_kept_or_reported_as_a_conflict(
        saves_a in prop::collection::vec((0..3usize, 0..3usize), 1..10),
        saves_b in prop::collection::vec((0..3usize, 0..3usize), 1..10),
    ) {
        check(saves_a, saves_b);
    }
}
