//! Answers as typed values, parsed from what a person typed or chose. Parse, don't validate:
//! `parse_answer` is the one way to make an `Answer`, and it returns either the value or the
//! Dutch messages that say what is wrong.

use super::expr::{Ref, Value};
use super::model::{
    fixed_choices as fixed, CellKind, Choice, Item, ItemKind, YES_NO, YES_PARTLY_NO,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of a real answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnswerValue {
    /// yes/no, yes/partly/no, single choice: one code.
    Code(String),
    /// Multiple choice (as chosen, sorted) and ranking (in order): codes.
    Codes(Vec<String>),
    Integer(i64),
    /// Decimal, percentage and scale values.
    Number(f64),
    Text(String),
    /// A date as `JJJJ-MM-DD`.
    Date(String),
    /// Matrix: row code → cell value.
    Rows(BTreeMap<String, AnswerValue>),
}

/// An answer: a value, or one of the explicit non-answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Given(AnswerValue),
    /// "onbekend": the region does not know.
    Unknown,
    /// "n.v.t.": the question does not apply to the region.
    NotApplicable,
}

/// What the form sent for one item. `values` holds one text for most types, the chosen codes
/// for multiple choice and the codes in order for ranking; `rows` holds matrix cells;
/// `special` is "onbekend" or "nvt" when that box was chosen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawAnswer {
    pub values: Vec<String>,
    pub rows: BTreeMap<String, String>,
    pub special: Option<String>,
}

impl RawAnswer {
    /// The values that hold something, trimmed.
    fn filled_values(&self) -> impl Iterator<Item = &str> {
        self.values
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Nothing filled in.
    pub fn is_blank(&self) -> bool {
        self.values.iter().all(|v| v.trim().is_empty())
            && self.rows.values().all(|v| v.trim().is_empty())
            && self.special.as_deref().is_none_or(|s| s.trim().is_empty())
    }

    /// The same input without surrounding spaces and empty values, for comparing two inputs.
    pub fn normalized(&self) -> RawAnswer {
        RawAnswer {
            values: self.filled_values().map(str::to_string).collect(),
            rows: self
                .rows
                .iter()
                .map(|(row, value)| (row.clone(), value.trim().to_string()))
                .filter(|(_, value)| !value.is_empty())
                .collect(),
            special: self
                .special
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        }
    }
}

/// Parses form input for an item. `Ok(None)` means nothing was filled in.
pub fn parse_answer(item: &Item, raw: &RawAnswer) -> Result<Option<Answer>, Vec<String>> {
    if raw.is_blank() {
        return Ok(None);
    }
    if let Some(special) = raw
        .special
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return special_answer(item, special).map(Some);
    }
    Ok(parse_value(item, raw)?.map(Answer::Given))
}

/// The box "onbekend" or "n.v.t.", when the item offers it.
fn special_answer(item: &Item, special: &str) -> Result<Answer, Vec<String>> {
    match special {
        "onbekend" if item.allow_unknown => Ok(Answer::Unknown),
        "nvt" if item.allow_not_applicable => Ok(Answer::NotApplicable),
        "onbekend" => Err(vec!["Bij deze vraag kunt u niet 'onbekend' kiezen.".into()]),
        "nvt" => Err(vec![
            "Bij deze vraag kunt u niet 'niet van toepassing' kiezen.".into(),
        ]),
        other => Err(vec![format!("'{other}' is geen geldige keuze.")]),
    }
}

/// The value of the item's type; `Ok(None)` for a matrix without a filled cell.
fn parse_value(item: &Item, raw: &RawAnswer) -> Result<Option<AnswerValue>, Vec<String>> {
    let value = match &item.kind {
        ItemKind::YesNo => AnswerValue::Code(code_in(single(raw)?, &fixed(&YES_NO))?),
        ItemKind::YesPartlyNo => AnswerValue::Code(code_in(single(raw)?, &fixed(&YES_PARTLY_NO))?),
        ItemKind::SingleChoice { options } => AnswerValue::Code(code_in(single(raw)?, options)?),
        ItemKind::MultipleChoice {
            options,
            min_selected,
            max_selected,
        } => parse_multiple(raw, options, *min_selected, *max_selected)?,
        ItemKind::Ranking { options, rank } => parse_ranking(raw, options, *rank)?,
        ItemKind::Integer { min, max } => {
            AnswerValue::Integer(parse_integer(single(raw)?, *min, *max)?)
        }
        ItemKind::Decimal { min, max, decimals } => {
            AnswerValue::Number(parse_decimal(single(raw)?, *min, *max, *decimals)?)
        }
        ItemKind::Percentage { decimals } => AnswerValue::Number(parse_decimal(
            single(raw)?,
            Some(0.0),
            Some(100.0),
            *decimals,
        )?),
        ItemKind::Scale { .. } => {
            AnswerValue::Number(parse_integer(single(raw)?, Some(1), Some(5))? as f64)
        }
        ItemKind::ShortText { max_length } => parse_text(raw, *max_length, true)?,
        ItemKind::LongText { max_length } => parse_text(raw, *max_length, false)?,
        ItemKind::Date { min, max } => AnswerValue::Date(parse_date(single(raw)?, min, max)?),
        ItemKind::Matrix { rows, cell } => return parse_matrix(raw, rows, cell),
    };
    Ok(Some(value))
}

