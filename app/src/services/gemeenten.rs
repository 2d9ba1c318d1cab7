//! The gemeenten of each region, loaded from a CSV file with the columns `gemeente_code`
//! (CBS code), `gemeente` and `region_code` (an optional `source_status` column is accepted
//! and ignored). Loading replaces the whole division at once; admins also change it one
//! gemeente at a time (`editing.rs`). Rounds keep their own copy, made when the round is set
//! up and made again when it first opens.

use super::audit::{self, Actor, Event};
use super::now_ms;
use crate::domain::region::{gemeente_from_fields, Gemeente, RegionFileError};
use crate::error::AppError;
use serde_json::json;
use sqlx::AnyPool;
use std::collections::{BTreeMap, HashSet};

mod editing;

pub use editing::{add, all, move_to, remove};

const REQUIRED_COLUMNS: [&str; 3] = ["gemeente_code", "gemeente", "region_code"];
const OPTIONAL_COLUMNS: [&str; 1] = ["source_status"];

/// Reads a whole gemeenten file against the regions that take part in new rounds
/// (`region_codes`); a gemeente of a `retired` region is refused as such. Returns every
/// gemeente, or every problem with its line number.
pub fn parse_csv(
    bytes: &[u8],
    region_codes: &HashSet<String>,
    retired: &HashSet<String>,
) -> Result<Vec<Gemeente>, Vec<RegionFileError>> {
    super::table_file::read(
        bytes,
        (&REQUIRED_COLUMNS, &OPTIONAL_COLUMNS),
        ("gemeentecode", "het bestand bevat geen gemeenten"),
        |row| {
            let gemeente = gemeente_from_fields(
                row.get("gemeente_code"),
                row.get("gemeente"),
                row.get("region_code"),
            )?;
            if region_codes.contains(&gemeente.region_code) {
                Ok(gemeente)
            } else if retired.contains(&gemeente.region_code) {
                Err(format!(
                    "regio '{}' is opgeheven: zet de gemeente in een regio die nog meedoet",
                    gemeente.region_code
                ))
            } else {
                Err(format!(
                    "onbekende regio '{}': laad eerst de regio's",
                    gemeente.region_code
                ))
            }
        },
        |gemeente| gemeente.code.as_str(),
    )
}

/// What loading a division changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: usize,
    /// Gemeenten now in another region: (name, from, to).
    pub moved: Vec<(String, String, String)>,
    pub removed: usize,
    /// Regions without any gemeente after loading.
    pub regions_without: Vec<String>,
}

