//! Reading a round's answers for an export: one query for the whole round, its rows taken
//! one region at a time as they come, on a task of its own, so that reading and deciding
//! what was asked run beside the writing of the file.
//!
//! Rows are what cost (see "Counting the national picture" in docs/decisions.md): one row per
//! answer through sqlx took most of an export's time, so each response comes as one row with
//! its answers joined into one text, as the national picture reads them.

use super::{Export, Participant};
use crate::domain::export::Stored;
use crate::domain::questionnaire::answer::{Answer, RawAnswer};
use crate::domain::questionnaire::completeness::{evaluate, ItemStatus, ResponseAnswers};
use crate::error::AppError;
use crate::services::questionnaires::LoadedVersion;
use crate::services::state::AppState;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use tokio::sync::mpsc;
use tokio_stream::StreamExt;

/// Regions read ahead of the writer; the reader waits when the writer is this far behind.
const REGIONS_AHEAD: usize = 8;

/// Separates the answers of one response in the joined text; JSON never holds it raw.
const ANSWER_SEPARATOR: char = '\u{1e}';

/// One region's answers with what the completeness engine decided for each item.
pub(super) struct RegionAnswers {
    stored: HashMap<String, ExportedAnswer>,
    statuses: HashMap<String, ItemStatus>,
}

/// What an export shows of one stored answer.
struct ExportedAnswer {
    raw: RawAnswer,
    value: Option<Answer>,
    prefilled: bool,
}

impl RegionAnswers {
    pub(super) fn status(&self, key: &str) -> ItemStatus {
        self.statuses.get(key).copied().unwrap_or(ItemStatus::Empty)
    }

    pub(super) fn stored(&self, key: &str) -> Option<Stored<'_>> {
        self.stored.get(key).map(|answer| Stored {
            raw: &answer.raw,
            value: answer.value.as_ref(),
            prefilled: answer.prefilled,
        })
    }
}

/// Every participating region's answers, in the order of `export.participants`, read by a
/// task of its own. The task stops when the receiver is dropped; a failure is its last item.
pub(super) fn read_round(
    state: &AppState,
    export: &Export,
) -> mpsc::Receiver<Result<RegionAnswers, AppError>> {
    let (sender, receiver) = mpsc::channel(REGIONS_AHEAD);
    let state = state.clone();
    let round_id = export.round.id.clone();
    let version = export.version.clone();
    let participants = export.participants.clone();
    tokio::spawn(async move {
        let read = read_regions(&state, &round_id, &version, &participants, &sender).await;
        if let Err(error) = read {
            let _ = sender.send(Err(error)).await;
        }
    });
    receiver
}

async fn read_regions(
    state: &AppState,
    round_id: &str,
    version: &LoadedVersion,
    participants: &[Participant],
    sender: &mpsc::Sender<Result<RegionAnswers, AppError>>,
) -> Result<(), AppError> {
    // Small: only the answers that conditions read in the compared round.
    let previous = super::super::national::previous_steering(state, round_id, version).await?;
    let sqlite = state.sqlite_writes.is_some();
    let mut connection = state.pool.acquire().await?;
    if sqlite {
        // One pass over every answer of the round: a page read once is not read again, so
        // a small cache does as well as the usual 2 MiB, and memory stays low.
        sqlx::query("PRAGMA cache_size = -256")
            .execute(&mut *connection)
            .await?;
    }
    let read = read_in_order(
        &mut connection,
        &joined_answers_sql(state),
        round_id,
        version,
        participants,
        previous,
        sender,
    )
    .await;
    if sqlite {
        // Also after a failure: the pages the read left in this connection's cache serve
        // nothing, and the connection caches as usual again (SQLite's default, 2 MiB).
        sqlx::query("PRAGMA shrink_memory; PRAGMA cache_size = -2000")
            .execute(&mut *connection)
            .await?;
    }
    read
}

/// Reads every participant's answers on `connection`, in their order, and hands them over.
async fn read_in_order(
    connection: &mut sqlx::AnyConnection,
    sql: &str,
    round_id: &str,
    version: &LoadedVersion,
    participants: &[Participant],
    mut previous: HashMap<String, HashMap<String, Answer>>,
    sender: &mpsc::Sender<Result<RegionAnswers, AppError>>,
) -> Result<(), AppError> {
    let mut rows = sqlx::query_as::<_, (String, Option<String>)>(sql)
        .bind(round_id)
        .fetch(connection);
    let mut read_back = ReadBack::default();
    for participant in participants {
        let joined = match participant.response_id {
            Some(_) => next_response(&mut rows, participant).await?,
            None => None,
        };
        let region_previous = previous
            .remove(&participant.region_code)
            .unwrap_or_default();
        let answers = region_answers(version, &mut read_back, joined.as_deref(), region_previous)?;
        if sender.send(Ok(answers)).await.is_err() {
            // The writer stopped (the client went away): nothing more to read.
            break;
        }
    }
    Ok(())
}

