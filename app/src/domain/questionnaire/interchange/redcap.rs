//! REDCap: a data dictionary (one CSV file, a row per field), in and out.

use super::draft::{bare, Draft, DraftItem, DraftSection, Field};
use super::expressions::{Dialect, Fields};
use super::extension::{self, Native};
use super::{our_code, translated, Columns, Imported, Names, Place, Problem, Row, Sheet};
use crate::domain::questionnaire::model::Choice;
use std::collections::HashMap;
use toml::{Table, Value};

mod export;
pub use export::to_redcap;

/// REDCap's columns, as its data dictionary names them, and the short names we use.
pub(super) const COLUMNS: [(&str, &str); 18] = [
    ("Variable / Field Name", "variable"),
    ("Form Name", "form"),
    ("Section Header", "section header"),
    ("Field Type", "field type"),
    ("Field Label", "label"),
    ("Choices, Calculations, OR Slider Labels", "choices"),
    ("Field Note", "note"),
    ("Text Validation Type OR Show Slider Number", "validation"),
    ("Text Validation Min", "min"),
    ("Text Validation Max", "max"),
    ("Identifier?", "identifier"),
    ("Branching Logic (Show field only if...)", "branching logic"),
    ("Required Field?", "required"),
    ("Custom Alignment", "custom alignment"),
    ("Question Number (surveys only)", "question number"),
    ("Matrix Group Name", "matrix group"),
    ("Matrix Ranking?", "matrix ranking"),
    ("Field Annotation", "annotation"),
];

/// Where our own fields start in the field annotation.
pub(super) const EXTRA_TAG: &str = "@NAD";

/// The short name of a header cell: REDCap's full name or its short name.
fn short_name(header: &str) -> String {
    let lower = header.trim().to_lowercase();
    COLUMNS
        .iter()
        .find(|(full, short)| {
            let full = full.to_lowercase();
            lower == full || lower == *short || (lower.len() > 8 && full.starts_with(&lower))
        })
        .map_or(lower.clone(), |(_, short)| short.to_string())
}

struct Dictionary<'a> {
    columns: Columns<'a>,
    index: HashMap<&'static str, usize>,
}

impl Dictionary<'_> {
    fn cell<'r>(&self, row: &'r Row, name: &str) -> &'r str {
        self.columns.cell(row, self.index.get(name).copied())
    }

    fn place(&self, row: &Row, name: &str) -> Place {
        self.columns.place(row, self.index.get(name).copied())
    }
}

/// REDCap's `1, Ja | 2, Nee`: (code as written, label), or the problem.
pub(super) fn parse_choices(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split('|')
        .map(|part| match part.split_once(',') {
            Some((code, label)) => Ok((code.trim().to_string(), label.trim().to_string())),
            None => Err(format!(
                "kan '{}' niet lezen: een keuze is 'code, label'",
                part.trim()
            )),
        })
        .collect()
}

/// REDCap's yes/no field: 1 is ja, 0 is nee.
pub(super) const YES_NO_CODES: [(&str, &str); 2] = [("1", "ja"), ("0", "nee")];

