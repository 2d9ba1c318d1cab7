//! Demo data: the working list of 45 regions, both NAD questionnaire versions, an admin, a
//! reviewer and a coordinator for each of four regions, three earlier rounds with answers
//! (see `demo_history`) and an open round that is partly filled in. Only for an empty
//! database; the passwords are public. The reviewer's work and the publications are
//! `demo/review.rs`; the second programme, Beschermd Thuis, is `demo/programmes.rs`.

pub mod programmes;
mod review;

pub use review::{APPROVED_REGION, RETURNED_REGION};

use super::audit::Actor;
use super::demo_history::{generate, store, Filing};
use super::questionnaires::LoadedVersion;
use super::rounds::NewRound;
use super::{new_id, now_ms, passwords, questionnaires, regions, users};
use crate::domain::account::normalize_email;
use crate::domain::comparison::VersionMapping;
use crate::domain::programme::DEFAULT_PROGRAMME;
use crate::domain::questionnaire::answer::{parse_answer, Answer, RawAnswer};
use crate::domain::region::Region;
use crate::domain::round::RoundState;
use crate::domain::time::{end_of_local_day, start_of_local_day};
use crate::error::AppError;
use sqlx::AnyPool;
use std::collections::{BTreeMap, HashMap};

pub const REGIONS_CSV: &[u8] = include_bytes!("../../../demo/regions.csv");
/// A working list of the gemeenten per region (CBS codes, 2025 division); an admin loads the
/// official one with `nad-monitor gemeenten import`.
pub const GEMEENTEN_CSV: &[u8] = include_bytes!("../../../demo/gemeenten.csv");

/// The shipped NAD questionnaire, previous version first.
pub const QUESTIONNAIRES: [(&str, &str); 2] = [
    (
        "nad-2025-12.toml",
        include_str!("../../../questionnaires/nad-2025-12.toml"),
    ),
    (
        "nad-2026-06.toml",
        include_str!("../../../questionnaires/nad-2026-06.toml"),
    ),
];

/// A demo account: e-mail, name, role, region, password, and the regions a reviewer advises.
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub region: Option<&'static str>,
    pub password: &'static str,
    pub advises: &'static [&'static str],
}

pub const ACCOUNTS: [DemoAccount; 7] = [
    DemoAccount {
        email: "beheerder@nad.example",
        name: "Bea Beheer",
        role: "admin",
        region: None,
        password: "demo-beheerder-2026",
        advises: &[],
    },
    DemoAccount {
        email: "reviewer@nad.example",
        name: "Ruben Reviewer",
        role: "reviewer",
        region: None,
        password: "demo-reviewer-2026",
        advises: &[],
    },
    DemoAccount {
        email: "groningen@nad.example",
        name: "Gerda Groningen",
        role: "coordinator",
        region: Some("R01"),
        password: "demo-groningen-2026",
        advises: &[],
    },
    DemoAccount {
        email: "assen@nad.example",
        name: "Arjen Assen",
        role: "coordinator",
        region: Some("R03"),
        password: "demo-assen-2026",
        advises: &[],
    },
    DemoAccount {
        email: "utrecht@nad.example",
        name: "Ulla Utrecht",
        role: "coordinator",
        region: Some("R16"),
        password: "demo-utrecht-2026",
        advises: &[],
    },
    // Also coordinates Zwolle in Beschermd Thuis (`programmes::SHARED_REGION`).
    DemoAccount {
        email: "zwolle@nad.example",
        name: "Zoë Zwolle",
        role: "coordinator",
        region: Some("R06"),
        password: "demo-zwolle-2026",
        advises: &[],
    },
    // A region adviser: fills in the questionnaires of Noord-Veluwe (R10, not started in the
    // open round) and Zaanstreek (R19, busy) with those regions.
    DemoAccount {
        email: "adviseur@nad.example",
        name: "Anna Adviseur",
        role: "reviewer",
        region: None,
        password: "demo-adviseur-2026",
        advises: &["R10", "R19"],
    },
];

/// True when the database holds no users and no regions yet.
pub async fn is_empty(pool: &AnyPool) -> Result<bool, AppError> {
    let count: i64 =
        sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM regions)")
            .fetch_one(pool)
            .await?;
    Ok(count == 0)
}

/// The demo's invited colleague, whose invitation waits in the outbox.
pub const INVITED_EMAIL: &str = "uitgenodigd@nad.example";

