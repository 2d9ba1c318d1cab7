//! A version as a REDCap data dictionary: a form per section, a field per item, and in the
//! field annotation (`@NAD { … }`) what REDCap has no column for.

use super::super::expressions::Dialect;
use super::super::extension::{self, item_extra};
use super::super::printer::print;
use super::super::{Row, Sheet};
use super::{COLUMNS, EXTRA_TAG, NATIVE, YES_NO_CODES};
use crate::domain::questionnaire::model::{
    fixed_choices, Choice, Item, ItemKind, Questionnaire, YES_PARTLY_NO,
};
use std::collections::{HashMap, HashSet};
use toml::{Table, Value};

/// Our codes in REDCap's, per item: REDCap's yes/no field answers 1 and 0.
type Codes = HashMap<String, HashMap<String, String>>;

/// A form name: lower case letters, digits and `_`, starting with a letter.
fn form_name(key: &str) -> String {
    let name: String = key
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name
    } else {
        format!("s{name}")
    }
}

/// One field as (short column name, value) pairs.
struct Field(Vec<(&'static str, String)>);

impl Field {
    fn set(&mut self, column: &'static str, value: impl Into<String>) {
        self.0.push((column, value.into()));
    }

    fn cells(self) -> Vec<String> {
        COLUMNS
            .iter()
            .map(|(_, short)| {
                self.0
                    .iter()
                    .find(|(name, _)| name == short)
                    .map_or(String::new(), |(_, v)| v.clone())
            })
            .collect()
    }
}

/// The data dictionary: the header and a row per field. Refused when a choice has a text
/// REDCap can not hold (`|` separates its choices): each problem names the item.
pub fn to_redcap(questionnaire: &Questionnaire) -> Result<Sheet, Vec<String>> {
    let problems: Vec<String> = questionnaire
        .items()
        .flat_map(|item| {
            let options = match &item.kind {
                ItemKind::SingleChoice { options }
                | ItemKind::MultipleChoice { options, .. }
                | ItemKind::Ranking { options, .. } => options.as_slice(),
                _ => &[],
            };
            options
                .iter()
                .filter(|o| o.label.contains('|') || o.label.contains('\n'))
                .map(|o| {
                    format!(
                        "vraag {}: het label van keuze '{}' bevat '|' of een nieuwe regel, en die kan REDCap niet in een keuze bewaren",
                        item.key, o.code
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let codes: Codes = questionnaire
        .items()
        .filter(|item| item.kind == ItemKind::YesNo)
        .map(|item| {
            let map = YES_NO_CODES
                .iter()
                .map(|(theirs, ours)| (ours.to_string(), theirs.to_string()));
            (item.key.clone(), map.collect())
        })
        .collect();
    let mut taken: HashSet<String> = questionnaire.items().map(|i| i.key.clone()).collect();
    let mut fields: Vec<(Field, Table)> = Vec::new();
    for section in &questionnaire.sections {
        let form = form_name(&section.key);
        let start = fields.len();
        if let Some(intro) = section.intro.as_deref().filter(|i| !i.trim().is_empty()) {
            let mut name = format!("{form}_inleiding");
            while !taken.insert(name.clone()) {
                name.push('_');
            }
            let mut field = Field(Vec::new());
            field.set("variable", name);
            field.set("field type", "descriptive");
            field.set("label", intro);
            fields.push((field, Table::new()));
        }
        for item in &section.items {
            fields.push(item_field(item, &codes));
        }
        for (field, _) in &mut fields[start..] {
            field.set("form", form.clone());
        }
        if let Some((first, extra)) = fields.get_mut(start) {
            first.set("section header", section.title.clone());
            if section.key != form {
                let mut table = Table::new();
                table.insert("key".into(), section.key.clone().into());
                extra.insert("section".into(), Value::Table(table));
            }
        }
    }
    if let Some((_, extra)) = fields.first_mut() {
        extra.insert("questionnaire".into(), Value::Table(header(questionnaire)));
    }
    let header = Row {
        number: 1,
        cells: COLUMNS.iter().map(|(full, _)| full.to_string()).collect(),
    };
    let rows = fields
        .into_iter()
        .enumerate()
        .map(|(n, (mut field, extra))| {
            if !extra.is_empty() {
                field.set(
                    "annotation",
                    format!("{EXTRA_TAG} {}", extension::text(extra)),
                );
            }
            Row {
                number: n + 2,
                cells: field.cells(),
            }
        });
    Ok(Sheet {
        name: "datadictionary".to_string(),
        rows: std::iter::once(header).chain(rows).collect(),
    })
}

/// The version's names and introduction, which REDCap has no place for.
fn header(questionnaire: &Questionnaire) -> Table {
    let mut table = Table::new();
    table.insert("identifier".into(), questionnaire.identifier.clone().into());
    table.insert("version".into(), questionnaire.version.clone().into());
    table.insert("title".into(), questionnaire.title.clone().into());
    table.insert("programme".into(), questionnaire.programme.clone().into());
    if !questionnaire.introduction.trim().is_empty() {
        table.insert(
            "introduction".into(),
            questionnaire.introduction.clone().into(),
        );
    }
    table
}

fn choices(options: &[Choice]) -> String {
    options
        .iter()
        .map(|o| format!("{}, {}", o.code, o.label))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn item_field(item: &Item, codes: &Codes) -> (Field, Table) {
    let mut field = Field(Vec::new());
    let mut extra = item_extra(item, &NATIVE);
    field.set("variable", item.key.clone());
    field.set("label", item.label.clone());
    field.set("note", item.help.clone().unwrap_or_default());
    if item.required {
        field.set("required", "y");
    }
    let (kind, validation) = match &item.kind {
        ItemKind::YesNo => ("yesno", ""),
        ItemKind::YesPartlyNo => {
            field.set("choices", choices(&fixed_choices(&YES_PARTLY_NO)));
            ("radio", "")
        }
        ItemKind::SingleChoice { options } => {
            field.set("choices", choices(options));
            ("radio", "")
        }
        ItemKind::MultipleChoice { options, .. } | ItemKind::Ranking { options, .. } => {
            field.set("choices", choices(options));
            ("checkbox", "")
        }
        ItemKind::Integer { min, max } => {
            bounds(
                &mut field,
                min.map(|n| n.to_string()),
                max.map(|n| n.to_string()),
            );
            ("text", "integer")
        }
        ItemKind::Decimal { min, max, .. } => {
            bounds(
                &mut field,
                min.map(|n| n.to_string()),
                max.map(|n| n.to_string()),
            );
            ("text", "number")
        }
        ItemKind::Date { min, max } => {
            bounds(&mut field, min.clone(), max.clone());
            ("text", "date_ymd")
        }
        ItemKind::Scale { .. } => ("text", "integer"),
        ItemKind::Percentage { .. } => ("text", "number"),
        ItemKind::LongText { .. } => ("notes", ""),
        ItemKind::ShortText { .. } | ItemKind::Matrix { .. } => ("text", ""),
    };
    field.set("field type", kind);
    field.set("validation", validation);
    if let Some(condition) = &item.visible_if {
        match print(&condition.expr, Dialect::Redcap, None, codes) {
            Some(text) => field.set("branching logic", text),
            None => {
                extra.insert("visible_if".into(), condition.source.clone().into());
            }
        }
    }
    if !item.rules.is_empty() {
        let rules = item.rules.iter().map(extension::rule_value).collect();
        extra.insert("rule".into(), Value::Array(rules));
    }
    (field, extra)
}

fn bounds(field: &mut Field, min: Option<String>, max: Option<String>) {
    field.set("min", min.unwrap_or_default());
    field.set("max", max.unwrap_or_default());
}
