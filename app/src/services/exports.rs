//! Exports of a round for reviewers and admins: long and wide CSV, XLSX, JSON and the
//! codebook. What each cell says comes from `domain::export`; this module reads the round
//! and writes the files.
//!
//! Memory stays flat however large the round: the participating regions are listed first
//! (a few bytes each), then each region's answers are read, evaluated with the completeness
//! engine (which decides what was not asked), written and dropped before the next region is
//! read. The bytes go to the client through a small channel while the next region is read;
//! the XLSX file is kept in temporary files row by row (`constant_memory`) and zipped
//! straight into the channel. `cargo run --release -p server --example export_memory`
//! measures it.

use super::questionnaires::{self, LoadedVersion};
use super::responses::{self, StoredAnswer};
use super::state::AppState;
use crate::domain::access::SignedInUser;
use crate::domain::comparison::VersionMapping;
use crate::domain::export::{
    codebook_entry, columns, csv_row, export_item, item_status, json_answer, response_status,
    sheet_name, Format, Status, Stored, STATUSES,
};
use crate::domain::publication::{self, PublishedAnswer, PublishedRegion, Snapshot};
use crate::domain::questionnaire::answer::Answer;
use crate::domain::questionnaire::completeness::{evaluate, ItemStatus, ResponseAnswers};
use crate::domain::questionnaire::model::Item;
use crate::domain::round::RoundState;
use crate::error::AppError;
use sqlx::Row;
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

mod csv_files;
mod json_file;
mod xlsx_file;

use csv_files::{codebook_csv, long_csv, wide_csv};
pub(crate) use csv_files::{yes_no, CODEBOOK_HEADER};
use json_file::json;
use xlsx_file::xlsx;

/// Bytes are handed to the client in pieces of about this size.
const CHUNK_BYTES: usize = 64 * 1024;
/// Pieces waiting for the client; the reader waits when they are all taken.
const CHANNEL_CHUNKS: usize = 4;

/// The round being exported.
#[derive(Debug, Clone)]
struct RoundFacts {
    name: String,
    questionnaire_id: String,
    questionnaire_version: String,
    compared_round_id: Option<String>,
}

/// A region taking part in the round, with its response if it has one.
#[derive(Debug, Clone)]
struct Participant {
    region_code: String,
    region_name: String,
    response_id: Option<String>,
    status: Option<String>,
}

/// An export ready to be written: access checked, round and version known, regions listed.
pub struct Export {
    pub format: Format,
    /// The download's file name, naming the round and the questionnaire version.
    pub file_name: String,
    round: RoundFacts,
    version: Arc<LoadedVersion>,
    participants: Vec<Participant>,
    /// The compared round and the mapping onto it, when a condition reads the previous
    /// round (`prev`, `changed`): what was asked then depends on those answers too.
    previous: Option<(String, VersionMapping)>,
}

/// Checks who asks, which file and which round, and lists the round's regions. Reviewers and
/// admins only; a concept round only for admins (it is not visible to reviewers yet).
pub async fn prepare(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
    file: &str,
) -> Result<Export, AppError> {
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    let format = Format::from_url_name(file).ok_or(AppError::NotFound)?;
    let (export, round_state) = load(state, round_id, format).await?;
    // A concept round is invisible to everyone but admins, as if it did not exist.
    if round_state == RoundState::Concept && !user.is_admin() {
        return Err(AppError::NotFound);
    }
    Ok(export)
}

