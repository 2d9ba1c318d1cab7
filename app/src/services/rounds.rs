//! Measurement rounds: a questionnaire version, the regions taking part (a snapshot of the
//! regions as they are when the round is made), an opening date, a deadline and the round it
//! is compared with. Admins move rounds through their states, extend one region's deadline
//! and reopen one region's submitted response; every change goes into the audit history.

use super::audit::{self, Actor, Event};
use super::{new_id, now_ms};
use crate::domain::round::{
    check_name, check_period, check_reason, ComparisonChoice, RoundDetail, RoundRegion, RoundState,
    RoundSummary,
};
use crate::domain::time::format_date;
use crate::error::AppError;
use serde_json::json;
use sqlx::{AnyPool, Row};
use std::collections::BTreeSet;

pub struct NewRound {
    pub name: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub state: RoundState,
    pub opens_at: i64,
    pub deadline: i64,
    /// The round answers are compared with; `None` takes the latest round opened before this
    /// one, if there is one.
    pub compared_round_id: Option<String>,
    /// The regions taking part; `None` for every region there is.
    pub region_codes: Option<Vec<String>>,
}

/// How many regions a round may name; far more than the 45 there are.
const MAX_ROUND_REGIONS: usize = 1000;

const SUMMARY_SELECT: &str =
    "SELECT ro.id, ro.name, ro.questionnaire_id, ro.questionnaire_version, \
     ro.state, ro.opens_at, ro.deadline, ro.compared_round_id, cr.name AS compared_name, \
     (SELECT COUNT(*) FROM round_regions rr WHERE rr.round_id = ro.id) AS region_count, \
     (SELECT COUNT(*) FROM responses re WHERE re.round_id = ro.id \
        AND re.status IN ('submitted', 'approved')) AS submitted_count \
     FROM rounds ro LEFT JOIN rounds cr ON cr.id = ro.compared_round_id";

/// A round's state as stored in column `column` of `row`.
pub fn stored_state(row: &sqlx::any::AnyRow, column: &str) -> Result<RoundState, AppError> {
    let text: String = row.try_get(column)?;
    text.parse()
        .map_err(|_| AppError::internal("a round's stored state is unknown", &text))
}

fn summary_from(row: &sqlx::any::AnyRow) -> Result<RoundSummary, AppError> {
    let identifier: String = row.try_get("questionnaire_id")?;
    let version: String = row.try_get("questionnaire_version")?;
    Ok(RoundSummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        questionnaire: format!("{identifier}/{version}"),
        state: stored_state(row, "state")?,
        opens_at: row.try_get("opens_at")?,
        deadline: row.try_get("deadline")?,
        compared_round: row.try_get("compared_name")?,
        region_count: row.try_get("region_count")?,
        submitted_count: row.try_get("submitted_count")?,
    })
}

