//! What an export says about one item of one response: the status code and the value text,
//! the same for every format (long and wide CSV, XLSX, JSON, codebook). Pure: the server
//! reads the answers and decides visibility with the completeness engine, this module turns
//! an item, its stored answer and its `ItemStatus` into what the files hold.
//!
//! Every cell that holds no real answer holds a code instead, so an analyst can tell apart a
//! question that was not asked (hidden by a condition) from one left empty, onbekend, n.v.t.,
//! input that does not validate and an answer taken over from the previous round that was
//! never confirmed.

use super::questionnaire::answer::{Answer, AnswerValue, RawAnswer};
use super::questionnaire::completeness::ItemStatus;
use super::questionnaire::model::{Item, ItemKind};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The status of one exported value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// A real answer: the value is in the file.
    Answered,
    /// Hidden by a condition for this region: not asked.
    NotAsked,
    /// Asked, but left empty (also every item of a region that has not started).
    NotAnswered,
    /// The region chose "onbekend".
    Unknown,
    /// The region chose "n.v.t.".
    NotApplicable,
    /// Stored input that does not validate; what was typed is kept in the input column.
    Invalid,
    /// Taken over from the compared round and not confirmed: does not count as answered.
    Unconfirmed,
}

/// Every status, in the order the legends list them.
pub const STATUSES: [Status; 7] = [
    Status::Answered,
    Status::NotAsked,
    Status::NotAnswered,
    Status::Unknown,
    Status::NotApplicable,
    Status::Invalid,
    Status::Unconfirmed,
];

impl Status {
    /// The code in the files.
    pub fn code(self) -> &'static str {
        match self {
            Status::Answered => "BEANTWOORD",
            Status::NotAsked => "NIET_GEVRAAGD",
            Status::NotAnswered => "NIET_BEANTWOORD",
            Status::Unknown => "ONBEKEND",
            Status::NotApplicable => "NVT",
            Status::Invalid => "ONGELDIG",
            Status::Unconfirmed => "NIET_BEVESTIGD",
        }
    }

    /// What the code means, in Dutch, for the legends.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Answered => {
                "Beantwoord: het antwoord staat in de waarde. Alleen bij deze status is er een waarde."
            }
            Status::NotAsked => {
                "Niet gevraagd: de vraag was voor deze regio verborgen door een voorwaarde (op grond van haar andere antwoorden)."
            }
            Status::NotAnswered => {
                "Niet beantwoord: de vraag werd gesteld maar is leeg gelaten, of de regio is nog niet begonnen."
            }
            Status::Unknown => "Onbekend: de regio heeft 'onbekend' gekozen.",
            Status::NotApplicable => {
                "Niet van toepassing: de regio heeft 'n.v.t.' gekozen."
            }
            Status::Invalid => {
                "Ongeldig: wat is ingevuld voldoet niet aan de vraag en telt niet als antwoord; de invoer staat erbij zoals getypt."
            }
            Status::Unconfirmed => {
                "Niet bevestigd: overgenomen uit de vorige meting en nog niet bevestigd; telt niet als antwoord. De overgenomen invoer staat erbij."
            }
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        STATUSES.into_iter().find(|status| status.code() == code)
    }
}

/// A column of the wide formats: the item key, or `key.row` for a matrix row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// The matrix row code, for matrix items.
    pub row: Option<String>,
}

/// The columns an item takes in the wide formats, and the rows it takes in the long one.
pub fn columns(item: &Item) -> Vec<Column> {
    match &item.kind {
        ItemKind::Matrix { rows, .. } => rows
            .iter()
            .map(|row| Column {
                name: format!("{}.{}", item.key, row.code),
                row: Some(row.code.clone()),
            })
            .collect(),
        _ => vec![Column {
            name: item.key.clone(),
            row: None,
        }],
    }
}

