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
use super::questionnaire::model::{
    fixed_choices, CellKind, Choice, Item, ItemKind, Lineage, YES_NO, YES_PARTLY_NO,
};

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
/// arrays of codes, numbers as numbers, a matrix as an object of row code → value.
pub fn json_value(value: &AnswerValue) -> serde_json::Value {
    use serde_json::Value;
    match value {
        AnswerValue::Code(text) | AnswerValue::Text(text) | AnswerValue::Date(text) => {
            Value::String(text.clone())
        }
        AnswerValue::Codes(codes) => {
            Value::Array(codes.iter().cloned().map(Value::String).collect())
        }
        AnswerValue::Integer(n) => Value::from(*n),
        AnswerValue::Number(n) => {
            serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number)
        }
        AnswerValue::Rows(cells) => Value::Object(
            cells
                .iter()
                .map(|(row, cell)| (row.clone(), json_value(cell)))
                .collect(),
        ),
    }
}

/// An item of one response in the JSON export: `{"status": CODE, "value": ...}`, with
/// `"invoer"` (the input as typed) for `ONGELDIG` and `NIET_BEVESTIGD`. The value is `null`
/// unless the status is `BEANTWOORD`. A matrix has one status for the whole item; rows left
/// empty are missing from its value.
pub fn json_answer(status: ItemStatus, stored: Option<Stored<'_>>) -> serde_json::Value {
    let overall = item_status(status, stored);
    let mut object = serde_json::Map::new();
    object.insert("status".into(), overall.code().into());
    let value = match (overall, stored.and_then(|s| s.value)) {
        (Status::Answered, Some(Answer::Given(value))) => json_value(value),
        _ => serde_json::Value::Null,
    };
    object.insert("value".into(), value);
    if matches!(overall, Status::Invalid | Status::Unconfirmed) {
        let input = stored.map(|s| raw_text(s.raw, None)).unwrap_or_default();
        object.insert("invoer".into(), input.into());
    }
    serde_json::Value::Object(object)
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

/// One line of the codebook: an item as its questionnaire version describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodebookEntry {
    pub section: String,
    pub key: String,
    /// The columns of the wide formats (`key`, or `key.row` per matrix row), joined by `;`.
    pub columns: String,
    pub label: String,
    pub kind: String,
    /// `code=label` pairs joined by ` | ` (choices, yes/no, matrix cells).
    pub options: String,
    /// Matrix rows as `code=label` pairs joined by ` | `.
    pub rows: String,
    pub unit: String,
    pub required: bool,
    pub allow_unknown: bool,
    pub allow_not_applicable: bool,
    /// The condition (`visible_if`) as written.
    pub condition: String,
    /// The key this item had in the previous version (empty when new or the first version).
    pub previous_key: String,
    /// The lineage in words, recodes included.
    pub lineage: String,
}

fn pairs(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| format!("{}={}", c.code, c.label))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The codebook line of an item of section `section` of a version whose previous version is
/// `previous_version`.
pub fn codebook_entry(section: &str, item: &Item, previous_version: Option<&str>) -> CodebookEntry {
    let (options, rows, kind) = match &item.kind {
        ItemKind::YesNo => (
            pairs(&fixed_choices(&YES_NO)),
            String::new(),
            "yes_no".to_string(),
        ),
        ItemKind::YesPartlyNo => (
            pairs(&fixed_choices(&YES_PARTLY_NO)),
            String::new(),
            "yes_partly_no".to_string(),
        ),
        ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options, .. } => (
            pairs(options),
            String::new(),
            item.kind.type_name().to_string(),
        ),
        ItemKind::Ranking { options, rank } => (
            pairs(options),
            String::new(),
            format!("ranking (top {rank})"),
        ),
        ItemKind::Matrix { rows, cell } => {
            let (cell_options, cell_kind) = match cell {
                CellKind::YesNo => (pairs(&fixed_choices(&YES_NO)), "yes_no"),
                CellKind::YesPartlyNo => (pairs(&fixed_choices(&YES_PARTLY_NO)), "yes_partly_no"),
                CellKind::Integer { .. } => (String::new(), "integer"),
                CellKind::SingleChoice { options } => (pairs(options), "single_choice"),
            };
            (cell_options, pairs(rows), format!("matrix ({cell_kind})"))
        }
        other => (String::new(), String::new(), other.type_name().to_string()),
    };
    let previous = previous_version.unwrap_or("de vorige versie");
    let (previous_key, lineage) = match &item.lineage {
        Lineage::Original => (String::new(), "Eerste versie.".to_string()),
        Lineage::New => (String::new(), "Nieuw in deze versie.".to_string()),
        Lineage::Unchanged => (item.key.clone(), format!("Ongewijzigd uit {previous}.")),
        Lineage::Mapped { from, codes } => {
            let mut text = if from == &item.key {
                format!("Uit {previous}")
            } else {
                format!("Hernoemd; heette '{from}' in {previous}")
            };
            if !codes.is_empty() {
                let recodes: Vec<String> = codes
                    .iter()
                    .map(|(old, new)| format!("{old}={new}"))
                    .collect();
                text.push_str(&format!("; hercodeerd (oud=nieuw): {}", recodes.join(", ")));
            }
            text.push('.');
            (from.clone(), text)
        }
        Lineage::SplitFrom(from) => (
            from.clone(),
            format!("Afgesplitst van '{from}' in {previous}; niet vergelijkbaar."),
        ),
        Lineage::MergedFrom(keys) => (
            keys.join(";"),
            format!(
                "Samengevoegd uit {} in {previous}; niet vergelijkbaar.",
                keys.join(", ")
            ),
        ),
        Lineage::ChangedMeaning(why) => (
            item.key.clone(),
            format!("Betekenis gewijzigd, niet vergelijkbaar: {why}"),
        ),
    };
    CodebookEntry {
        section: section.to_string(),
        key: item.key.clone(),
        columns: columns(item)
            .into_iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(";"),
        label: item.label.clone(),
        kind,
        options,
        rows,
        unit: item.unit.clone().unwrap_or_default(),
        required: item.required,
        allow_unknown: item.allow_unknown,
        allow_not_applicable: item.allow_not_applicable,
        condition: item
            .visible_if
            .as_ref()
            .map(|c| c.source.clone())
            .unwrap_or_default(),
        previous_key,
        lineage,
    }
}

