//! XLSForm: the sheets `survey`, `choices` and `settings` of a workbook, in and out.

use super::draft::{bare, Draft, DraftItem, DraftSection, Field};
use super::expressions::{Dialect, Fields};
use super::extension::{self, Native};
use super::{translated, Imported, Names, Place, Problem, Row, Sheet};
use crate::domain::questionnaire::expr::{BinOp, Expr};
use crate::domain::questionnaire::model::{Choice, Rule, Severity};
use std::collections::HashMap;
use toml::Value;

mod export;
mod sheets;
pub use export::to_xlsform;
use sheets::{known_fields, read_lists, settings, survey_columns, Lists, Survey};

/// XLSForm's types that record something about the device or the interview, not a question:
/// they have no place in a definition and are passed over.
const METADATA: [&str; 11] = [
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "caseid",
];

/// Columns whose meaning our definitions have no counterpart for: a row using one is refused.
const REFUSED_COLUMNS: [&str; 8] = [
    "calculation",
    "default",
    "read_only",
    "readonly",
    "choice_filter",
    "repeat_count",
    "parameters",
    "trigger",
];

/// The extra column with our own fields.
pub(super) const EXTRA: &str = "nad";

/// Translates an XLSForm workbook into a checked definition.
pub fn from_xlsform(sheets: &[Sheet], names: &Names) -> Result<Imported, Vec<Problem>> {
    let sheet = |name: &str| {
        sheets
            .iter()
            .find(|s| s.name.trim().eq_ignore_ascii_case(name))
    };
    let Some(survey) = sheet("survey").filter(|s| !s.rows.is_empty()) else {
        return Err(vec![Problem {
            place: None,
            message: "het werkboek heeft geen blad 'survey' (met een kopregel)".to_string(),
        }]);
    };
    let mut problems = Vec::new();
    let lists = sheet("choices")
        .map(|s| read_lists(s, &mut problems))
        .unwrap_or_default();
    let columns = survey_columns(survey, &mut problems);
    let fields = known_fields(survey, &columns, &lists);
    let mut draft = Draft {
        header: sheet("settings").map(settings).unwrap_or_default(),
        sections: Vec::new(),
        place: Place::at(Some("settings"), 2, ""),
    };
    let mut reader = Reader {
        columns: &columns,
        lists: &lists,
        fields: &fields,
        problems: &mut problems,
        group: None,
    };
    for row in &survey.rows[1..] {
        reader.row(row, &mut draft);
    }
    if let Some((_, place)) = reader.group.take() {
        problems.push(Problem::at(&place, "begin_group zonder end_group"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    draft.finish(names, "het werkboek")
}

struct Reader<'a> {
    columns: &'a Survey<'a>,
    lists: &'a Lists,
    fields: &'a Fields,
    problems: &'a mut Vec<Problem>,
    /// The open group's condition, and where it began.
    group: Option<(Option<Expr>, Place)>,
}

impl Reader<'_> {
    fn cell<'r>(&self, row: &'r Row, index: Option<usize>) -> &'r str {
        self.columns.columns.cell(row, index)
    }

    fn place(&self, row: &Row, index: Option<usize>) -> Place {
        self.columns.columns.place(row, index)
    }

    /// The row's `relevant` in our syntax, if it has one (a problem with it is reported).
    fn relevant(&mut self, row: &Row) -> Option<Expr> {
        let relevant = self.cell(row, self.columns.relevant);
        if relevant.is_empty() {
            return None;
        }
        let place = self.place(row, self.columns.relevant);
        translated(
            relevant,
            Dialect::XlsForm,
            None,
            self.fields,
            &place,
            self.problems,
        )
    }

    fn row(&mut self, row: &Row, draft: &mut Draft) {
        let kind = self.cell(row, self.columns.kind).to_lowercase();
        let kind = kind.split_whitespace().collect::<Vec<_>>();
        let Some(first) = kind.first().copied() else {
            if !self.cell(row, self.columns.name).is_empty() {
                self.problems.push(Problem::at(
                    &self.place(row, self.columns.kind),
                    "het type ontbreekt",
                ));
            }
            return;
        };
        for (index, name) in self.columns.columns_refused() {
            if !self.cell(row, Some(index)).is_empty() {
                self.problems.push(Problem::at(
                    &self.place(row, Some(index)),
                    format!("de kolom {name} heeft bij ons geen tegenhanger"),
                ));
            }
        }
        match (first, kind.get(1).copied()) {
            ("begin_group", _) | ("begin", Some("group")) => self.begin_group(row, draft),
            ("end_group", _) | ("end", Some("group")) => {
                if self.group.take().is_none() {
                    self.problems.push(Problem::at(
                        &self.place(row, self.columns.kind),
                        "end_group zonder begin_group",
                    ));
                }
            }
            ("note", _) => self.note(row, draft),
            (meta, _) if METADATA.contains(&meta) => {}
            _ => self.question(row, &kind, draft),
        }
    }

    fn begin_group(&mut self, row: &Row, draft: &mut Draft) {
        let place = self.place(row, self.columns.kind);
        if self.group.is_some() {
            self.problems.push(Problem::at(
                &place,
                "een groep in een groep kan niet: een sectie heeft geen secties",
            ));
            return;
        }
        let key = self.cell(row, self.columns.name);
        let label = self.cell(row, self.columns.label);
        let mut section = DraftSection::default();
        section
            .fields
            .push(Field::new("key", key, &self.place(row, self.columns.name)));
        section.fields.push(Field::new(
            "title",
            if label.is_empty() { key } else { label },
            &self.place(row, self.columns.label),
        ));
        let extra_place = self.place(row, self.columns.extra);
        match extension::parse(self.cell(row, self.columns.extra), &extra_place) {
            Ok(extra) => section.fields.extend(
                extra
                    .into_iter()
                    .map(|(n, v)| Field::new(&n, v, &extra_place)),
            ),
            Err(problem) => self.problems.push(problem),
        }
        let condition = self.relevant(row);
        draft.sections.push(section);
        self.group = Some((condition, place));
    }

    /// A note before the first group is the introduction; one at the start of a group, the
    /// section's intro. Elsewhere our sections have no place for text.
    fn note(&mut self, row: &Row, draft: &mut Draft) {
        let text = self.cell(row, self.columns.label).to_string();
        let place = self.place(row, self.columns.label);
        let (fields, name) = match (&self.group, draft.sections.last_mut()) {
            (None, None) => (&mut draft.header, "introduction"),
            (Some(_), Some(section)) if section.items.is_empty() => (&mut section.fields, "intro"),
            _ => {
                self.problems.push(Problem::at(
                    &self.place(row, self.columns.kind),
                    "een note kan alleen vóór de eerste groep (inleiding) of direct na begin_group (inleiding van de sectie) staan",
                ));
                return;
            }
        };
        match fields.iter_mut().find(|f| f.name == name) {
            Some(field) => {
                let joined = format!("{}\n\n{text}", field.value.as_str().unwrap_or_default());
                field.value = Value::String(joined);
            }
            None => fields.push(Field::new(name, text, &place)),
        }
    }

    fn question(&mut self, row: &Row, kind: &[&str], draft: &mut Draft) {
        let Some((condition, _)) = &self.group else {
            self.problems.push(Problem::at(
                &self.place(row, self.columns.kind),
                "de vraag staat niet in een groep (begin_group … end_group); een groep wordt een sectie",
            ));
            return;
        };
        let condition = condition.clone();
        let key = self.cell(row, self.columns.name).to_string();
        let mut item = DraftItem::default();
        item.fields.push(Field::new(
            "key",
            key.as_str(),
            &self.place(row, self.columns.name),
        ));
        if !self.kind(row, kind, &mut item) {
            return;
        }
        self.texts(row, &mut item);
        self.conditions(row, &key, condition, &mut item);
        let place = self.place(row, self.columns.extra);
        match extension::parse(self.cell(row, self.columns.extra), &place) {
            Ok(extra) => self
                .problems
                .extend(extension::merge(&mut item, extra, &place)),
            Err(problem) => self.problems.push(problem),
        }
        if let Some(section) = draft.sections.last_mut() {
            section.items.push(item);
        }
    }

    /// The type and, for choices, the options; false when the type has no counterpart.
    fn kind(&mut self, row: &Row, kind: &[&str], item: &mut DraftItem) -> bool {
        let place = self.place(row, self.columns.kind);
        let appearance = self.cell(row, self.columns.appearance);
        let ours = match (kind, appearance.contains("multiline")) {
            (["integer"], _) => "integer",
            (["decimal"], _) => "decimal",
            (["date"], _) => "date",
            (["text"], false) => "short_text",
            (["text"], true) => "long_text",
            (["select_one", list], _) => return self.choices(item, "single_choice", list, &place),
            (["select_multiple", list], _) => {
                return self.choices(item, "multiple_choice", list, &place)
            }
            (["rank", list], _) => return self.choices(item, "ranking", list, &place),
            _ => {
                self.problems.push(Problem::at(&place, format!(
                    "het type '{}' heeft bij ons geen tegenhanger (wel: integer, decimal, text, date, select_one, select_multiple, rank, note, begin_group, end_group)",
                    kind.join(" ")
                )));
                return false;
            }
        };
        item.fields.push(Field::new("type", ours, &place));
        true
    }

    fn choices(&mut self, item: &mut DraftItem, ours: &str, list: &str, place: &Place) -> bool {
        item.fields.push(Field::new("type", ours, place));
        let Some(choices) = self.lists.get(list) else {
            self.problems.push(Problem::at(
                place,
                format!("de keuzelijst '{list}' staat niet in het blad choices"),
            ));
            return false;
        };
        let options = extension::choices_value(
            &choices
                .iter()
                .map(|c| Choice {
                    code: c.code.clone(),
                    label: c.label.clone(),
                })
                .collect::<Vec<_>>(),
        );
        item.fields
            .push(Field::new("options", options, &choices[0].place));
        true
    }

    fn texts(&mut self, row: &Row, item: &mut DraftItem) {
        item.fields.push(Field::new(
            "label",
            self.cell(row, self.columns.label),
            &self.place(row, self.columns.label),
        ));
        let hint = self.cell(row, self.columns.hint);
        if !hint.is_empty() {
            item.fields.push(Field::new(
                "help",
                hint,
                &self.place(row, self.columns.hint),
            ));
        }
        let place = self.place(row, self.columns.required);
        match self.cell(row, self.columns.required).to_lowercase().as_str() {
            "" | "no" | "false" | "false()" | "0" | "nee" => {}
            "yes" | "true" | "true()" | "1" | "ja" => item.fields.push(Field::new("required", true, &place)),
            other => self.problems.push(Problem::at(&place, format!(
                "kan '{other}' niet vertalen: required is yes of leeg (een voorwaarde kan hier niet)"
            ))),
        }
    }

    /// `relevant` (with the group's) becomes `visible_if`, `constraint` a blocking rule.
    fn conditions(&mut self, row: &Row, key: &str, group: Option<Expr>, item: &mut DraftItem) {
        let place = self.place(row, self.columns.relevant);
        let own = self.relevant(row);
        let visible = match (group, own) {
            (Some(group), Some(own)) => {
                Some(Expr::Binary(BinOp::And, Box::new(group), Box::new(own)))
            }
            (one, other) => one.or(other),
        };
        if let Some(visible) = visible {
            item.fields
                .push(Field::new("visible_if", bare(&visible), &place));
        }
        let constraint = self.cell(row, self.columns.constraint);
        if constraint.is_empty() {
            return;
        }
        let place = self.place(row, self.columns.constraint);
        let Some(check) = translated(
            constraint,
            Dialect::XlsForm,
            Some(key),
            self.fields,
            &place,
            self.problems,
        ) else {
            return;
        };
        let message = self.cell(row, self.columns.message);
        let message_place = self.place(row, self.columns.message);
        item.rules.push(vec![
            Field::new("severity", "blocking", &place),
            Field::new("check", bare(&check), &place),
            Field::new(
                "message",
                if message.is_empty() {
                    "Dit antwoord kan niet kloppen."
                } else {
                    message
                },
                &message_place,
            ),
        ]);
    }
}

/// Whether a rule can be the item's `constraint`: a blocking rule, written in XLSForm.
pub(super) fn constraint_of(
    rules: &[Rule],
    key: &str,
    codes: &HashMap<String, HashMap<String, String>>,
) -> Option<(usize, String)> {
    rules.iter().enumerate().find_map(|(n, rule)| {
        (rule.severity == Severity::Blocking)
            .then(|| super::printer::print(&rule.check.expr, Dialect::XlsForm, Some(key), codes))
            .flatten()
            .map(|text| (n, text))
    })
}

/// What XLSForm says in columns of its own.
pub(super) const NATIVE: Native = Native {
    yes_no: false,
    bounds: false,
    ranking: true,
};
