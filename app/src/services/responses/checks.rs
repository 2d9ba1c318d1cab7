//! The checks a save passes before anything is written: the request itself, and that no
//! changed answer goes to a question the answers after the save hide.

use super::*;
use crate::domain::questionnaire::answer::parse_answer;
use crate::domain::questionnaire::completeness::evaluate;
use crate::domain::questionnaire::model::Item;
use crate::domain::response::{AnswerInput, MAX_ANSWERS_PER_SAVE, MAX_RAW_CHARS};
use crate::error::AppError;
use crate::services::questionnaires::LoadedVersion;
use std::collections::{BTreeSet, HashMap};

/// Checks a save before anything is written: known items, within limits, no duplicates.
pub(super) fn check_request(
    version: &LoadedVersion,
    inputs: &[AnswerInput],
) -> Result<(), AppError> {
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
pub(super) fn check_visibility(
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

pub(super) fn item_of<'a>(version: &'a LoadedVersion, key: &str) -> &'a Item {
    let (s, i) = version.index.position[key];
    &version.questionnaire.sections[s].items[i]
}
