//! Demo data: the working list of 45 regions, both NAD questionnaire versions, an admin, a
//! reviewer and a coordinator for each of three regions, two earlier rounds with answers
//! (see `demo_history`) and an open round that is partly filled in. Only for an empty
//! database; the passwords are public.

use super::audit::Actor;
use super::demo_history::{generate, store};
use super::questionnaires::LoadedVersion;
use super::rounds::NewRound;
use super::{new_id, now_ms, passwords, questionnaires, regions, users};
use crate::domain::account::normalize_email;
use crate::domain::comparison::VersionMapping;
use crate::domain::questionnaire::answer::{parse_answer, Answer, RawAnswer};
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

/// A demo account: e-mail, name, role, region, password.
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub region: Option<&'static str>,
    pub password: &'static str,
}

pub const ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        email: "beheerder@nad.example",
        name: "Bea Beheer",
        role: "admin",
        region: None,
        password: "demo-beheerder-2026",
    },
    DemoAccount {
        email: "reviewer@nad.example",
        name: "Ruben Reviewer",
        role: "reviewer",
        region: None,
        password: "demo-reviewer-2026",
    },
    DemoAccount {
        email: "groningen@nad.example",
        name: "Gerda Groningen",
        role: "coordinator",
        region: Some("R01"),
        password: "demo-groningen-2026",
    },
    DemoAccount {
        email: "assen@nad.example",
        name: "Arjen Assen",
        role: "coordinator",
        region: Some("R03"),
        password: "demo-assen-2026",
    },
    DemoAccount {
        email: "utrecht@nad.example",
        name: "Ulla Utrecht",
        role: "coordinator",
        region: Some("R16"),
        password: "demo-utrecht-2026",
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

/// Loads the demo data into an empty database.
/// The demo's invited colleague, whose invitation waits in the outbox.
pub const INVITED_EMAIL: &str = "uitgenodigd@nad.example";

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
    regions::import(pool, &Actor::CommandLine, &region_list).await?;
    let region_codes = region_list.iter().map(|r| r.code.clone()).collect();
    let gemeente_list =
        super::gemeenten::parse_csv(GEMEENTEN_CSV, &region_codes).map_err(|problems| {
            AppError::internal(
                "the shipped demo gemeenten file is broken",
                format!("{problems:?}"),
            )
        })?;
    super::gemeenten::import(pool, &Actor::CommandLine, &gemeente_list).await?;
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
    load_reviews(pool).await?;
    publish_history(state).await
}

/// The conclusions of the demo's latest publication, as the programme would write them.
const CONCLUSIONS: &str = "Alle regio's werken aan een regionale aanpak van dakloosheid. De belangrijkste ontwikkelingen sinds december 2025:

- **Wonen Eerst** staat in 95% van de regionale plannen, tegen 82% een half jaar eerder.
- **Opvang in de gemeente van herkomst**: 92% van de regio's regelt dit, tegen 79% in december 2025.
- Vier regio's hadden bij publicatie nog geen goedgekeurde antwoorden; zij staan als *geen gegevens* in het dashboard en tellen niet mee.

# Aandachtspunten

- Bezwaren van omwonenden vertragen in meerdere regio's de bouw van nieuwe opvang- en woonvoorzieningen.
- Het aantal Wonen Eerst-plekken groeit, maar de uitstroom uit de opvang blijft achter bij de doelen.
";

/// Publishes the earlier rounds in order, a few weeks after each deadline, the latest with
/// its conclusions: the public dashboard has a history from the start.
async fn publish_history(state: &super::state::AppState) -> Result<(), AppError> {
    let closed: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, deadline FROM rounds WHERE state = 'closed' ORDER BY deadline")
            .fetch_all(&state.pool)
            .await?;
    let last = closed.len().saturating_sub(1);
    for (n, (round_id, deadline)) in closed.iter().enumerate() {
        let conclusions = if n == last { CONCLUSIONS } else { "" };
        let three_weeks_later = deadline + 21 * 24 * 60 * 60 * 1000;
        super::publications::publish_as_of(
            state,
            &Actor::CommandLine,
            round_id,
            conclusions,
            three_weeks_later,
        )
        .await?;
    }
    Ok(())
}

/// The open round's regions the reviewer has already dealt with: one sent back with a
/// comment, one approved. Earlier rounds are approved throughout.
pub const RETURNED_REGION: &str = "R02";
pub const APPROVED_REGION: &str = "R06";

