//! Questionnaires in the formats of other programmes: XLSForm workbooks (ODK, Kobo,
//! SurveyCTO) and REDCap data dictionaries, in and out. Pure: the files are read into plain
//! tables (`Sheet`) by the services, and written from them.
//!
//! Import translates a table into our definition format (TOML), every expression into our
//! expression language, and then runs the definition loader, so every check of a TOML file
//! applies to an imported one too; a problem of the loader is mapped back to the sheet, row
//! and column it came from. Anything that can not be translated is refused as a whole, with
//! every problem and its place. What the other format has no column for travels in one extra
//! column (XLSForm: `nad`; REDCap: `@NAD { ... }` in the field annotation) as a TOML inline
//! table in our own field names, so a version survives a round trip.
//! See `docs/questionnaire-format.md`, "XLSForm and REDCap".

use super::model::Questionnaire;
use std::fmt;

mod draft;
mod expressions;
mod extension;
mod printer;
mod redcap;
#[cfg(test)]
mod tests;
mod xlsform;

pub use redcap::{from_redcap, to_redcap};
pub use xlsform::{from_xlsform, to_xlsform};

/// One sheet of a workbook, or a CSV file: its rows, the first being the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

/// A row and its number as the programme that shows the file counts it (1 is the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

/// Where a problem is: a sheet's row and column (XLSForm), or a line and column (REDCap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub sheet: Option<String>,
    pub row: usize,
    pub column: Option<String>,
}

impl Place {
    pub(crate) fn at(sheet: Option<&str>, row: usize, column: &str) -> Place {
        Place {
            sheet: sheet.map(str::to_string),
            row,
            column: (!column.is_empty()).then(|| column.to_string()),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(f, "{sheet}, rij {}", self.row)?,
            None => write!(f, "regel {}", self.row)?,
        }
        match &self.column {
            Some(column) => write!(f, ", kolom {column}"),
            None => Ok(()),
        }
    }
}

/// One reason an import is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Option<Place>,
    pub message: String,
}

impl Problem {
    pub(crate) fn at(place: &Place, message: impl Into<String>) -> Problem {
        Problem {
            place: Some(place.clone()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{place}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The identifier, version, title and programme given on the command line: they override those of the
/// file, and REDCap has no place of its own for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub identifier: Option<String>,
    pub version: Option<String>,
    pub title: Option<String>,
    /// The programme the questionnaire belongs to; the file's, or NAD, when not given.
    pub programme: Option<String>,
}

/// A translated, checked definition: the TOML that is stored, and what it loads into.
#[derive(Debug)]
pub struct Imported {
    pub source: String,
    pub questionnaire: Questionnaire,
}

/// The columns of a sheet by name, found in its header row.
pub(crate) struct Columns<'a> {
    sheet: Option<&'a str>,
    header: Vec<String>,
}

impl<'a> Columns<'a> {
    pub(crate) fn new(sheet: Option<&'a str>, header: &Row) -> Self {
        Columns {
            sheet,
            header: header.cells.iter().map(|c| c.trim().to_string()).collect(),
        }
    }

    /// The first column whose name (trimmed, lower case) `matches`.
    pub(crate) fn find(&self, matches: impl Fn(&str) -> bool) -> Option<usize> {
        self.header
            .iter()
            .position(|name| matches(&name.to_lowercase()))
    }

    pub(crate) fn name(&self, index: usize) -> &str {
        &self.header[index]
    }

    /// A row's cell in column `index` (trimmed; empty when the row is shorter).
    pub(crate) fn cell<'r>(&self, row: &'r Row, index: Option<usize>) -> &'r str {
        index
            .and_then(|i| row.cells.get(i))
            .map_or("", |c| c.trim())
    }

    /// The place of a row's cell in column `index`.
    pub(crate) fn place(&self, row: &Row, index: Option<usize>) -> Place {
        Place::at(self.sheet, row.number, index.map_or("", |i| self.name(i)))
    }
}

/// Our code for an answer code of another programme: itself when it is one of ours (`a-z`,
/// `0-9`, `_`, starting with a letter), else in lower case, else prefixed with `c` when it
/// starts with a digit (REDCap's `1`, `2` become `c1`, `c2`). Anything else stays as it is,
/// and the loader refuses it with its place.
pub(crate) fn our_code(code: &str) -> String {
    let lower = code.to_lowercase();
    if is_code(code) {
        code.to_string()
    } else if is_code(&lower) {
        lower
    } else if is_code(&format!("c{lower}")) {
        format!("c{lower}")
    } else {
        code.to_string()
    }
}

/// Whether a text is a key or code of ours: `a-z`, `0-9`, `_`, starting with a letter.
pub(crate) fn is_code(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && text.len() <= 64
}

/// Whether a column name is a Dutch form of `base`: `label`, `label::nl`,
/// `label::Nederlands (nl)`, `label::Dutch (nl)`.
pub(crate) fn is_dutch(name: &str, base: &str) -> bool {
    match name.strip_prefix(base) {
        Some("") => true,
        Some(rest) => rest.strip_prefix("::").is_some_and(|language| {
            let language = language.to_lowercase();
            language == "nl"
                || language.contains("(nl)")
                || language.starts_with("nederlands")
                || language.starts_with("dutch")
        }),
        None => false,
    }
}

/// Translates an expression of the other format, or adds the problem with it at `place`.
fn translated(
    source: &str,
    dialect: expressions::Dialect,
    current: Option<&str>,
    fields: &expressions::Fields,
    place: &Place,
    problems: &mut Vec<Problem>,
) -> Option<super::expr::Expr> {
    match expressions::translate(source, dialect, current, fields) {
        Ok(expr) => Some(expr),
        Err(message) => {
            problems.push(Problem::at(place, message));
            None
        }
    }
}