/// Translates a REDCap data dictionary into a checked definition.
pub fn from_redcap(sheet: &Sheet, names: &Names) -> Result<Imported, Vec<Problem>> {
    let Some(header) = sheet.rows.first() else {
        return Err(vec![Problem {
            place: None,
            message: "het bestand is leeg".to_string(),
        }]);
    };
    let short = Row {
        number: header.number,
        cells: header.cells.iter().map(|c| short_name(c)).collect(),
    };
    let columns = Columns::new(None, &short);
    let index = COLUMNS
        .iter()
        .filter_map(|(_, name)| columns.find(|c| c == *name).map(|i| (*name, i)))
        .collect();
    let dictionary = Dictionary { columns, index };
    let mut problems = Vec::new();
    for name in ["variable", "form", "field type", "label"] {
        if !dictionary.index.contains_key(name) {
            problems.push(Problem::at(
                &Place::at(None, header.number, ""),
                format!("de kolom {name} ontbreekt"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let fields = known_fields(sheet, &dictionary);
    let mut reader = Reader {
        dictionary: &dictionary,
        fields: &fields,
        problems: &mut problems,
        form: None,
    };
    let mut draft = Draft {
        header: Vec::new(),
        sections: Vec::new(),
        place: Place::at(None, header.number, ""),
    };
    for (n, row) in sheet.rows[1..].iter().enumerate() {
        reader.row(row, n == 0, &mut draft);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    draft.finish(names, "een REDCap-bestand")
}

fn known_fields(sheet: &Sheet, dictionary: &Dictionary) -> Fields {
    let mut fields = Fields::default();
    for row in &sheet.rows[1..] {
        let key = dictionary.cell(row, "variable").to_string();
        let validation = dictionary.cell(row, "validation");
        match dictionary.cell(row, "field type") {
            "text" if validation == "integer" || validation.starts_with("number") => {
                fields.numeric.insert(key);
            }
            "radio" | "dropdown" | "checkbox" => {
                let choices = parse_choices(dictionary.cell(row, "choices")).unwrap_or_default();
                let codes = choices
                    .into_iter()
                    .map(|(code, _)| (code.clone(), our_code(&code)));
                fields.codes.insert(key, codes.collect());
            }
            "yesno" => {
                let codes = YES_NO_CODES
                    .iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()));
                fields.codes.insert(key, codes.collect());
            }
            _ => {}
        }
    }
    fields
}

struct Reader<'a> {
    dictionary: &'a Dictionary<'a>,
    fields: &'a Fields,
    problems: &'a mut Vec<Problem>,
    /// The form of the previous row, and how many sections it has had.
    form: Option<(String, usize)>,
}

impl Reader<'_> {
    fn row(&mut self, row: &Row, first: bool, draft: &mut Draft) {
        let d = self.dictionary;
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        let place = d.place(row, "annotation");
        let annotation = d.cell(row, "annotation");
        let mut extra = match annotation.find(EXTRA_TAG) {
            Some(at) => extension::parse(&annotation[at + EXTRA_TAG.len()..], &place)
                .unwrap_or_else(|problem| {
                    self.problems.push(problem);
                    Table::new()
                }),
            None => Table::new(),
        };
        if let Some(questionnaire) = extra.remove("questionnaire") {
            self.questionnaire(questionnaire, first, &place, draft);
        }
        self.section(row, extra.remove("section"), draft);
        let Some(section) = draft.sections.last_mut() else {
            return;
        };
        if d.cell(row, "field type") == "descriptive" {
            self.intro(row, section);
        } else if let Some(mut item) = self.item(row) {
            self.problems
                .extend(extension::merge(&mut item, extra, &place));
            section.items.push(item);
        }
    }

    /// `questionnaire = { identifier, version, title, programme, introduction }` on the first row.
    fn questionnaire(&mut self, value: Value, first: bool, place: &Place, draft: &mut Draft) {
        match value {
            Value::Table(table) if first => draft.header.extend(
                table
                    .into_iter()
                    .map(|(name, value)| Field::new(&name, value, place)),
            ),
            _ => self.problems.push(Problem::at(
                place,
                "questionnaire = { … } kan alleen in de eerste regel en is een tabel",
            )),
        }
    }

    /// A new form, or a section header, begins a section: its key is the form's name (with
    /// a number for a form's later sections) unless `section = { key = … }` says otherwise.
    fn section(&mut self, row: &Row, extra: Option<Value>, draft: &mut Draft) {
        let d = self.dictionary;
        let form = d.cell(row, "form").to_string();
        let header = d.cell(row, "section header");
        let count = match &self.form {
            Some((current, count)) if *current == form => {
                if header.is_empty() && extra.is_none() {
                    return;
                }
                count + 1
            }
            _ => 1,
        };
        self.form = Some((form.clone(), count));
        let key = if count == 1 {
            form.clone()
        } else {
            format!("{form}_{count}")
        };
        let mut section = DraftSection::default();
        let title = if header.is_empty() {
            form.as_str()
        } else {
            header
        };
        section
            .fields
            .push(Field::new("key", key, &d.place(row, "form")));
        section
            .fields
            .push(Field::new("title", title, &d.place(row, "section header")));
        let place = d.place(row, "annotation");
        match extra {
            Some(Value::Table(table)) => {
                for (name, value) in table {
                    section.fields.retain(|f| f.name != name);
                    section.fields.push(Field::new(&name, value, &place));
                }
            }
            Some(_) => self
                .problems
                .push(Problem::at(&place, "section = { … } is een tabel")),
            None => {}
        }
        draft.sections.push(section);
    }

    /// A descriptive field at the start of a section is its intro.
    fn intro(&mut self, row: &Row, section: &mut DraftSection) {
        let d = self.dictionary;
        if !section.items.is_empty() {
            self.problems.push(Problem::at(
                &d.place(row, "field type"),
                "een descriptive-veld kan alleen aan het begin van een sectie staan (het wordt de inleiding)",
            ));
            return;
        }
        let text = d.cell(row, "label");
        match section.fields.iter_mut().find(|f| f.name == "intro") {
            Some(field) => {
                field.value =
                    format!("{}\n\n{text}", field.value.as_str().unwrap_or_default()).into()
            }
            None => section
                .fields
                .push(Field::new("intro", text, &d.place(row, "label"))),
        }
    }

    fn item(&mut self, row: &Row) -> Option<DraftItem> {
        let d = self.dictionary;
        let key = d.cell(row, "variable");
        let mut item = DraftItem::default();
        item.fields
            .push(Field::new("key", key, &d.place(row, "variable")));
        self.kind(row, &mut item)?;
        item.fields.push(Field::new(
            "label",
            d.cell(row, "label"),
            &d.place(row, "label"),
        ));
        let note = d.cell(row, "note");
        if !note.is_empty() {
            item.fields
                .push(Field::new("help", note, &d.place(row, "note")));
        }
        let required = d.place(row, "required");
        match d.cell(row, "required").to_lowercase().as_str() {
            "" | "n" | "no" | "0" => {}
            "y" | "yes" | "1" => item.fields.push(Field::new("required", true, &required)),
            other => self.problems.push(Problem::at(
                &required,
                format!("kan '{other}' niet lezen: required is y of leeg"),
            )),
        }
        let branching = d.cell(row, "branching logic");
        if !branching.is_empty() {
            let place = d.place(row, "branching logic");
            if let Some(expr) = translated(
                branching,
                Dialect::Redcap,
                None,
                self.fields,
                &place,
                self.problems,
            ) {
                item.fields
                    .push(Field::new("visible_if", bare(&expr), &place));
            }
        }
        Some(item)
    }

    /// The type, its options and its bounds; `None` when the type has no counterpart.
    fn kind(&mut self, row: &Row, item: &mut DraftItem) -> Option<()> {
        let d = self.dictionary;
        let place = d.place(row, "field type");
        let validation = d.cell(row, "validation");
        let ours = match (d.cell(row, "field type"), validation) {
            ("text", "") => "short_text",
            ("text", "integer") => "integer",
            ("text", v) if v == "number" || v.starts_with("number_") => "decimal",
            ("text", v) if v.starts_with("date_") => "date",
            ("text", other) => {
                let place = d.place(row, "validation");
                self.problems.push(Problem::at(&place, format!(
                    "de validatie '{other}' heeft bij ons geen tegenhanger (wel: integer, number, date_ymd)"
                )));
                return None;
            }
            ("notes", _) => "long_text",
            ("radio" | "dropdown", _) => "single_choice",
            ("checkbox", _) => "multiple_choice",
            ("yesno", _) => "yes_no",
            (other, _) => {
                self.problems.push(Problem::at(&place, format!(
                    "het veldtype '{other}' heeft bij ons geen tegenhanger (wel: text, notes, radio, dropdown, checkbox, yesno, descriptive)"
                )));
                return None;
            }
        };
        item.fields.push(Field::new("type", ours, &place));
        if matches!(ours, "single_choice" | "multiple_choice") {
            let place = d.place(row, "choices");
            match parse_choices(d.cell(row, "choices")) {
                Ok(choices) => {
                    let choices: Vec<Choice> = choices
                        .into_iter()
                        .map(|(code, label)| Choice {
                            code: our_code(&code),
                            label,
                        })
                        .collect();
                    item.fields.push(Field::new(
                        "options",
                        extension::choices_value(&choices),
                        &place,
                    ));
                }
                Err(message) => self.problems.push(Problem::at(&place, message)),
            }
        }
        for bound in ["min", "max"] {
            self.bound(row, ours, bound, item);
        }
        Some(())
    }

    fn bound(&mut self, row: &Row, ours: &str, name: &str, item: &mut DraftItem) {
        let d = self.dictionary;
        let text = d.cell(row, name);
        if text.is_empty() {
            return;
        }
        let place = d.place(row, name);
        let value = match ours {
            "integer" => text.parse::<i64>().ok().map(Value::from),
            "decimal" => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::from),
            "date" => Some(Value::from(text)),
            _ => {
                self.problems.push(Problem::at(
                    &place,
                    format!("{name} hoort alleen bij integer, number en datums"),
                ));
                return;
            }
        };
        match value {
            Some(value) => item.fields.push(Field::new(name, value, &place)),
            None => self.problems.push(Problem::at(
                &place,
                format!("{name} '{text}' is geen getal van dit type"),
            )),
        }
    }
}

/// What REDCap says in columns of its own.
pub(super) const NATIVE: Native = Native {
    yes_no: true,
    bounds: true,
    ranking: false,
};