/// The reviewer's work: every response of the earlier rounds approved a few days after it came
/// in; in the open round one response sent back with a comment and one approved.
async fn load_reviews(pool: &AnyPool) -> Result<(), AppError> {
    let day = 24 * 60 * 60 * 1000;
    let reviewer: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = 'reviewer@nad.example'")
            .fetch_one(pool)
            .await?;
    sqlx::query(
        "UPDATE responses SET status = 'approved', approved_by = $1, approved_at = submitted_at + $2 \
         WHERE status = 'submitted' AND round_id IN (SELECT id FROM rounds WHERE state <> 'open')",
    )
    .bind(&reviewer)
    .bind(5 * day)
    .execute(pool)
    .await?;
    let open_round: String = sqlx::query_scalar("SELECT id FROM rounds WHERE state = 'open'")
        .fetch_one(pool)
        .await?;
    let response_of = |region: &'static str| {
        let open_round = open_round.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT id FROM responses WHERE round_id = $1 AND region_code = $2",
            )
            .bind(open_round)
            .bind(region)
            .fetch_one(pool)
            .await
        }
    };
    let now = now_ms();
    let approved = response_of(APPROVED_REGION).await?;
    sqlx::query("UPDATE responses SET status = 'approved', approved_by = $1, approved_at = $2 WHERE id = $3")
        .bind(&reviewer)
        .bind(now - day / 2)
        .bind(&approved)
        .execute(pool)
        .await?;
    let returned = response_of(RETURNED_REGION).await?;
    sqlx::query(
        "UPDATE responses SET status = 'returned', returned_by = $1, returned_at = $2, \
         return_reason = $3, submitted_at = NULL, submitted_by = NULL WHERE id = $4",
    )
    .bind(&reviewer)
    .bind(now - day / 2)
    .bind("Het aantal plekken voor Wonen Eerst is sterk veranderd; zie de opmerking bij de vraag.")
    .bind(&returned)
    .execute(pool)
    .await?;
    let thread = new_id();
    sqlx::query(
        "INSERT INTO comment_threads (id, response_id, item_key, resolved, created_by, created_at) \
         VALUES ($1, $2, 'e_wonen_eerst_plekken', 0, $3, $4)",
    )
    .bind(&thread)
    .bind(&returned)
    .bind(&reviewer)
    .bind(now - day / 2)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(&thread)
    .bind(&reviewer)
    .bind("Klopt dit aantal? Het wijkt veel af van de vorige meting. Graag een korte toelichting.")
    .bind(now - day / 2)
    .execute(pool)
    .await?;
    Ok(())
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

async fn load_history(
    pool: &AnyPool,
    region_list: &[crate::domain::region::Region],
    coordinators: &mut HashMap<String, String>,
    previous: &LoadedVersion,
    current: &LoadedVersion,
) -> Result<(), AppError> {
    // Every region has a coordinator who filled in the earlier rounds; those without a demo
    // account get one that nobody can log in to until an admin sets a password.
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

    let day = 24 * 60 * 60 * 1000;
    let now = now_ms();
    let rounds = [
        (
            "3e meting – juni 2025",
            previous,
            RoundState::Closed,
            start_of_local_day(2025, 5, 19),
            end_of_local_day(2025, 6, 27),
        ),
        (
            "4e meting – december 2025",
            previous,
            RoundState::Closed,
            start_of_local_day(2025, 11, 17),
            end_of_local_day(2025, 12, 19),
        ),
        (
            "5e meting – juni 2026",
            current,
            RoundState::Closed,
            start_of_local_day(2026, 5, 18),
            end_of_local_day(2026, 6, 26),
        ),
        (
            "6e meting – december 2026",
            current,
            RoundState::Open,
            now - 10 * day,
            now + 60 * day,
        ),
    ];
    let mapping = VersionMapping::new(&[&previous.questionnaire, &current.questionnaire]);
    // Each region's answers in the round before, in the current version's keys.
    let mut before: HashMap<String, HashMap<String, Answer>> = HashMap::new();
    for (round, (name, version, state, opens_at, deadline)) in rounds.into_iter().enumerate() {
        let round_id = super::rounds::create(
            pool,
            &Actor::CommandLine,
            NewRound {
                name: name.to_string(),
                questionnaire_id: version.questionnaire.identifier.clone(),
                questionnaire_version: version.questionnaire.version.clone(),
                state,
                opens_at,
                deadline,
                compared_round_id: None,
                region_codes: None,
            },
        )
        .await?;
        let reference_date = crate::domain::time::input_date(opens_at + 14 * day);
        let mut answered: HashMap<String, HashMap<String, Answer>> = HashMap::new();
        for (position, region) in region_list.iter().enumerate() {
            let (submitted, sections) = match round {
                0 | 1 => (true, usize::MAX),
                2 if BLANK_REGIONS.contains(&region.code.as_str()) => continue,
                2 => (true, usize::MAX),
                _ => match progress(&region.code, position) {
                    Progress::NotStarted => continue,
                    Progress::Busy => (false, 3),
                    Progress::Submitted => (true, usize::MAX),
                },
            };
            let empty = HashMap::new();
            let previous_answers = before.get(&region.code).unwrap_or(&empty);
            let raw = generate(
                version,
                previous_answers,
                position,
                round,
                &reference_date,
                sections,
            );
            let at = if round == 3 {
                now - day
            } else {
                deadline - 3 * day
            };
            store(
                pool,
                version,
                &round_id,
                &region.code,
                &coordinators[&region.code],
                at,
                submitted,
                &raw,
            )
            .await?;
            let answers = parsed(version, &raw);
            // December 2025 is the last round on the previous version: the next round reads
            // its answers in the current version's keys.
            let in_current_keys = if round == 1 {
                mapping.answers(&answers)
            } else {
                answers
            };
            answered.insert(region.code.clone(), in_current_keys);
        }
        before = answered;
    }
    Ok(())
}
