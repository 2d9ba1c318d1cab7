//! The extra column: what the other format has no column for, as a TOML inline table in our
//! own field names (`{ type = "yes_partly_no", unknown = true }`).

use super::draft::{DraftItem, Field};
use super::{Place, Problem};
use crate::domain::questionnaire::model::{
    CellKind, Choice, Item, ItemKind, Rule, Severity, LONG_TEXT_MAX, SHORT_TEXT_MAX, YES_NO,
    YES_PARTLY_NO,
};
use toml::{Table, Value};

/// Fields that have a column of their own in both formats: the column says them.
const OWN_COLUMNS: [&str; 4] = ["key", "label", "help", "required"];

/// Reads the extra column's text: empty, or one inline table.
pub(super) fn parse(text: &str, place: &Place) -> Result<Table, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Table::new());
    }
    if !text.starts_with('{') {
        return Err(Problem::at(
            place,
            "verwacht een TOML-tabel tussen { en }, zoals { type = \"yes_no\" }",
        ));
    }
    let mut document: Table = toml::from_str(&format!("extra = {text}")).map_err(|error| {
        Problem::at(
            place,
            format!("geen geldige TOML-tabel: {}", error.message()),
        )
    })?;
    match document.remove("extra") {
        Some(Value::Table(table)) => Ok(table),
        _ => Err(Problem::at(place, "verwacht een TOML-tabel tussen { en }")),
    }
}

/// Adds the extra column's fields to an item. `type` replaces the type of the column
/// (`select_one` that is really `yes_no`); `rule` adds rules; a field that a column already
/// gave is refused.
pub(super) fn merge(item: &mut DraftItem, extra: Table, place: &Place) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (name, value) in extra {
        if name == "type" {
            problems.extend(retype(item, value, place));
        } else if name == "rule" {
            match value {
                Value::Array(rules) => {
                    for rule in rules {
                        match rule {
                            Value::Table(rule) => item.rules.push(
                                rule.into_iter()
                                    .map(|(n, v)| Field::new(&n, v, place))
                                    .collect(),
                            ),
                            _ => problems
                                .push(Problem::at(place, "rule moet een lijst van tabellen zijn")),
                        }
                    }
                }
                _ => problems.push(Problem::at(place, "rule moet een lijst van tabellen zijn")),
            }
        } else if OWN_COLUMNS.contains(&name.as_str()) {
            problems.push(Problem::at(
                place,
                format!("'{name}' heeft een eigen kolom; zet het daar"),
            ));
        } else if let Some(existing) = item.get(&name) {
            let column = existing.place.column.clone().unwrap_or_default();
            problems.push(Problem::at(
                place,
                format!("'{name}' staat al in kolom {column}"),
            ));
        } else {
            item.fields.push(Field::new(&name, value, place));
        }
    }
    problems
}

/// Replaces the type; for `yes_no` and `yes_partly_no` the choices of the column must be
/// their fixed codes, and are dropped (the type has them).
fn retype(item: &mut DraftItem, value: Value, place: &Place) -> Vec<Problem> {
    let Some(type_name) = value.as_str().map(str::to_string) else {
        return vec![Problem::at(place, "type moet een tekst zijn")];
    };
    let mut problems = Vec::new();
    let fixed = match type_name.as_str() {
        "yes_no" => Some(&YES_NO[..]),
        "yes_partly_no" => Some(&YES_PARTLY_NO[..]),
        _ => None,
    };
    if let Some(fixed) = fixed {
        if let Some(options) = item.remove("options") {
            let codes: Vec<String> = options
                .value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|o| o.get("code").and_then(Value::as_str).map(str::to_string))
                .collect();
            let expected: Vec<&str> = fixed.iter().map(|(code, _)| *code).collect();
            if codes != expected {
                problems.push(Problem::at(
                    &options.place,
                    format!(
                        "type {type_name} heeft de codes {}, maar de keuzes zijn {}",
                        expected.join(", "),
                        codes.join(", ")
                    ),
                ));
            }
        }
    }
    match item.fields.iter_mut().find(|f| f.name == "type") {
        Some(field) => field.value = Value::String(type_name),
        None => item.fields.push(Field::new("type", type_name, place)),
    }
    problems
}

/// What a format says in columns of its own, so the extra column leaves it out.
pub(super) struct Native {
    /// `yes_no` is a type of the format (REDCap's `yesno`).
    pub yes_no: bool,
    /// `min` and `max` of numbers and dates have columns (REDCap's validation min and max).
    pub bounds: bool,
    /// `ranking` is a type of the format (XLSForm's `rank`).
    pub ranking: bool,
}

/// Choices as our definition writes them: `[{ code, label }, ...]`.
pub(super) fn choices_value(choices: &[Choice]) -> Value {
    Value::Array(
        choices
            .iter()
            .map(|c| {
                let mut table = Table::new();
                table.insert("code".into(), Value::String(c.code.clone()));
                table.insert("label".into(), Value::String(c.label.clone()));
                Value::Table(table)
            })
            .collect(),
    )
}