/// The round, its version and its regions, as an export of `format` reads them, with the
/// round's state; nobody's access is checked here.
async fn load(
    state: &AppState,
    round_id: &str,
    format: Format,
) -> Result<(Export, RoundState), AppError> {
    if round_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let row = sqlx::query(
        "SELECT name, state, questionnaire_id, questionnaire_version, compared_round_id \
         FROM rounds WHERE id = $1",
    )
    .bind(round_id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let round_state = super::rounds::stored_state(&row, "state")?;
    let round = RoundFacts {
        name: row.try_get("name")?,
        questionnaire_id: row.try_get("questionnaire_id")?,
        questionnaire_version: row.try_get("questionnaire_version")?,
        compared_round_id: row.try_get("compared_round_id")?,
    };
    let version = state
        .questionnaires
        .get(
            &state.pool,
            &round.questionnaire_id,
            &round.questionnaire_version,
        )
        .await?;
    let reads_previous = version
        .questionnaire
        .items()
        .filter_map(|item| item.visible_if.as_ref())
        .any(|condition| condition.expr.reads_previous());
    let previous = match (&round.compared_round_id, reads_previous) {
        (Some(compared), true) => {
            let (identifier, old_version): (String, String) = sqlx::query_as(
                "SELECT questionnaire_id, questionnaire_version FROM rounds WHERE id = $1",
            )
            .bind(compared)
            .fetch_one(&state.pool)
            .await?;
            let mapping = questionnaires::mapping(
                &state.pool,
                &state.questionnaires,
                &version,
                &identifier,
                &old_version,
            )
            .await?;
            Some((compared.clone(), mapping))
        }
        _ => None,
    };
    let participants = if format == Format::Codebook {
        Vec::new()
    } else {
        sqlx::query(
            "SELECT rr.region_code, rr.region_name, r.id AS response_id, r.status \
             FROM round_regions rr LEFT JOIN responses r \
               ON r.round_id = rr.round_id AND r.region_code = rr.region_code \
             WHERE rr.round_id = $1 ORDER BY rr.region_code",
        )
        .bind(round_id)
        .fetch_all(&state.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Participant {
                region_code: row.try_get("region_code")?,
                region_name: row.try_get("region_name")?,
                response_id: row.try_get("response_id")?,
                status: row.try_get("status")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?
    };
    let file_name = format.file_name(
        &round.name,
        &round.questionnaire_id,
        &round.questionnaire_version,
    );
    let export = Export {
        format,
        file_name,
        round,
        version,
        participants,
        previous,
    };
    Ok((export, round_state))
}

/// What publishing `round_id` would freeze: every participating region with its gemeenten
/// and, when its response is approved, its answers to the public items, read and evaluated
/// as the exports do. Also the round's state and the responses' stamp (see
/// `responses_stamp`) at the moment of reading.
pub async fn public_snapshot(
    state: &AppState,
    round_id: &str,
) -> Result<(Snapshot, RoundState, String), AppError> {
    let stamp = responses_stamp(&state.pool, round_id).await?;
    let (export, round_state) = load(state, round_id, Format::Json).await?;
    let deadline: i64 = sqlx::query_scalar("SELECT deadline FROM rounds WHERE id = $1")
        .bind(round_id)
        .fetch_one(&state.pool)
        .await?;
    let gemeenten: Vec<(String, String)> = sqlx::query_as(
        "SELECT region_code, gemeente_name FROM round_gemeenten WHERE round_id = $1 \
         ORDER BY region_code, gemeente_name",
    )
    .bind(round_id)
    .fetch_all(&state.pool)
    .await?;
    let public: Vec<&Item> = publication::public_items(&export.version.questionnaire).collect();
    let mut regions = Vec::with_capacity(export.participants.len());
    for participant in &export.participants {
        let answers = if participant.status.as_deref() == Some("approved") {
            let read = read_region(state, &export, participant)
                .await
                .map_err(|failure| match failure {
                    Failure::App(error) => error,
                    Failure::Gone => AppError::internal("reading a region failed", "gone"),
                })?;
            Some(
                public
                    .iter()
                    .map(|item| {
                        let stored = read.stored(&item.key);
                        let status = item_status(read.status(&item.key), stored);
                        (
                            item.key.clone(),
                            PublishedAnswer::from_status(status, stored.and_then(|s| s.value)),
                        )
                    })
                    .collect(),
            )
        } else {
            None
        };
        regions.push(PublishedRegion {
            code: participant.region_code.clone(),
            name: participant.region_name.clone(),
            gemeenten: gemeenten
                .iter()
                .filter(|(region, _)| region == &participant.region_code)
                .map(|(_, name)| name.clone())
                .collect(),
            answers,
        });
    }
    let snapshot = Snapshot {
        round_name: export.round.name.clone(),
        questionnaire_id: export.round.questionnaire_id.clone(),
        questionnaire_version: export.round.questionnaire_version.clone(),
        deadline,
        regions,
    };
    Ok((snapshot, round_state, stamp))
}

/// Every response of a round with its status and revision, as one text: it changes whenever
/// an answer, a status or an approval does.
pub async fn responses_stamp<'e, E>(executor: E, round_id: &str) -> Result<String, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, status, revision FROM responses WHERE round_id = $1 ORDER BY id",
    )
    .bind(round_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|(id, status, revision)| format!("{id}:{status}:{revision}"))
        .collect::<Vec<_>>()
        .join(","))
}

type Chunk = Result<Vec<u8>, std::io::Error>;

