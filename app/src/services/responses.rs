//! Responses: finding a region's response to a round, reading its answers, saving answers
//! (with conflict detection between colleagues), resolving conflicts and submitting. Every
//! function checks who is asking before it reads or writes.

use super::audit::{self, Actor, Event};
use super::questionnaires::{self, LoadedVersion};
use super::state::AppState;
use super::{new_id, now_ms};
use crate::domain::access::SignedInUser;
use crate::domain::comparison::VersionMapping;
use crate::domain::questionnaire::answer::{parse_answer, Answer, RawAnswer};
use crate::domain::questionnaire::completeness::{evaluate, Evaluation, ResponseAnswers};
use crate::domain::questionnaire::model::Item;
use crate::domain::response::{
    decide, AnswerInput, ConflictInfo, Decision, ResponseStatus, SaveOutcome, Stored,
    MAX_ANSWERS_PER_SAVE, MAX_RAW_CHARS,
};
use crate::domain::role::Role;
use crate::error::AppError;
use serde_json::json;
use sqlx::{Any, AnyPool, Executor, Row};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// A round as a response needs it.
#[derive(Debug, Clone)]
pub struct Round {
    pub id: String,
    pub name: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub state: String,
    pub opens_at: i64,
    pub deadline: i64,
    pub compared_round_id: Option<String>,
}

/// A response with what every page about it shows.
#[derive(Debug, Clone)]
pub struct Response {
    pub id: String,
    pub region_code: String,
    pub region_name: String,
    pub status: ResponseStatus,
    /// The region's deadline: the round's, or the one extended for this region.
    pub deadline: i64,
    pub updated_at: Option<i64>,
    pub updated_by: Option<String>,
    pub submitted_at: Option<i64>,
    pub submitted_by: Option<String>,
    /// Who sent it back, when, and why; kept until it is sent back again.
    pub returned: Option<(String, i64, String)>,
    /// Who approved it, and when; cleared when the approval is voided.
    pub approved: Option<(String, i64)>,
    pub round: Round,
}

impl Response {
    /// Whether coordinators may change answers now, and if not, why not (in Dutch).
    pub fn closed_reason(&self, now: i64) -> Option<&'static str> {
        if self.round.state != "open" {
            Some("Deze meting is niet open; antwoorden kunnen niet meer worden gewijzigd.")
        } else if now < self.round.opens_at {
            Some("Deze meting is nog niet begonnen; antwoorden kunnen vanaf de openingsdatum worden ingevuld.")
        } else if now > self.deadline {
            Some("De termijn van deze meting is verstreken; antwoorden kunnen niet meer worden gewijzigd.")
        } else if !self.status.accepts_answers() {
            Some("Deze vragenlijst is ingediend en kan niet meer worden gewijzigd.")
        } else {
            None
        }
    }
}

/// A stored answer with who saved it.
#[derive(Debug, Clone)]
pub struct StoredAnswer {
    pub raw: RawAnswer,
    pub value: Option<Answer>,
    pub version: i64,
    pub prefilled: bool,
    pub updated_by: String,
    pub updated_at: i64,
}

const RESPONSE_COLUMNS: &str = "r.id, r.region_code, r.status, r.updated_at, r.submitted_at, \
     rr.region_name, COALESCE(rr.deadline, ro.deadline) AS region_deadline, \
     ub.display_name AS updated_by_name, sb.display_name AS submitted_by_name, \
     ro.id AS round_id, ro.name AS round_name, ro.questionnaire_id, ro.questionnaire_version, \
     ro.state AS round_state, ro.deadline AS round_deadline, ro.opens_at AS round_opens_at, \
     ro.compared_round_id, r.returned_at, r.return_reason, rb.display_name AS returned_by_name, \
     r.approved_at, ab.display_name AS approved_by_name";
const RESPONSE_JOINS: &str = "FROM responses r \
     JOIN rounds ro ON ro.id = r.round_id \
     JOIN round_regions rr ON rr.round_id = r.round_id AND rr.region_code = r.region_code \
     LEFT JOIN users ub ON ub.id = r.updated_by \
     LEFT JOIN users sb ON sb.id = r.submitted_by \
     LEFT JOIN users rb ON rb.id = r.returned_by \
     LEFT JOIN users ab ON ab.id = r.approved_by";

/// A stored answer that does not read back: the database holds what this code never wrote.
fn unreadable(error: serde_json::Error) -> AppError {
    AppError::internal("a stored answer does not read back", error)
}

/// An answer that does not serialise (it always does: the types are plain data).
fn unwritable(error: serde_json::Error) -> AppError {
    AppError::internal("an answer does not serialise", error)
}

