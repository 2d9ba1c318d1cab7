//! One item's answers across every participating region of a round, each beside the same
//! region's answer in the compared round (mapped through lineage), for reviewers and admins:
//! the page's data and its downloads (CSV, XLSX), which hold exactly the rows the page shows.
//!
//! The number of queries does not grow with the regions: one reads every response's answer to
//! the item and to what its condition reads (whether the item was asked differs per region),
//! one the compared round's answers to their counterparts, one how many answers each response
//! holds (for its status). The rows, filter and sort are `domain::item_answers`.

use super::questionnaires::{self, LoadedVersion};
use super::state::AppState;
use crate::api::item_answers::RoundItemAnswers;
use crate::domain::access::SignedInUser;
use crate::domain::comparison::VersionMapping;
use crate::domain::export::csv_row;
use crate::domain::item_answers::{
    chooser, condition_reads, download_columns, download_name, download_row, Before, Given,
    ItemAnswers, RawQuery, RegionInput, Selection,
};
use crate::domain::questionnaire::answer::{Answer, RawAnswer};
use crate::domain::questionnaire::completeness::{ConditionalItems, ResponseAnswers};
use crate::domain::questionnaire::model::Item;
use crate::domain::response::ResponseStatus;
use crate::domain::review::ReviewStatus;
use crate::domain::round::{RoundDetail, RoundRegion};
use crate::error::AppError;
use sqlx::AnyPool;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The page: the round's item chooser and, when `query` names an item, its answers filtered
/// and sorted as the query says.
pub async fn page(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
    query: &RawQuery,
) -> Result<RoundItemAnswers, AppError> {
    let (detail, version) = readable_round(state, user, round_id).await?;
    query.check_lengths().map_err(AppError::BadRequest)?;
    let item = match query.item_key() {
        Some(key) => Some(answers_of(state, &detail, &version, key, query).await?),
        None => None,
    };
    Ok(RoundItemAnswers {
        round_id: detail.summary.id.clone(),
        round_name: detail.summary.name.clone(),
        compared_round: detail.summary.compared_round.clone(),
        chooser: chooser(&version.questionnaire),
        item,
    })
}

/// The download formats of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Csv => "csv",
            FileKind::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A download, written whole: one row per region, a few hundred at most.
