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
    mut read: impl FnMut(&Row<'_>) -> Result<T, String>,
    key: impl Fn(&T) -> &str,
) -> Result<Vec<T>, Vec<RegionFileError>> {
    let (required, optional) = columns;
    let problem = |line: u64, message: String| RegionFileError { line, message };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![problem(
            0,
            format!("het bestand is groter dan {} KB", MAX_FILE_BYTES / 1024),
        )]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}'),
        Err(error) => {
            let line = bytes[..error.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(vec![problem(
                line as u64,
                "het bestand is geen UTF-8-tekst".to_string(),
            )]);
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
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
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
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
            columns: &columns,
        };
        match read(&row) {
            Ok(value) => rows.push((line, value)),
            Err(message) => problems.push(problem(line, message)),
        }
    }
    let mut first_line_of: HashMap<&str, u64> = HashMap::new();
    for (line, value) in &rows {
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