/// The one value of a type that takes one.
fn single(raw: &RawAnswer) -> Result<&str, Vec<String>> {
    match raw.values.as_slice() {
        [one] => Ok(one.trim()),
        [] => Ok(""),
        _ => Err(vec!["Geef één antwoord.".into()]),
    }
}

fn parse_multiple(
    raw: &RawAnswer,
    options: &[Choice],
    min_selected: Option<usize>,
    max_selected: Option<usize>,
) -> Result<AnswerValue, Vec<String>> {
    let mut codes = Vec::new();
    for value in raw.filled_values() {
        let code = code_in(value, options)?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let chosen = codes.len();
    if let Some(min) = min_selected.filter(|min| chosen < *min) {
        return Err(vec![format!("Kies er minstens {min}.")]);
    }
    if let Some(max) = max_selected.filter(|max| chosen > *max) {
        return Err(vec![format!("Kies er hoogstens {max}.")]);
    }
    // Stored in the order of the options, so equal choices compare equal.
    codes.sort_by_key(|code| options.iter().position(|o| &o.code == code));
    Ok(AnswerValue::Codes(codes))
}

fn parse_ranking(
    raw: &RawAnswer,
    options: &[Choice],
    rank: usize,
) -> Result<AnswerValue, Vec<String>> {
    let mut codes: Vec<String> = Vec::new();
    for value in raw.filled_values() {
        let code = code_in(value, options)?;
        if codes.contains(&code) {
            let label = label_of(options, &code);
            return Err(vec![format!("'{label}' staat twee keer in uw rangorde.")]);
        }
        codes.push(code);
    }
    if codes.len() > rank {
        return Err(vec![format!("Kies hoogstens {rank}, in volgorde.")]);
    }
    let wanted = rank.min(options.len());
    if codes.len() < wanted {
        return Err(vec![format!("Kies er {wanted}, in volgorde van belang.")]);
    }
    Ok(AnswerValue::Codes(codes))
}

/// Short (`one_line`) or long text, at most `max_length` characters.
fn parse_text(
    raw: &RawAnswer,
    max_length: usize,
    one_line: bool,
) -> Result<AnswerValue, Vec<String>> {
    let text = raw.values.join("\n");
    let text = text.trim();
    let length = text.chars().count();
    if length > max_length {
        return Err(vec![format!(
            "Uw antwoord is {length} tekens; het mag hoogstens {max_length} tekens zijn."
        )]);
    }
    if one_line && text.contains('\n') {
        return Err(vec!["Het antwoord moet op één regel passen.".into()]);
    }
    Ok(AnswerValue::Text(text.to_string()))
}

/// A matrix's filled cells, with every problem named by its row; `Ok(None)` when no cell is
/// filled.
fn parse_matrix(
    raw: &RawAnswer,
    rows: &[Choice],
    cell: &CellKind,
) -> Result<Option<AnswerValue>, Vec<String>> {
    let mut cells = BTreeMap::new();
    let mut problems = Vec::new();
    for (code, value) in &raw.rows {
        let Some(row) = rows.iter().find(|row| &row.code == code) else {
            problems.push(format!("Onbekende rij '{code}'."));
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match parse_cell(cell, value) {
            Ok(value) => {
                cells.insert(code.clone(), value);
            }
            Err(messages) => {
                problems.extend(messages.into_iter().map(|m| format!("{}: {m}", row.label)))
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((!cells.is_empty()).then_some(AnswerValue::Rows(cells)))
}

fn parse_cell(cell: &CellKind, value: &str) -> Result<AnswerValue, Vec<String>> {
    match cell {
        CellKind::YesNo => code_in(value, &fixed(&YES_NO)).map(AnswerValue::Code),
        CellKind::YesPartlyNo => code_in(value, &fixed(&YES_PARTLY_NO)).map(AnswerValue::Code),
        CellKind::SingleChoice { options } => code_in(value, options).map(AnswerValue::Code),
        CellKind::Integer { min, max } => {
            parse_integer(value, *min, *max).map(AnswerValue::Integer)
        }
    }
}

fn label_of(options: &[Choice], code: &str) -> String {
    options
        .iter()
        .find(|o| o.code == code)
        .map_or(code.to_string(), |o| o.label.clone())
}

fn code_in(value: &str, options: &[Choice]) -> Result<String, Vec<String>> {
    if options.iter().any(|o| o.code == value) {
        Ok(value.to_string())
    } else {
        Err(vec![format!(
            "'{value}' is geen van de keuzes bij deze vraag."
        )])
    }
}

/// Accepts `1234`, `1.234` and `1 234` (Dutch thousands separators).
fn parse_integer(text: &str, min: Option<i64>, max: Option<i64>) -> Result<i64, Vec<String>> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let grouped = cleaned.contains('.')
        && cleaned
            .trim_start_matches('-')
            .split('.')
            .enumerate()
            .all(|(n, part)| {
                part.chars().all(|c| c.is_ascii_digit())
                    && (if n == 0 {
                        (1..=3).contains(&part.len())
                    } else {
                        part.len() == 3
                    })
            });
    let digits = if grouped {
        cleaned.replace('.', "")
    } else {
        cleaned
    };
    let number: i64 = digits.parse().map_err(|_| {
        vec![format!(
            "Vul een heel getal in, zonder letters of komma (u vulde '{text}' in)."
        )]
    })?;
    check_bounds(number as f64, min.map(|m| m as f64), max.map(|m| m as f64))?;
    Ok(number)
}

/// Accepts a decimal comma or point: `12,5` and `12.5`.
fn parse_decimal(
    text: &str,
    min: Option<f64>,
    max: Option<f64>,
    decimals: Option<u32>,
) -> Result<f64, Vec<String>> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let normalized = if cleaned.contains(',') && !cleaned.contains('.') {
        cleaned.replace(',', ".")
    } else {
        cleaned
    };
    let valid = !normalized.is_empty()
        && normalized
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && normalized.matches('.').count() <= 1;
    let number: f64 = normalized
        .parse()
        .ok()
        .filter(|n: &f64| valid && n.is_finite())
        .ok_or_else(|| {
            vec![format!(
                "Vul een getal in, bijvoorbeeld 12,5 (u vulde '{text}' in)."
            )]
        })?;
    if let Some(decimals) = decimals {
        let given = normalized.split_once('.').map_or(0, |(_, d)| d.len());
        if given > decimals as usize {
            return Err(vec![if decimals == 0 {
                "Vul een getal zonder decimalen in.".to_string()
            } else {
                format!("Gebruik hoogstens {decimals} cijfers achter de komma.")
            }]);
        }
    }
    check_bounds(number, min, max)?;
    Ok(number)
}

fn show(number: f64) -> String {
    format!("{number}").replace('.', ",")
}

fn check_bounds(number: f64, min: Option<f64>, max: Option<f64>) -> Result<(), Vec<String>> {
    match (min, max) {
        (Some(min), Some(max)) if number < min || number > max => Err(vec![format!(
            "Vul een getal van {} tot en met {} in.",
            show(min),
            show(max)
        )]),
        (Some(min), None) if number < min => {
            Err(vec![format!("Vul een getal van {} of meer in.", show(min))])
        }
        (None, Some(max)) if number > max => Err(vec![format!(
            "Vul een getal van {} of minder in.",
            show(max)
        )]),
        _ => Ok(()),
    }
}

/// A date as `JJJJ-MM-DD` (what `<input type="date">` sends) or `DD-MM-JJJJ`.
pub fn parse_date(
    text: &str,
    min: &Option<String>,
    max: &Option<String>,
) -> Result<String, Vec<String>> {
    let problem = || {
        vec![format!(
            "Vul een bestaande datum in, zoals 31-12-2025 (u vulde '{text}' in)."
        )]
    };
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let (year, month, day) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => (*y, *m, *d),
        [d, m, y] if y.len() == 4 => (*y, *m, *d),
        _ => return Err(problem()),
    };
    let (Ok(year), Ok(month), Ok(day)) = (
        year.parse::<u32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return Err(problem());
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(problem()),
    };
    if !(1900..=2100).contains(&year) || day == 0 || day > days_in_month {
        return Err(problem());
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if min.as_ref().is_some_and(|min| &date < min) || max.as_ref().is_some_and(|max| &date > max) {
        let bound = |b: &Option<String>| b.clone().unwrap_or_else(|| "…".to_string());
        return Err(vec![format!(
            "Vul een datum tussen {} en {} in.",
            bound(min),
            bound(max)
        )]);
    }
    Ok(date)
}

impl AnswerValue {
    /// The value as the expression language sees it; `row` picks a matrix cell.
    pub fn to_value(&self, row: Option<&str>) -> Value {
        match (self, row) {
            (AnswerValue::Rows(cells), Some(row)) => cells
                .get(row)
                .map_or(Value::Missing, |cell| cell.to_value(None)),
            (_, Some(_)) | (AnswerValue::Rows(_), None) => Value::Missing,
            (AnswerValue::Code(code), None) => Value::Text(code.clone()),
            (AnswerValue::Codes(codes), None) => Value::Codes(codes.clone()),
            (AnswerValue::Integer(n), None) => Value::Number(*n as f64),
            (AnswerValue::Number(n), None) => Value::Number(*n),
            (AnswerValue::Text(t), None) | (AnswerValue::Date(t), None) => Value::Text(t.clone()),
        }
    }
}

impl Answer {
    pub fn to_value(&self, reference: &Ref) -> Value {
        match self {
            Answer::Given(value) => value.to_value(reference.row.as_deref()),
            Answer::Unknown | Answer::NotApplicable => Value::Missing,
        }
    }
}

#[cfg(test)]
mod tests;
