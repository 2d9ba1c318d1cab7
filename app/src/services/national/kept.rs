//! Tallies kept between requests, each with the stamp of what it counted.

use super::{round_facts, tally};
use crate::domain::national::RoundTally;
use crate::error::AppError;
use crate::services::questionnaires::LoadedVersion;
use crate::services::state::AppState;
use sqlx::{AnyConnection, AnyPool};
use std::collections::HashMap;
use std::sync::Arc;

/// The tallies of rounds, kept between requests while what they count is unchanged: a
/// closed or published round is counted once, an open one again after a change. Per round,
/// one request counts at a time, and those waiting take its result.
#[derive(Debug, Default)]
pub struct TallyCache {
    rounds: std::sync::Mutex<HashMap<(String, String), TallySlot>>,
}

/// One round's kept tally; its lock is held while the round is counted.
type TallySlot = Arc<tokio::sync::Mutex<Option<KeptTally>>>;

#[derive(Debug)]
struct KeptTally {
    stamp: TallyStamp,
    tally: Arc<RoundTally>,
}

/// Everything a tally reads that can change: the regions taking part, the status and
/// revision (raised by every answer write) of each response, the round's compared round and
/// the revisions of its responses (whose answers steer conditions such as `changed(x)`).
#[derive(Debug, PartialEq, Eq)]
struct TallyStamp {
    participating: i64,
    responses: Vec<(String, String, i64)>,
    compared_round: Option<String>,
    compared_responses: Vec<(String, String, i64)>,
}

async fn tally_stamp(pool: &AnyPool, round_id: &str) -> Result<TallyStamp, AppError> {
    async fn responses(
        conn: &mut AnyConnection,
        round_id: &str,
    ) -> Result<Vec<(String, String, i64)>, AppError> {
        Ok(sqlx::query_as(
            "SELECT id, status, revision FROM responses WHERE round_id = $1 ORDER BY id",
        )
        .bind(round_id)
        .fetch_all(conn)
        .await?)
    }
    // One connection for the stamp: each query through the pool costs hand-offs between
    // threads to take a connection and give it back.
    let mut conn = pool.acquire().await?;
    let compared_round = round_facts(&mut *conn, round_id).await?.compared_round_id;
    let participating: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM round_regions WHERE round_id = $1")
            .bind(round_id)
            .fetch_one(&mut *conn)
            .await?;
    let compared_responses = match &compared_round {
        Some(compared) => responses(&mut conn, compared).await?,
        None => Vec::new(),
    };
    Ok(TallyStamp {
        participating,
        responses: responses(&mut conn, round_id).await?,
        compared_round,
        compared_responses,
    })
}

/// `tally` of a round, from the cache while its stamp is unchanged. The stamp is read before
/// the answers, so a kept tally is never older than its stamp says.
pub(super) async fn kept_tally(
    state: &AppState,
    round_id: &str,
    version: &LoadedVersion,
) -> Result<Arc<RoundTally>, AppError> {
    let key = (
        round_id.to_string(),
        format!(
            "{}/{}",
            version.questionnaire.identifier, version.questionnaire.version
        ),
    );
    let slot = {
        let mut rounds = state
            .tallies
            .rounds
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        Arc::clone(rounds.entry(key).or_default())
    };
    // Read before waiting for the round's lock, so that requests of one round don't take
    // turns at the database for it; a stamp read earlier can only make a kept tally look
    // stale (counted again), never a stale one current.
    let stamp = tally_stamp(&state.pool, round_id).await?;
    let mut kept = slot.lock().await;
    if let Some(found) = kept.as_ref().filter(|found| found.stamp == stamp) {
        return Ok(Arc::clone(&found.tally));
    }
    let tally = Arc::new(tally(state, round_id, version).await?);
    *kept = Some(KeptTally {
        stamp,
        tally: Arc::clone(&tally),
    });
    Ok(tally)
}
