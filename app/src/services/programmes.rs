//! Programmes side by side. A programme's questionnaires say which programme they belong to;
//! its rounds follow from their questionnaire version, its regions from the file or form they
//! were added with.

use crate::domain::programme::{self, Programme};
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use crate::services::now_ms;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyPool;

#[derive(sqlx::FromRow)]
struct ProgrammeRow {
    code: String,
    name: String,
    short_name: String,
    colour: String,
}

impl From<ProgrammeRow> for Programme {
    fn from(row: ProgrammeRow) -> Self {
        Programme {
            code: row.code,
            name: row.name,
            short_name: row.short_name,
            colour: row.colour,
        }
    }
}

/// A checker's message ("de kleur … is geen #rrggbb") as a sentence of its own.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    format!("{}{}.", first.unwrap_or_default(), chars.as_str())
}

/// Every programme, NAD first, then by name.
pub async fn list(pool: &AnyPool) -> Result<Vec<Programme>, AppError> {
    let rows: Vec<ProgrammeRow> = sqlx::query_as(
        "SELECT code, name, short_name, colour FROM programmes \
         ORDER BY code <> 'nad', name, code",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Programme::from).collect())
}

/// One programme; an unknown code is a clear error on the field `programme`.
pub async fn find(pool: &AnyPool, code: &str) -> Result<Programme, AppError> {
    let row: Option<ProgrammeRow> =
        sqlx::query_as("SELECT code, name, short_name, colour FROM programmes WHERE code = $1")
            .bind(code)
            .fetch_optional(pool)
            .await?;
    row.map(Programme::from).ok_or_else(|| {
        AppError::field(
            "programme",
            format!(
                "Het programma '{}' bestaat niet.",
                code.chars().take(40).collect::<String>()
            ),
        )
    })
}

/// Adds a programme (checked whole; an existing code is refused). Audited.
pub async fn add(
    pool: &AnyPool,
    actor: &Actor,
    code: &str,
    name: &str,
    short_name: &str,
    colour: &str,
) -> Result<Programme, AppError> {
    let programme = programme::check(code, name, short_name, colour)
        .map_err(|message| AppError::field("programme", sentence(&message)))?;
    let mut tx = pool.begin().await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM programmes WHERE code = $1")
        .bind(&programme.code)
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Err(AppError::field(
            "programme",
            format!("Het programma '{}' bestaat al.", programme.code),
        ));
    }
    sqlx::query(
        "INSERT INTO programmes (code, name, short_name, colour, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&programme.code)
    .bind(&programme.name)
    .bind(&programme.short_name)
    .bind(&programme.colour)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "programme_added",
            region_code: None,
            subject: Some(&programme.code),
            details: json!({
                "name": programme.name,
                "short_name": programme.short_name,
                "colour": programme.colour,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(programme)
}

/// A programme with how much it holds, for the operator's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeSummary {
    pub programme: Programme,
    pub regions: i64,
    pub questionnaire_versions: i64,
    pub rounds: i64,
}

pub async fn summaries(pool: &AnyPool) -> Result<Vec<ProgrammeSummary>, AppError> {
    let mut summaries = Vec::new();
    for programme in list(pool).await? {
        let (regions, questionnaire_versions, rounds): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM regions WHERE programme_code = $1 AND retired_at IS NULL), \
                    (SELECT COUNT(*) FROM questionnaire_versions WHERE programme_code = $1), \
                    (SELECT COUNT(*) FROM rounds WHERE programme_code = $1)",
        )
        .bind(&programme.code)
        .fetch_one(pool)
        .await?;
        summaries.push(ProgrammeSummary {
            programme,
            regions,
            questionnaire_versions,
            rounds,
        });
    }
    Ok(summaries)
}
