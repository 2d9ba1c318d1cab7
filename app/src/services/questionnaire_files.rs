//! Questionnaire versions as files of other programmes: an XLSForm workbook (.xlsx) or a
//! REDCap data dictionary (.csv) read into tables, translated (`domain::questionnaire::
//! interchange`) and stored like a definition file; a stored version written as XLSForm,
//! REDCap or our own TOML.

use super::audit::Actor;
use super::questionnaires::{self, Cache, ImportOutcome};
use crate::domain::questionnaire::interchange::{self, Names, Problem, Row, Sheet};
use crate::domain::questionnaire::load::MAX_DEFINITION_BYTES;
use crate::error::AppError;
use sqlx::AnyPool;

/// The formats a version is read from and written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    XlsForm,
    Redcap,
}

impl Format {
    /// The format of a file by its extension: `.xlsx` is XLSForm, `.csv` REDCap, anything
    /// else our TOML.
    pub fn of_file(name: &str) -> Format {
        let lower = name.to_lowercase();
        if lower.ends_with(".xlsx") {
            Format::XlsForm
        } else if lower.ends_with(".csv") {
            Format::Redcap
        } else {
            Format::Toml
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::XlsForm => "xlsx",
            Format::Redcap => "csv",
        }
    }
}

/// A workbook is compressed; this is far above any questionnaire's.
const MAX_WORKBOOK_BYTES: usize = 4 * MAX_DEFINITION_BYTES;

/// Checks a file of any format completely and stores it when it has no problems. `names`
/// (identifier, version, title) apply to XLSForm and REDCap only. The error lists every
/// problem as "FILE: place: message".
pub async fn import(
    pool: &AnyPool,
    cache: &Cache,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    names: &Names,
) -> Result<ImportOutcome, Vec<String>> {
    let source = definition(file_name, bytes, names)?;
    questionnaires::import(pool, cache, actor, file_name, &source).await
}

/// A file of any format as our definition (TOML), translated and checked; every problem as
/// "FILE: place: message".
pub fn definition(file_name: &str, bytes: &[u8], names: &Names) -> Result<String, Vec<String>> {
    let located = |problems: Vec<Problem>| -> Vec<String> {
        problems
            .iter()
            .map(|p| format!("{file_name}: {p}"))
            .collect()
    };
    let format = Format::of_file(file_name);
    let source = match format {
        Format::Toml => {
            if *names != Names::default() {
                return Err(vec![format!(
                    "{file_name}: --identifier, --version en --title gelden alleen voor XLSForm (.xlsx) en REDCap (.csv); een TOML-bestand noemt ze zelf"
                )]);
            }
            text(file_name, bytes)?.to_string()
        }
        Format::XlsForm => {
            let sheets = read_workbook(bytes).map_err(|m| vec![format!("{file_name}: {m}")])?;
            interchange::from_xlsform(&sheets, names)
                .map_err(located)?
                .source
        }
        Format::Redcap => {
            let sheet = read_csv(file_name, text(file_name, bytes)?)?;
            interchange::from_redcap(&sheet, names)
                .map_err(located)?
                .source
        }
    };
    Ok(source)
}

fn text<'a>(file_name: &str, bytes: &'a [u8]) -> Result<&'a str, Vec<String>> {
    if bytes.len() > MAX_DEFINITION_BYTES {
        return Err(vec![format!(
            "{file_name}: het bestand is groter dan {} MB",
            MAX_DEFINITION_BYTES / 1024 / 1024
        )]);
    }
    std::str::from_utf8(bytes)
        .map(|text| text.trim_start_matches('\u{feff}'))
        .map_err(|_| vec![format!("{file_name}: het bestand is geen UTF-8-tekst")])
}

/// Every sheet of a workbook, with rows numbered as a spreadsheet shows them.
fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    use calamine::{Reader, Xlsx};
    if bytes.len() > MAX_WORKBOOK_BYTES {
        return Err(format!(
            "het werkboek is groter dan {} MB",
            MAX_WORKBOOK_BYTES / 1024 / 1024
        ));
    }
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|error| format!("geen leesbaar .xlsx-werkboek: {error}"))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|error| format!("blad {name} is niet te lezen: {error}"))?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(n, cells)| Row {
                number: first_row as usize + n + 1,
                cells: std::iter::repeat_n(String::new(), first_column as usize)
                    .chain(cells.iter().map(cell_text))
                    .collect(),
            })
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// A cell as text: whole numbers without `.0`, dates as `JJJJ-MM-DD`.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::DateTime(date) => {
            // Excel counts days from 1899-12-30; noon keeps the date in any time zone.
            let days = date.as_f64().floor() as i64 - 25_569;
            crate::domain::time::input_date(days * 86_400_000 + 12 * 3_600_000)
        }
        other => other.to_string(),
    }
}

/// A CSV file as one sheet, each row numbered by the line it starts on.
fn read_csv(file_name: &str, text: &str) -> Result<Sheet, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |p| p.line());
            vec![format!(
                "{file_name}: regel {line}: geen geldige CSV: {error}"
            )]
        })?;
        rows.push(Row {
            number: record
                .position()
                .map_or(rows.len() + 1, |p| p.line() as usize),
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(Sheet {
        name: file_name.to_string(),
        rows,
    })
}

/// A stored version in `format`: the file's bytes.
pub async fn export(
    pool: &AnyPool,
    cache: &Cache,
    identifier: &str,
    version: &str,
    format: Format,
) -> Result<Vec<u8>, AppError> {
    if format == Format::Toml {
        return Ok(questionnaires::source(pool, identifier, version)
            .await?
            .into_bytes());
    }
    let loaded = cache.get(pool, identifier, version).await?;
    match format {
        Format::XlsForm => write_workbook(&interchange::to_xlsform(&loaded.questionnaire)),
        _ => match interchange::to_redcap(&loaded.questionnaire) {
            Ok(dictionary) => write_csv(&dictionary),
            Err(problems) => Err(AppError::BadRequest(problems.join("\n"))),
        },
    }
}

fn write_workbook(sheets: &[Sheet]) -> Result<Vec<u8>, AppError> {
    let failed = |error: rust_xlsxwriter::XlsxError| {
        AppError::internal("writing an XLSForm workbook", error)
    };
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name).map_err(failed)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let written = if r == 0 {
                    worksheet.write_string_with_format(0, c as u16, cell, &bold)
                } else {
                    worksheet.write_string(r as u32, c as u16, cell)
                };
                written.map_err(failed)?;
            }
        }
    }
    workbook.save_to_buffer().map_err(failed)
}

fn write_csv(sheet: &Sheet) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in &sheet.rows {
        writer
            .write_record(&row.cells)
            .map_err(|error| AppError::internal("writing a REDCap dictionary", error))?;
    }
    writer
        .into_inner()
        .map_err(|error| AppError::internal("writing a REDCap dictionary", error))
}