fn response_from_row(row: &sqlx::any::AnyRow) -> Result<Response, AppError> {
    let status: String = row.try_get("status")?;
    Ok(Response {
        id: row.try_get("id")?,
        region_code: row.try_get("region_code")?,
        region_name: row.try_get("region_name")?,
        status: ResponseStatus::parse(&status)
            .ok_or_else(|| AppError::internal("a response's stored status is unknown", &status))?,
        deadline: row.try_get("region_deadline")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by_name")?,
        submitted_at: row.try_get("submitted_at")?,
        submitted_by: row.try_get("submitted_by_name")?,
        returned: match (
            row.try_get::<Option<String>, _>("returned_by_name")?,
            row.try_get::<Option<i64>, _>("returned_at")?,
            row.try_get::<Option<String>, _>("return_reason")?,
        ) {
            (Some(by), Some(at), Some(reason)) => Some((by, at, reason)),
            _ => None,
        },
        approved: row
            .try_get::<Option<String>, _>("approved_by_name")?
            .zip(row.try_get::<Option<i64>, _>("approved_at")?),
        round: round_from_row(row)?,
    })
}

fn round_from_row(row: &sqlx::any::AnyRow) -> Result<Round, AppError> {
    Ok(Round {
        id: row.try_get("round_id")?,
        name: row.try_get("round_name")?,
        questionnaire_id: row.try_get("questionnaire_id")?,
        questionnaire_version: row.try_get("questionnaire_version")?,
        state: row.try_get("round_state")?,
        opens_at: row.try_get("round_opens_at")?,
        deadline: row.try_get("round_deadline")?,
        compared_round_id: row.try_get("compared_round_id")?,
    })
}

/// The id of a region's response to a round: the round's id and the region's code. Pages
/// link to it before the response's row exists; the row is made, with this id, by the first
/// write (`materialize`), never by a visit. (Responses made before this rule have random ids;
/// `find` leads from the key to them.)
pub fn response_key(round_id: &str, region_code: &str) -> String {
    format!("{round_id}.{region_code}")
}

/// A response by id: a stored one, or, for a `response_key` whose region takes part in the
/// round but has not written anything yet, the response as it will be when it is made (open,
/// no answers).
pub async fn find(pool: &AnyPool, id: &str) -> Result<Response, AppError> {
    if let Some(response) = find_stored(pool, id).await? {
        return Ok(response);
    }
    let Some((round_id, region_code)) = id.split_once('.') else {
        return Err(AppError::NotFound);
    };
    // Made since under an older, random id.
    let stored: Option<String> =
        sqlx::query_scalar("SELECT id FROM responses WHERE round_id = $1 AND region_code = $2")
            .bind(round_id)
            .bind(region_code)
            .fetch_optional(pool)
            .await?;
    if let Some(stored) = stored {
        return find_stored(pool, &stored).await?.ok_or(AppError::NotFound);
    }
    let row = sqlx::query(
        "SELECT rr.region_code, rr.region_name, COALESCE(rr.deadline, ro.deadline) AS region_deadline, \
         ro.id AS round_id, ro.name AS round_name, ro.questionnaire_id, ro.questionnaire_version, \
         ro.state AS round_state, ro.deadline AS round_deadline, ro.opens_at AS round_opens_at, \
         ro.compared_round_id FROM round_regions rr JOIN rounds ro ON ro.id = rr.round_id \
         WHERE rr.round_id = $1 AND rr.region_code = $2",
    )
    .bind(round_id)
    .bind(region_code)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Response {
        id: id.to_string(),
        region_code: row.try_get("region_code")?,
        region_name: row.try_get("region_name")?,
        status: ResponseStatus::Open,
        deadline: row.try_get("region_deadline")?,
        updated_at: None,
        updated_by: None,
        submitted_at: None,
        submitted_by: None,
        returned: None,
        approved: None,
        round: round_from_row(&row)?,
    })
}

/// A stored response by id.
async fn find_stored<'e, E>(executor: E, id: &str) -> Result<Option<Response>, AppError>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query(&format!(
        "SELECT {RESPONSE_COLUMNS} {RESPONSE_JOINS} WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await?
    .as_ref()
    .map(response_from_row)
    .transpose()
}

/// Makes the row of a response that so far existed only as its key, inside the transaction of
/// its first write. A response that has a row already is left as it is.
pub async fn materialize(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response: &Response,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO responses (id, round_id, region_code, status, created_at) \
         VALUES ($1, $2, $3, 'open', $4) ON CONFLICT (round_id, region_code) DO NOTHING",
    )
    .bind(&response.id)
    .bind(&response.round.id)
    .bind(&response.region_code)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A response the user may read: their own region's, or any for reviewers and admins.
/// Another region's response is refused exactly like one that does not exist is not: with
/// 403, so a coordinator learns nothing about it beyond that it is not theirs.
pub async fn readable(
    state: &AppState,
    user: &SignedInUser,
    id: &str,
) -> Result<(Response, Arc<LoadedVersion>), AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let response = find(&state.pool, id).await?;
    if !user.may_view_region(&response.region_code) {
        return Err(AppError::Forbidden);
    }
    let round_visible = response
        .round
        .state
        .parse::<crate::domain::round::RoundState>()
        .is_ok_and(|round| round.visible_to(user.role));
    if !round_visible {
        return Err(AppError::NotFound);
    }
    let version = state
        .questionnaires
        .get(
            &state.pool,
            &response.round.questionnaire_id,
            &response.round.questionnaire_version,
        )
        .await?;
    Ok((response, version))
}

