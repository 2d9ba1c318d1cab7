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

use super::questionnaires::LoadedVersion;
use super::state::AppState;
use crate::domain::access::SignedInUser;
use crate::domain::export::{
    codebook_entry, columns, csv_row, export_item, item_status, response_status, sheet_name,
    Format, Status, STATUSES,
};
use crate::domain::publication::{self, PublishedAnswer, PublishedRegion, Snapshot};
use crate::domain::questionnaire::model::{Item, Section};
use crate::domain::response::agreement::Agreement;
use crate::domain::review::FilledInBy;
use crate::domain::round::RoundState;
use crate::domain::time::input_date;
use crate::error::AppError;
use sqlx::Row;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

mod csv_files;
mod json_file;
mod reading;
mod xlsx_file;

use reading::{read_round, RegionAnswers};

pub(crate) use csv_files::{codebook_code_row, codebook_item_row, CODEBOOK_HEADER};
use csv_files::{codebook_csv, long_csv, wide_csv};
use json_file::json;
use xlsx_file::xlsx;

/// Bytes are handed to the client in pieces of about this size.
const CHUNK_BYTES: usize = 64 * 1024;
/// Pieces waiting for the client; the reader waits when they are all taken.
const CHANNEL_CHUNKS: usize = 4;

/// The round being exported.
#[derive(Debug, Clone)]
struct RoundFacts {
    id: String,
    name: String,
    questionnaire_id: String,
    questionnaire_version: String,
}

/// A region taking part in the round, with its response if it has one.
#[derive(Debug, Clone)]
struct Participant {
    region_code: String,
    region_name: String,
    response_id: Option<String>,
    status: Option<String>,
    /// Who gave the current answers: the region, its adviser, or both.
    filled_in_by: FilledInBy,
    /// The region's agreement, when its adviser submitted the response.
    agreement: Option<Agreement>,
}

/// An export ready to be written: access checked, round and version known, regions listed.
pub struct Export {
    pub format: Format,
    /// The download's file name, naming the round and the questionnaire version.
    pub file_name: String,
    round: RoundFacts,
    version: Arc<LoadedVersion>,
    /// Shared with the task that reads their answers.
    participants: Arc<[Participant]>,
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
        "SELECT name, state, questionnaire_id, questionnaire_version FROM rounds WHERE id = $1",
    )
    .bind(round_id)
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let round_state = super::rounds::stored_state(&row, "state")?;
    let round = RoundFacts {
        id: round_id.to_string(),
        name: row.try_get("name")?,
        questionnaire_id: row.try_get("questionnaire_id")?,
        questionnaire_version: row.try_get("questionnaire_version")?,
    };
    let version = state
        .questionnaire_version(&round.questionnaire_id, &round.questionnaire_version)
        .await?;
    let participants: Vec<Participant> = if format == Format::Codebook {
        Vec::new()
    } else {
        let filled_in_by = super::review::filled_in_by(&state.pool, round_id).await?;
        sqlx::query(
            "SELECT rr.region_code, rr.region_name, r.id AS response_id, r.status, \
             r.agreed_with, r.agreed_on \
             FROM round_regions rr LEFT JOIN responses r \
               ON r.round_id = rr.round_id AND r.region_code = rr.region_code \
             WHERE rr.round_id = $1 ORDER BY rr.region_code",
        )
        .bind(round_id)
        .fetch_all(&state.pool)
        .await?
        .iter()
        .map(|row| {
            let response_id: Option<String> = row.try_get("response_id")?;
            let agreed: (Option<String>, Option<i64>) =
                (row.try_get("agreed_with")?, row.try_get("agreed_on")?);
            Ok(Participant {
                region_code: row.try_get("region_code")?,
                region_name: row.try_get("region_name")?,
                filled_in_by: response_id
                    .as_ref()
                    .and_then(|id| filled_in_by.get(id).copied())
                    .unwrap_or_default(),
                agreement: match agreed {
                    (Some(with), Some(on)) => Some(Agreement { with, on }),
                    _ => None,
                },
                response_id,
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
        participants: participants.into(),
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
    let mut read = read_round(state, &export);
    for participant in export.participants.iter() {
        let read = next_region(&mut read)
            .await
            .map_err(|failure| match failure {
                Failure::App(error) => error,
                Failure::Gone => AppError::internal("reading a region failed", "gone"),
            })?;
        let answers = if participant.status.as_deref() == Some("approved") {
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

/// The next region's answers from the reading task.
async fn next_region(
    regions: &mut mpsc::Receiver<Result<RegionAnswers, AppError>>,
) -> Result<RegionAnswers, Failure> {
    match regions.recv().await {
        Some(read) => Ok(read?),
        None => Err(internal("the reading of the round stopped early")),
    }
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