/// Replaces the whole division of one programme (whose regions `parse_csv` was given), all or
/// nothing, and records what changed. Other programmes' divisions stay as they are.
pub async fn import(
    pool: &AnyPool,
    actor: &Actor,
    programme: &str,
    gemeenten: &[Gemeente],
) -> Result<Changes, AppError> {
    let now = now_ms();
    let mut tx = pool.begin().await?;
    let before: BTreeMap<String, String> = sqlx::query_as::<_, (String, String)>(
        "SELECT code, region_code FROM gemeenten WHERE programme_code = $1",
    )
    .bind(programme)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    let mut changes = Changes::default();
    let new_codes: HashSet<&str> = gemeenten.iter().map(|g| g.code.as_str()).collect();
    changes.removed = before
        .keys()
        .filter(|code| !new_codes.contains(code.as_str()))
        .count();
    sqlx::query("DELETE FROM gemeenten WHERE programme_code = $1")
        .bind(programme)
        .execute(&mut *tx)
        .await?;
    for gemeente in gemeenten {
        match before.get(&gemeente.code) {
            None => changes.added += 1,
            Some(region) if *region != gemeente.region_code => changes.moved.push((
                gemeente.name.clone(),
                region.clone(),
                gemeente.region_code.clone(),
            )),
            Some(_) => {}
        }
        sqlx::query(
            "INSERT INTO gemeenten (programme_code, code, name, region_code, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(programme)
        .bind(&gemeente.code)
        .bind(&gemeente.name)
        .bind(&gemeente.region_code)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    changes.regions_without = sqlx::query_scalar(
        "SELECT code FROM regions WHERE programme_code = $1 AND retired_at IS NULL \
         AND code NOT IN (SELECT region_code FROM gemeenten) ORDER BY code",
    )
    .bind(programme)
    .fetch_all(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "gemeenten_imported",
            region_code: None,
            subject: None,
            details: json!({
                "programme": programme,
                "gemeenten": gemeenten.len(),
                "added": changes.added,
                "removed": changes.removed,
                "moved": changes.moved.iter().map(|(name, from, to)| format!("{name}: {from} → {to}")).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(changes)
}

/// The gemeenten of a region now, by name.
pub async fn of_region(pool: &AnyPool, region_code: &str) -> Result<Vec<Gemeente>, AppError> {
    let rows: Vec<GemeenteRow> = sqlx::query_as(
        "SELECT code, name, region_code FROM gemeenten WHERE region_code = $1 ORDER BY name",
    )
    .bind(region_code)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Gemeente::from).collect())
}

/// The gemeenten of a region as they were for a round, by name.
pub async fn of_round_region(
    pool: &AnyPool,
    round_id: &str,
    region_code: &str,
) -> Result<Vec<Gemeente>, AppError> {
    let rows: Vec<GemeenteRow> = sqlx::query_as(
        "SELECT gemeente_code AS code, gemeente_name AS name, region_code FROM round_gemeenten \
         WHERE round_id = $1 AND region_code = $2 ORDER BY gemeente_name",
    )
    .bind(round_id)
    .bind(region_code)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Gemeente::from).collect())
}

#[derive(sqlx::FromRow)]
struct GemeenteRow {
    code: String,
    name: String,
    region_code: String,
}

impl From<GemeenteRow> for Gemeente {
    fn from(row: GemeenteRow) -> Self {
        Gemeente {
            code: row.code,
            name: row.name,
            region_code: row.region_code,
        }
    }
}

/// Copies the current gemeenten of a round's participating regions into the round.
pub async fn snapshot<'e>(
    tx: &mut sqlx::Transaction<'e, sqlx::Any>,
    round_id: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO round_gemeenten (round_id, region_code, gemeente_code, gemeente_name) \
         SELECT rr.round_id, g.region_code, g.code, g.name FROM round_regions rr \
         JOIN gemeenten g ON g.region_code = rr.region_code WHERE rr.round_id = $1",
    )
    .bind(round_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> HashSet<String> {
        (1..=45).map(|n| format!("R{n:02}")).collect()
    }

    #[test]
    fn the_demo_file_parses_with_every_region() {
        let gemeenten = parse_csv(
            include_bytes!("../../../demo/gemeenten.csv"),
            &regions(),
            &HashSet::new(),
        )
        .unwrap();
        assert_eq!(gemeenten.len(), 342);
        let covered: HashSet<&str> = gemeenten.iter().map(|g| g.region_code.as_str()).collect();
        assert_eq!(covered.len(), 45, "every region has gemeenten");
        assert!(gemeenten
            .iter()
            .any(|g| g.code == "GM0344" && g.name == "Utrecht"));
    }

    #[test]
    fn every_problem_is_located() {
        let file = "gemeente_code,gemeente,region_code\nGM0344,Utrecht,R16\nGM0344,Nieuwegein,R16\nGM99,Oss,R38\nGM0828,Oss,R99\n";
        let problems = parse_csv(file.as_bytes(), &regions(), &HashSet::new()).unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "regel 3: de gemeentecode 'GM0344' staat ook op regel 2",
                "regel 4: 'GM99' is geen CBS-gemeentecode: verwacht is GM gevolgd door vier cijfers, zoals GM0344",
                "regel 5: onbekende regio 'R99': laad eerst de regio's",
            ]
        );
        assert!(parse_csv(
            b"gemeente_code,naam,region_code\n",
            &regions(),
            &HashSet::new()
        )
        .is_err());
    }

    #[test]
    fn a_gemeente_of_a_retired_region_is_refused_as_such() {
        let file = "gemeente_code,gemeente,region_code\nGM0344,Utrecht,R16\n";
        let retired = HashSet::from(["R16".to_string()]);
        let mut active = regions();
        active.remove("R16");
        let problems = parse_csv(file.as_bytes(), &active, &retired).unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "regel 2: regio 'R16' is opgeheven: zet de gemeente in een regio die nog meedoet"
        );
    }
}
