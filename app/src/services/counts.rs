//! Each response's completeness figures (required, complete, blocking, warnings…), kept
//! between requests so that the review overview evaluates only the responses that changed
//! since it last looked, not all of a round's on every request.
//!
//! An entry is current while the stamp it was computed at is the stored one: the response's
//! revision (raised in every transaction that writes its answers), the compared round and the
//! compared response's revision (the jump warnings read its answers). The stamp is read before
//! the answers, so an entry can only be computed from answers at least as new as its stamp: a
//! save that lands in between makes the entry look stale, never a stale entry look current.
//! Every instance keeps its own; the stamp comes from the database they share.

use super::questionnaires::LoadedVersion;
use super::responses::{self, Response};
use super::state::AppState;
use crate::domain::questionnaire::completeness::Counts;
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::Mutex;

/// What a response's figures (or its kept snapshot, `services::snapshots`) were computed
/// from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    questionnaire: (String, String),
    revision: i64,
    compared_round: Option<String>,
    /// The compared round's response of the same region, and its revision.
    compared_response: Option<(String, i64)>,
}

impl Stamp {
    /// The stamp of one response as stored now: one query for the compared response.
    pub(crate) async fn of_response(
        state: &AppState,
        version: &LoadedVersion,
        response: &Response,
    ) -> Result<Stamp, AppError> {
        let compared_round = response.round.compared_round_id.clone();
        let compared_response =
            match &compared_round {
                Some(round_id) => sqlx::query_as::<_, (String, i64)>(
                    "SELECT id, revision FROM responses WHERE round_id = $1 AND region_code = $2",
                )
                .bind(round_id)
                .bind(&response.region_code)
                .fetch_optional(&state.pool)
                .await?,
                None => None,
            };
        Ok(Stamp {
            questionnaire: (
                version.questionnaire.identifier.clone(),
                version.questionnaire.version.clone(),
            ),
            revision: response.revision,
            compared_round,
            compared_response,
        })
    }
}

/// Figures by response id. One entry per response ever shown: a few dozen bytes each.
#[derive(Debug, Default)]
pub struct Cache {
    entries: Mutex<HashMap<String, (Stamp, Counts)>>,
}

impl Cache {
    fn current(&self, response_id: &str, stamp: &Stamp) -> Option<Counts> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(response_id)
            .filter(|(kept, _)| kept == stamp)
            .map(|(_, counts)| counts.clone())
    }

    fn keep(&self, response_id: &str, stamp: Stamp, counts: Counts) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(response_id.to_string(), (stamp, counts));
    }
}

/// The overall figures of each of `round_responses` (all of one round, answering `version`),
/// by response id: kept ones where current, the others evaluated and kept.
pub async fn of_round(
    state: &AppState,
    version: &LoadedVersion,
    round_responses: &[Response],
) -> Result<HashMap<String, Counts>, AppError> {
    let compared_round = round_responses
        .first()
        .and_then(|response| response.round.compared_round_id.clone());
    let compared_responses = match &compared_round {
        Some(round_id) => responses::of_round(&state.pool, round_id)
            .await?
            .into_iter()
            .map(|response| {
                (
                    response.region_code.clone(),
                    (response.id, response.revision),
                )
            })
            .collect(),
        None => HashMap::new(),
    };
    let questionnaire = (
        version.questionnaire.identifier.clone(),
        version.questionnaire.version.clone(),
    );
    let mut figures = HashMap::with_capacity(round_responses.len());
    for response in round_responses {
        let stamp = Stamp {
            questionnaire: questionnaire.clone(),
            revision: response.revision,
            compared_round: compared_round.clone(),
            compared_response: compared_responses.get(&response.region_code).cloned(),
        };
        let counts = match state.counts.current(&response.id, &stamp) {
            Some(counts) => counts,
            None => {
                let counts = evaluate(state, version, response).await?;
                state.counts.keep(&response.id, stamp, counts.clone());
                counts
            }
        };
        figures.insert(response.id.clone(), counts);
    }
    Ok(figures)
}

/// A response's figures from its stored answers, without the cache.
pub async fn evaluate(
    state: &AppState,
    version: &LoadedVersion,
    response: &Response,
) -> Result<Counts, AppError> {
    let snapshot = super::snapshots::read(state, version, response).await?;
    Ok(snapshot.evaluation.overall)
}
