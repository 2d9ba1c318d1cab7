//! Regions are data: imported from a CSV file with the columns `code`, `region` and
//! `lead_gemeente` (an optional `source_status` column is accepted and ignored).

use super::audit::{self, Actor, Event};
use super::now_ms;
use crate::domain::region::{region_from_fields, Region, RegionFileError};
use crate::error::AppError;
use serde_json::json;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;

const REQUIRED_COLUMNS: [&str; 3] = ["code", "region", "lead_gemeente"];
const OPTIONAL_COLUMNS: [&str; 1] = ["source_status"];
/// A regions file is small; anything larger is not a regions file.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
const MAX_ROWS: usize = 1000;

/// Reads a whole regions file. Returns every region, or every problem with its line number.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<Region>, Vec<RegionFileError>> {
    let problem = |line: u64, message: String| RegionFileError { line, message };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![problem(
            0,
            format!("het bestand is groter dan {} KB", MAX_FILE_BYTES / 1024),
        )]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}'),
        Err(error) => {
            let line = bytes[..error.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(vec![problem(
                line as u64,
                "het bestand is geen UTF-8-tekst".to_string(),
            )]);
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            return Err(vec![problem(
                1,
                format!("de kopregel is onleesbaar: {error}"),
            )])
        }
    };
    let mut problems = Vec::new();
    let mut column = HashMap::new();
    for (index, name) in headers.iter().enumerate() {
        if REQUIRED_COLUMNS.contains(&name) || OPTIONAL_COLUMNS.contains(&name) {
            if column.insert(name.to_string(), index).is_some() {
                problems.push(problem(1, format!("de kolom '{name}' komt twee keer voor")));
            }
        } else {
            problems.push(problem(
                1,
                format!(
                    "onbekende kolom '{name}': verwacht zijn {}",
                    REQUIRED_COLUMNS.join(", ")
                ),
            ));
        }
    }
    for name in REQUIRED_COLUMNS {
        if !column.contains_key(name) {
            problems.push(problem(1, format!("de kolom '{name}' ontbreekt")));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut regions: Vec<Region> = Vec::new();
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                problems.push(problem(line, format!("onleesbare regel: {error}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if regions.len() + problems.len() >= MAX_ROWS {
            problems.push(problem(line, format!("meer dan {MAX_ROWS} regels")));
            break;
        }
        let field = |name: &str| record.get(column[name]).unwrap_or_default();
        match region_from_fields(field("code"), field("region"), field("lead_gemeente")) {
            Ok(region) => {
                if let Some(first) = first_line_of.get(&region.code) {
                    problems.push(problem(
                        line,
                        format!("de regiocode '{}' staat ook op regel {first}", region.code),
                    ));
                } else {
                    first_line_of.insert(region.code.clone(), line);
                    regions.push(region);
                }
            }
            Err(message) => problems.push(problem(line, message)),
        }
    }
    if regions.is_empty() && problems.is_empty() {
        problems.push(problem(2, "het bestand bevat geen regio's".to_string()));
    }
    if problems.is_empty() {
        Ok(regions)
    } else {
        Err(problems)
    }
}

/// Adds new regions and updates the names of existing ones, all or nothing.
/// Returns how many were added and how many updated.
pub async fn import(
    pool: &AnyPool,
    actor: &Actor,
    regions: &[Region],
) -> Result<(usize, usize), AppError> {
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
                "INSERT INTO regions (code, name, lead_gemeente, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(&region.code)
            .bind(&region.name)
            .bind(&region.lead_gemeente)
            .bind(now)
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
            details: json!({ "added": added, "updated": updated }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((added, updated))
}

fn region_from_row(row: &sqlx::any::AnyRow) -> Result<Region, AppError> {
    Ok(Region {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        lead_gemeente: row.try_get("lead_gemeente")?,
    })
}

pub async fn list(pool: &AnyPool) -> Result<Vec<Region>, AppError> {
    let rows = sqlx::query("SELECT code, name, lead_gemeente FROM regions ORDER BY code")
        .fetch_all(pool)
        .await?;
    rows.iter().map(region_from_row).collect()
}

pub async fn find(pool: &AnyPool, code: &str) -> Result<Region, AppError> {
    let row = sqlx::query("SELECT code, name, lead_gemeente FROM regions WHERE code = $1")
        .bind(code)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    region_from_row(&row)
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