/// The joined answers of `participant`'s response: the next row, which must be its own.
async fn next_response(
    rows: &mut (impl tokio_stream::Stream<Item = Result<(String, Option<String>), sqlx::Error>> + Unpin),
    participant: &Participant,
) -> Result<Option<String>, AppError> {
    let (region_code, joined) = rows.next().await.transpose()?.ok_or_else(|| {
        AppError::internal("an exported response is missing", &participant.region_code)
    })?;
    if region_code != participant.region_code {
        return Err(AppError::internal(
            "exported responses came in another order",
            format!("{region_code} for {}", participant.region_code),
        ));
    }
    Ok(joined)
}

/// Stored JSON texts read back before. Most answers repeat (yes/no, codes, the empty
/// matrix), so each distinct text is parsed once; emptied when it holds `READ_BACK_KEPT`
/// texts of a kind, so free text can't make it grow.
#[derive(Default)]
struct ReadBack {
    raw: FxHashMap<String, RawAnswer>,
    values: FxHashMap<String, Answer>,
}

const READ_BACK_KEPT: usize = 4096;

impl ReadBack {
    fn raw(&mut self, json: &str) -> Result<RawAnswer, serde_json::Error> {
        read_once(&mut self.raw, json)
    }

    fn value(&mut self, json: &str) -> Result<Answer, serde_json::Error> {
        read_once(&mut self.values, json)
    }
}

fn read_once<T: Clone + serde::de::DeserializeOwned>(
    kept: &mut FxHashMap<String, T>,
    json: &str,
) -> Result<T, serde_json::Error> {
    if let Some(read) = kept.get(json) {
        return Ok(read.clone());
    }
    let read: T = serde_json::from_str(json)?;
    if kept.len() >= READ_BACK_KEPT {
        kept.clear();
    }
    kept.insert(json.to_string(), read.clone());
    Ok(read)
}

/// Per participating region with a response, in the order participants are listed, its
/// answers joined: "0" or "1" (taken over and not confirmed), the item key, a tab, the raw
/// input's JSON, a tab, the valid value's JSON or nothing.
fn joined_answers_sql(state: &AppState) -> String {
    let join_texts = super::super::national::join_function(state);
    format!(
        "SELECT rr.region_code, \
         (SELECT {join_texts}(CAST(a.prefilled AS TEXT) || a.item_key || '\t' || a.raw \
                 || '\t' || COALESCE(a.value, ''), '{ANSWER_SEPARATOR}') \
          FROM answers a WHERE a.response_id = r.id) \
         FROM round_regions rr JOIN responses r \
           ON r.round_id = rr.round_id AND r.region_code = rr.region_code \
         WHERE rr.round_id = $1 ORDER BY rr.region_code"
    )
}

/// Reads a region's joined answers back and decides, with the same engine as the task list
/// and the national picture, which items were asked.
fn region_answers(
    version: &LoadedVersion,
    read_back: &mut ReadBack,
    joined: Option<&str>,
    previous: HashMap<String, Answer>,
) -> Result<RegionAnswers, AppError> {
    let mut stored = HashMap::new();
    for part in joined
        .into_iter()
        .flat_map(|joined| joined.split(ANSWER_SEPARATOR))
    {
        let (key, answer) = read_answer(read_back, part)?;
        stored.insert(key.to_string(), answer);
    }
    let mut engine = ResponseAnswers {
        previous,
        ..ResponseAnswers::default()
    };
    for (key, answer) in &stored {
        engine.add_stored(
            key,
            answer.value.as_ref(),
            answer.raw.is_blank(),
            answer.prefilled,
        );
    }
    let statuses = evaluate(&version.questionnaire, &version.index, &engine)
        .items
        .into_iter()
        .map(|(key, state)| (key, state.status))
        .collect();
    Ok(RegionAnswers { stored, statuses })
}

/// One answer of the joined text: its key and what is stored.
fn read_answer<'a>(
    read_back: &mut ReadBack,
    part: &'a str,
) -> Result<(&'a str, ExportedAnswer), AppError> {
    let unreadable = |error: &dyn std::fmt::Display| {
        AppError::internal(
            "an exported answer does not read back",
            format!("{error}: {part:?}"),
        )
    };
    let mut fields = part.get(1..).unwrap_or_default().splitn(3, '\t');
    let (Some(key), Some(raw), Some(value)) = (fields.next(), fields.next(), fields.next()) else {
        return Err(unreadable(&"not three fields"));
    };
    let answer = ExportedAnswer {
        raw: read_back.raw(raw).map_err(|error| unreadable(&error))?,
        value: match value {
            "" => None,
            json => Some(read_back.value(json).map_err(|error| unreadable(&error))?),
        },
        prefilled: part.starts_with('1'),
    };
    Ok((key, answer))
}
