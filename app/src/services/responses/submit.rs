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
        &crate::services::request::actor(user),
        Event {
            kind: "response_submitted",
            region_code: Some(&response.region_code),
            subject: Some(&response.id),
            details: json!({ "round": response.round.name, "complete": evaluation.overall.complete }),
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
