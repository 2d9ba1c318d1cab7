//! Rounds, questionnaires and regions stay in their programme (regions and compared round).

use super::*;

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
