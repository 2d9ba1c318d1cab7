//! Property: the review overview's figures, each response's answers as its pages read them
//! and the national picture's tallies, kept between requests (`app::services::counts`,
//! `snapshots`, `national::TallyCache`), always equal a fresh evaluation, whatever
//! coordinators and reviewers did in between: saves in the round and in the round it is
//! compared with, taking answers over and confirming them, submitting and sending back. Each case runs on SQLite, and on PostgreSQL when
//! `TEST_POSTGRES_URL` is set.

use crate::support;

use app::domain::access::SignedInUser;
use app::domain::questionnaire::answer::RawAnswer;
use app::domain::review::ReviewAction;
use app::domain::round::RoundState;
use app::services::audit::Actor;
use app::services::state::{AppState, Config};
use app::services::{responses, snapshots};
use proptest::prelude::*;
use std::sync::Arc;

/// Items in both versions: a condition (a yes/no with a blocking rule), jump warnings against
/// the compared round, a cross-item rule and a required text.
const ANSWERS: [(&str, &[&str]); 5] = [
    ("a_gemeenten_bevestigd", &["ja", "nee", ""]),
    ("f_capaciteit_nacht", &["10", "20", "100", "veel", ""]),
    ("e_woningen_quotum", &["5", "50"]),
    ("e_woningen_toegewezen", &["10", "x"]),
    ("a_contactpersoon", &["Anna", ""]),
];
const REGIONS: [&str; 2] = ["R01", "R02"];

#[derive(Debug, Clone)]
enum Step {
    /// (region, item, value, in the compared round rather than this one)
    Save(usize, usize, usize, bool),
    TakeOver(usize),
    Confirm(usize),
    Submit(usize),
    SendBack(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..2usize, 0..ANSWERS.len(), 0..5usize, any::<bool>())
            .prop_map(|(r, i, v, earlier)| Step::Save(r, i, v % ANSWERS[i].1.len(), earlier)),
        1 => (0..2usize).prop_map(Step::TakeOver),
        1 => (0..2usize).prop_map(Step::Confirm),
        1 => (0..2usize).prop_map(Step::Submit),
        1 => (0..2usize).prop_map(Step::SendBack),
    ]
}

/// Saves on the stored version: these steps test the figures, not conflicts.
async fn save(state: &AppState, who: &SignedInUser, response: &str, key: &str, value: &str) {
    let base: Option<i64> =
        sqlx::query_scalar("SELECT version FROM answers WHERE response_id = $1 AND item_key = $2")
            .bind(response)
            .bind(key)
            .fetch_optional(&state.pool)
            .await
            .unwrap();
    let raw = RawAnswer {
        values: if value.is_empty() {
            vec![]
        } else {
            vec![value.to_string()]
        },
        ..RawAnswer::default()
    };
    let input = app::domain::response::AnswerInput {
        key: key.to_string(),
        raw,
        base_version: base.unwrap_or(0),
    };
    // A submitted response refuses saves: part of what the steps try.
    let _ = responses::save(state, who, response, vec![input]).await;
}

async fn check(steps: Vec<Step>) {
    for database in support::databases().await {
        let state = support::state_for(&database, Config::default()).await;
        let case = KeptCase::start(state).await;
        for (n, step) in steps.iter().enumerate() {
            case.take(step).await;
            let after = format!("on {}, after step {n} of {steps:?}", database.label);
            case.the_overview_is_as_fresh(&after).await;
            case.each_responses_answers_are_as_fresh(&after).await;
            case.the_national_picture_is_as_fresh(&after).await;
        }
        support::close(&case.state).await;
    }
}

/// A round compared with an earlier one, both regions' responses in each (this round's
/// complete), the coordinators and a reviewer.
struct KeptCase {
    state: AppState,
    round: String,
    reviewer: SignedInUser,
    coordinators: [SignedInUser; 2],
    /// Per region: its response in this round and in the compared round.
    ids: Vec<(String, String)>,
}

