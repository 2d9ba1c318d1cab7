//! A response's answers as its pages read them (the stored answers, the compared round's
//! answers and their evaluation), kept between requests while they are current, so that the
//! section page and the task list need not read and evaluate every answer each time.
//!
//! An entry is current while its stamp is the stored one (`counts::Stamp`: the response's
//! revision, raised by every transaction that writes its answers, the compared round and the
//! compared response's revision); the stamp is read before the answers, as in
//! `services::counts`. Unlike the figures, a snapshot holds every answer, so only the most
//! recently used ones are kept.

use super::counts::Stamp;
use super::questionnaires::LoadedVersion;
use super::responses::{self, Compared, Response, StoredAnswer};
use super::state::AppState;
use crate::domain::questionnaire::completeness::Evaluation;
use crate::error::AppError;
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// How many responses' snapshots are kept: those being filled in at one time. One is a few
/// hundred KB at most (300 items with the compared round's answers).
const KEPT_SNAPSHOTS: NonZeroUsize = NonZeroUsize::new(64).unwrap();

/// A response's answers and their evaluation at one revision.
#[derive(Debug)]
pub struct Snapshot {
    pub stored: HashMap<String, StoredAnswer>,
    pub compared: Compared,
    pub evaluation: Evaluation,
}

/// The most recently used snapshots, by response id.
pub struct Cache {
    entries: Mutex<lru::LruCache<String, (Stamp, Arc<Snapshot>)>>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            entries: Mutex::new(lru::LruCache::new(KEPT_SNAPSHOTS)),
        }
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("snapshots::Cache").finish_non_exhaustive()
    }
}

impl Cache {
    fn current(&self, response_id: &str, stamp: &Stamp) -> Option<Arc<Snapshot>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(response_id)
            .filter(|(kept, _)| kept == stamp)
            .map(|(_, snapshot)| Arc::clone(snapshot))
    }

    /// Forgets every snapshot: they hold people's names ("saved by"), and a name changed.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn keep(&self, response_id: &str, stamp: Stamp, snapshot: Arc<Snapshot>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.put(response_id.to_string(), (stamp, snapshot));
    }
}

/// The response's snapshot: the kept one when current, otherwise read, evaluated and kept.
pub async fn of_response(
    state: &AppState,
    version: &LoadedVersion,
    response: &Response,
) -> Result<Arc<Snapshot>, AppError> {
    let stamp = Stamp::of_response(state, version, response).await?;
    if let Some(snapshot) = state.snapshots.current(&response.id, &stamp) {
        return Ok(snapshot);
    }
    let snapshot = Arc::new(read(state, version, response).await?);
    state
        .snapshots
        .keep(&response.id, stamp, Arc::clone(&snapshot));
    Ok(snapshot)
}

/// The response's snapshot from its stored answers, without the cache.
pub async fn read(
    state: &AppState,
    version: &LoadedVersion,
    response: &Response,
) -> Result<Snapshot, AppError> {
    let stored = responses::answers(&state.pool, &response.id).await?;
    let compared = responses::compared(state, response, version).await?;
    let evaluation = responses::evaluation(version, &stored, &compared);
    Ok(Snapshot {
        stored,
        compared,
        evaluation,
    })
}
