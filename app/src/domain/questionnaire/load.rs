//! Reading a definition file: TOML in, a checked `Questionnaire` out, or every problem in the
//! file with its line and item key. Nothing is stored before the whole file is checked.
//! The passes: `items` (sections and items, with `kinds` for each type), `rules` (conditions
//! and rules, with `types`), `lineage` (against the previous version).

use super::model::*;
use crate::domain::programme::DEFAULT_PROGRAMME;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// A definition file larger than this is not a questionnaire.
pub const MAX_DEFINITION_BYTES: usize = 2 * 1024 * 1024;

// What one definition may hold: far above the NAD questionnaire (11 sections, 80 items, a
// dozen options) and the 2,000-item benchmark definition (20 sections of 100), and low
// enough that a file can not make every page, evaluation and export of its rounds huge.
/// The most sections in a definition.
pub const MAX_SECTIONS: usize = 100;
/// The most items in a definition, over all its sections.
pub const MAX_ITEMS: usize = 5_000;
/// The most items in one section.
pub const MAX_ITEMS_PER_SECTION: usize = 1_000;
/// The most options of one item (choices, ranking, and a matrix's cells).
pub const MAX_OPTIONS: usize = 1_000;
/// The most rows of one matrix.
pub const MAX_MATRIX_ROWS: usize = 200;

/// One problem in a definition file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub line: usize,
    pub item: Option<String>,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.item {
            Some(item) => write!(f, "regel {}, vraag {item}: {}", self.line, self.message),
            None => write!(f, "regel {}: {}", self.line, self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    identifier: Spanned<String>,
    version: Spanned<String>,
    /// The programme the questionnaire belongs to; NAD when absent.
    programme: Option<Spanned<String>>,
    title: String,
    #[serde(default)]
    introduction: String,
    previous_version: Option<Spanned<String>>,
    #[serde(default)]
    section: Vec<Spanned<RawSection>>,
    #[serde(default)]
    removed: Vec<Spanned<RawRemoved>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    key: Spanned<String>,
    title: String,
    intro: Option<String>,
    /// Whether the section's items are public (each item may say otherwise).
    public: Option<bool>,
    #[serde(default)]
    item: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemoved {
    key: Spanned<String>,
    reason: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    code: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    severity: Spanned<String>,
    check: Spanned<String>,
    message: String,
}

/// How long the plain-Dutch name of a key indicator may be.
pub const MAX_INDICATOR_CHARS: usize = 80;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    key: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    label: String,
    help: Option<String>,
    unit: Option<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    unknown: bool,
    #[serde(default)]
    not_applicable: bool,
    indicator: Option<Spanned<String>>,
    counts: Option<Spanned<Vec<String>>>,
    public: Option<Spanned<bool>>,
    visible_if: Option<Spanned<String>>,
    options: Option<Vec<RawChoice>>,
    rows: Option<Vec<RawChoice>>,
    cell: Option<String>,
    min: Option<toml::Value>,
    max: Option<toml::Value>,
    decimals: Option<u32>,
    max_length: Option<usize>,
    min_selected: Option<usize>,
    max_selected: Option<usize>,
    rank: Option<usize>,
    min_label: Option<String>,
    max_label: Option<String>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
    lineage: Option<Spanned<toml::Value>>,
}

/// Line numbers from byte offsets.
struct Lines<'a> {
    source: &'a str,
}

impl Lines<'_> {
    fn of(&self, span: Range<usize>) -> usize {
        let end = span.start.min(self.source.len());
        self.source.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }
}

fn is_key(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && text.len() <= 64
}

struct Checker<'a> {
    lines: Lines<'a>,
    errors: Vec<DefinitionError>,
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, item: Option<&str>, message: impl Into<String>) {
        let line = self.lines.of(span);
        self.errors.push(DefinitionError {
            line,
            item: item.map(str::to_string),
            message: message.into(),
        });
    }
}

/// Reads and checks a definition. `previous` is the stored version named by
/// `previous_version`, needed to check lineage.
pub fn load(
    source: &str,
    previous: Option<&Questionnaire>,
) -> Result<Questionnaire, Vec<DefinitionError>> {
    let lines = Lines { source };
    if source.len() > MAX_DEFINITION_BYTES {
        return Err(vec![DefinitionError {
            line: 1,
            item: None,
            message: format!(
                "het bestand is groter dan {} MB",
                MAX_DEFINITION_BYTES / 1024 / 1024
            ),
        }]);
    }
    let raw: RawFile = toml::from_str(source).map_err(|error| {
        vec![DefinitionError {
            line: error.span().map_or(1, |span| lines.of(span)),
            item: None,
            message: translate_toml_error(error.message()),
        }]
    })?;
    let mut checker = Checker {
        lines,
        errors: Vec::new(),
    };
    let questionnaire = build(&mut checker, raw, previous);
    if checker.errors.is_empty() {
        Ok(questionnaire)
    } else {
        checker.errors.sort_by_key(|e| e.line);
        Err(checker.errors)
    }
}

fn translate_toml_error(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("onbekend veld {field}");
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("het veld {rest} ontbreekt");
    }
    format!("geen geldige TOML: {message}")
}