impl KeptCase {
    async fn start(state: AppState) -> Self {
        support::seed(&state).await;
        support::load_nad(&state).await;
        let earlier = support::earlier_test_round(&state, "Vorige").await;
        let now = app::services::now_ms();
        let round = app::services::rounds::create(
            &state.pool,
            &Actor::CommandLine,
            app::services::rounds::NewRound {
                name: "Deze".into(),
                questionnaire_id: "nad".into(),
                questionnaire_version: "2026-06".into(),
                state: RoundState::Open,
                opens_at: now - 1000,
                deadline: now + 86_400_000,
                compared_round_id: Some(earlier.clone()),
                region_codes: None,
            },
        )
        .await
        .unwrap();
        let reviewer = support::signed_in(&state, "reviewer@test.nl").await;
        let coordinators = [
            support::signed_in(&state, "r01@test.nl").await,
            support::signed_in(&state, "r02@test.nl").await,
        ];
        let mut ids = Vec::new();
        for region in REGIONS {
            let now_id = responses::ensure_response(&state.pool, &round, region)
                .await
                .unwrap();
            let then_id = responses::ensure_response(&state.pool, &earlier, region)
                .await
                .unwrap();
            ids.push((now_id, then_id));
        }
        // Both regions start complete, so that submitting can succeed and the national
        // picture has responses to count.
        for (n, email) in ["r01@test.nl", "r02@test.nl"].into_iter().enumerate() {
            let cookie = support::login(&state, email).await;
            support::fill_in_everything(&state, &cookie, &ids[n].0).await;
        }
        KeptCase {
            state,
            round,
            reviewer,
            coordinators,
            ids,
        }
    }

    /// Takes one step as its coordinator or the reviewer; refusals are part of what the steps
    /// try.
    async fn take(&self, step: &Step) {
        let (state, ids, coordinators) = (&self.state, &self.ids, &self.coordinators);
        match step {
            Step::Save(r, i, v, in_earlier) => {
                let (key, values) = ANSWERS[*i];
                let response = if *in_earlier { &ids[*r].1 } else { &ids[*r].0 };
                save(state, &coordinators[*r], response, key, values[*v]).await;
            }
            Step::TakeOver(r) => {
                let _ = responses::prefill(state, &coordinators[*r], &ids[*r].0, None).await;
            }
            Step::Confirm(r) => {
                use responses::Confirming;
                for confirming in [
                    Confirming::Section("A"),
                    Confirming::Section("E"),
                    Confirming::Item("f_capaciteit_nacht"),
                ] {
                    let _ = responses::confirm_prefilled(
                        state,
                        &coordinators[*r],
                        &ids[*r].0,
                        confirming,
                    )
                    .await;
                }
            }
            Step::Submit(r) => {
                // Every other region ticks that its taken-over answers are still right.
                let _ = responses::submit(
                    state,
                    &coordinators[*r],
                    &ids[*r].0,
                    responses::Submitting {
                        confirming_taken_over: *r % 2 == 0,
                        ..Default::default()
                    },
                )
                .await;
            }
            Step::SendBack(r) => {
                let _ = app::services::review::send_back(
                    state,
                    &self.reviewer,
                    &ids[*r].0,
                    ReviewAction::Return,
                    "Graag de capaciteit nakijken.",
                )
                .await;
            }
        }
    }

    /// The same state without anything kept.
    fn fresh(&self) -> AppState {
        AppState {
            counts: Arc::default(),
            snapshots: Arc::default(),
            tallies: Arc::default(),
            publications: Arc::default(),
            open_data: Arc::default(),
            ..self.state.clone()
        }
    }

    /// The overview after every step, so the kept figures are used and renewed.
    async fn the_overview_is_as_fresh(&self, after: &str) {
        let kept = app::services::review::overview(&self.state, &self.reviewer, &self.round)
            .await
            .unwrap()
            .1;
        let fresh = app::services::review::overview(&self.fresh(), &self.reviewer, &self.round)
            .await
            .unwrap()
            .1;
        assert_eq!(kept, fresh, "{after}");
    }

    /// Each response's kept answers, as the section page and the task list read them.
    async fn each_responses_answers_are_as_fresh(&self, after: &str) {
        let state = &self.state;
        for (now_id, then_id) in &self.ids {
            for id in [now_id, then_id] {
                let (response, version) = responses::readable(state, &self.reviewer, id)
                    .await
                    .unwrap();
                let kept = snapshots::of_response(state, &version, &response)
                    .await
                    .unwrap();
                let fresh = snapshots::read(state, &version, &response).await.unwrap();
                assert!(
                    kept.stored == fresh.stored
                        && kept.evaluation == fresh.evaluation
                        && kept.compared.answers == fresh.compared.answers
                        && kept.compared.raw == fresh.compared.raw,
                    "the kept answers of {id} differ from fresh ones {after}"
                );
            }
        }
    }

    async fn the_national_picture_is_as_fresh(&self, after: &str) {
        let kept = app::services::national::picture(&self.state, &self.reviewer, &self.round, None)
            .await
            .unwrap();
        let fresh =
            app::services::national::picture(&self.fresh(), &self.reviewer, &self.round, None)
                .await
                .unwrap();
        // Not printed whole on failure: a picture is thousands of lines.
        assert!(
            kept == fresh,
            "the kept national picture differs from a fresh one {after}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]
    #[test]
    fn kept_figures_equal_a_fresh_evaluation(steps in prop::collection::vec(step(), 1..14)) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(check(steps));
    }
}