/// A response the user may change answers of: only the region's own coordinators, only while
/// the round is open and the response not submitted.
async fn writable(
    state: &AppState,
    user: &SignedInUser,
    id: &str,
) -> Result<(Response, Arc<LoadedVersion>), AppError> {
    let (response, version) = readable(state, user, id).await?;
    if user.role != Role::Coordinator {
        return Err(AppError::Forbidden);
    }
    if let Some(reason) = response.closed_reason(now_ms()) {
        return Err(AppError::Conflict(reason.to_string()));
    }
    Ok((response, version))
}

/// The rounds (not in concept) a region takes part in, each with the region's response,
/// newest first. Reading them makes nothing: a response the region has not written to yet is
/// listed under its key (`response_key`).
pub async fn responses_of_region(
    pool: &AnyPool,
    region_code: &str,
) -> Result<Vec<Response>, AppError> {
    let rounds = sqlx::query(
        "SELECT ro.id, re.id AS response_id FROM rounds ro \
         JOIN round_regions rr ON rr.round_id = ro.id \
         LEFT JOIN responses re ON re.round_id = ro.id AND re.region_code = rr.region_code \
         WHERE rr.region_code = $1 AND ro.state <> 'concept' ORDER BY ro.opens_at DESC",
    )
    .bind(region_code)
    .fetch_all(pool)
    .await?;
    let mut responses = Vec::new();
    for row in rounds {
        let round_id: String = row.try_get("id")?;
        let id = row
            .try_get::<Option<String>, _>("response_id")?
            .unwrap_or_else(|| response_key(&round_id, region_code));
        responses.push(find(pool, &id).await?);
    }
    Ok(responses)
}

/// The response of a region to a round, made when it does not exist yet (for the command
/// line, the demo and tests; pages never make one by looking).
pub async fn ensure_response(
    pool: &AnyPool,
    round_id: &str,
    region_code: &str,
) -> Result<String, AppError> {
    sqlx::query(
        "INSERT INTO responses (id, round_id, region_code, status, created_at) \
         VALUES ($1, $2, $3, 'open', $4) ON CONFLICT (round_id, region_code) DO NOTHING",
    )
    .bind(response_key(round_id, region_code))
    .bind(round_id)
    .bind(region_code)
    .bind(now_ms())
    .execute(pool)
    .await?;
    sqlx::query_scalar("SELECT id FROM responses WHERE round_id = $1 AND region_code = $2")
        .bind(round_id)
        .bind(region_code)
        .fetch_one(pool)
        .await
        .map_err(AppError::from)
}

/// Every stored answer of a response.
pub async fn answers<'e, E>(
    executor: E,
    response_id: &str,
) -> Result<HashMap<String, StoredAnswer>, AppError>
where
    E: Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT a.item_key, a.raw, a.value, a.version, a.prefilled, a.updated_at, \
         u.display_name FROM answers a JOIN users u ON u.id = a.updated_by \
         WHERE a.response_id = $1",
    )
    .bind(response_id)
    .fetch_all(executor)
    .await?;
    let mut answers = HashMap::with_capacity(rows.len());
    for row in rows {
        let raw: String = row.try_get("raw")?;
        let value: Option<String> = row.try_get("value")?;
        let prefilled: i64 = row.try_get("prefilled")?;
        answers.insert(
            row.try_get("item_key")?,
            StoredAnswer {
                raw: serde_json::from_str(&raw).map_err(unreadable)?,
                value: value
                    .map(|value| serde_json::from_str(&value))
                    .transpose()
                    .map_err(unreadable)?,
                version: row.try_get("version")?,
                prefilled: prefilled == 1,
                updated_by: row.try_get("display_name")?,
                updated_at: row.try_get("updated_at")?,
            },
        );
    }
    Ok(answers)
}

/// The engine's view of stored answers: valid values, and the items whose input is invalid.
pub fn engine_answers(stored: &HashMap<String, StoredAnswer>) -> ResponseAnswers {
    let mut answers = ResponseAnswers::default();
    for (key, answer) in stored {
        if answer.prefilled {
            answers.unconfirmed.insert(key.clone());
        }
        match &answer.value {
            Some(value) => {
                answers.current.insert(key.clone(), value.clone());
            }
            None if !answer.raw.is_blank() => {
                answers.invalid.insert(key.clone());
            }
            None => {}
        }
    }
    answers
}