/// Builds the questionnaire in three passes: the items themselves, then their conditions and
/// rules (which may name any item), then lineage against the previous version.
fn build(checker: &mut Checker, raw: RawFile, previous: Option<&Questionnaire>) -> Questionnaire {
    check_names(checker, &raw, previous);
    let previous = previous.filter(|_| raw.previous_version.is_some());
    let mut questionnaire = Questionnaire {
        identifier: raw.identifier.get_ref().clone(),
        version: raw.version.get_ref().clone(),
        programme: raw
            .programme
            .as_ref()
            .map_or_else(|| DEFAULT_PROGRAMME.to_string(), |p| p.get_ref().clone()),
        title: raw.title,
        introduction: raw.introduction,
        previous_version: raw.previous_version.as_ref().map(|v| v.get_ref().clone()),
        sections: Vec::new(),
        removed: Vec::new(),
    };
    if !within_caps(checker, &raw.section) {
        // Over a cap the rest of the file is not checked: it is refused as it is.
        return questionnaire;
    }
    let mut deferred = Deferred::default();
    questionnaire.sections = read_sections(checker, raw.section, &mut deferred);
    let kinds: HashMap<String, ItemKind> = questionnaire
        .items()
        .map(|i| (i.key.clone(), i.kind.clone()))
        .collect();
    attach_conditions_and_rules(checker, &mut questionnaire, &kinds, &mut deferred);
    let lineage = LineageInput {
        previous,
        names_previous: raw.previous_version.is_some(),
        lineages: std::mem::take(&mut deferred.lineages),
        removed: raw.removed,
    };
    attach_lineage(checker, &mut questionnaire, &kinds, lineage);
    questionnaire
}

/// What the first pass over the items leaves for when every item is known.
#[derive(Default)]
struct Deferred {
    /// Where each item is defined, for problems found later.
    item_lines: HashMap<String, Range<usize>>,
    conditions: Vec<(String, Spanned<String>)>,
    rules: Vec<(String, Spanned<RawRule>)>,
    /// Each item's lineage as written, with the span of its key.
    lineages: Vec<(String, Range<usize>, Option<Spanned<toml::Value>>)>,
}

/// What lineage is checked with: the previous version (when one is named), each item's
/// lineage as written, and the items listed as removed.
struct LineageInput<'p> {
    previous: Option<&'p Questionnaire>,
    names_previous: bool,
    lineages: Vec<(String, Range<usize>, Option<Spanned<toml::Value>>)>,
    removed: Vec<Spanned<RawRemoved>>,
}

/// The identifier and version are names for files and URLs; the previous version named must
/// be the one given.
fn check_names(checker: &mut Checker, raw: &RawFile, previous: Option<&Questionnaire>) {
    let programme = raw.programme.iter().map(|p| ("programme", p));
    let names = [("identifier", &raw.identifier), ("version", &raw.version)];
    for (field, value) in names.into_iter().chain(programme) {
        let text = value.get_ref();
        if text.is_empty()
            || text.len() > 64
            || !text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            checker.error(
                value.span(),
                None,
                format!("{field} '{text}' mag alleen letters, cijfers, '-', '_' en '.' bevatten"),
            );
        }
    }
    match (&raw.previous_version, previous) {
        (Some(named), Some(found))
            if named.get_ref() != &found.version
                || found.identifier != *raw.identifier.get_ref() =>
        {
            checker.error(
                named.span(),
                None,
                format!(
                    "de vorige versie '{}' van '{}' is niet geladen",
                    named.get_ref(),
                    raw.identifier.get_ref()
                ),
            );
        }
        (Some(named), None) => checker.error(
            named.span(),
            None,
            format!(
                "de vorige versie '{}' is niet geladen; laad die eerst",
                named.get_ref()
            ),
        ),
        _ => {}
    }
}

/// Checks the number of sections and items against the caps, each problem at the first
/// section or item over it; false when one is exceeded.
fn within_caps(checker: &mut Checker, sections: &[Spanned<RawSection>]) -> bool {
    let before = checker.errors.len();
    if let Some(extra) = sections.get(MAX_SECTIONS) {
        checker.error(
            extra.span(),
            None,
            format!(
                "de vragenlijst heeft {} secties; er mogen er hoogstens {MAX_SECTIONS} zijn (dit is de {}e)",
                sections.len(),
                MAX_SECTIONS + 1
            ),
        );
    }
    let total: usize = sections.iter().map(|s| s.get_ref().item.len()).sum();
    let mut counted = 0;
    for section in sections {
        let section = section.get_ref();
        let items = &section.item;
        if let Some(extra) = items.get(MAX_ITEMS_PER_SECTION) {
            checker.error(
                extra.span(),
                Some(extra.get_ref().key.get_ref()),
                format!(
                    "sectie '{}' heeft {} vragen; een sectie mag er hoogstens {MAX_ITEMS_PER_SECTION} hebben (dit is de {}e)",
                    section.key.get_ref(),
                    items.len(),
                    MAX_ITEMS_PER_SECTION + 1
                ),
            );
        }
        if counted <= MAX_ITEMS && counted + items.len() > MAX_ITEMS {
            let extra = &items[MAX_ITEMS - counted];
            checker.error(
                extra.span(),
                Some(extra.get_ref().key.get_ref()),
                format!(
                    "de vragenlijst heeft {total} vragen; er mogen er hoogstens {MAX_ITEMS} zijn (dit is de {}e)",
                    MAX_ITEMS + 1
                ),
            );
        }
        counted += items.len();
    }
    checker.errors.len() == before
}

mod items;
mod kinds;
mod lineage;
mod rules;
#[cfg(test)]
mod tests;
mod types;

use items::read_sections;
use kinds::item_kind;
use lineage::attach_lineage;
use rules::attach_conditions_and_rules;
use types::parse_checked;
pub use types::type_problems;