/// An answer as stored, as far as an export needs it.
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    pub raw: &'a RawAnswer,
    /// The parsed answer; `None` when the input does not validate or is blank.
    pub value: Option<&'a Answer>,
    /// Taken over from the compared round and not confirmed yet.
    pub prefilled: bool,
}

/// One exported value: a status, the value text (only for `Answered`), the number behind it
/// (for spreadsheets) and the input as typed (for `Invalid` and `Unconfirmed`).
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub status: Status,
    pub value: String,
    pub number: Option<f64>,
    pub input: String,
}

impl Exported {
    fn code(status: Status, input: String) -> Exported {
        Exported {
            status,
            value: String::new(),
            number: None,
            input,
        }
    }

    /// What a cell of the wide formats holds: the value, or the code in its place.
    pub fn cell(&self) -> &str {
        match self.status {
            Status::Answered => &self.value,
            other => other.code(),
        }
    }
}

/// The status of an item of one response, before looking at matrix rows. `status` is what
/// the completeness engine decided for the item (`Hidden` means not asked).
pub fn item_status(status: ItemStatus, stored: Option<Stored<'_>>) -> Status {
    match status {
        ItemStatus::Hidden => return Status::NotAsked,
        ItemStatus::Invalid => return Status::Invalid,
        _ => {}
    }
    let Some(stored) = stored else {
        return Status::NotAnswered;
    };
    if stored.prefilled && stored.value.is_some() {
        return Status::Unconfirmed;
    }
    match stored.value {
        Some(Answer::Given(_)) => Status::Answered,
        Some(Answer::Unknown) => Status::Unknown,
        Some(Answer::NotApplicable) => Status::NotApplicable,
        // Blank input (everything cleared) is no answer; input that does not parse is
        // `Invalid` by the engine already.
        None if stored.raw.is_blank() => Status::NotAnswered,
        None => Status::Invalid,
    }
}

/// The values of an item of one response, one per column of `columns(item)`.
pub fn export_item(item: &Item, status: ItemStatus, stored: Option<Stored<'_>>) -> Vec<Exported> {
    let overall = item_status(status, stored);
    columns(item)
        .into_iter()
        .map(|column| {
            let row = column.row.as_deref();
            let input = || stored.map(|s| raw_text(s.raw, row)).unwrap_or_default();
            match overall {
                Status::Answered => {
                    let Some(Answer::Given(value)) = stored.and_then(|s| s.value) else {
                        return Exported::code(Status::NotAnswered, String::new());
                    };
                    let value = match (value, row) {
                        (AnswerValue::Rows(cells), Some(row)) => match cells.get(row) {
                            Some(cell) => cell,
                            None => return Exported::code(Status::NotAnswered, String::new()),
                        },
                        (value, _) => value,
                    };
                    Exported {
                        status: Status::Answered,
                        value: value_text(value),
                        number: number(value),
                        input: String::new(),
                    }
                }
                Status::Invalid | Status::Unconfirmed => Exported::code(overall, input()),
                other => Exported::code(other, String::new()),
            }
        })
        .collect()
}

/// An answer's value as text: codes as they are, several codes joined by `;` (multiple
/// choice in the order of the options as stored, ranking from first to last), numbers with
/// a decimal point, dates as `JJJJ-MM-DD`, a matrix as `row=value` pairs joined by `;`.
pub fn value_text(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Code(code) => code.clone(),
        AnswerValue::Codes(codes) => codes.join(";"),
        AnswerValue::Integer(n) => n.to_string(),
        AnswerValue::Number(n) => n.to_string(),
        AnswerValue::Text(text) | AnswerValue::Date(text) => text.clone(),
        AnswerValue::Rows(cells) => cells
            .iter()
            .map(|(row, cell)| format!("{row}={}", value_text(cell)))
            .collect::<Vec<_>>()
            .join(";"),
    }
}

fn number(value: &AnswerValue) -> Option<f64> {
    match value {
        AnswerValue::Integer(n) => Some(*n as f64),
        AnswerValue::Number(n) => Some(*n),
        _ => None,
    }
}