/// Writes the export on a task of its own and returns its bytes as they come. A failure
/// halfway ends the stream with an error (the client sees an incomplete download, never a
/// complete-looking wrong file) and is logged.
pub fn stream(state: AppState, export: Export) -> ReceiverStream<Chunk> {
    let (sender, receiver) = mpsc::channel(CHANNEL_CHUNKS);
    tokio::spawn(async move {
        let sink = Sink {
            sender: sender.clone(),
            pending: Vec::with_capacity(CHUNK_BYTES),
        };
        let written = match export.format {
            Format::Long => long_csv(&state, &export, sink).await,
            Format::Wide => wide_csv(&state, &export, sink).await,
            Format::Codebook => codebook_csv(&export, sink).await,
            Format::Json => json(&state, &export, sink).await,
            Format::Xlsx => xlsx(&state, &export, sink).await,
        };
        match written {
            Ok(()) | Err(Failure::Gone) => {}
            Err(Failure::App(error)) => {
                tracing::error!(?error, file = %export.file_name, "an export failed halfway");
                let _ = sender
                    .send(Err(std::io::Error::other("the export failed")))
                    .await;
            }
        }
    });
    ReceiverStream::new(receiver)
}

/// Why writing stopped.
#[derive(Debug)]
enum Failure {
    /// The client went away: nothing to do.
    Gone,
    App(AppError),
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure::App(error)
    }
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::App(error.into())
    }
}

fn internal(error: impl std::fmt::Display) -> Failure {
    Failure::App(AppError::internal("writing an export failed", error))
}

/// Where the bytes go: collected into chunks of about `CHUNK_BYTES`.
struct Sink {
    sender: mpsc::Sender<Chunk>,
    pending: Vec<u8>,
}

impl Sink {
    async fn send(&self, bytes: Vec<u8>) -> Result<(), Failure> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.sender.send(Ok(bytes)).await.map_err(|_| Failure::Gone)
    }

    /// Adds bytes, sending a chunk once there is enough.
    async fn push(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= CHUNK_BYTES {
            let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK_BYTES));
            self.send(chunk).await?;
        }
        Ok(())
    }

    /// Adds what a CSV writer wrote.
    async fn push_csv(&mut self, writer: csv::Writer<Vec<u8>>) -> Result<(), Failure> {
        let bytes = writer
            .into_inner()
            .map_err(|error| internal(error.error()))?;
        self.push(&bytes).await
    }

    /// Sends what is left.
    async fn finish(&mut self) -> Result<(), Failure> {
        let chunk = std::mem::take(&mut self.pending);
        self.send(chunk).await
    }
}

/// One region's answers with what the completeness engine decided for each item.
struct RegionAnswers {
    stored: HashMap<String, StoredAnswer>,
    statuses: HashMap<String, ItemStatus>,
}

impl RegionAnswers {
    fn status(&self, key: &str) -> ItemStatus {
        self.statuses.get(key).copied().unwrap_or(ItemStatus::Empty)
    }

    fn stored(&self, key: &str) -> Option<Stored<'_>> {
        self.stored.get(key).map(|answer| Stored {
            raw: &answer.raw,
            value: answer.value.as_ref(),
            prefilled: answer.prefilled,
        })
    }
}

/// Reads one region's answers and decides, with the same engine as the task list and the
/// national picture, which items were asked.
async fn read_region(
    state: &AppState,
    export: &Export,
    participant: &Participant,
) -> Result<RegionAnswers, Failure> {
    let stored = match &participant.response_id {
        Some(id) => responses::answers(&state.pool, id).await?,
        None => HashMap::new(),
    };
    let mut answers = responses::engine_answers(&stored);
    if let Some((compared_round, mapping)) = &export.previous {
        answers.previous = previous_answers(state, compared_round, mapping, participant).await?;
    }
    let statuses = evaluate_statuses(&export.version, &answers);
    Ok(RegionAnswers { stored, statuses })
}

fn evaluate_statuses(
    version: &LoadedVersion,
    answers: &ResponseAnswers,
) -> HashMap<String, ItemStatus> {
    evaluate(&version.questionnaire, &version.index, answers)
        .items
        .into_iter()
        .map(|(key, state)| (key, state.status))
        .collect()
}

/// The region's valid answers in the compared round, in this version's keys and codes.
async fn previous_answers(
    state: &AppState,
    compared_round: &str,
    mapping: &VersionMapping,
    participant: &Participant,
) -> Result<HashMap<String, Answer>, Failure> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM responses WHERE round_id = $1 AND region_code = $2")
            .bind(compared_round)
            .bind(&participant.region_code)
            .fetch_optional(&state.pool)
            .await?;
    let Some(id) = id else {
        return Ok(HashMap::new());
    };
    let values: HashMap<String, Answer> = responses::answers(&state.pool, &id)
        .await?
        .into_iter()
        .filter_map(|(key, answer)| Some((key, answer.value?)))
        .collect();
    Ok(mapping.answers(&values))
}

/// `nad/2026-06`: the questionnaire and its version, as every row names them.
fn version_label(export: &Export) -> String {
    format!(
        "{}/{}",
        export.round.questionnaire_id, export.round.questionnaire_version
    )
}

/// A CSV writer for a few rows (the header, or one region's), handed to the sink whole.
fn new_csv() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer(Vec::new())
}