/// Loads the demo data into an empty database.
pub async fn load(state: &super::state::AppState) -> Result<(), AppError> {
    let (pool, cache, mail) = (&state.pool, &*state.questionnaires, &state.config.mail);
    if !is_empty(pool).await? {
        return Err(AppError::BadRequest(
            "De database bevat al gebruikers of regio's; demodata laden kan alleen in een lege database."
                .to_string(),
        ));
    }
    let region_list = regions::parse_csv(REGIONS_CSV).map_err(|problems| {
        AppError::internal(
            "the shipped demo regions file is broken",
            format!("{problems:?}"),
        )
    })?;
    regions::import(pool, &Actor::CommandLine, DEFAULT_PROGRAMME, &region_list).await?;
    let region_codes = region_list.iter().map(|r| r.code.clone()).collect();
    let gemeente_list =
        super::gemeenten::parse_csv(GEMEENTEN_CSV, &region_codes, &Default::default()).map_err(
            |problems| {
                AppError::internal(
                    "the shipped demo gemeenten file is broken",
                    format!("{problems:?}"),
                )
            },
        )?;
    super::gemeenten::import(pool, &Actor::CommandLine, DEFAULT_PROGRAMME, &gemeente_list).await?;
    for (file_name, source) in QUESTIONNAIRES {
        questionnaires::import(pool, cache, &Actor::CommandLine, file_name, source)
            .await
            .map_err(|problems| {
                AppError::internal(
                    "a shipped questionnaire does not load",
                    format!("{file_name}: {problems:?}"),
                )
            })?;
    }
    let mut coordinators: HashMap<String, String> = HashMap::new();
    for account in &ACCOUNTS {
        let id = users::create(
            pool,
            &Actor::CommandLine,
            users::NewUser {
                email: account.email.to_string(),
                display_name: account.name.to_string(),
                role: account.role.to_string(),
                region_code: account.region.map(str::to_string),
                password: account.password.to_string(),
            },
        )
        .await?;
        // Their passwords are public: a second factor would protect nothing.
        users::exempt_from_two_factor(pool, &id).await?;
        for region in account.advises {
            users::advised_regions::add(pool, &Actor::CommandLine, &id, region).await?;
        }
        if let Some(region) = account.region {
            coordinators.insert(region.to_string(), id);
        }
    }
    // One colleague invited and not yet arrived: the outbox page shows the invitation, whose
    // link works (the demo has no mail server).
    users::invite(
        pool,
        &Actor::CommandLine,
        mail,
        users::NewAccount {
            email: INVITED_EMAIL.to_string(),
            display_name: "Ilse Uitgenodigd".to_string(),
            role: "coordinator".to_string(),
            region_code: Some("R16".to_string()),
        },
    )
    .await?;
    let previous = cache.get(pool, "nad", "2025-12").await?;
    let current = cache.get(pool, "nad", "2026-06").await?;
    load_history(pool, &region_list, &mut coordinators, &previous, &current).await?;
    review::load_reviews(pool).await?;
    review::publish_history(state).await?;
    programmes::load(pool, cache, &coordinators["R06"]).await
}

/// Regions without answers in June 2026 that have not started the open round: the demo
/// accounts' regions and Waterland, so they show the platform from a clean start.
pub const BLANK_REGIONS: [&str; 4] = ["R01", "R03", "R16", "R20"];

/// How far a region is in the open round, by its place in the list: most have submitted,
/// some are busy, some have not started.
enum Progress {
    Submitted,
    Busy,
    NotStarted,
}

fn progress(code: &str, position: usize) -> Progress {
    if BLANK_REGIONS.contains(&code) {
        return Progress::NotStarted;
    }
    match (position + 1) % 5 {
        0 => Progress::NotStarted,
        4 => Progress::Busy,
        _ => Progress::Submitted,
    }
}

fn parsed(version: &LoadedVersion, raw: &BTreeMap<String, RawAnswer>) -> HashMap<String, Answer> {
    raw.iter()
        .filter_map(|(key, input)| {
            let item = version.questionnaire.item(key)?;
            Some((key.clone(), parse_answer(item, input).ok()??))
        })
        .collect()
}

/// The history: three closed rounds and the open one, each filled in by the regions that
/// take part, every region's answers following on from its answers the round before.
async fn load_history(
    pool: &AnyPool,
    region_list: &[Region],
    coordinators: &mut HashMap<String, String>,
    previous: &LoadedVersion,
    current: &LoadedVersion,
) -> Result<(), AppError> {
    add_unusable_coordinators(pool, region_list, coordinators).await?;
    let rounds = history_rounds(previous, current, now_ms());
    let mapping = VersionMapping::new(&[&previous.questionnaire, &current.questionnaire]);
    // Each region's answers in the round before, in the current version's keys.
    let mut before: HashMap<String, HashMap<String, Answer>> = HashMap::new();
    for (round, planned) in rounds.iter().enumerate() {
        let round_id = create_round(pool, planned).await?;
        // December 2025 is the last round on the previous version: the next round reads
        // its answers in the current version's keys.
        let to_current = (round == 1).then_some(&mapping);
        let filled = Filled {
            round,
            round_id: &round_id,
            planned,
            coordinators,
            to_current,
        };
        before = fill_round(pool, region_list, &filled, &before).await?;
    }
    Ok(())
}

