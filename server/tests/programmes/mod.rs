//! Programmes side by side: a coordinator of one programme never reaches another programme's
//! regions, one login may coordinate a region in each of several programmes, rounds take the
//! regions and the compared round of their own programme, each programme's publications form a
//! public series of their own, and the migration puts everything that existed before into NAD,
//! on SQLite and PostgreSQL.

use crate::support;

use app::services::audit::Actor;
use app::services::demo::programmes::{GEMEENTEN_CSV, QUESTIONNAIRE, REGIONS_CSV};
use app::services::state::AppState;
use app::services::{gemeenten, programmes, questionnaires, regions, rounds, users};
use axum::http::StatusCode;
use serde_json::Value;
use support::*;

mod coordinators;
mod migration;
mod new_programmes;
mod publication_series;
mod rounds_and_definitions;

/// The NAD test set (`seed`, both NAD versions, an open NAD round) beside a Beschermd Thuis
/// programme with its own six regions, gemeenten, questionnaire, an open round and a
/// coordinator of BT01; returns (NAD round, BT round).
async fn two_programmes(state: &AppState) -> (String, String) {
    seed(state).await;
    load_nad(state).await;
    let nad_round = open_test_round(state, "NAD-meting").await;
    programmes::add(
        &state.pool,
        &Actor::CommandLine,
        "bt",
        "Beschermd Thuis",
        "BT",
        "#5b2a86",
    )
    .await
    .unwrap();
    let bt_regions = regions::parse_csv(REGIONS_CSV).unwrap();
    regions::import(&state.pool, &Actor::CommandLine, "bt", &bt_regions)
        .await
        .unwrap();
    let codes = bt_regions.iter().map(|r| r.code.clone()).collect();
    let division = gemeenten::parse_csv(GEMEENTEN_CSV, &codes, &Default::default()).unwrap();
    gemeenten::import(&state.pool, &Actor::CommandLine, "bt", &division)
        .await
        .unwrap();
    let (file_name, source) = QUESTIONNAIRE;
    questionnaires::import(
        &state.pool,
        &state.questionnaires,
        &Actor::CommandLine,
        file_name,
        source,
    )
    .await
    .unwrap();
    let bt_round = rounds::create(
        &state.pool,
        &Actor::CommandLine,
        rounds::NewRound {
            name: "BT-meting".into(),
            questionnaire_id: "beschermd-thuis".into(),
            questionnaire_version: "2026-06".into(),
            state: app::domain::round::RoundState::Open,
            opens_at: app::services::now_ms() - 1000,
            deadline: app::services::now_ms() + 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .unwrap();
    let id = users::create(
        &state.pool,
        &Actor::CommandLine,
        users::NewUser {
            email: "bt01@test.nl".into(),
            display_name: "BT Groningen".into(),
            role: "coordinator".into(),
            region_code: Some("BT01".into()),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    users::exempt_from_two_factor(&state.pool, &id)
        .await
        .unwrap();
    (nad_round, bt_round)
}