pub struct Download {
    /// An ASCII slug naming the round and the item: safe in a header.
    pub file_name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// The rows the page shows for `query` (which must name an item), as a file.
pub async fn download(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
    query: &RawQuery,
    kind: FileKind,
) -> Result<Download, AppError> {
    let (detail, version) = readable_round(state, user, round_id).await?;
    query.check_lengths().map_err(AppError::BadRequest)?;
    let key = query.item_key().ok_or_else(|| {
        AppError::BadRequest("Kies een vraag: de download heeft ‘vraag’ nodig.".to_string())
    })?;
    let answers = answers_of(state, &detail, &version, key, query).await?;
    let item = version.questionnaire.item(key).ok_or(AppError::NotFound)?;
    let rows: Vec<Vec<String>> = answers
        .rows
        .iter()
        .map(|row| download_row(item, row))
        .collect();
    let header = download_columns(item);
    let bytes = match kind {
        FileKind::Csv => csv_bytes(&header, &rows)?,
        FileKind::Xlsx => xlsx_bytes(&detail, item, &answers, &header, &rows)?,
    };
    Ok(Download {
        file_name: download_name(&detail.summary.name, key, kind.extension()),
        kind,
        bytes,
    })
}

/// The round with its regions and questionnaire version, for a reviewer or admin who may see
/// it; a concept round only for admins, as if it did not exist for others.
async fn readable_round(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
) -> Result<(RoundDetail, Arc<LoadedVersion>), AppError> {
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    if round_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let detail = super::rounds::find(&state.pool, round_id).await?;
    if !detail.summary.state.visible_to(user.role) {
        return Err(AppError::NotFound);
    }
    let (identifier, version) = detail
        .summary
        .questionnaire
        .split_once('/')
        .ok_or_else(|| {
            AppError::internal(
                "a round's questionnaire has no version",
                &detail.summary.questionnaire,
            )
        })?;
    let version = state.questionnaire_version(identifier, version).await?;
    Ok((detail, version))
}

/// The answers to item `key` (unknown: 404), filtered and sorted as `query` says (an unknown
/// code: 400).
async fn answers_of(
    state: &AppState,
    detail: &RoundDetail,
    version: &LoadedVersion,
    key: &str,
    query: &RawQuery,
) -> Result<ItemAnswers, AppError> {
    let item = version.questionnaire.item(key).ok_or(AppError::NotFound)?;
    let selection = Selection::read(item, query).map_err(AppError::BadRequest)?;
    let (inputs, not_compared) = region_inputs(state, detail, version, item).await?;
    Ok(ItemAnswers::build(item, inputs, selection, not_compared))
}

/// One region's answers in the compared round, by the compared version's keys.
#[derive(Default)]
struct OldAnswers {
    /// The input as typed.
    raws: HashMap<String, RawAnswer>,
    /// The valid answers.
    values: HashMap<String, Answer>,
}

/// The compared round's answers per region, with the mapping of this round's version onto
/// the compared round's.
struct ComparedAnswers {
    mapping: VersionMapping,
    /// By region code.
    regions: HashMap<String, OldAnswers>,
}

/// What each participating region answered to `item`, whether it was asked, and its answer
/// in the compared round; with why the item is not compared, when the round is compared with
/// one and lineage does not follow the item.
async fn region_inputs(
    state: &AppState,
    detail: &RoundDetail,
    version: &LoadedVersion,
    item: &Item,
) -> Result<(Vec<RegionInput>, Option<String>), AppError> {
    let questionnaire = &version.questionnaire;
    // The item and everything its condition reads, in this round and in the compared one.
    let needed = condition_reads(questionnaire, &item.key);
    let round_id = detail.summary.id.as_str();
    let answered = answered_counts(&state.pool, round_id).await?;
    let mut current = stored_answers(&state.pool, round_id, &needed).await?;
    let compared = match detail.compared_round_id.as_deref() {
        Some(compared_id) => Some(compared_answers(state, version, compared_id, &needed).await?),
        None => None,
    };
    let conditional = ConditionalItems::new(questionnaire, &version.index);
    let inputs = detail
        .regions
        .iter()
        .map(|region| {
            let given = region
                .response_id
                .as_ref()
                .and_then(|id| current.remove(id))
                .unwrap_or_default();
            let old = compared
                .as_ref()
                .and_then(|c| Some((&c.mapping, c.regions.get(&region.code)?)));
            let asked = !conditional.contains(&item.key)
                || is_asked(&conditional, &item.key, &given, old, &needed);
            RegionInput {
                region_code: region.code.clone(),
                region_name: region.name.clone(),
                response_id: region.response_id.clone(),
                status: status_of(region, &answered),
                asked,
                before: old
                    .map(|(mapping, old)| Before {
                        raw: mapping.raw(&item.key, &old.raws),
                        value: mapping.answer(&item.key, &old.values),
                    })
                    .unwrap_or_default(),
                given: given.get(&item.key).cloned(),
            }
        })
        .collect();
    let not_compared = compared.and_then(|c| c.mapping.why_not(&item.key));
    Ok((inputs, not_compared))
}

/// Whether a region's answers (and its compared round's answers, which conditions such as
/// `changed(x)` read) leave the conditional item `key` visible.
fn is_asked(
    conditional: &ConditionalItems<'_>,
    key: &str,
    given: &HashMap<String, Given>,
    old: Option<(&VersionMapping, &OldAnswers)>,
    needed: &BTreeSet<String>,
) -> bool {
    let mut answers = ResponseAnswers::default();
    for (stored_key, stored) in given {
        answers.add_stored(
            stored_key,
            stored.value.as_ref(),
            stored.raw.is_blank(),
            stored.prefilled,
        );
    }
    if let Some((mapping, old)) = old {
        answers.previous = needed
            .iter()
            .filter_map(|k| Some((k.clone(), mapping.answer(k, &old.values)?)))
            .collect();
    }
    !conditional.hidden(&answers).contains(key)
}

/// Where the region stands, as the review overview says it.
fn status_of(region: &RoundRegion, answered: &HashMap<String, i64>) -> ReviewStatus {
    match &region.response_id {
        None => ReviewStatus::NotStarted,
        Some(id) => ReviewStatus::of(
            region.status.as_deref().and_then(ResponseStatus::parse),
            answered.get(id).map_or(0, |count| *count as usize),
        ),
    }
}

/// Per response of the round, how many items hold an answer of any kind (a valid value or
/// input that does not validate; blank input is none).
async fn answered_counts(pool: &AnyPool, round_id: &str) -> Result<HashMap<String, i64>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.response_id, COUNT(*) AS answered FROM answers a \
         JOIN responses r ON r.id = a.response_id \
         WHERE r.round_id = $1 AND (a.valid = 0 OR a.value IS NOT NULL) \
         GROUP BY a.response_id",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// `$2, $3, …` for `count` values after the round's id.
fn placeholders(count: usize) -> String {
    (2..count + 2)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, AppError> {
    serde_json::from_str(json)
        .map_err(|error| AppError::internal("a stored answer does not read back", error))
}

/// Every response's stored answers to `keys`, by response id and item key.
async fn stored_answers(
    pool: &AnyPool,
    round_id: &str,
    keys: &BTreeSet<String>,
) -> Result<HashMap<String, HashMap<String, Given>>, AppError> {
    let sql = format!(
        "SELECT a.response_id, a.item_key, a.raw, a.value, a.prefilled FROM answers a \
         JOIN responses r ON r.id = a.response_id \
         WHERE r.round_id = $1 AND a.item_key IN ({})",
        placeholders(keys.len())
    );
    let mut query =
        sqlx::query_as::<_, (String, String, String, Option<String>, i64)>(&sql).bind(round_id);
    for key in keys {
        query = query.bind(key.as_str());
    }
    let mut answers: HashMap<String, HashMap<String, Given>> = HashMap::new();
    for (response_id, key, raw, value, prefilled) in query.fetch_all(pool).await? {
        let given = Given {
            raw: read(&raw)?,
            value: value.as_deref().map(read).transpose()?,
            prefilled: prefilled == 1,
        };
        answers.entry(response_id).or_default().insert(key, given);
    }
    Ok(answers)
}

/// The compared round's answers to the counterparts of `keys`, per region, with the mapping
/// of this round's version onto the compared round's.
async fn compared_answers(
    state: &AppState,
    version: &LoadedVersion,
    compared_id: &str,
    keys: &BTreeSet<String>,
) -> Result<ComparedAnswers, AppError> {
    let (identifier, old_version): (String, String) =
        sqlx::query_as("SELECT questionnaire_id, questionnaire_version FROM rounds WHERE id = $1")
            .bind(compared_id)
            .fetch_optional(&state.pool)
            .await?
            .ok_or_else(|| AppError::internal("the compared round is gone", compared_id))?;
    let mapping = questionnaires::mapping(
        &state.pool,
        &state.questionnaires,
        version,
        &identifier,
        &old_version,
    )
    .await?;
    let old_keys: BTreeSet<&str> = mapping
        .comparable()
        .filter(|(current, _, _)| keys.contains(*current))
        .map(|(_, old, _)| old)
        .collect();
    let mut regions: HashMap<String, OldAnswers> = HashMap::new();
    if !old_keys.is_empty() {
        let sql = format!(
            "SELECT r.region_code, a.item_key, a.raw, a.value FROM answers a \
             JOIN responses r ON r.id = a.response_id \
             WHERE r.round_id = $1 AND a.item_key IN ({})",
            placeholders(old_keys.len())
        );
        let mut query =
            sqlx::query_as::<_, (String, String, String, Option<String>)>(&sql).bind(compared_id);
        for key in &old_keys {
            query = query.bind(*key);
        }
        for (region_code, key, raw, value) in query.fetch_all(&state.pool).await? {
            let old = regions.entry(region_code).or_default();
            if let Some(value) = value {
                old.values.insert(key.clone(), read(&value)?);
            }
            old.raws.insert(key, read(&raw)?);
        }
    }
    Ok(ComparedAnswers { mapping, regions })
}

fn unwritable(error: impl std::fmt::Display) -> AppError {
    AppError::internal("the download could not be written", error)
}

/// The rows as CSV (UTF-8, a header row), every cell through the formula guard.
fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(csv_row(header.iter().copied()))
        .map_err(unwritable)?;
    for row in rows {
        writer
            .write_record(csv_row(row.iter().map(String::as_str)))
            .map_err(unwritable)?;
    }
    writer.into_inner().map_err(unwritable)
}

/// The rows as a workbook: the sheet Antwoorden (numbers of numeric items as numbers) and an
/// Info sheet naming the round, the question and the filter.
fn xlsx_bytes(
    detail: &RoundDetail,
    item: &Item,
    answers: &ItemAnswers,
    header: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Antwoorden").map_err(unwritable)?;
    for (column, name) in header.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, *name, &bold)
            .map_err(unwritable)?;
    }
    let numeric = item.kind.is_numeric();
    for (line, cells) in rows.iter().enumerate() {
        let line = line as u32 + 1;
        for ((column, cell), name) in cells.iter().enumerate().zip(header) {
            let number = cell.parse::<f64>().ok().filter(|n| n.is_finite());
            match number {
                Some(number) if numeric && name.ends_with("_waarde") => {
                    sheet.write_number(line, column as u16, number)
                }
                _ => sheet.write_string(line, column as u16, cell),
            }
            .map_err(unwritable)?;
        }
    }
    sheet.set_freeze_panes(1, 2).map_err(unwritable)?;
    let info = workbook.add_worksheet();
    info.set_name("Info").map_err(unwritable)?;
    let facts = [
        ("Meting", detail.summary.name.clone()),
        ("Vragenlijst", detail.summary.questionnaire.clone()),
        ("Vraag", item.key.clone()),
        ("Vraagtekst", item.label.clone()),
        (
            "Vergeleken met",
            detail
                .summary
                .compared_round
                .clone()
                .unwrap_or_else(|| "–".to_string()),
        ),
        ("Filter en volgorde", answers.query.clone()),
        ("Regio's in deze tabel", answers.rows.len().to_string()),
    ];
    for (line, (name, value)) in facts.iter().enumerate() {
        info.write_string_with_format(line as u32, 0, *name, &bold)
            .map_err(unwritable)?;
        info.write_string(line as u32, 1, value)
            .map_err(unwritable)?;
    }
    info.set_column_width(0, 22).map_err(unwritable)?;
    info.set_column_width(1, 80).map_err(unwritable)?;
    workbook.save_to_buffer().map_err(unwritable)
}
