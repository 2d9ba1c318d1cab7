//! What was asked follows the region's answers in the compared round.

use super::*;

/// Whether an item was asked can depend on the region's answer in the compared round
/// (`changed(x)`): the export decides it from that answer, as the region's form did. R01
/// said "nee" then and "ja" now, so the explanation was asked (and left empty); R02 said
/// "ja" both times, so it was not.
#[tokio::test]
async fn what_was_asked_follows_the_answers_in_the_compared_round() {
    on_every_database(|state| async move {
        seed(&state).await;
        load_nad(&state).await;
        let earlier = earlier_test_round(&state, "Vorige").await;
        let now = app::services::now_ms();
        let round = app::services::rounds::create(
            &state.pool,
            &app::services::audit::Actor::CommandLine,
            app::services::rounds::NewRound {
                name: "Deze".into(),
                questionnaire_id: "nad".into(),
                questionnaire_version: "2026-06".into(),
                state: app::domain::round::RoundState::Open,
                opens_at: now - 1000,
                deadline: now + 86_400_000,
                compared_round_id: Some(earlier.clone()),
                region_codes: None,
            },
        )
        .await
        .unwrap();
        for (region, email, then) in [("R01", "r01@test.nl", "nee"), ("R02", "r02@test.nl", "ja")] {
            let cookie = login(&state, email).await;
            for (round, answer) in [(&earlier, then), (&round, "ja")] {
                let response =
                    app::services::responses::ensure_response(&state.pool, round, region)
                        .await
                        .unwrap();
                save(
                    &state,
                    &cookie,
                    &response,
                    "b_wonen_eerst",
                    values(&[answer]),
                )
                .await;
            }
        }
        let reviewer = login(&state, "reviewer@test.nl").await;
        let reply = download(&state, &round, "lang.csv", &reviewer).await;
        assert_eq!(reply.status(), StatusCode::OK);
        let bytes = body_bytes(reply).await;
        let mut explanation = HashMap::new();
        for record in csv::Reader::from_reader(bytes.as_slice()).records() {
            let record = record.unwrap();
            if &record[7] == "b_wonen_eerst_toelichting" {
                explanation.insert(record[2].to_string(), record[9].to_string());
            }
        }
        assert_eq!(
            explanation["R01"], "NIET_BEANTWOORD",
            "changed since then: asked"
        );
        assert_eq!(
            explanation["R02"], "NIET_GEVRAAGD",
            "the same as then: not asked"
        );
    })
    .await;
}