/// What was typed or chosen, as one text: the values joined by `;`, or for a matrix row that
/// row's cell; "onbekend" or "nvt" when that box was chosen.
pub fn raw_text(raw: &RawAnswer, row: Option<&str>) -> String {
    if let Some(special) = raw.special.as_deref().filter(|s| !s.trim().is_empty()) {
        return special.trim().to_string();
    }
    match row {
        Some(row) => raw.rows.get(row).cloned().unwrap_or_default(),
        None if !raw.rows.is_empty() => raw
            .rows
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(row, value)| format!("{row}={value}"))
            .collect::<Vec<_>>()
            .join(";"),
        None => raw.values.join(";"),
    }
}

/// An answer's value as JSON: codes and texts as strings, multiple choice and ranking as
/// arrays of codes, numbers as numbers, a matrix as an object of row code → value. Written
/// straight to the file: a round of 3 million answers builds no `serde_json::Value` per answer.
#[derive(Debug, Clone, Copy)]
pub struct JsonValue<'a>(pub &'a AnswerValue);

impl Serialize for JsonValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            AnswerValue::Code(text) | AnswerValue::Text(text) | AnswerValue::Date(text) => {
                serializer.serialize_str(text)
            }
            AnswerValue::Codes(codes) => serializer.collect_seq(codes),
            AnswerValue::Integer(n) => serializer.serialize_i64(*n),
            AnswerValue::Number(n) if n.is_finite() => serializer.serialize_f64(*n),
            AnswerValue::Number(_) => serializer.serialize_none(),
            AnswerValue::Rows(cells) => {
                serializer.collect_map(cells.iter().map(|(row, cell)| (row, JsonValue(cell))))
            }
        }
    }
}

/// An item of one response in the JSON export: `{"status": CODE, "value": ...}`, with
/// `"invoer"` (the input as typed) for `ONGELDIG` and `NIET_BEVESTIGD`. The value is `null`
/// unless the status is `BEANTWOORD`. A matrix has one status for the whole item; rows left
/// empty are missing from its value.
#[derive(Debug, Clone)]
pub struct JsonAnswer<'a> {
    status: Status,
    value: Option<&'a AnswerValue>,
    input: Option<String>,
}

impl<'a> JsonAnswer<'a> {
    pub fn new(status: ItemStatus, stored: Option<Stored<'a>>) -> JsonAnswer<'a> {
        let overall = item_status(status, stored);
        let value = match (overall, stored.and_then(|s| s.value)) {
            (Status::Answered, Some(Answer::Given(value))) => Some(value),
            _ => None,
        };
        let input = matches!(overall, Status::Invalid | Status::Unconfirmed)
            .then(|| stored.map(|s| raw_text(s.raw, None)).unwrap_or_default());
        JsonAnswer {
            status: overall,
            value,
            input,
        }
    }
}

impl Serialize for JsonAnswer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The keys in the order of their names, as the file has always had them.
        let mut map = serializer.serialize_map(None)?;
        if let Some(input) = &self.input {
            map.serialize_entry("invoer", input)?;
        }
        map.serialize_entry("status", self.status.code())?;
        map.serialize_entry("value", &self.value.map(JsonValue))?;
        map.end()
    }
}

/// The status of a response in the files: its code and Dutch label. A region that takes part
/// but never opened its questionnaire has no response: `niet_begonnen`.
pub fn response_status(status: Option<&str>) -> (&'static str, &'static str) {
    use super::response::ResponseStatus;
    match status.and_then(ResponseStatus::parse) {
        Some(status) => (status.as_str(), status.label()),
        None => ("niet_begonnen", "Niet begonnen"),
    }
}

mod codebook;
mod files;

pub use codebook::{codebook_entry, CodebookEntry};
pub use files::{csv_row, csv_safe, sheet_name, slug, CsvCell, Format, FORMATS};

#[cfg(test)]
mod tests;
