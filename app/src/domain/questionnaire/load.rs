//! Reading a definition file: TOML in, a checked `Questionnaire` out, or every problem in the
//! file with its line and item key. Nothing is stored before the whole file is checked.

use super::model::*;
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

/// The identifier and version are names for files and URLs; the previous version named must
/// be the one given.
fn check_names(checker: &mut Checker, raw: &RawFile, previous: Option<&Questionnaire>) {
    for (field, value) in [("identifier", &raw.identifier), ("version", &raw.version)] {
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

/// The sections and their items, with what can be checked of each on its own; conditions,
/// rules and lineage go to `deferred`.
fn read_sections(
    checker: &mut Checker,
    raw_sections: Vec<Spanned<RawSection>>,
    deferred: &mut Deferred,
) -> Vec<Section> {
    if raw_sections.is_empty() {
        checker.error(
            0..0,
            None,
            "de vragenlijst heeft geen secties ([[section]])",
        );
    }
    let mut section_keys = HashSet::new();
    let mut sections = Vec::new();
    for section in raw_sections {
        let section_span = section.span();
        let section = section.into_inner();
        let key = section.key.get_ref().clone();
        if !section_keys.insert(key.clone()) {
            checker.error(
                section.key.span(),
                None,
                format!("de sectiesleutel '{key}' komt twee keer voor"),
            );
        }
        if section.item.is_empty() {
            checker.error(
                section_span.clone(),
                None,
                format!("sectie '{key}' heeft geen vragen ([[section.item]])"),
            );
        }
        let items = section
            .item
            .into_iter()
            .map(|item| read_item(checker, item, section.public, deferred))
            .collect();
        sections.push(Section {
            key,
            title: section.title,
            intro: section.intro,
            items,
        });
    }
    sections
}

/// One item: its key (well-formed, not used before), type, indicator and publication.
/// `section_public` is the section's own `public`, if it has one.
fn read_item(
    checker: &mut Checker,
    item: Spanned<RawItem>,
    section_public: Option<bool>,
    deferred: &mut Deferred,
) -> Item {
    let span = item.span();
    let item = item.into_inner();
    let key = item.key.get_ref().clone();
    if !is_key(&key) {
        checker.error(
            item.key.span(),
            Some(&key),
            "een sleutel bestaat uit kleine letters, cijfers en '_', en begint met een letter",
        );
    }
    if let Some(first) = deferred.item_lines.get(&key) {
        let first_line = checker.lines.of(first.clone());
        checker.error(
            item.key.span(),
            Some(&key),
            format!("de sleutel komt ook voor op regel {first_line}"),
        );
    } else {
        deferred.item_lines.insert(key.clone(), span);
    }
    let kind = item_kind(checker, &key, &item);
    let indicator = item.indicator.map(|name| {
        let span = name.span();
        let name = name.into_inner().trim().to_string();
        if name.is_empty() || name.chars().count() > MAX_INDICATOR_CHARS {
            checker.error(
                span,
                Some(&key),
                format!(
                    "de naam van de kernindicator moet 1 tot {MAX_INDICATOR_CHARS} tekens hebben"
                ),
            );
        }
        name
    });
    let kind = kind.unwrap_or(ItemKind::YesNo);
    let (public, indicator_counts) = read_publication(
        checker,
        &key,
        &kind,
        indicator.is_some(),
        item.public,
        section_public,
        item.counts,
    );
    if let Some(condition) = item.visible_if {
        deferred.conditions.push((key.clone(), condition));
    }
    for rule in item.rule {
        deferred.rules.push((key.clone(), rule));
    }
    deferred
        .lineages
        .push((key.clone(), item.key.span(), item.lineage));
    Item {
        key,
        kind,
        label: item.label,
        help: item.help,
        unit: item.unit,
        required: item.required,
        allow_unknown: item.unknown,
        allow_not_applicable: item.not_applicable,
        indicator,
        indicator_counts,
        public,
        visible_if: None,
        rules: Vec::new(),
        lineage: Lineage::Original,
    }
}

/// Whether an item is public (its own `public`, else its section's, else its type's default)
/// and which answers count for its indicator (`counts`; "ja" for yes/no types). A key
/// indicator is always public: the national page shows it.
fn read_publication(
    checker: &mut Checker,
    key: &str,
    kind: &ItemKind,
    is_indicator: bool,
    own_public: Option<Spanned<bool>>,
    section_public: Option<bool>,
    counts: Option<Spanned<Vec<String>>>,
) -> (bool, Vec<String>) {
    let public = own_public
        .as_ref()
        .map(|p| *p.get_ref())
        .or(section_public)
        .unwrap_or_else(|| kind.public_by_default());
    if is_indicator && !public {
        let span = own_public.as_ref().map_or(0..0, |p| p.span());
        checker.error(
            span,
            Some(key),
            "een kernindicator staat op het openbare dashboard en kan niet 'public = false' zijn",
        );
    }
    let Some(counts) = counts else {
        let default = match kind {
            ItemKind::YesNo | ItemKind::YesPartlyNo if is_indicator => vec!["ja".to_string()],
            _ => Vec::new(),
        };
        return (public, default);
    };
    let span = counts.span();
    let counts = counts.into_inner();
    if !is_indicator {
        checker.error(
            span,
            Some(key),
            "'counts' hoort bij een kernindicator: geef ook 'indicator'",
        );
        return (public, Vec::new());
    }
    let Some(codes) = kind.codes() else {
        checker.error(
            span,
            Some(key),
            format!(
                "'counts' kan alleen bij een vraag met antwoordcodes, niet bij {}",
                kind.type_name()
            ),
        );
        return (public, Vec::new());
    };
    if counts.is_empty() {
        checker.error(span.clone(), Some(key), "'counts' noemt geen enkele code");
    }
    for code in &counts {
        if !codes.contains(code) {
            checker.error(
                span.clone(),
                Some(key),
                format!(
                    "'counts' noemt de code '{code}', die de vraag niet heeft (wel: {})",
                    codes.join(", ")
                ),
            );
        }
    }
    (public, counts)
}

/// Parses the conditions and rules, now that every item is known, and refuses conditions
/// that form a cycle.
fn attach_conditions_and_rules(
    checker: &mut Checker,
    questionnaire: &mut Questionnaire,
    kinds: &HashMap<String, ItemKind>,
    deferred: &mut Deferred,
) {
    let mut parsed_conditions = HashMap::new();
    for (key, source) in std::mem::take(&mut deferred.conditions) {
        if let Some(condition) = parse_checked(checker, &key, &source, kinds, "visible_if") {
            parsed_conditions.insert(key, condition);
        }
    }
    let mut parsed_rules: HashMap<String, Vec<Rule>> = HashMap::new();
    for (key, rule) in std::mem::take(&mut deferred.rules) {
        if let Some(rule) = parse_rule(checker, &key, rule, kinds) {
            parsed_rules.entry(key).or_default().push(rule);
        }
    }
    for item in questionnaire
        .sections
        .iter_mut()
        .flat_map(|s| s.items.iter_mut())
    {
        item.visible_if = parsed_conditions.remove(&item.key);
        item.rules = parsed_rules.remove(&item.key).unwrap_or_default();
    }
    if let Err(cycle) = questionnaire.index() {
        let first = &cycle[0];
        let span = deferred.item_lines.get(first).cloned().unwrap_or(0..0);
        checker.error(
            span,
            Some(first),
            format!("de voorwaarden vormen een kring: {}", cycle.join(" → ")),
        );
    }
}

/// One rule of item `key`: its severity, message and check.
fn parse_rule(
    checker: &mut Checker,
    key: &str,
    rule: Spanned<RawRule>,
    kinds: &HashMap<String, ItemKind>,
) -> Option<Rule> {
    let rule_span = rule.span();
    let rule = rule.into_inner();
    let severity = match rule.severity.get_ref().as_str() {
        "blocking" => Some(Severity::Blocking),
        "warning" => Some(Severity::Warning),
        other => {
            checker.error(
                rule.severity.span(),
                Some(key),
                format!("onbekende severity '{other}': kies blocking of warning"),
            );
            None
        }
    };
    if rule.message.trim().is_empty() {
        checker.error(rule_span, Some(key), "een regel heeft een message nodig");
    }
    let check = parse_checked(checker, key, &rule.check, kinds, "check")?;
    Some(Rule {
        severity: severity?,
        check,
        message: rule.message,
    })
}

/// What lineage is checked with: the previous version (when one is named), each item's
/// lineage as written, and the items listed as removed.
struct LineageInput<'p> {
    previous: Option<&'p Questionnaire>,
    names_previous: bool,
    lineages: Vec<(String, Range<usize>, Option<Spanned<toml::Value>>)>,
    removed: Vec<Spanned<RawRemoved>>,
}

/// Every item of the previous version must be accounted for: kept (with lineage) or removed.
fn attach_lineage(
    checker: &mut Checker,
    questionnaire: &mut Questionnaire,
    kinds: &HashMap<String, ItemKind>,
    input: LineageInput<'_>,
) {
    let previous = input.previous;
    let mut accounted: HashSet<String> = HashSet::new();
    let mut resolved = HashMap::new();
    for (key, span, lineage) in input.lineages {
        let item_kind = &kinds[&key];
        match (previous, lineage) {
            (None, None) => {}
            (None, Some(value)) => {
                if !input.names_previous {
                    checker.error(value.span(), Some(&key), "lineage zonder previous_version: laat lineage weg of noem de vorige versie");
                }
            }
            (Some(_), None) => checker.error(span, Some(&key), "lineage ontbreekt: zeg hoe deze vraag zich verhoudt tot de vorige versie (bijv. \"unchanged\" of \"new\")"),
            (Some(previous), Some(value)) => {
                let value_span = value.span();
                match lineage_of(&key, item_kind, value.get_ref(), previous) {
                    Ok((lineage, used)) => {
                        accounted.extend(used);
                        resolved.insert(key, lineage);
                    }
                    Err(message) => checker.error(value_span, Some(&key), message),
                }
            }
        }
    }
    for removed in input.removed {
        let span = removed.span();
        let removed = removed.into_inner();
        let key = removed.key.get_ref().clone();
        match previous {
            None => checker.error(span, Some(&key), "[[removed]] zonder previous_version"),
            Some(previous) if previous.item(&key).is_none() => checker.error(
                removed.key.span(),
                Some(&key),
                format!(
                    "de vorige versie {} heeft geen vraag '{key}'",
                    previous.version
                ),
            ),
            Some(_) if kinds.contains_key(&key) => checker.error(
                removed.key.span(),
                Some(&key),
                "staat als verwijderd vermeld, maar komt nog voor",
            ),
            Some(_) => {
                accounted.insert(key.clone());
            }
        }
        questionnaire.removed.push(Removed {
            key,
            reason: removed.reason,
        });
    }
    if let Some(previous) = previous {
        for old in previous.items() {
            if !accounted.contains(&old.key) {
                checker.error(0..0, Some(&old.key), format!(
                    "de vraag '{}' van versie {} is nergens gebleven: geef lineage aan of zet haar onder [[removed]]",
                    old.key, previous.version
                ));
            }
        }
    }
    for item in questionnaire
        .sections
        .iter_mut()
        .flat_map(|s| s.items.iter_mut())
    {
        if let Some(lineage) = resolved.remove(&item.key) {
            item.lineage = lineage;
        }
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

mod kinds;
mod lineage;
#[cfg(test)]
mod tests;
mod types;

use kinds::item_kind;
use lineage::lineage_of;
use types::parse_checked;
pub use types::type_problems;
