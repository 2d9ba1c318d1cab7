//! The compared round's answers, and taking them over (prefill) and confirming them.

use super::*;
use crate::domain::access::SignedInUser;
use crate::domain::comparison::same_answer;
use crate::domain::comparison::VersionMapping;
use crate::domain::questionnaire::answer::{Answer, RawAnswer};
use crate::domain::questionnaire::model::{Item, Section};
use crate::error::AppError;
use crate::services::audit::{self, Event};
use crate::services::now_ms;
use crate::services::questionnaires::{self, LoadedVersion};
use crate::services::state::AppState;
use serde_json::json;
use std::collections::HashMap;

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

    /// What the pages say about an item that is not compared: only when this round is
    /// compared with one at all.
    pub fn not_compared(&self, key: &str) -> Option<String> {
        self.round_name.as_ref().and_then(|_| self.why_not(key))
    }

    /// Whether the answer `now` to item `key` differs from the compared round's: `None` when
    /// either round has no valid answer, so there is nothing to compare.
    pub fn change(&self, key: &str, now: Option<&Answer>) -> Option<bool> {
        let before = self.answers.get(key)?;
        Some(!same_answer(now?, before))
    }

    /// Whether the answer `now` to item `key` differs from the compared round's (`false`
    /// when there is nothing to compare).
    pub fn changed(&self, key: &str, now: Option<&Answer>) -> bool {
        self.change(key, now).unwrap_or(false)
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

/// A compared round, with the same region's response to it if there is one.
#[derive(sqlx::FromRow)]
struct ComparedRow {
    name: String,
    questionnaire_id: String,
    questionnaire_version: String,
    response_id: Option<String>,
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
    let ComparedRow {
        name: round_name,
        questionnaire_id,
        questionnaire_version,
        response_id,
    } = sqlx::query_as(
        "SELECT ro.name, ro.questionnaire_id, ro.questionnaire_version, re.id AS response_id          FROM rounds ro LEFT JOIN responses re            ON re.round_id = ro.id AND re.region_code = $2          WHERE ro.id = $1",
    )
    .bind(compared_round)
    .bind(&response.region_code)
    .fetch_optional(&state.pool)
    .await?
    .ok_or_else(|| AppError::internal("the compared round is gone", compared_round))?;
    let mapping = questionnaires::mapping(
        &state.pool,
        &state.questionnaires,
        version,
        &questionnaire_id,
        &questionnaire_version,
    )
    .await?;
    let Some(old_response) = response_id else {
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
    let sections = sections_of(&version, section)?;
    let compared = compared(state, &response, &version).await?;
    let (_turn, mut tx) = begin_writing(state, &response).await?;
    let now = now_ms();
    let mut taken = Vec::new();
    for item in sections.iter().flat_map(|s| s.items.iter()) {
        let Some(raw) = compared.raw.get(&item.key) else {
            continue;
        };
        if take_over(&mut tx, &response.id, item, raw, &user.id, now).await? {
            taken.push(item.key.clone());
        }
    }
    if !taken.is_empty() {
        super::save::mark_updated(&mut tx, &response.id, &user.id, now).await?;
        audit::record(
            &mut *tx,
            &crate::services::request::actor(user),
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

/// The sections to take answers over for: the one named, or all of them.
fn sections_of<'v>(
    version: &'v LoadedVersion,
    section: Option<&str>,
) -> Result<Vec<&'v Section>, AppError> {
    Ok(match section {
        Some(key) => vec![version
            .questionnaire
            .sections
            .iter()
            .find(|s| s.key == key)
            .ok_or_else(|| AppError::BadRequest(format!("Onbekend onderdeel '{key}'.")))?],
        None => version.questionnaire.sections.iter().collect(),
    })
}

/// Stores `raw`, taken over, as the answer to `item` when it has none yet; returns whether
/// it did.
async fn take_over(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    response_id: &str,
    item: &Item,
    raw: &RawAnswer,
    user_id: &str,
    now: i64,
) -> Result<bool, AppError> {
    // Read inside the transaction: a colleague's answer saved a moment ago stays.
    let current: Option<(String, i64)> =
        sqlx::query_as("SELECT raw, version FROM answers WHERE response_id = $1 AND item_key = $2")
            .bind(response_id)
            .bind(&item.key)
            .fetch_optional(&mut **tx)
            .await?;
    let (old_raw, old_version) = match current {
        Some((text, version)) => {
            let stored: RawAnswer = serde_json::from_str(&text).map_err(unreadable)?;
            if !stored.is_blank() {
                return Ok(false);
            }
            (Some(text), version)
        }
        None => (None, 0),
    };
    write_answer(
        tx,
        AnswerWrite {
            response_id,
            item,
            old_raw,
            raw,
            version: old_version + 1,
            prefilled: true,
            user_id,
            at: now,
        },
    )
    .await?;
    Ok(true)
}

/// Which taken-over answers a coordinator confirms.
#[derive(Debug, Clone, Copy)]
pub enum Confirming<'a> {
    /// Every one of a section ("Overgenomen antwoorden bevestigen").
    Section(&'a str),
    /// One item ("Klopt nog").
    Item(&'a str),
}

/// Confirms taken-over answers unchanged: from now on they count as answered, and reviewers
/// see they were confirmed. Returns how many were confirmed (0 when none awaited it).
pub async fn confirm_prefilled(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    confirming: Confirming<'_>,
) -> Result<usize, AppError> {
    let (response, version) = writable(state, user, response_id).await?;
    let (section, keys): (Option<&str>, Vec<String>) = match confirming {
        Confirming::Section(key) => {
            let section = sections_of(&version, Some(key))?[0];
            let keys = section.items.iter().map(|item| item.key.clone()).collect();
            (Some(key), keys)
        }
        Confirming::Item(key) => {
            if version.questionnaire.item(key).is_none() || key.len() > 100 {
                return Err(AppError::BadRequest(format!("Onbekende vraag '{key}'.")));
            }
            (None, vec![key.to_string()])
        }
    };
    let (_turn, mut tx) = begin_writing(state, &response).await?;
    let how = json!({ "section": section });
    let confirmed = confirm_in(&mut tx, user, &response, &keys, how).await?;
    tx.commit().await?;
    Ok(confirmed.len())
}

/// Confirms, in `tx`, those of `keys` that are taken over and not confirmed yet, and records
/// it in the audit log with `how` (a JSON object) and the items. Returns the items.
pub(super) async fn confirm_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: &SignedInUser,
    response: &Response,
    keys: &[String],
    mut how: serde_json::Value,
) -> Result<Vec<String>, AppError> {
    let mut confirmed = Vec::new();
    for key in keys {
        let changed = sqlx::query(
            "UPDATE answers SET prefilled = 0, confirmed_unchanged = 1 \
             WHERE response_id = $1 AND item_key = $2 AND prefilled = 1",
        )
        .bind(&response.id)
        .bind(key)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if changed > 0 {
            confirmed.push(key.clone());
        }
    }
    if !confirmed.is_empty() {
        how["items"] = json!(confirmed);
        audit::record(
            &mut **tx,
            &crate::services::request::actor(user),
            Event {
                kind: "prefill_confirmed",
                region_code: Some(&response.region_code),
                subject: Some(&response.id),
                details: how,
            },
        )
        .await?;
    }
    Ok(confirmed)
}
