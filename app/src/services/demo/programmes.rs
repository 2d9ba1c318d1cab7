//! The demo's second programme, Beschermd Thuis: six regions of its own with their gemeenten,
//! its own questionnaire and one open round, in which three regions have answered. One demo
//! account coordinates a region in both programmes with one login.

use super::{add_unusable_coordinators, DAY_MS};
use crate::domain::round::RoundState;
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::demo_history::{generate, store, Filing};
use crate::services::questionnaires::Cache;
use crate::services::rounds::NewRound;
use crate::services::{gemeenten, now_ms, programmes, questionnaires, regions, users};
use sqlx::AnyPool;
use std::collections::HashMap;

/// Code, name, short name and colour.
pub const PROGRAMME: [&str; 4] = ["bt", "Beschermd Thuis", "BT", "#5b2a86"];
pub const REGIONS_CSV: &[u8] = include_bytes!("../../../../demo/bt-regions.csv");
pub const GEMEENTEN_CSV: &[u8] = include_bytes!("../../../../demo/bt-gemeenten.csv");
pub const QUESTIONNAIRE: (&str, &str) = (
    "beschermd-thuis-2026-06.toml",
    include_str!("../../../../questionnaires/beschermd-thuis-2026-06.toml"),
);
/// The open round's name.
pub const ROUND_NAME: &str = "1e meting Beschermd Thuis – december 2026";
/// The region the NAD demo account of Zwolle also coordinates.
pub const SHARED_REGION: &str = "BT04";

/// Loads the programme; `shared_coordinator` (a NAD coordinator's user id) also coordinates
/// `SHARED_REGION`.
pub(super) async fn load(
    pool: &AnyPool,
    cache: &Cache,
    shared_coordinator: &str,
) -> Result<(), AppError> {
    let actor = Actor::CommandLine;
    let [code, name, short_name, colour] = PROGRAMME;
    programmes::add(pool, &actor, code, name, short_name, colour).await?;
    let region_list = regions::parse_csv(REGIONS_CSV).map_err(|problems| {
        AppError::internal(
            "the shipped BT regions file is broken",
            format!("{problems:?}"),
        )
    })?;
    regions::import(pool, &actor, code, &region_list).await?;
    let codes = region_list.iter().map(|r| r.code.clone()).collect();
    let gemeente_list =
        gemeenten::parse_csv(GEMEENTEN_CSV, &codes, &Default::default()).map_err(|problems| {
            AppError::internal(
                "the shipped BT gemeenten file is broken",
                format!("{problems:?}"),
            )
        })?;
    gemeenten::import(pool, &actor, code, &gemeente_list).await?;
    let (file_name, source) = QUESTIONNAIRE;
    questionnaires::import(pool, cache, &actor, file_name, source)
        .await
        .map_err(|problems| {
            AppError::internal(
                "the shipped BT questionnaire does not load",
                format!("{problems:?}"),
            )
        })?;
    users::other_regions::add(pool, &actor, shared_coordinator, SHARED_REGION).await?;
    let mut coordinators = HashMap::new();
    add_unusable_coordinators(pool, &region_list, &mut coordinators).await?;
    let version = cache.get(pool, "beschermd-thuis", "2026-06").await?;
    let now = now_ms();
    let round_id = crate::services::rounds::create(
        pool,
        &actor,
        NewRound {
            name: ROUND_NAME.to_string(),
            questionnaire_id: version.questionnaire.identifier.clone(),
            questionnaire_version: version.questionnaire.version.clone(),
            state: RoundState::Open,
            opens_at: now - 10 * DAY_MS,
            deadline: now + 60 * DAY_MS,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await?;
    // Two regions submitted, one is busy; the shared coordinator's region has not started.
    let reference_date = crate::domain::time::input_date(now - 10 * DAY_MS);
    for (position, (region, submitted, sections)) in [
        ("BT01", true, usize::MAX),
        ("BT02", true, usize::MAX),
        ("BT03", false, 2),
    ]
    .into_iter()
    .enumerate()
    {
        let raw = generate(
            &version,
            &HashMap::new(),
            position,
            0,
            &reference_date,
            sections,
        );
        let filing = Filing {
            round_id: &round_id,
            region_code: region,
            user_id: &coordinators[region],
            at: now - DAY_MS,
            submitted,
        };
        store(pool, &version, filing, &raw).await?;
    }
    Ok(())
}