/// Every region has a coordinator who filled in the earlier rounds; those without a demo
/// account get one that nobody can log in to until an admin sets a password.
async fn add_unusable_coordinators(
    pool: &AnyPool,
    region_list: &[Region],
    coordinators: &mut HashMap<String, String>,
) -> Result<(), AppError> {
    let unusable_hash = passwords::hash(new_id()).await?;
    for region in region_list {
        if coordinators.contains_key(&region.code) {
            continue;
        }
        let id = new_id();
        let email = format!("coordinator.{}@nad.example", region.code.to_lowercase());
        sqlx::query(
            "INSERT INTO users (id, email, email_normalized, display_name, role, region_code, \
             password_hash, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'coordinator', $5, $6, 1, $7, $7)",
        )
        .bind(&id)
        .bind(&email)
        .bind(normalize_email(&email))
        .bind(format!("Coördinator {}", region.name))
        .bind(&region.code)
        .bind(&unusable_hash)
        .bind(now_ms())
        .execute(pool)
        .await?;
        coordinators.insert(region.code.clone(), id);
    }
    Ok(())
}

pub(super) const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A round of the demo's history, and when its responses were filled in.
struct PlannedRound<'a> {
    name: &'static str,
    version: &'a LoadedVersion,
    state: RoundState,
    opens_at: i64,
    deadline: i64,
    filled_at: i64,
}

/// Three closed rounds, the last on the current version, and the open round around `now`.
fn history_rounds<'a>(
    previous: &'a LoadedVersion,
    current: &'a LoadedVersion,
    now: i64,
) -> [PlannedRound<'a>; 4] {
    let closed = |name, version, opens_at, deadline| PlannedRound {
        name,
        version,
        state: RoundState::Closed,
        opens_at,
        deadline,
        filled_at: deadline - 3 * DAY_MS,
    };
    [
        closed(
            "3e meting – juni 2025",
            previous,
            start_of_local_day(2025, 5, 19),
            end_of_local_day(2025, 6, 27),
        ),
        closed(
            "4e meting – december 2025",
            previous,
            start_of_local_day(2025, 11, 17),
            end_of_local_day(2025, 12, 19),
        ),
        closed(
            "5e meting – juni 2026",
            current,
            start_of_local_day(2026, 5, 18),
            end_of_local_day(2026, 6, 26),
        ),
        PlannedRound {
            name: "6e meting – december 2026",
            version: current,
            state: RoundState::Open,
            opens_at: now - 10 * DAY_MS,
            deadline: now + 60 * DAY_MS,
            filled_at: now - DAY_MS,
        },
    ]
}

async fn create_round(pool: &AnyPool, planned: &PlannedRound<'_>) -> Result<String, AppError> {
    let questionnaire = &planned.version.questionnaire;
    super::rounds::create(
        pool,
        &Actor::CommandLine,
        NewRound {
            name: planned.name.to_string(),
            questionnaire_id: questionnaire.identifier.clone(),
            questionnaire_version: questionnaire.version.clone(),
            state: planned.state,
            opens_at: planned.opens_at,
            deadline: planned.deadline,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
}

/// A created round of the history, to be filled in by the regions.
struct Filled<'a> {
    /// Its place in the history, 0 to 3.
    round: usize,
    round_id: &'a str,
    planned: &'a PlannedRound<'a>,
    coordinators: &'a HashMap<String, String>,
    /// The mapping of its version onto the next round's, when that is another version.
    to_current: Option<&'a VersionMapping>,
}

/// Each region's response to the round, generated from its answers `before`; returns the
/// answers, in the next round's keys.
async fn fill_round(
    pool: &AnyPool,
    region_list: &[Region],
    filled: &Filled<'_>,
    before: &HashMap<String, HashMap<String, Answer>>,
) -> Result<HashMap<String, HashMap<String, Answer>>, AppError> {
    let (planned, version) = (filled.planned, filled.planned.version);
    let reference_date = crate::domain::time::input_date(planned.opens_at + 14 * DAY_MS);
    let mut answered: HashMap<String, HashMap<String, Answer>> = HashMap::new();
    for (position, region) in region_list.iter().enumerate() {
        let Some((submitted, sections)) = participation(filled.round, &region.code, position)
        else {
            continue;
        };
        let empty = HashMap::new();
        let previous_answers = before.get(&region.code).unwrap_or(&empty);
        let raw = generate(
            version,
            previous_answers,
            position,
            filled.round,
            &reference_date,
            sections,
        );
        let filing = Filing {
            round_id: filled.round_id,
            region_code: &region.code,
            user_id: &filled.coordinators[&region.code],
            at: planned.filled_at,
            submitted,
        };
        store(pool, version, filing, &raw).await?;
        let answers = parsed(version, &raw);
        let in_next_keys = match filled.to_current {
            Some(mapping) => mapping.answers(&answers),
            None => answers,
        };
        answered.insert(region.code.clone(), in_next_keys);
    }
    Ok(answered)
}

/// Whether a region takes part in round `round` of the history: if so, whether it submitted
/// and how many sections it filled in.
fn participation(round: usize, code: &str, position: usize) -> Option<(bool, usize)> {
    match round {
        0 | 1 => Some((true, usize::MAX)),
        2 if BLANK_REGIONS.contains(&code) => None,
        2 => Some((true, usize::MAX)),
        _ => match progress(code, position) {
            Progress::NotStarted => None,
            Progress::Busy => Some((false, 3)),
            Progress::Submitted => Some((true, usize::MAX)),
        },
    }
}
