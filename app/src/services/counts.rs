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
use super::snapshots::Snapshot;
use super::state::AppState;
use crate::domain::questionnaire::completeness::Counts;
use crate::domain::review::FilledInBy;
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

/// What the review overview shows of one response's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub counts: Counts,
    /// Who gave the current answers: the region, its adviser, or both.
    pub filled_in_by: FilledInBy,
}

impl Figures {
    fn of(snapshot: &Snapshot) -> Figures {
        let by_adviser = snapshot.stored.values().any(|answer| answer.by_adviser);
        let by_region = snapshot.stored.values().any(|answer| !answer.by_adviser);
        Figures {
            counts: snapshot.evaluation.overall.clone(),
            filled_in_by: FilledInBy::of(by_region, by_adviser),
        }
    }
}

/// Figures by response id. One entry per response ever shown: a few dozen bytes each.
#[derive(Debug, Default)]
pub struct Cache {
    entries: Mutex<HashMap<String, (Stamp, Figures)>>,
}

impl Cache {
    /// Forgets every entry: who filled in a response follows its savers' roles, and a role
    /// changed.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn current(&self, response_id: &str, stamp: &Stamp) -> Option<Figures> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(response_id)
            .filter(|(kept, _)| kept == stamp)
            .map(|(_, figures)| figures.clone())
    }

    fn keep(&self, response_id: &str, stamp: Stamp, figures: Figures) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(response_id.to_string(), (stamp, figures));
    }
}

/// The figures of each of `round_responses` (all of one round, answering `version`), by
/// response id: kept ones where current, the others evaluated and kept.
pub async fn of_round(
    state: &AppState,
    version: &LoadedVersion,
    round_responses: &[Response],
) -> Result<HashMap<String, Figures>, AppError> {
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
        let kept = match state.counts.current(&response.id, &stamp) {
            Some(kept) => kept,
            None => {
                let fresh = evaluate(state, version, response).await?;
                state.counts.keep(&response.id, stamp, fresh.clone());
                fresh
            }
        };
        figures.insert(response.id.clone(), kept);
    }
    Ok(figures)
}

/// Works out the figures of every open and closed round's responses once, in the
/// background, when the server starts: otherwise the first reviewer to open a round's
/// overview after a restart waits while every response is evaluated (seconds, for a
/// programme of a thousand organisations). Later changes are evaluated as the overview
/// finds them, a response at a time.
pub fn warm_up(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        match warm(&state).await {
            Ok(responses) => tracing::info!(responses, "review figures worked out ahead"),
            Err(error) => {
                tracing::warn!(%error, "the review figures could not be worked out ahead")
            }
        }
    });
}

/// The figures of the open and closed rounds' responses, newest round first; how many.
async fn warm(state: &AppState) -> Result<usize, AppError> {
    let rounds: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, questionnaire_id, questionnaire_version FROM rounds \
         WHERE state IN ('open', 'closed') ORDER BY opens_at DESC, id",
    )
    .fetch_all(&state.pool)
    .await?;
    let mut evaluated = 0;
    for (round_id, identifier, version) in rounds {
        let version = state
            .questionnaires
            .get(&state.pool, &identifier, &version)
            .await?;
        let round_responses = responses::of_round(&state.pool, &round_id).await?;
        evaluated += of_round(state, &version, &round_responses).await?.len();
    }
    Ok(evaluated)
}

/// A response's figures from its stored answers, without the cache.
pub async fn evaluate(
    state: &AppState,
    version: &LoadedVersion,
    response: &Response,
) -> Result<Figures, AppError> {
    let snapshot = super::snapshots::read(state, version, response).await?;
    Ok(Figures::of(&snapshot))
}
