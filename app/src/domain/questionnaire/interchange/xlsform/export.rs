//! A version as an XLSForm workbook: a group per section, a row per item, a choice list per
//! item with choices, and in column `nad` what XLSForm has no column for.

use super::super::expressions::Dialect;
use super::super::extension::{self, item_extra};
use super::super::printer::print;
use super::super::{Row, Sheet};
use super::{constraint_of, EXTRA, NATIVE};
use crate::domain::questionnaire::model::{
    fixed_choices, Item, ItemKind, Questionnaire, YES_NO, YES_PARTLY_NO,
};
use std::collections::{HashMap, HashSet};
use toml::Value;

const SURVEY: [&str; 10] = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    EXTRA,
];

fn sheet(name: &str, header: &[&str], rows: Vec<Vec<String>>) -> Sheet {
    let header = std::iter::once(header.iter().map(|h| h.to_string()).collect());
    Sheet {
        name: name.to_string(),
        rows: header
            .chain(rows)
            .enumerate()
            .map(|(n, cells)| Row {
                number: n + 1,
                cells,
            })
            .collect(),
    }
}

/// The workbook's sheets: `survey`, `choices`, `settings`.
pub fn to_xlsform(questionnaire: &Questionnaire) -> Vec<Sheet> {
    let mut taken: HashSet<String> = questionnaire.items().map(|i| i.key.clone()).collect();
    let mut survey = Vec::new();
    let mut choices = Vec::new();
    let note = |name: &str, text: &str, taken: &mut HashSet<String>| {
        let mut name = name.to_string();
        while !taken.insert(name.clone()) {
            name.push('_');
        }
        row(&[("type", "note"), ("name", name.as_str()), ("label", text)])
    };
    if !questionnaire.introduction.trim().is_empty() {
        survey.push(note(
            "inleiding",
            questionnaire.introduction.trim_end(),
            &mut taken,
        ));
    }
    for section in &questionnaire.sections {
        survey.push(row(&[
            ("type", "begin_group"),
            ("name", section.key.as_str()),
            ("label", section.title.as_str()),
        ]));
        if let Some(intro) = section.intro.as_deref().filter(|i| !i.trim().is_empty()) {
            let name = format!("{}_inleiding", section.key.to_lowercase());
            survey.push(note(&name, intro, &mut taken));
        }
        for item in &section.items {
            survey.push(item_row(item, &mut choices));
        }
        survey.push(row(&[
            ("type", "end_group"),
            ("name", section.key.as_str()),
        ]));
    }
    let settings = vec![vec![
        questionnaire.identifier.clone(),
        questionnaire.version.clone(),
        questionnaire.title.clone(),
        questionnaire.programme.clone(),
    ]];
    vec![
        sheet("survey", &SURVEY, survey),
        sheet("choices", &["list_name", "name", "label"], choices),
        sheet(
            "settings",
            &["form_id", "version", "form_title", "programme"],
            settings,
        ),
    ]
}

/// A survey row from (column, value) pairs.
fn row(values: &[(&str, &str)]) -> Vec<String> {
    SURVEY
        .iter()
        .map(|column| {
            values
                .iter()
                .find(|(name, _)| name == column)
                .map_or(String::new(), |(_, value)| value.to_string())
        })
        .collect()
}

fn item_row(item: &Item, choices: &mut Vec<Vec<String>>) -> Vec<String> {
    let no_codes = HashMap::new();
    let mut extra = item_extra(item, &NATIVE);
    let list = |options: &[crate::domain::questionnaire::model::Choice],
                choices: &mut Vec<Vec<String>>| {
        for option in options {
            choices.push(vec![
                item.key.clone(),
                option.code.clone(),
                option.label.clone(),
            ]);
        }
    };
    let (kind, appearance) = match &item.kind {
        ItemKind::YesNo => {
            list(&fixed_choices(&YES_NO), choices);
            (format!("select_one {}", item.key), "")
        }
        ItemKind::YesPartlyNo => {
            list(&fixed_choices(&YES_PARTLY_NO), choices);
            (format!("select_one {}", item.key), "")
        }
        ItemKind::SingleChoice { options } => {
            list(options, choices);
            (format!("select_one {}", item.key), "")
        }
        ItemKind::MultipleChoice { options, .. } => {
            list(options, choices);
            (format!("select_multiple {}", item.key), "")
        }
        ItemKind::Ranking { options, .. } => {
            list(options, choices);
            (format!("rank {}", item.key), "")
        }
        ItemKind::Integer { .. } | ItemKind::Scale { .. } => ("integer".to_string(), ""),
        ItemKind::Decimal { .. } | ItemKind::Percentage { .. } => ("decimal".to_string(), ""),
        ItemKind::Date { .. } => ("date".to_string(), ""),
        ItemKind::LongText { .. } => ("text".to_string(), "multiline"),
        ItemKind::ShortText { .. } | ItemKind::Matrix { .. } => ("text".to_string(), ""),
    };
    let relevant = item
        .visible_if
        .as_ref()
        .map_or(Some(String::new()), |condition| {
            print(&condition.expr, Dialect::XlsForm, None, &no_codes)
        });
    let relevant = relevant.unwrap_or_else(|| {
        let source = item
            .visible_if
            .as_ref()
            .map(|c| c.source.clone())
            .unwrap_or_default();
        extra.insert("visible_if".into(), source.into());
        String::new()
    });
    let constraint = constraint_of(&item.rules, &item.key, &no_codes);
    let rest: Vec<Value> = item
        .rules
        .iter()
        .enumerate()
        .filter(|(n, _)| constraint.as_ref().map(|c| c.0) != Some(*n))
        .map(|(_, rule)| extension::rule_value(rule))
        .collect();
    if !rest.is_empty() {
        extra.insert("rule".into(), Value::Array(rest));
    }
    let (constraint, message) = match &constraint {
        Some((n, text)) => (text.as_str(), item.rules[*n].message.as_str()),
        None => ("", ""),
    };
    let extra = extension::text(extra);
    row(&[
        ("type", kind.as_str()),
        ("name", item.key.as_str()),
        ("label", item.label.as_str()),
        ("hint", item.help.as_deref().unwrap_or_default()),
        ("required", if item.required { "yes" } else { "" }),
        ("relevant", relevant.as_str()),
        ("constraint", constraint),
        ("constraint_message", message),
        ("appearance", appearance),
        (EXTRA, extra.as_str()),
    ])
}