/// Every round, newest first.
pub async fn list(pool: &AnyPool) -> Result<Vec<RoundSummary>, AppError> {
    let rows = sqlx::query(&format!(
        "{SUMMARY_SELECT} ORDER BY ro.opens_at DESC, ro.created_at DESC"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(summary_from).collect()
}

/// One round with its regions and their responses.
pub async fn find(pool: &AnyPool, id: &str) -> Result<RoundDetail, AppError> {
    let row = sqlx::query(&format!("{SUMMARY_SELECT} WHERE ro.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let summary = summary_from(&row)?;
    let compared_round_id = row.try_get("compared_round_id")?;
    let regions = sqlx::query(
        "SELECT rr.region_code, rr.region_name, rr.lead_gemeente, rr.deadline, re.id AS response_id, \
         re.status FROM round_regions rr \
         LEFT JOIN responses re ON re.round_id = rr.round_id AND re.region_code = rr.region_code \
         WHERE rr.round_id = $1 ORDER BY rr.region_code",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(RoundRegion {
            code: row.try_get("region_code")?,
            name: row.try_get("region_name")?,
            lead_gemeente: row.try_get("lead_gemeente")?,
            deadline: row.try_get("deadline")?,
            response_id: row.try_get("response_id")?,
            status: row.try_get("status")?,
        })
    })
    .collect::<Result<_, AppError>>()?;
    Ok(RoundDetail {
        summary,
        compared_round_id,
        regions,
    })
}

/// Makes a round in which every current region takes part; returns its id. The name, the
/// period, the questionnaire version and the compared round are checked first: nothing is
/// stored when one is wrong.
pub async fn create(pool: &AnyPool, actor: &Actor, round: NewRound) -> Result<String, AppError> {
    let name = check_name(&round.name).map_err(|message| AppError::field("name", message))?;
    check_period(round.opens_at, round.deadline)
        .map_err(|message| AppError::field("deadline", message))?;
    let version_exists: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM questionnaire_versions WHERE identifier = $1 AND version = $2",
    )
    .bind(&round.questionnaire_id)
    .bind(&round.questionnaire_version)
    .fetch_one(pool)
    .await?;
    if version_exists == 0 {
        return Err(AppError::field(
            "questionnaire",
            "Deze vragenlijstversie bestaat niet. Kies een geladen versie.",
        ));
    }
    let compared_round_id = match round.compared_round_id.filter(|id| !id.is_empty()) {
        Some(id) => {
            let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rounds WHERE id = $1")
                .bind(&id)
                .fetch_one(pool)
                .await?;
            if exists == 0 {
                return Err(AppError::field(
                    "compared_round_id",
                    "Deze meting bestaat niet. Kies een bestaande meting om mee te vergelijken.",
                ));
            }
            Some(id)
        }
        None => {
            sqlx::query_scalar(
                "SELECT id FROM rounds WHERE opens_at < $1 ORDER BY opens_at DESC LIMIT 1",
            )
            .bind(round.opens_at)
            .fetch_optional(pool)
            .await?
        }
    };
    let known: BTreeSet<String> = sqlx::query_scalar("SELECT code FROM regions")
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect();
    let participating: BTreeSet<String> = match round.region_codes {
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
                    format!("De regio '{shown}' bestaat niet."),
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
    let id = new_id();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO rounds (id, name, questionnaire_id, questionnaire_version, state, opens_at, \
         deadline, compared_round_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&name)
    .bind(&round.questionnaire_id)
    .bind(&round.questionnaire_version)
    .bind(round.state.code())
    .bind(round.opens_at)
    .bind(round.deadline)
    .bind(&compared_round_id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
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
    super::gemeenten::snapshot(&mut tx, &id).await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "round_created",
            region_code: None,
            subject: Some(&id),
            details: json!({
                "name": name,
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

/// Moves a round to another state, if its life allows it.
pub async fn change_state(
    pool: &AnyPool,
    mail: &super::mail::MailSettings,
    actor: &Actor,
    round_id: &str,
    target: RoundState,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    // Writing first: on SQLite a transaction that read first fails at once, instead of
    // waiting, when another writer (the mail delivery, say) holds the lock at its first write.
    sqlx::query("UPDATE rounds SET state = state WHERE id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    let current: String = sqlx::query_scalar("SELECT state FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let current: RoundState = current
        .parse()
        .map_err(|_| AppError::internal("a round's stored state is unknown", &current))?;
    current.change_to(target).map_err(AppError::Conflict)?;
    // The state in the WHERE makes two admins clicking at once change it only once.
    let changed = sqlx::query("UPDATE rounds SET state = $1 WHERE id = $2 AND state = $3")
        .bind(target.code())
        .bind(round_id)
        .bind(current.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Err(AppError::Conflict(
            "Iemand anders heeft de status van deze meting net gewijzigd. Laad de pagina opnieuw."
                .to_string(),
        ));
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "round_state_changed",
            region_code: None,
            subject: Some(round_id),
            details: json!({ "from": current.code(), "to": target.code() }),
        },
    )
    .await?;
    if target == RoundState::Open {
        super::notices::round_opened(&mut tx, mail, round_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Gives one region of a round a later deadline, with a reason.
pub async fn extend_deadline(
    pool: &AnyPool,
    actor: &Actor,
    round_id: &str,
    region_code: &str,
    deadline: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = check_reason(reason).map_err(|message| AppError::field("reason", message))?;
    let mut tx = pool.begin().await?;
    // Writing first (see `change_state`).
    sqlx::query("UPDATE rounds SET state = state WHERE id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(
        "SELECT ro.deadline AS round_deadline, ro.state, rr.deadline AS region_deadline \
         FROM round_regions rr JOIN rounds ro ON ro.id = rr.round_id \
         WHERE rr.round_id = $1 AND rr.region_code = $2",
    )
    .bind(round_id)
    .bind(region_code)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::field("region_code", "Deze regio doet niet mee aan deze meting."))?;
    if stored_state(&row, "state")? == RoundState::Published {
        return Err(AppError::field(
            "deadline",
            "Deze meting is gepubliceerd; de deadline kan niet meer veranderen.",
        ));
    }
    let round_deadline: i64 = row.try_get("round_deadline")?;
    let previous: Option<i64> = row.try_get("region_deadline")?;
    let current = previous.unwrap_or(round_deadline).max(round_deadline);
    if deadline <= current {
        return Err(AppError::field(
            "deadline",
            format!(
                "Kies een datum na de huidige deadline van deze regio ({}).",
                format_date(current)
            ),
        ));
    }
    sqlx::query("UPDATE round_regions SET deadline = $1 WHERE round_id = $2 AND region_code = $3")
        .bind(deadline)
        .bind(round_id)
        .bind(region_code)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "deadline_extended",
            region_code: Some(region_code),
            subject: Some(round_id),
            details: json!({ "from": current, "to": deadline, "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Opens a submitted (or approved) response again for its coordinators, with a reason. An
/// approval is voided by this.
pub async fn reopen_response(
    pool: &AnyPool,
    actor: &Actor,
    round_id: &str,
    region_code: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reason = check_reason(reason).map_err(|message| AppError::field("reason", message))?;
    let mut tx = pool.begin().await?;
    // Writing first (see `change_state`).
    sqlx::query("UPDATE rounds SET state = state WHERE id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(
        "SELECT re.id, re.status, ro.state FROM responses re JOIN rounds ro ON ro.id = re.round_id \
         WHERE re.round_id = $1 AND re.region_code = $2",
    )
    .bind(round_id)
    .bind(region_code)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::field(
            "region_code",
            "Deze regio heeft voor deze meting nog niets ingediend.",
        )
    })?;
    let response_id: String = row.try_get("id")?;
    let status: String = row.try_get("status")?;
    if stored_state(&row, "state")? == RoundState::Published {
        return Err(AppError::field(
            "region_code",
            "Deze meting is gepubliceerd; ingediende antwoorden kunnen niet meer worden heropend.",
        ));
    }
    if status != "submitted" && status != "approved" {
        return Err(AppError::field(
            "region_code",
            "Deze regio heeft voor deze meting nog niets ingediend; er is niets te heropenen.",
        ));
    }
    let changed = sqlx::query(
        "UPDATE responses SET status = 'open', submitted_at = NULL, submitted_by = NULL, \
         approved_at = NULL, approved_by = NULL WHERE id = $1 AND status = $2",
    )
    .bind(&response_id)
    .bind(&status)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::Conflict(
            "De status van deze vragenlijst is net gewijzigd. Laad de pagina opnieuw.".to_string(),
        ));
    }
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "response_reopened",
            region_code: Some(region_code),
            subject: Some(&response_id),
            details: json!({
                "round": round_id,
                "from": status,
                "reason": reason,
                "approval_voided": status == "approved",
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The rounds a round can be compared with (every round opened before it), newest first,
/// with the previous round and the one a year earlier marked.
pub async fn comparison_choices(
    pool: &AnyPool,
    round_id: &str,
) -> Result<Vec<ComparisonChoice>, AppError> {
    let opens_at: i64 = sqlx::query_scalar("SELECT opens_at FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let earlier: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, name, opens_at FROM rounds WHERE opens_at < $1 AND state <> 'concept'",
    )
    .bind(opens_at)
    .fetch_all(pool)
    .await?;
    Ok(crate::domain::round::comparison_choices(opens_at, &earlier))
}

/// The round to compare with: the one asked for (`chosen`, checked against the choices) or
/// the round's own compared round. A round that is not among the choices is a field error on
/// `field`.
pub fn choose_compared(
    choices: &[ComparisonChoice],
    chosen: Option<&str>,
    default: Option<&str>,
    field: &str,
) -> Result<Option<String>, AppError> {
    match chosen.filter(|id| !id.is_empty()) {
        None => Ok(default.map(str::to_string)),
        Some(id) if choices.iter().any(|choice| choice.id == id) => Ok(Some(id.to_string())),
        Some(_) => Err(AppError::field(
            field,
            "Kies een eerdere meting om mee te vergelijken.",
        )),
    }
}
