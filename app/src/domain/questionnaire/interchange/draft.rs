//! A definition on its way from another format: fields with the place each came from,
//! written as our TOML and loaded, with every problem of the loader mapped back to its place.

use super::{Imported, Names, Place, Problem};
use crate::domain::questionnaire::expr::Expr;
use crate::domain::questionnaire::load::load;
use toml::Value;

/// One field of a definition, and where in the other format it came from.
#[derive(Debug, Clone)]
pub(super) struct Field {
    pub name: String,
    pub value: Value,
    pub place: Place,
}

impl Field {
    pub fn new(name: &str, value: impl Into<Value>, place: &Place) -> Field {
        Field {
            name: name.to_string(),
            value: value.into(),
            place: place.clone(),
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct DraftItem {
    pub fields: Vec<Field>,
    /// Each rule as its fields (`severity`, `check`, `message`).
    pub rules: Vec<Vec<Field>>,
}

impl DraftItem {
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn remove(&mut self, name: &str) -> Option<Field> {
        let at = self.fields.iter().position(|f| f.name == name)?;
        Some(self.fields.remove(at))
    }
}

#[derive(Debug, Default)]
pub(super) struct DraftSection {
    pub fields: Vec<Field>,
    pub items: Vec<DraftItem>,
}

/// A whole definition: its header fields (identifier, version, title, introduction) and
/// sections; `place` is where problems without a better place are reported.
#[derive(Debug)]
pub(super) struct Draft {
    pub header: Vec<Field>,
    pub sections: Vec<DraftSection>,
    pub place: Place,
}

impl Draft {
    /// Sets a header field, unless it was given on the command line (`given`).
    pub fn name(&mut self, name: &str, from_file: Option<Field>, given: &Option<String>) {
        let field = match given {
            Some(value) => Some(Field::new(name, value.as_str(), &self.place)),
            None => from_file,
        };
        self.header.retain(|f| f.name != name);
        self.header.extend(field);
    }

    /// Applies the command line's names, refuses a definition without identifier or version,
    /// writes it as TOML and loads it.
    pub fn finish(mut self, names: &Names, from: &str) -> Result<Imported, Vec<Problem>> {
        for (name, given) in [
            ("identifier", &names.identifier),
            ("version", &names.version),
            ("title", &names.title),
            ("programme", &names.programme),
        ] {
            let from_file = self.header.iter().find(|f| f.name == name).cloned();
            self.name(name, from_file, given);
        }
        let missing: Vec<&str> = ["identifier", "version", "title"]
            .into_iter()
            .filter(|name| !self.header.iter().any(|f| f.name == *name))
            .collect();
        if !missing.is_empty() {
            let options: Vec<String> = missing.iter().map(|m| format!("--{m}")).collect();
            return Err(vec![Problem {
                place: None,
                message: format!(
                    "{from} noemt geen {}; geef bij het laden {}",
                    listed(&missing),
                    listed(&options.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            }]);
        }
        let (source, places) = self.write();
        match load(&source, None) {
            Ok(questionnaire) => Ok(Imported {
                source,
                questionnaire,
            }),
            Err(errors) => Err(errors
                .into_iter()
                .map(|error| Problem {
                    place: Some(
                        places
                            .get(error.line.saturating_sub(1))
                            .unwrap_or(&self.place)
                            .clone(),
                    ),
                    message: match error.item {
                        Some(item) => {
                            format!("vraag {item}: {}", lines_as_places(&error.message, &places))
                        }
                        None => lines_as_places(&error.message, &places),
                    },
                })
                .collect()),
        }
    }

    /// The definition as TOML, and for each of its lines the place it came from.
    fn write(&self) -> (String, Vec<Place>) {
        let mut out = Writer::default();
        out.line(
            "# Vertaald uit een ander formaat; zie docs/questionnaire-format.md.",
            &self.place,
        );
        out.fields(&self.header);
        for section in &self.sections {
            out.blank();
            out.line("[[section]]", &self.place);
            out.fields(&section.fields);
            for item in &section.items {
                out.blank();
                out.line(
                    "[[section.item]]",
                    item.fields.first().map_or(&self.place, |f| &f.place),
                );
                out.fields(&item.fields);
                for rule in &item.rules {
                    out.line(
                        "[[section.item.rule]]",
                        rule.first().map_or(&self.place, |f| &f.place),
                    );
                    out.fields(rule);
                }
            }
        }
        (out.text, out.places)
    }
}

/// "a", "a en b", "a, b en c".
fn listed(words: &[&str]) -> String {
    match words.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} en {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// An expression as a definition writes it: without the parentheses that `Display` puts
/// around a whole comparison, logic or list.
pub(super) fn bare(expr: &Expr) -> String {
    let text = expr.to_string();
    match expr {
        Expr::Binary(..) | Expr::In { .. } | Expr::Contains(..) | Expr::Not(_) => {
            text[1..text.len() - 1].to_string()
        }
        _ => text,
    }
}

/// A message of the loader that names another line of the TOML ("de sleutel komt ook voor
/// op regel 12") names the place that line came from instead.
fn lines_as_places(message: &str, places: &[Place]) -> String {
    let Some((before, after)) = message.split_once("op regel ") else {
        return message.to_string();
    };
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    match digits
        .parse::<usize>()
        .ok()
        .and_then(|line| places.get(line.wrapping_sub(1)))
    {
        Some(place) => format!("{before}in {place}{}", &after[digits.len()..]),
        None => message.to_string(),
    }
}

#[derive(Default)]
struct Writer {
    text: String,
    places: Vec<Place>,
}

impl Writer {
    fn line(&mut self, text: &str, place: &Place) {
        self.text.push_str(text);
        self.text.push('\n');
        let lines = text.matches('\n').count() + 1;
        self.places
            .extend(std::iter::repeat_n(place.clone(), lines));
    }

    fn blank(&mut self) {
        if let Some(last) = self.places.last().cloned() {
            self.line("", &last);
        }
    }

    fn fields(&mut self, fields: &[Field]) {
        for field in fields {
            let key = Value::String(field.name.clone()).to_string();
            let key = if super::is_code(&field.name) {
                field.name.clone()
            } else {
                key
            };
            self.line(&format!("{key} = {}", field.value), &field.place);
        }
    }
}
