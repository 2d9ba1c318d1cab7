//! Making a round: its name, period, questionnaire version, compared round and regions are
//! checked before anything is stored; then the round, a snapshot of its regions and their
//! gemeenten, and the audit event are written in one transaction.

use super::comparison::{default_compared, earlier_rounds};
use super::{NewRound, MAX_ROUND_REGIONS};
use crate::domain::round::{check_name, check_period};
use crate::error::AppError;
use crate::services::audit::{self, Actor, Event};
use crate::services::{new_id, now_ms};
use serde_json::json;
use sqlx::AnyPool;
use std::collections::BTreeSet;

/// Makes a round in which the chosen (or every active) region takes part; returns its id. The name, the
/// period, the questionnaire version and the compared round are checked first: nothing is
/// stored when one is wrong.
pub async fn create(
    pool: &AnyPool,
    actor: &Actor,
    mut round: NewRound,
) -> Result<String, AppError> {
    let name = check_name(&round.name).map_err(|message| AppError::field("name", message))?;
    check_period(round.opens_at, round.deadline)
        .map_err(|message| AppError::field("deadline", message))?;
    let programme = version_programme(pool, &round).await?;
    let compared_round_id = compared_round(pool, round.compared_round_id.take(), &round).await?;
    let participating = participating_regions(pool, &programme, round.region_codes.take()).await?;
    let id = new_id();
    let mut tx = pool.begin().await?;
    let row = RoundRow {
        id: &id,
        name: &name,
        programme: &programme,
        compared_round_id: compared_round_id.as_deref(),
    };
    insert_round(&mut tx, row, &round).await?;
    // A snapshot: the regions' names and centrumgemeenten as they are now.
    for code in &participating {
        sqlx::query(
            "INSERT INTO round_regions (round_id, region_code, region_name, lead_gemeente) \
             SELECT $1, code, name, lead_gemeente FROM regions WHERE code = $2",
        )
        .bind(&id)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    }
    // ... and their gemeenten.
    crate::services::gemeenten::snapshot(&mut tx, &id).await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "round_created",
            region_code: None,
            subject: Some(&id),
            details: json!({
                "name": name,
                "programme": programme,
                "questionnaire": format!("{}/{}", round.questionnaire_id, round.questionnaire_version),
                "state": round.state.code(),
                "opens_at": round.opens_at,
                "deadline": round.deadline,
                "compared_round_id": compared_round_id,
                "regions": participating.len(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The programme of the round's questionnaire version, which is the round's; refuses a version
/// that is not loaded.
async fn version_programme(pool: &AnyPool, round: &NewRound) -> Result<String, AppError> {
    let programme: Option<String> = sqlx::query_scalar(
        "SELECT programme_code FROM questionnaire_versions WHERE identifier = $1 AND version = $2",
    )
    .bind(&round.questionnaire_id)
    .bind(&round.questionnaire_version)
    .fetch_optional(pool)
    .await?;
    let Some(programme) = programme else {
        return Err(AppError::field(
            "questionnaire",
            "Deze vragenlijstversie bestaat niet. Kies een geladen versie.",
        ));
    };
    Ok(programme)
}

/// The round a new round is compared with: the chosen one, which must be an earlier round of
/// the same questionnaire, or else the latest such round, if there is one.
async fn compared_round(
    pool: &AnyPool,
    chosen: Option<String>,
    round: &NewRound,
) -> Result<Option<String>, AppError> {
    let Some(id) = chosen.filter(|id| !id.is_empty()) else {
        return default_compared(pool, &round.questionnaire_id, round.opens_at).await;
    };
    let earlier = earlier_rounds(pool, &round.questionnaire_id, round.opens_at).await?;
    if earlier.iter().any(|(earlier_id, _, _)| *earlier_id == id) {
        return Ok(Some(id));
    }
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rounds WHERE id = $1")
        .bind(&id)
        .fetch_one(pool)
        .await?;
    Err(AppError::field(
        "compared_round_id",
        if exists == 0 {
            "Deze meting bestaat niet. Kies een bestaande meting om mee te vergelijken.".to_string()
        } else {
            format!(
                "Vergelijk met een eerdere meting van dezelfde vragenlijst (‘{}’) die al geopend is.",
                round.questionnaire_id
            )
        },
    ))
}

/// The regions taking part: the chosen ones, which must be regions of the round's programme
/// and not retired, or every region of the programme that is not retired (`None`).
async fn participating_regions(
    pool: &AnyPool,
    programme: &str,
    chosen: Option<Vec<String>>,
) -> Result<BTreeSet<String>, AppError> {
    let mut known = BTreeSet::new();
    let mut retired = BTreeSet::new();
    let mut elsewhere = BTreeSet::new();
    let rows: Vec<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT code, retired_at, programme_code FROM regions")
            .fetch_all(pool)
            .await?;
    for (code, retired_at, region_programme) in rows {
        if region_programme != programme {
            elsewhere.insert(code);
        } else if retired_at.is_none() {
            known.insert(code);
        } else {
            retired.insert(code);
        }
    }
    let participating = match chosen {
        None => known,
        Some(codes) => {
            if codes.len() > MAX_ROUND_REGIONS {
                return Err(AppError::field(
                    "regions",
                    format!("Kies ten hoogste {MAX_ROUND_REGIONS} regio's."),
                ));
            }
            let chosen: BTreeSet<String> =
                codes.into_iter().map(|c| c.trim().to_string()).collect();
            if let Some(unknown) = chosen.iter().find(|code| !known.contains(*code)) {
                let shown: String = unknown.chars().take(20).collect();
                return Err(AppError::field(
                    "regions",
                    if retired.contains(unknown) {
                        format!("De regio '{shown}' is opgeheven en doet aan geen nieuwe meting meer mee.")
                    } else if elsewhere.contains(unknown) {
                        format!("De regio '{shown}' hoort bij een ander programma dan deze vragenlijst.")
                    } else {
                        format!("De regio '{shown}' bestaat niet.")
                    },
                ));
            }
            chosen
        }
    };
    if participating.is_empty() {
        return Err(AppError::field(
            "regions",
            "Kies ten minste één regio die aan de meting meedoet.",
        ));
    }
    Ok(participating)
}

/// What a new round's row holds besides the admin's input.
struct RoundRow<'a> {
    id: &'a str,
    name: &'a str,
    programme: &'a str,
    compared_round_id: Option<&'a str>,
}

/// The round's own row.
async fn insert_round(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    row: RoundRow<'_>,
    round: &NewRound,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO rounds (id, name, questionnaire_id, questionnaire_version, state, opens_at, \
         deadline, compared_round_id, created_at, programme_code) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(row.id)
    .bind(row.name)
    .bind(&round.questionnaire_id)
    .bind(&round.questionnaire_version)
    .bind(round.state.code())
    .bind(round.opens_at)
    .bind(round.deadline)
    .bind(row.compared_round_id)
    .bind(now_ms())
    .bind(row.programme)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