/// The fields of an item that the format has no column for, in our own names.
pub(super) fn item_extra(item: &Item, native: &Native) -> Table {
    let mut extra = Table::new();
    let mut put = |name: &str, value: Value| {
        extra.insert(name.to_string(), value);
    };
    kind_extra(&item.kind, native, &mut put);
    if let Some(unit) = &item.unit {
        put("unit", unit.clone().into());
    }
    if item.allow_unknown {
        put("unknown", true.into());
    }
    if item.allow_not_applicable {
        put("not_applicable", true.into());
    }
    if let Some(indicator) = &item.indicator {
        put("indicator", indicator.clone().into());
        let default: Vec<String> = match item.kind {
            ItemKind::YesNo | ItemKind::YesPartlyNo => vec!["ja".to_string()],
            _ => Vec::new(),
        };
        if item.indicator_counts != default {
            put(
                "counts",
                Value::Array(
                    item.indicator_counts
                        .iter()
                        .map(|c| c.clone().into())
                        .collect(),
                ),
            );
        }
    }
    if item.public != item.kind.public_by_default() {
        put("public", item.public.into());
    }
    extra
}

fn kind_extra(kind: &ItemKind, native: &Native, put: &mut impl FnMut(&str, Value)) {
    let bounds = |min: Option<Value>, max: Option<Value>, put: &mut dyn FnMut(&str, Value)| {
        if !native.bounds {
            min.into_iter().for_each(|v| put("min", v));
            max.into_iter().for_each(|v| put("max", v));
        }
    };
    match kind {
        ItemKind::YesNo if !native.yes_no => put("type", "yes_no".into()),
        ItemKind::YesPartlyNo => put("type", "yes_partly_no".into()),
        ItemKind::MultipleChoice {
            min_selected,
            max_selected,
            ..
        } => {
            min_selected
                .iter()
                .for_each(|n| put("min_selected", (*n as i64).into()));
            max_selected
                .iter()
                .for_each(|n| put("max_selected", (*n as i64).into()));
        }
        ItemKind::Integer { min, max } => {
            bounds(min.map(Value::from), max.map(Value::from), &mut *put)
        }
        ItemKind::Decimal { min, max, decimals } => {
            bounds(min.map(Value::from), max.map(Value::from), &mut *put);
            decimals
                .iter()
                .for_each(|d| put("decimals", i64::from(*d).into()));
        }
        ItemKind::Percentage { decimals } => {
            put("type", "percentage".into());
            decimals
                .iter()
                .for_each(|d| put("decimals", i64::from(*d).into()));
        }
        ItemKind::ShortText { max_length } if *max_length != SHORT_TEXT_MAX => {
            put("max_length", (*max_length as i64).into())
        }
        ItemKind::LongText { max_length } if *max_length != LONG_TEXT_MAX => {
            put("max_length", (*max_length as i64).into())
        }
        ItemKind::Date { min, max } => bounds(
            min.clone().map(Value::from),
            max.clone().map(Value::from),
            &mut *put,
        ),
        ItemKind::Scale {
            min_label,
            max_label,
        } => {
            put("type", "scale".into());
            min_label
                .iter()
                .for_each(|l| put("min_label", l.clone().into()));
            max_label
                .iter()
                .for_each(|l| put("max_label", l.clone().into()));
        }
        ItemKind::Matrix { rows, cell } => matrix_extra(rows, cell, put),
        ItemKind::Ranking { rank, .. } => {
            if !native.ranking {
                put("type", "ranking".into());
            }
            put("rank", (*rank as i64).into());
        }
        _ => {}
    }
}

/// A matrix: its rows, its cell type and the cell's options or bounds.
fn matrix_extra(rows: &[Choice], cell: &CellKind, put: &mut impl FnMut(&str, Value)) {
    put("type", "matrix".into());
    put("rows", choices_value(rows));
    match cell {
        CellKind::YesNo => put("cell", "yes_no".into()),
        CellKind::YesPartlyNo => put("cell", "yes_partly_no".into()),
        CellKind::Integer { min, max } => {
            put("cell", "integer".into());
            min.iter().for_each(|v| put("min", (*v).into()));
            max.iter().for_each(|v| put("max", (*v).into()));
        }
        CellKind::SingleChoice { options } => {
            put("cell", "single_choice".into());
            put("options", choices_value(options));
        }
    }
}

/// A rule as the extra column writes it.
pub(super) fn rule_value(rule: &Rule) -> Value {
    let mut table = Table::new();
    let severity = match rule.severity {
        Severity::Blocking => "blocking",
        Severity::Warning => "warning",
    };
    table.insert("severity".into(), severity.into());
    table.insert("check".into(), rule.check.source.clone().into());
    table.insert("message".into(), rule.message.clone().into());
    Value::Table(table)
}

/// The extra column's text: empty, or the table inline.
pub(super) fn text(extra: Table) -> String {
    if extra.is_empty() {
        String::new()
    } else {
        Value::Table(extra).to_string()
    }
}
