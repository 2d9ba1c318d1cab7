//! A response's completeness, what blocks submitting it, and submitting.

use super::*;
use crate::domain::access::SignedInUser;
use crate::domain::questionnaire::completeness::{evaluate, Evaluation};
use crate::error::AppError;
use crate::services::audit::{self, Event};
use crate::services::now_ms;
use crate::services::questionnaires::LoadedVersion;
use crate::services::state::AppState;
use serde_json::json;
use std::collections::HashMap;

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

/// The asked items whose answer is taken over from the compared round and not confirmed
/// yet, in questionnaire order.
pub fn unconfirmed_asked(
    version: &LoadedVersion,
    stored: &HashMap<String, StoredAnswer>,
    evaluation: &Evaluation,
) -> Vec<String> {
    use crate::domain::questionnaire::completeness::ItemStatus;
    version
        .questionnaire
        .items()
        .filter(|item| stored.get(&item.key).is_some_and(|a| a.prefilled))
        .filter(|item| {
            evaluation
                .items
                .get(&item.key)
                .is_some_and(|state| state.status != ItemStatus::Hidden)
        })
        .map(|item| item.key.clone())
        .collect()
}

/// The stored answers as they will be once every taken-over answer is confirmed.
pub fn as_confirmed(stored: &HashMap<String, StoredAnswer>) -> HashMap<String, StoredAnswer> {
    stored
        .iter()
        .map(|(key, answer)| {
            let mut answer = answer.clone();
            answer.prefilled = false;
            (key.clone(), answer)
        })
        .collect()
}

/// What a submit form carries besides the response: whether taken-over answers are confirmed,
/// and (from a region adviser) the region's agreement as typed.
#[derive(Debug, Default)]
pub struct Submitting<'a> {
    pub confirming_taken_over: bool,
    pub agreed_with: &'a str,
    pub agreed_on: &'a str,
}

/// Submits a response: the whole response is checked on the server; anything that blocks is
/// returned per item (field = item key) and nothing changes. Taken-over answers not confirmed
/// yet are refused unless `confirming_taken_over` (the coordinator ticked that they are still
/// right): then they are confirmed in the same transaction. A region adviser submits only with
/// the region's agreement (with whom, on which day), which is kept with the response.
pub async fn submit(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    submitting: Submitting<'_>,
) -> Result<(), AppError> {
    let (response, version) = writable(state, user, response_id).await?;
    let agreement = if user.advises(&response.region_code) {
        let agreed = crate::domain::response::agreement::check(
            submitting.agreed_with,
            submitting.agreed_on,
            response.round.opens_at,
            now_ms(),
        )
        .map_err(AppError::Validation)?;
        Some(agreed)
    } else {
        None
    };
    let confirming_taken_over = submitting.confirming_taken_over;
    // The compared round's answers are another response's and don't change under this one.
    let compared = compared(state, &response, &version).await?;
    // Completeness is decided on the answers as they are inside the transaction that
    // submits, under the response's lock: a save racing the submit either lands before it
    // (and is checked) or is refused after it, never lands unchecked after it.
    let (_turn, mut tx) = begin_writing(state, &response).await?;
    let mut stored = answers(&mut *tx, &response.id).await?;
    let mut evaluation = evaluation(&version, &stored, &compared);
    let taken_over = unconfirmed_asked(&version, &stored, &evaluation);
    if !taken_over.is_empty() {
        if !confirming_taken_over {
            return Err(AppError::field(
                crate::domain::response::form_fields::CONFIRM_TAKEN_OVER_FIELD,
                format!(
                    "{} overgenomen antwoord(en) zijn nog niet bevestigd. Controleer ze en \
                     bevestig dat ze nog kloppen, of pas ze aan.",
                    taken_over.len()
                ),
            ));
        }
        // Rolled back with everything else when something below still blocks.
        let how = json!({ "at_submitting": true });
        super::compare::confirm_in(&mut tx, user, &response, &taken_over, how).await?;
        stored = answers(&mut *tx, &response.id).await?;
        evaluation = self::evaluation(&version, &stored, &compared);
    }
    let problems = blocking_problems(&version, &evaluation);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let now = now_ms();
    let changed = sqlx::query(
        "UPDATE responses SET status = 'submitted', submitted_at = $1, submitted_by = $2, \
         agreed_with = $3, agreed_on = $4 WHERE id = $5 AND status IN ('open', 'returned')",
    )
    .bind(now)
    .bind(&user.id)
    .bind(agreement.as_ref().map(|a| a.with.clone()))
    .bind(agreement.as_ref().map(|a| a.on))
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
        &crate::services::request::actor(user),
        Event {
            kind: "response_submitted",
            region_code: Some(&response.region_code),
            subject: Some(&response.id),
            details: json!({
                "round": response.round.name,
                "complete": evaluation.overall.complete,
                "agreed_with": agreement.as_ref().map(|a| &a.with),
                "agreed_on": agreement.as_ref().map(|a| crate::domain::time::input_date(a.on)),
            }),
        },
    )
    .await?;
    let again = response.status == crate::domain::response::ResponseStatus::Returned;
    crate::services::notices::response_submitted(&mut tx, &state.config.mail, &response, again)
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
