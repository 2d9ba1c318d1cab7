//! Regions are data: imported from a CSV file with the columns `code`, `region` and
//! `lead_gemeente` (an optional `source_status` column is accepted and ignored), and added,
//! renamed and retired by admins (`management.rs`).

use super::audit::{self, Actor, Event};
use super::now_ms;
use crate::domain::region::{region_from_fields, Region, RegionFileError};
use crate::error::AppError;
use serde_json::json;
use sqlx::AnyPool;

const REQUIRED_COLUMNS: [&str; 3] = ["code", "region", "lead_gemeente"];
const OPTIONAL_COLUMNS: [&str; 1] = ["source_status"];
pub use super::table_file::MAX_FILE_BYTES;

mod management;

pub use management::{add, reinstate, rename, retire};

/// Reads a whole regions file. Returns every region, or every problem with its line number.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<Region>, Vec<RegionFileError>> {
    super::table_file::read(
        bytes,
        (&REQUIRED_COLUMNS, &OPTIONAL_COLUMNS),
        ("regiocode", "het bestand bevat geen regio's"),
        |row| region_from_fields(row.get("code"), row.get("region"), row.get("lead_gemeente")),
        |region| region.code.as_str(),
    )
}

/// Adds new regions to a programme's region set and updates the names of existing ones, all
/// or nothing. A code that is a region of another programme is refused. Returns how many were
/// added and how many updated.
pub async fn import(
    pool: &AnyPool,
    actor: &Actor,
    programme: &str,
    regions: &[Region],
) -> Result<(usize, usize), AppError> {
    super::programmes::find(pool, programme).await?;
    let elsewhere: Vec<(String, String)> =
        sqlx::query_as("SELECT code, programme_code FROM regions WHERE programme_code <> $1")
            .bind(programme)
            .fetch_all(pool)
            .await?;
    let taken: Vec<String> = elsewhere
        .iter()
        .filter(|(code, _)| regions.iter().any(|r| &r.code == code))
        .map(|(code, other)| format!("{code} (programma {other})"))
        .collect();
    if !taken.is_empty() {
        return Err(AppError::field(
            "regions",
            format!(
                "Deze regiocodes horen al bij een ander programma: {}. Kies andere codes.",
                taken.join(", ")
            ),
        ));
    }
    let now = now_ms();
    let mut tx = pool.begin().await?;
    let (mut added, mut updated) = (0, 0);
    for region in regions {
        let changed = sqlx::query(
            "UPDATE regions SET name = $1, lead_gemeente = $2, updated_at = $3 WHERE code = $4",
        )
        .bind(&region.name)
        .bind(&region.lead_gemeente)
        .bind(now)
        .bind(&region.code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            sqlx::query(
                "INSERT INTO regions (code, name, lead_gemeente, created_at, updated_at, programme_code) \
                 VALUES ($1, $2, $3, $4, $4, $5)",
            )
            .bind(&region.code)
            .bind(&region.name)
            .bind(&region.lead_gemeente)
            .bind(now)
            .bind(programme)
            .execute(&mut *tx)
            .await?;
            added += 1;
        } else {
            updated += 1;
        }
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "regions_imported",
            region_code: None,
            subject: None,
            details: json!({ "programme": programme, "added": added, "updated": updated }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((added, updated))
}

#[derive(sqlx::FromRow)]
struct RegionRow {
    code: String,
    name: String,
    lead_gemeente: String,
    retired_at: Option<i64>,
    programme_code: String,
}

impl From<RegionRow> for Region {
    fn from(row: RegionRow) -> Self {
        Region {
            code: row.code,
            name: row.name,
            lead_gemeente: row.lead_gemeente,
            retired_at: row.retired_at,
            programme_code: row.programme_code,
        }
    }
}

const REGION_COLUMNS: &str = "code, name, lead_gemeente, retired_at, programme_code";

/// Every region of every programme, retired ones too (they keep their history), by
/// programme and code.
pub async fn list(pool: &AnyPool) -> Result<Vec<Region>, AppError> {
    let rows: Vec<RegionRow> = sqlx::query_as(&format!(
        "SELECT {REGION_COLUMNS} FROM regions ORDER BY programme_code <> 'nad', programme_code, code"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Region::from).collect())
}

/// The region set of one programme, retired regions too, by code.
pub async fn of_programme(pool: &AnyPool, programme: &str) -> Result<Vec<Region>, AppError> {
    let rows: Vec<RegionRow> = sqlx::query_as(&format!(
        "SELECT {REGION_COLUMNS} FROM regions WHERE programme_code = $1 ORDER BY code"
    ))
    .bind(programme)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Region::from).collect())
}

pub async fn find(pool: &AnyPool, code: &str) -> Result<Region, AppError> {
    let row: RegionRow = sqlx::query_as(&format!(
        "SELECT {REGION_COLUMNS} FROM regions WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(row.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_file_parses() {
        let regions = parse_csv(include_bytes!("../../../demo/regions.csv")).unwrap();
        assert_eq!(regions.len(), 45);
        assert_eq!(regions[2].name, "Noord- en Midden-Drenthe");
        assert_eq!(regions[2].lead_gemeente, "Assen");
    }

    #[test]
    fn every_problem_is_located() {
        let file = "code,region,lead_gemeente\nR01,Groningen,Groningen\nR01,Friesland,Leeuwarden\nR 3,Drenthe,Assen\nR04,,Hoogeveen\nR05,Twente\n";
        let problems = parse_csv(file.as_bytes()).unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6], "{problems:?}");
        assert!(problems[0]
            .to_string()
            .contains("regel 3: de regiocode 'R01' staat ook op regel 2"));
    }

    #[test]
    fn unknown_and_missing_columns() {
        let problems = parse_csv(b"code,naam,lead_gemeente,extra\nR01,a,b,c\n").unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|t| t.contains("onbekende kolom 'naam'")));
        assert!(text.iter().any(|t| t.contains("onbekende kolom 'extra'")));
        assert!(text
            .iter()
            .any(|t| t.contains("de kolom 'region' ontbreekt")));
    }

    #[test]
    fn empty_and_binary_files() {
        assert!(parse_csv(b"code,region,lead_gemeente\n").is_err());
        assert!(parse_csv(b"").is_err());
        let problems = parse_csv(b"code,region,lead_gemeente\nR01,\xff\xfe,x\n").unwrap_err();
        assert_eq!(problems[0].line, 2);
    }
}