/// A safe part of a file name: lower case ASCII letters and digits, everything else one `-`
/// ("6e meting – december 2026" → "6e-meting-december-2026"). Accented letters lose their
/// accent. Never empty.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' | 'ĳ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(80).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "export".to_string()
    } else {
        slug
    }
}

/// A text for a CSV cell that a spreadsheet will not run as a formula: text that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice against
/// CSV injection), unless it is a plain number such as `-3` or `+1.5e3`. Free text typed by
/// a region reaches a reviewer's spreadsheet this way; the XLSX file stores text as text and
/// needs it not, JSON neither. Every CSV the platform writes passes each cell through here,
/// through [`csv_row`].
pub fn csv_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A number as written in a file: an optional sign, digits with an optional decimal point,
/// an optional exponent; nothing else (no spaces, no `inf` or `NaN`, which Rust's own parser
/// would take but a spreadsheet reads as a formula's names).
fn is_plain_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// One cell of a CSV row, after the formula guard: what the `csv` writer takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvCell<'a>(std::borrow::Cow<'a, str>);

impl AsRef<[u8]> for CsvCell<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::ops::Deref for CsvCell<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// A CSV row with every cell through [`csv_safe`]: `writer.write_record(csv_row([...]))`.
/// Header rows, codes and keys too, so no cell of any CSV depends on where its text came
/// from.
pub fn csv_row<'a, I>(cells: I) -> impl Iterator<Item = CsvCell<'a>>
where
    I: IntoIterator<Item = &'a str>,
{
    cells.into_iter().map(|cell| CsvCell(csv_safe(cell)))
}

/// A worksheet name for a section: its key and title, without the characters Excel refuses
/// (`[ ] : * ? / \\`) and within Excel's 31 characters.
pub fn sheet_name(key: &str, title: &str) -> String {
    let name: String = format!("{key} {title}")
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c => c,
        })
        .take(31)
        .collect();
    name.trim().trim_matches('\'').to_string()
}

/// The files of a round's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One row per region × item (× matrix row).
    Long,
    /// One row per region, one column per item (matrix: per row).
    Wide,
    Xlsx,
    Json,
    Codebook,
}

pub const FORMATS: [Format; 5] = [
    Format::Long,
    Format::Wide,
    Format::Xlsx,
    Format::Json,
    Format::Codebook,
];

impl Format {
    /// The last part of the URL, `/landelijk/ID/export/NAME`.
    pub fn url_name(self) -> &'static str {
        match self {
            Format::Long => "lang.csv",
            Format::Wide => "breed.csv",
            Format::Xlsx => "meting.xlsx",
            Format::Json => "meting.json",
            Format::Codebook => "codeboek.csv",
        }
    }

    pub fn from_url_name(name: &str) -> Option<Format> {
        FORMATS.into_iter().find(|format| format.url_name() == name)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Long | Format::Wide | Format::Codebook => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
        }
    }

    /// The download's file name: round, questionnaire version and what the file holds, e.g.
    /// `nad-6e-meting-december-2026_nad-2026-06_lang.csv`.
    pub fn file_name(self, round_name: &str, identifier: &str, version: &str) -> String {
        let what = match self {
            Format::Long => "lang.csv",
            Format::Wide => "breed.csv",
            Format::Xlsx => "tabellen.xlsx",
            Format::Json => "data.json",
            Format::Codebook => "codeboek.csv",
        };
        let round = slug(round_name);
        let prefix = slug(identifier);
        // The round's name usually says what it measures; the programme's name goes first
        // unless it is already there.
        let round = if round.starts_with(&format!("{prefix}-")) {
            round
        } else {
            format!("{prefix}-{round}")
        };
        format!(
            "{round}_{}_{what}",
            slug(&format!("{identifier} {version}"))
        )
    }

    /// The Dutch name of the link.
    pub fn label(self) -> &'static str {
        match self {
            Format::Long => "CSV, lang",
            Format::Wide => "CSV, breed",
            Format::Xlsx => "Excel (XLSX)",
            Format::Json => "JSON",
            Format::Codebook => "Codeboek (CSV)",
        }
    }

    /// One line about what the file holds, in Dutch.
    pub fn explanation(self) -> &'static str {
        match self {
            Format::Long => {
                "Eén regel per regio en vraag (bij een tabelvraag per rij), met een statuscode en de waarde."
            }
            Format::Wide => {
                "Eén regel per regio, één kolom per vraag (tabelvragen: vraag.rij; meerdere keuzes gescheiden door ;). Zonder antwoord staat er een code."
            }
            Format::Xlsx => {
                "Een tabblad per onderdeel (regio's × vragen), met een tabblad Info en het Codeboek."
            }
            Format::Json => {
                "Alle regio's met per vraag status en waarde, met de meting, de versie en de codes."
            }
            Format::Codebook => {
                "Per vraag: onderdeel, vraagtekst, type, antwoordcodes, eenheid, verplicht, voorwaarde en herkomst."
            }
        }
    }
}

#[cfg(test)]
mod tests;
