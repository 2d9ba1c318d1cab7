//! Demo data: the working list of 45 regions, both NAD questionnaire versions, an open round,
//! an admin, a reviewer and a coordinator for each of three regions. Only for an empty database; the passwords are public.

use super::audit::Actor;
use super::{questionnaires, regions, users};
use crate::error::AppError;
use sqlx::AnyPool;

pub const REGIONS_CSV: &[u8] = include_bytes!("../../../demo/regions.csv");

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
pub async fn load(pool: &AnyPool, cache: &questionnaires::Cache) -> Result<(), AppError> {
    if !is_empty(pool).await? {
        return Err(AppError::BadRequest(
            "De database bevat al gebruikers of regio's; demodata laden kan alleen in een lege database."
                .to_string(),
        ));
    }
    let region_list = regions::parse_csv(REGIONS_CSV).map_err(|problems| {
        tracing::error!(?problems, "the shipped demo regions file is broken");
        AppError::Internal
    })?;
    regions::import(pool, &Actor::CommandLine, &region_list).await?;
    for (file_name, source) in QUESTIONNAIRES {
        questionnaires::import(pool, cache, &Actor::CommandLine, file_name, source)
            .await
            .map_err(|problems| {
                tracing::error!(?problems, "a shipped questionnaire does not load");
                AppError::Internal
            })?;
    }
    // An open round, so coordinators can fill in the current questionnaire.
    let day = 24 * 60 * 60 * 1000;
    let now = super::now_ms();
    super::rounds::create(
        pool,
        &Actor::CommandLine,
        super::rounds::NewRound {
            name: "6e meting – december 2026".to_string(),
            questionnaire_id: "nad".to_string(),
            questionnaire_version: "2026-06".to_string(),
            state: crate::domain::round::RoundState::Open,
            opens_at: now - 10 * day,
            deadline: now + 60 * day,
            compared_round_id: None,
        },
    )
    .await?;
    for account in &ACCOUNTS {
        users::create(
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
    }
    Ok(())
}
