//! The sheets of a workbook around the questions: the survey's columns, the choice lists and
//! the settings, and what expressions need to know of every question.

use super::super::draft::Field;
use super::super::expressions::Fields;
use super::super::{is_dutch, our_code, Columns, Place, Problem, Sheet};
use super::{EXTRA, REFUSED_COLUMNS};
use std::collections::HashMap;

pub(super) struct Survey<'a> {
    pub(super) columns: Columns<'a>,
    pub(super) kind: Option<usize>,
    pub(super) name: Option<usize>,
    pub(super) label: Option<usize>,
    pub(super) hint: Option<usize>,
    pub(super) required: Option<usize>,
    pub(super) relevant: Option<usize>,
    pub(super) constraint: Option<usize>,
    pub(super) message: Option<usize>,
    pub(super) appearance: Option<usize>,
    pub(super) extra: Option<usize>,
}

/// One choice of a list: its code as written and as ours, its label, and where it is.
pub(super) struct ListChoice {
    pub(super) written: String,
    pub(super) code: String,
    pub(super) label: String,
    pub(super) place: Place,
}

/// A workbook's choice lists by name.
pub(super) type Lists = HashMap<String, Vec<ListChoice>>;

pub(super) fn survey_columns<'a>(survey: &'a Sheet, problems: &mut Vec<Problem>) -> Survey<'a> {
    let columns = Columns::new(Some("survey"), &survey.rows[0]);
    let find = |name: &str| columns.find(|c| c == name);
    let dutch = |base: &str| columns.find(|c| is_dutch(c, base));
    let survey = Survey {
        kind: find("type"),
        name: find("name"),
        label: dutch("label"),
        hint: dutch("hint"),
        required: find("required"),
        relevant: find("relevant"),
        constraint: find("constraint"),
        message: dutch("constraint_message"),
        appearance: find("appearance"),
        extra: find(EXTRA),
        columns,
    };
    for (index, name) in [
        (survey.kind, "type"),
        (survey.name, "name"),
        (survey.label, "label"),
    ] {
        if index.is_none() {
            problems.push(Problem::at(
                &Place::at(Some("survey"), 1, ""),
                format!("de kolom {name} ontbreekt (labels in het Nederlands: label of label::nl)"),
            ));
        }
    }
    survey
}

pub(super) fn read_lists(sheet: &Sheet, problems: &mut Vec<Problem>) -> Lists {
    let mut lists = Lists::new();
    let Some(header) = sheet.rows.first() else {
        return lists;
    };
    let columns = Columns::new(Some("choices"), header);
    let (list, name, label) = (
        columns.find(|c| c == "list_name" || c == "list name"),
        columns.find(|c| c == "name"),
        columns.find(|c| is_dutch(c, "label")),
    );
    if list.is_none() || name.is_none() || label.is_none() {
        problems.push(Problem::at(
            &Place::at(Some("choices"), 1, ""),
            "het blad choices heeft de kolommen list_name, name en label nodig",
        ));
        return lists;
    }
    for row in &sheet.rows[1..] {
        let list_name = columns.cell(row, list);
        if list_name.is_empty() {
            continue;
        }
        let written = columns.cell(row, name);
        let code = our_code(written);
        let list = lists.entry(list_name.to_string()).or_default();
        if list.iter().any(|c| c.code == code) {
            problems.push(Problem::at(
                &columns.place(row, name),
                format!("de code '{code}' komt twee keer voor in de lijst '{list_name}'"),
            ));
        }
        list.push(ListChoice {
            written: written.to_string(),
            code,
            label: columns.cell(row, label).to_string(),
            place: columns.place(row, name),
        });
    }
    lists
}

/// `form_id`, `version`, `form_title` and (ours) `programme` of the settings sheet.
pub(super) fn settings(sheet: &Sheet) -> Vec<Field> {
    let (Some(header), Some(row)) = (sheet.rows.first(), sheet.rows.get(1)) else {
        return Vec::new();
    };
    let columns = Columns::new(Some("settings"), header);
    [
        ("form_id", "identifier"),
        ("version", "version"),
        ("form_title", "title"),
        ("programme", "programme"),
    ]
    .into_iter()
    .filter_map(|(column, field)| {
        let index = columns.find(|c| c == column);
        let value = columns.cell(row, index);
        (!value.is_empty()).then(|| Field::new(field, value, &columns.place(row, index)))
    })
    .collect()
}

/// Every question's codes and whether it is a number, for translating expressions.
pub(super) fn known_fields(survey: &Sheet, columns: &Survey, lists: &Lists) -> Fields {
    let mut fields = Fields::default();
    for row in &survey.rows[1..] {
        let kind = columns.columns.cell(row, columns.kind);
        let key = columns.columns.cell(row, columns.name).to_string();
        let mut words = kind.split_whitespace();
        match (words.next(), words.next()) {
            (Some("integer" | "decimal"), _) => {
                fields.numeric.insert(key);
            }
            (Some("select_one" | "select_multiple" | "rank"), Some(list)) => {
                let codes = lists.get(list).into_iter().flatten();
                fields.codes.insert(
                    key,
                    codes.map(|c| (c.written.clone(), c.code.clone())).collect(),
                );
            }
            _ => {}
        }
    }
    fields
}

impl Survey<'_> {
    pub(super) fn columns_refused(&self) -> Vec<(usize, &'static str)> {
        REFUSED_COLUMNS
            .iter()
            .filter_map(|name| self.columns.find(|c| c == *name).map(|i| (i, *name)))
            .collect()
    }
}