/// This user's saves that were refused because a colleague saved first.
pub async fn conflicts_of(
    pool: &AnyPool,
    response_id: &str,
    user_id: &str,
    stored: &HashMap<String, StoredAnswer>,
) -> Result<Vec<ConflictInfo>, AppError> {
    let rows = sqlx::query(
        "SELECT item_key, raw FROM answer_conflicts WHERE response_id = $1 AND user_id = $2 \
         ORDER BY created_at",
    )
    .bind(response_id)
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let mut conflicts = Vec::new();
    for row in rows {
        let key: String = row.try_get("item_key")?;
        let raw: String = row.try_get("raw")?;
        let Some(theirs) = stored.get(&key) else {
            continue;
        };
        conflicts.push(ConflictInfo {
            key,
            mine: serde_json::from_str(&raw).map_err(unreadable)?,
            theirs: theirs.raw.clone(),
            their_version: theirs.version,
            changed_by: theirs.updated_by.clone(),
            changed_at: theirs.updated_at,
        });
    }
    Ok(conflicts)
}

/// Checks a save before anything is written: known items, within limits, no duplicates.
fn check_request(version: &LoadedVersion, inputs: &[AnswerInput]) -> Result<(), AppError> {
    if inputs.is_empty() {
        return Err(AppError::BadRequest("Er is niets om op te slaan.".into()));
    }
    if inputs.len() > MAX_ANSWERS_PER_SAVE {
        return Err(AppError::BadRequest(format!(
            "Hoogstens {MAX_ANSWERS_PER_SAVE} antwoorden per keer."
        )));
    }
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for input in inputs {
        if !version.index.position.contains_key(&input.key) {
            problems.push((
                input.key.chars().take(60).collect(),
                vec!["Deze vragenlijst heeft geen vraag met deze sleutel.".to_string()],
            ));
            continue;
        }
        if !seen.insert(input.key.as_str()) {
            problems.push((
                input.key.clone(),
                vec!["Deze vraag staat twee keer in één opslag.".to_string()],
            ));
        }
        let size: usize = input
            .raw
            .values
            .iter()
            .chain(input.raw.rows.values())
            .chain(input.raw.rows.keys())
            .chain(input.raw.special.iter())
            .map(|text| text.chars().count())
            .sum();
        if size > MAX_RAW_CHARS || input.raw.values.len() > 200 || input.raw.rows.len() > 200 {
            problems.push((
                input.key.clone(),
                vec![format!(
                    "Dit antwoord is te groot (hoogstens {MAX_RAW_CHARS} tekens)."
                )],
            ));
        }
        if input.base_version < 0 {
            problems.push((input.key.clone(), vec!["Ongeldige versie.".to_string()]));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

/// Refuses a changed answer to a question that the answers, after this save, hide.
fn check_visibility(
    version: &LoadedVersion,
    stored: &HashMap<String, StoredAnswer>,
    compared: &Compared,
    inputs: &[AnswerInput],
) -> Result<(), AppError> {
    let mut problems = Vec::new();
    let mut after = engine_answers(stored);
    // Conditions may ask whether an answer changed since the compared round.
    after.previous = compared.answers.clone();
    for input in inputs {
        after.current.remove(&input.key);
        after.invalid.remove(&input.key);
        let item = item_of(version, &input.key);
        match parse_answer(item, &input.raw) {
            Ok(Some(answer)) => {
                after.current.insert(input.key.clone(), answer);
            }
            Ok(None) => {}
            Err(_) => {
                after.invalid.insert(input.key.clone());
            }
        }
    }
    let evaluation = evaluate(&version.questionnaire, &version.index, &after);
    for input in inputs {
        let hidden = evaluation.items.get(&input.key).is_some_and(|state| {
            state.status == crate::domain::questionnaire::completeness::ItemStatus::Hidden
        });
        let unchanged = stored.get(&input.key).map_or(input.raw.is_blank(), |s| {
            crate::domain::response::same_input(&s.raw, &input.raw)
        });
        if hidden && !unchanged && !input.raw.is_blank() {
            problems.push((
                input.key.clone(),
                vec![
                    "Deze vraag is door uw andere antwoorden niet van toepassing; laat haar leeg."
                        .to_string(),
                ],
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

fn item_of<'a>(version: &'a LoadedVersion, key: &str) -> &'a Item {
    let (s, i) = version.index.position[key];
    &version.questionnaire.sections[s].items[i]
}

/// Saves answers of a response: each is decided against the stored version (see
/// `domain::response::decide`). Invalid input is stored, flagged, with its problems; a save
/// based on an outdated version is kept aside as a conflict for its author and reported.
pub async fn save(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    inputs: Vec<AnswerInput>,
) -> Result<Vec<SaveOutcome>, AppError> {
    let (response, version) = writable(state, user, response_id).await?;
    check_request(&version, &inputs)?;
    // Only an item with a condition can be hidden; the others need no look at the rest.
    let conditional = inputs
        .iter()
        .any(|input| item_of(&version, &input.key).visible_if.is_some());
    if conditional {
        let stored = answers(&state.pool, &response.id).await?;
        let compared = compared(state, &response, &version).await?;
        check_visibility(&version, &stored, &compared, &inputs)?;
    }

    let (_turn, mut tx) = begin_writing(state, &response).await?;
    // The time of the write, taken once it holds the lock: history is in commit order.
    let now = now_ms();
    let mut outcomes = Vec::with_capacity(inputs.len());
    let mut wrote_any = false;
    for input in inputs {
        let raw = input.raw.normalized();
        let current = sqlx::query(
            "SELECT a.raw, a.version, a.updated_at, u.display_name FROM answers a \
             JOIN users u ON u.id = a.updated_by WHERE a.response_id = $1 AND a.item_key = $2",
        )
        .bind(&response.id)
        .bind(&input.key)
        .fetch_optional(&mut *tx)
        .await?;
        let current = match current {
            Some(row) => {
                let text: String = row.try_get("raw")?;
                let stored_raw: RawAnswer = serde_json::from_str(&text).map_err(unreadable)?;
                Some((
                    text,
                    stored_raw,
                    row.try_get::<i64, _>("version")?,
                    row.try_get::<i64, _>("updated_at")?,
                    row.try_get::<String, _>("display_name")?,
                ))
            }
            None => None,
        };
        let mut decision = decide(
            current.as_ref().map(|(_, raw, version, _, _)| Stored {
                raw,
                version: *version,
            }),
            input.base_version,
            &raw,
        );
        // A whole section posted at once carries every answer, also the ones this person did
        // not touch: an answer still as it was at its base version is no change of theirs.
        if decision == Decision::Conflict
            && unchanged_since(&mut tx, &response.id, &input.key, input.base_version, &raw).await?
        {
            decision = Decision::Unchanged;
        }
        let raw_json = serde_json::to_string(&raw).map_err(unwritable)?;
        match decision {
            // A conflict stays until its author decides: a save that changes nothing (for
            // instance from another tab of the same person) does not decide it.
            Decision::Unchanged => {
                outcomes.push(SaveOutcome::Unchanged {
                    version: current.as_ref().map_or(0, |c| c.2),
                    saved_at: current.as_ref().map_or(0, |c| c.3),
                });
            }
            Decision::Write {
                version: new_version,
            } => {
                let problems = write_answer(
                    &mut tx,
                    AnswerWrite {
                        response_id: &response.id,
                        item: item_of(&version, &input.key),
                        old_raw: current.as_ref().map(|c| c.0.clone()),
                        raw: &raw,
                        version: new_version,
                        prefilled: false,
                        user_id: &user.id,
                        at: now,
                    },
                )
                .await?;
                clear_conflict(&mut tx, &response.id, &input.key, &user.id).await?;
                wrote_any = true;
                outcomes.push(SaveOutcome::Saved {
                    version: new_version,
                    saved_at: now,
                    problems,
                });
            }
            Decision::Conflict => {
                let Some((_, theirs, their_version, changed_at, changed_by)) = current else {
                    return Err(AppError::Validation(vec![(
                        input.key.clone(),
                        vec!["Ongeldige versie.".to_string()],
                    )]));
                };
                // One kept conflict per person and item: the newest input replaces an older one.
                clear_conflict(&mut tx, &response.id, &input.key, &user.id).await?;
                sqlx::query(
                    "INSERT INTO answer_conflicts (response_id, item_key, user_id, raw, base_version, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&response.id)
                .bind(&input.key)
                .bind(&user.id)
                .bind(&raw_json)
                .bind(input.base_version)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                outcomes.push(SaveOutcome::Conflict(ConflictInfo {
                    key: input.key,
                    mine: raw,
                    theirs,
                    their_version,
                    changed_by,
                    changed_at,
                }));
            }
        }
    }
    if wrote_any {
        sqlx::query("UPDATE responses SET updated_at = $1, updated_by = $2 WHERE id = $3")
            .bind(now)
            .bind(&user.id)
            .bind(&response.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Whether `raw` is what the answer held at `version` (0: no answer yet).
async fn unchanged_since(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response_id: &str,
    key: &str,
    version: i64,
    raw: &RawAnswer,
) -> Result<bool, AppError> {
    if version == 0 {
        return Ok(raw.is_blank());
    }
    let then: Option<String> = sqlx::query_scalar(
        "SELECT new_raw FROM answer_history WHERE response_id = $1 AND item_key = $2 AND version = $3",
    )
    .bind(response_id)
    .bind(key)
    .bind(version)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(then
        .and_then(|text| serde_json::from_str::<RawAnswer>(&text).ok())
        .is_some_and(|then| crate::domain::response::same_input(&then, raw)))
}

/// Begins a transaction that writes a response's answers. On SQLite it first waits its turn in
/// the process's writer queue. Touching the response row first takes the write lock (SQLite)
/// or the row lock (PostgreSQL): writes to one response are decided one after another, so two
/// saves can never both win. The guard must live as long as the transaction.
///
/// Whether the response still accepts answers is decided again inside the transaction, after
/// the lock: a submit, approval or closed round that landed while this request was on its way
/// wins, and nothing is written after it. On PostgreSQL the round's row is also share-locked,
/// so closing the round waits for saves in flight and saves after it see it closed.
async fn begin_writing<'s>(
    state: &'s AppState,
    response: &Response,
) -> Result<
    (
        Option<tokio::sync::MutexGuard<'s, ()>>,
        sqlx::Transaction<'static, sqlx::Any>,
    ),
    AppError,
> {
    let turn = match &state.sqlite_writes {
        Some(writes) => Some(writes.lock().await),
        None => None,
    };
    let response_id = &response.id;
    let mut tx = state.pool.begin().await?;
    materialize(&mut tx, response).await?;
    sqlx::query("UPDATE responses SET status = status WHERE id = $1")
        .bind(response_id)
        .execute(&mut *tx)
        .await?;
    if state.sqlite_writes.is_none() {
        sqlx::query(
            "SELECT ro.id FROM rounds ro JOIN responses r ON r.round_id = ro.id \
             WHERE r.id = $1 FOR SHARE OF ro",
        )
        .bind(response_id)
        .fetch_optional(&mut *tx)
        .await?;
    }
    let current = find_stored(&mut *tx, response_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(reason) = current.closed_reason(now_ms()) {
        return Err(AppError::Conflict(reason.to_string()));
    }
    Ok((turn, tx))
}

/// One answer to store: the new input of an item, the version it becomes, and by whom.
struct AnswerWrite<'a> {
    response_id: &'a str,
    item: &'a Item,
    /// The stored input before (JSON); `None` when the item had no answer row yet.
    old_raw: Option<String>,
    raw: &'a RawAnswer,
    version: i64,
    /// Taken over from the compared round, awaiting confirmation.
    prefilled: bool,
    user_id: &'a str,
    at: i64,
}

/// Stores an answer (parsed, flagged invalid when it does not parse) and appends the change to
/// its history. Returns why the input is not a valid answer, if it is not.
async fn write_answer(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    write: AnswerWrite<'_>,
) -> Result<Vec<String>, AppError> {
    let (value, problems) = match parse_answer(write.item, write.raw) {
        Ok(value) => (value, Vec::new()),
        Err(problems) => (None, problems),
    };
    let raw_json = serde_json::to_string(write.raw).map_err(unwritable)?;
    let value_json = value
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(unwritable)?;
    let valid = i64::from(problems.is_empty());
    let prefilled = i64::from(write.prefilled);
    let key = &write.item.key;
    if write.old_raw.is_some() {
        sqlx::query(
            "UPDATE answers SET raw = $1, value = $2, valid = $3, version = $4, prefilled = $5, \
             updated_by = $6, updated_at = $7 WHERE response_id = $8 AND item_key = $9",
        )
        .bind(&raw_json)
        .bind(&value_json)
        .bind(valid)
        .bind(write.version)
        .bind(prefilled)
        .bind(write.user_id)
        .bind(write.at)
        .bind(write.response_id)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO answers (response_id, item_key, raw, value, valid, version, prefilled, \
             updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(write.response_id)
        .bind(key)
        .bind(&raw_json)
        .bind(&value_json)
        .bind(valid)
        .bind(write.version)
        .bind(prefilled)
        .bind(write.user_id)
        .bind(write.at)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO answer_history (id, response_id, item_key, old_raw, new_raw, version, \
         changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(write.response_id)
    .bind(key)
    .bind(&write.old_raw)
    .bind(&raw_json)
    .bind(write.version)
    .bind(write.user_id)
    .bind(write.at)
    .execute(&mut **tx)
    .await?;
    Ok(problems)
}

async fn clear_conflict(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response_id: &str,
    key: &str,
    user_id: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "DELETE FROM answer_conflicts WHERE response_id = $1 AND item_key = $2 AND user_id = $3",
    )
    .bind(response_id)
    .bind(key)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends a conflict: keep this user's answer (saved over the colleague's, which they have now
/// seen) or take the colleague's (this user's input is dropped).
pub async fn resolve_conflict(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    key: &str,
    keep_mine: bool,
) -> Result<Option<SaveOutcome>, AppError> {
    let (response, _) = writable(state, user, response_id).await?;
    let stored = answers(&state.pool, &response.id).await?;
    let conflict = conflicts_of(&state.pool, &response.id, &user.id, &stored)
        .await?
        .into_iter()
        .find(|conflict| conflict.key == key)
        .ok_or(AppError::NotFound)?;
    if keep_mine {
        let mut outcomes = save(
            state,
            user,
            response_id,
            vec![AnswerInput {
                key: conflict.key,
                raw: conflict.mine,
                base_version: conflict.their_version,
            }],
        )
        .await?;
        let outcome = outcomes.pop();
        if matches!(outcome, Some(SaveOutcome::Unchanged { .. })) {
            // The colleague's answer already says what this person typed: decided.
            let mut tx = state.pool.begin().await?;
            clear_conflict(&mut tx, &response.id, key, &user.id).await?;
            tx.commit().await?;
        }
        Ok(outcome)
    } else {
        let mut tx = state.pool.begin().await?;
        clear_conflict(&mut tx, &response.id, key, &user.id).await?;
        tx.commit().await?;
        Ok(None)
    }
}

/// The completeness of a response as stored now.
pub fn evaluation(
    version: &LoadedVersion,
    stored: &HashMap<String, StoredAnswer>,
    compared: &Compared,
) -> Evaluation {
    let mut answers = engine_answers(stored);
    answers.previous = compared.answers.clone();
    evaluate(&version.questionnaire, &version.index, &answers)
}

/// The same region's answers in the round this one is compared with, mapped to this round's
/// questionnaire version through lineage.
#[derive(Debug, Clone, Default)]
pub struct Compared {
    /// The compared round's name; `None` when there is no compared round.
    pub round_name: Option<String>,
    /// The input as it was typed, in this version's keys and codes (what prefilling takes).
    pub raw: HashMap<String, RawAnswer>,
    /// The valid answers, in this version's keys and codes.
    pub answers: HashMap<String, Answer>,
    /// How every item maps onto the compared round's version.
    pub mapping: VersionMapping,
}

impl Compared {
    /// Why an item is not compared, in Dutch; `None` when it is.
    pub fn why_not(&self, key: &str) -> Option<String> {
        self.mapping.why_not(key)
    }
}

/// Finds the same region's answers in the compared round of `response`'s round.
pub async fn compared(
    state: &AppState,
    response: &Response,
    version: &LoadedVersion,
) -> Result<Compared, AppError> {
    compared_with(
        state,
        response,
        version,
        response.round.compared_round_id.as_deref(),
    )
    .await
}

/// Finds the same region's answers in another round (`None`: no comparison).
pub async fn compared_with(
    state: &AppState,
    response: &Response,
    version: &LoadedVersion,
    compared_round: Option<&str>,
) -> Result<Compared, AppError> {
    let Some(compared_round) = compared_round else {
        return Ok(Compared::default());
    };
    let row = sqlx::query(
        "SELECT ro.name, ro.questionnaire_id, ro.questionnaire_version, re.id AS response_id          FROM rounds ro LEFT JOIN responses re            ON re.round_id = ro.id AND re.region_code = $2          WHERE ro.id = $1",
    )
    .bind(compared_round)
    .bind(&response.region_code)
    .fetch_optional(&state.pool)
    .await?
    .ok_or_else(|| AppError::internal("the compared round is gone", compared_round))?;
    let round_name: String = row.try_get("name")?;
    let identifier: String = row.try_get("questionnaire_id")?;
    let old_version: String = row.try_get("questionnaire_version")?;
    let old_response: Option<String> = row.try_get("response_id")?;
    let mapping = questionnaires::mapping(
        &state.pool,
        &state.questionnaires,
        version,
        &identifier,
        &old_version,
    )
    .await?;
    let Some(old_response) = old_response else {
        return Ok(Compared {
            round_name: Some(round_name),
            mapping,
            ..Compared::default()
        });
    };
    let old_answers = answers(&state.pool, &old_response).await?;
    let old_raw: HashMap<String, RawAnswer> = old_answers
        .iter()
        .map(|(key, answer)| (key.clone(), answer.raw.clone()))
        .collect();
    let old_values: HashMap<String, Answer> = old_answers
        .into_iter()
        .filter_map(|(key, answer)| Some((key, answer.value?)))
        .collect();
    let keys: Vec<&String> = version.index.position.keys().collect();
    Ok(Compared {
        round_name: Some(round_name),
        raw: keys
            .iter()
            .filter_map(|key| Some(((*key).clone(), mapping.raw(key, &old_raw)?)))
            .collect(),
        answers: mapping.answers(&old_values),
        mapping,
    })
}

/// Submits a response: the whole response is checked on the server; anything that blocks is
/// returned per item (field = item key) and nothing changes.
pub async fn submit(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
) -> Result<(), AppError> {
    let (response, version) = writable(state, user, response_id).await?;
    // The compared round's answers are another response's and don't change under this one.
    let compared = compared(state, &response, &version).await?;
    // Completeness is decided on the answers as they are inside the transaction that
    // submits, under the response's lock: a save racing the submit either lands before it
    // (and is checked) or is refused after it, never lands unchecked after it.
    let (_turn, mut tx) = begin_writing(state, &response).await?;
    let stored = answers(&mut *tx, &response.id).await?;
    let evaluation = evaluation(&version, &stored, &compared);
    let problems = blocking_problems(&version, &evaluation);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let now = now_ms();
    let changed = sqlx::query(
        "UPDATE responses SET status = 'submitted', submitted_at = $1, submitted_by = $2 \
         WHERE id = $3 AND status IN ('open', 'returned')",
    )
    .bind(now)
    .bind(&user.id)
    .bind(&response.id)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Deze vragenlijst is al ingediend.".to_string(),
        ));
    }
    audit::record(
        &mut *tx,
        &Actor::User {
            id: user.id.clone(),
            email: user.email.clone(),
        },
        Event {
            kind: "response_submitted",
            region_code: Some(&response.region_code),
            subject: Some(&response.id),
            details: json!({ "round": response.round.name, "complete": evaluation.overall.complete }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What keeps a response from being submitted, per item, in questionnaire order.
pub fn blocking_problems(
    version: &LoadedVersion,
    evaluation: &Evaluation,
) -> Vec<(String, Vec<String>)> {
    use crate::domain::questionnaire::completeness::ItemStatus;
    let mut problems = Vec::new();
    for item in version.questionnaire.items() {
        let Some(state) = evaluation.items.get(&item.key) else {
            continue;
        };
        let mut messages = Vec::new();
        match state.status {
            ItemStatus::Missing => {
                messages.push("Deze vraag is verplicht en nog niet beantwoord.".to_string())
            }
            ItemStatus::Invalid => messages
                .push("Het antwoord op deze vraag is niet geldig; verbeter het.".to_string()),
            _ => {}
        }
        messages.extend(state.blocking.iter().cloned());
        if !messages.is_empty() {
            problems.push((item.key.clone(), messages));
        }
    }
    problems
}

/// Takes over the compared round's answers, mapped through lineage, for the items of one
/// section (or all sections) that have no answer yet. They are marked as awaiting
/// confirmation. Returns how many answers were taken over.
pub async fn prefill(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    section: Option<&str>,
) -> Result<usize, AppError> {
    let (response, version) = writable(state, user, response_id).await?;
    let sections: Vec<&crate::domain::questionnaire::model::Section> = match section {
        Some(key) => vec![version
            .questionnaire
            .sections
            .iter()
            .find(|s| s.key == key)
            .ok_or_else(|| AppError::BadRequest(format!("Onbekend onderdeel '{key}'.")))?],
        None => version.questionnaire.sections.iter().collect(),
    };
    let compared = compared(state, &response, &version).await?;
    let (_turn, mut tx) = begin_writing(state, &response).await?;
    let now = now_ms();
    let mut taken = Vec::new();
    for item in sections.iter().flat_map(|s| s.items.iter()) {
        let Some(raw) = compared.raw.get(&item.key) else {
            continue;
        };
        // Read inside the transaction: a colleague's answer saved a moment ago stays.
        let current = sqlx::query(
            "SELECT raw, version FROM answers WHERE response_id = $1 AND item_key = $2",
        )
        .bind(&response.id)
        .bind(&item.key)
        .fetch_optional(&mut *tx)
        .await?;
        let (old_raw, old_version) = match current {
            Some(row) => {
                let text: String = row.try_get("raw")?;
                let stored: RawAnswer = serde_json::from_str(&text).map_err(unreadable)?;
                if !stored.is_blank() {
                    continue;
                }
                (Some(text), row.try_get::<i64, _>("version")?)
            }
            None => (None, 0),
        };
        write_answer(
            &mut tx,
            AnswerWrite {
                response_id: &response.id,
                item,
                old_raw,
                raw,
                version: old_version + 1,
                prefilled: true,
                user_id: &user.id,
                at: now,
            },
        )
        .await?;
        taken.push(item.key.clone());
    }
    if !taken.is_empty() {
        sqlx::query("UPDATE responses SET updated_at = $1, updated_by = $2 WHERE id = $3")
            .bind(now)
            .bind(&user.id)
            .bind(&response.id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut *tx,
            &super::request::actor(user),
            Event {
                kind: "answers_prefilled",
                region_code: Some(&response.region_code),
                subject: Some(&response.id),
                details: json!({
                    "from_round": compared.round_name,
                    "section": section,
                    "items": taken,
                }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(taken.len())
}

/// Confirms the taken-over answers of one section: from now on they count as answered.
/// Returns how many were confirmed.
pub async fn confirm_prefilled(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    section: &str,
) -> Result<usize, AppError> {
    let (response, version) = writable(state, user, response_id).await?;
    let keys: Vec<String> = version
        .questionnaire
        .sections
        .iter()
        .find(|s| s.key == section)
        .ok_or_else(|| AppError::BadRequest(format!("Onbekend onderdeel '{section}'.")))?
        .items
        .iter()
        .map(|item| item.key.clone())
        .collect();
    let (_turn, mut tx) = begin_writing(state, &response).await?;
    let mut confirmed = Vec::new();
    for key in keys {
        let changed = sqlx::query(
            "UPDATE answers SET prefilled = 0 WHERE response_id = $1 AND item_key = $2 AND prefilled = 1",
        )
        .bind(&response.id)
        .bind(&key)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 {
            confirmed.push(key);
        }
    }
    if !confirmed.is_empty() {
        audit::record(
            &mut *tx,
            &super::request::actor(user),
            Event {
                kind: "prefill_confirmed",
                region_code: Some(&response.region_code),
                subject: Some(&response.id),
                details: json!({ "section": section, "items": confirmed }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(confirmed.len())
}
