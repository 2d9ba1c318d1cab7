//! Reading the CSV files admins load as configuration (regions, gemeenten): the size, the
//! encoding, the header with its known columns, and every row, each problem with its line.

use crate::domain::region::RegionFileError;
use std::collections::HashMap;

/// A configuration file is small; anything larger is not one.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
const MAX_ROWS: usize = 5000;

/// One data row: its line number and a way to read a column by name.
pub struct Row<'a> {
    pub line: u64,
    record: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
}

impl Row<'_> {
    /// The value of a column (empty for an optional column that is absent).
    pub fn get(&self, name: &str) -> &str {
        self.columns
            .get(name)
            .and_then(|index| self.record.get(*index))
            .unwrap_or_default()
    }
}

/// Reads a whole file and turns each row into a `T` with `read`, and checks that `key` is
/// unique. Returns every row's value, or every problem found (file, header, rows, duplicate
/// keys) in line order. `what` names a row in messages ("regiocode"); `empty` is the message
/// for a file without rows.
pub fn read<T>(
    bytes: &[u8],
    columns: (&[&str], &[&str]),
    (what, empty): (&str, &str),
    read: impl FnMut(&Row<'_>) -> Result<T, String>,
    key: impl Fn(&T) -> &str,
) -> Result<Vec<T>, Vec<RegionFileError>> {
    let text = text(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let columns = header(&mut reader, columns)?;
    let (rows, mut problems) = rows(&mut reader, &columns, read);
    problems.extend(duplicates(&rows, key, what));
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(2, empty.to_string()));
    }
    if problems.is_empty() {
        Ok(rows.into_iter().map(|(_, value)| value).collect())
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

fn problem(line: u64, message: String) -> RegionFileError {
    RegionFileError { line, message }
}

/// The file as text, without a byte order mark: refused when too large or not UTF-8.
fn text(bytes: &[u8]) -> Result<&str, Vec<RegionFileError>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![problem(
            0,
            format!("het bestand is groter dan {} KB", MAX_FILE_BYTES / 1024),
        )]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.trim_start_matches('\u{feff}')),
        Err(error) => {
            let line = bytes[..error.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            Err(vec![problem(
                line as u64,
                "het bestand is geen UTF-8-tekst".to_string(),
            )])
        }
    }
}

/// The index of each column by name, when the header names every `required` column, no
/// column twice, and no other than `optional` ones.
fn header(
    reader: &mut csv::Reader<&[u8]>,
    (required, optional): (&[&str], &[&str]),
) -> Result<HashMap<String, usize>, Vec<RegionFileError>> {
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            return Err(vec![problem(
                1,
                format!("de kopregel is onleesbaar: {error}"),
            )])
        }
    };
    let mut problems = Vec::new();
    let mut columns = HashMap::new();
    for (index, name) in headers.iter().enumerate() {
        if required.contains(&name) || optional.contains(&name) {
            if columns.insert(name.to_string(), index).is_some() {
                problems.push(problem(1, format!("de kolom '{name}' komt twee keer voor")));
            }
        } else {
            problems.push(problem(
                1,
                format!(
                    "onbekende kolom '{name}': verwacht zijn {}",
                    required.join(", ")
                ),
            ));
        }
    }
    for name in required {
        if !columns.contains_key(*name) {
            problems.push(problem(1, format!("de kolom '{name}' ontbreekt")));
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// Every data row read with `read`, with its line, and the problems of the rows that did not
/// read; stops after `MAX_ROWS`.
fn rows<T>(
    reader: &mut csv::Reader<&[u8]>,
    columns: &HashMap<String, usize>,
    mut read: impl FnMut(&Row<'_>) -> Result<T, String>,
) -> (Vec<(u64, T)>, Vec<RegionFileError>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                problems.push(problem(line, format!("onleesbare regel: {error}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if rows.len() + problems.len() >= MAX_ROWS {
            problems.push(problem(line, format!("meer dan {MAX_ROWS} regels")));
            break;
        }
        let row = Row {
            line,
            record: &record,
            columns,
        };
        match read(&row) {
            Ok(value) => rows.push((line, value)),
            Err(message) => problems.push(problem(line, message)),
        }
    }
    (rows, problems)
}

/// A problem for each row whose key an earlier row has.
fn duplicates<T>(rows: &[(u64, T)], key: impl Fn(&T) -> &str, what: &str) -> Vec<RegionFileError> {
    let mut problems = Vec::new();
    let mut first_line_of: HashMap<&str, u64> = HashMap::new();
    for (line, value) in rows {
        let key = key(value);
        match first_line_of.get(key) {
            Some(first) => problems.push(problem(
                *line,
                format!("de {what} '{key}' staat ook op regel {first}"),
            )),
            None => {
                first_line_of.insert(key, *line);
            }
        }
    }
    problems
}
