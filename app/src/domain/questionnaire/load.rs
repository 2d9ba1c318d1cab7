//! Reading a definition file: TOML in, a checked `Questionnaire` out, or every problem in the
//! file with its line and item key. Nothing is stored before the whole file is checked.

use super::expr::{BinOp, Expr, Func, Ref};
use super::model::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
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

fn build(checker: &mut Checker, raw: RawFile, previous: Option<&Questionnaire>) -> Questionnaire {
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
    let previous_version = raw.previous_version.as_ref().map(|v| v.get_ref().clone());
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
    let previous = previous.filter(|_| raw.previous_version.is_some());
    if !within_caps(checker, &raw.section) {
        // Over a cap the rest of the file is not checked: it is refused as it is.
        return Questionnaire {
            identifier: raw.identifier.into_inner(),
            version: raw.version.into_inner(),
            title: raw.title,
            introduction: raw.introduction,
            previous_version,
            sections: Vec::new(),
            removed: Vec::new(),
        };
    }

    let mut sections = Vec::new();
    let mut item_lines: HashMap<String, Range<usize>> = HashMap::new();
    let mut section_keys = HashSet::new();
    let mut conditions: Vec<(String, Range<usize>, Spanned<String>)> = Vec::new();
    let mut rules_raw: Vec<(String, Range<usize>, Spanned<RawRule>)> = Vec::new();
    let mut lineages: Vec<(String, Range<usize>, Option<Spanned<toml::Value>>)> = Vec::new();
    if raw.section.is_empty() {
        checker.error(
            0..0,
            None,
            "de vragenlijst heeft geen secties ([[section]])",
        );
    }
    for section in raw.section {
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
        let mut items = Vec::new();
        for item in section.item {
            let span = item.span();
            let item = item.into_inner();
            let key = item.key.get_ref().clone();
            if !is_key(&key) {
                checker.error(item.key.span(), Some(&key), "een sleutel bestaat uit kleine letters, cijfers en '_', en begint met een letter");
            }
            if let Some(first) = item_lines.get(&key) {
                let first_line = checker.lines.of(first.clone());
                checker.error(
                    item.key.span(),
                    Some(&key),
                    format!("de sleutel komt ook voor op regel {first_line}"),
                );
            } else {
                item_lines.insert(key.clone(), span.clone());
            }
            let kind = item_kind(checker, &key, &item);
            let indicator = item.indicator.map(|name| {
                let span = name.span();
                let name = name.into_inner().trim().to_string();
                if name.is_empty() || name.chars().count() > MAX_INDICATOR_CHARS {
                    checker.error(
                        span,
                        Some(&key),
                        format!("de naam van de kernindicator moet 1 tot {MAX_INDICATOR_CHARS} tekens hebben"),
                    );
                }
                name
            });
            if let Some(condition) = item.visible_if {
                conditions.push((key.clone(), span.clone(), condition));
            }
            for rule in item.rule {
                rules_raw.push((key.clone(), span.clone(), rule));
            }
            lineages.push((key.clone(), item.key.span(), item.lineage));
            items.push(Item {
                key,
                kind: kind.unwrap_or(ItemKind::YesNo),
                label: item.label,
                help: item.help,
                unit: item.unit,
                required: item.required,
                allow_unknown: item.unknown,
                allow_not_applicable: item.not_applicable,
                indicator,
                visible_if: None,
                rules: Vec::new(),
                lineage: Lineage::Original,
            });
        }
        sections.push(Section {
            key,
            title: section.title,
            intro: section.intro,
            items,
        });
    }
    let mut questionnaire = Questionnaire {
        identifier: raw.identifier.into_inner(),
        version: raw.version.into_inner(),
        title: raw.title,
        introduction: raw.introduction,
        previous_version,
        sections,
        removed: Vec::new(),
    };

    // Conditions and rules, now that every item is known.
    let kinds: HashMap<String, ItemKind> = questionnaire
        .items()
        .map(|i| (i.key.clone(), i.kind.clone()))
        .collect();
    let mut parsed_conditions = HashMap::new();
    for (key, _, source) in conditions {
        if let Some(condition) = parse_checked(checker, &key, &source, &kinds, "visible_if") {
            parsed_conditions.insert(key, condition);
        }
    }
    let mut parsed_rules: HashMap<String, Vec<Rule>> = HashMap::new();
    for (key, _, rule) in rules_raw {
        let rule_span = rule.span();
        let rule = rule.into_inner();
        let severity = match rule.severity.get_ref().as_str() {
            "blocking" => Some(Severity::Blocking),
            "warning" => Some(Severity::Warning),
            other => {
                checker.error(
                    rule.severity.span(),
                    Some(&key),
                    format!("onbekende severity '{other}': kies blocking of warning"),
                );
                None
            }
        };
        if rule.message.trim().is_empty() {
            checker.error(rule_span, Some(&key), "een regel heeft een message nodig");
        }
        if let (Some(check), Some(severity)) = (
            parse_checked(checker, &key, &rule.check, &kinds, "check"),
            severity,
        ) {
            parsed_rules.entry(key).or_default().push(Rule {
                severity,
                check,
                message: rule.message,
            });
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
        let span = item_lines.get(first).cloned().unwrap_or(0..0);
        checker.error(
            span,
            Some(first),
            format!("de voorwaarden vormen een kring: {}", cycle.join(" → ")),
        );
    }

    // Lineage against the previous version.
    let mut accounted: HashSet<String> = HashSet::new();
    let mut resolved = HashMap::new();
    for (key, span, lineage) in lineages {
        let item_kind = &kinds[&key];
        match (previous, lineage) {
            (None, None) => {}
            (None, Some(value)) => {
                if raw.previous_version.is_none() {
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
    for removed in raw.removed {
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
    questionnaire
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

fn choices(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    list: &Option<Vec<RawChoice>>,
    what: &str,
    limit: usize,
) -> Option<Vec<Choice>> {
    let Some(list) = list else {
        checker.error(span, Some(key), format!("{what} ontbreken"));
        return None;
    };
    if list.is_empty() {
        checker.error(span.clone(), Some(key), format!("{what} zijn leeg"));
    }
    if list.len() > limit {
        checker.error(
            span,
            Some(key),
            format!(
                "er zijn {} {}; er mogen er hoogstens {limit} zijn",
                list.len(),
                what.trim_start_matches("de ")
            ),
        );
        return None;
    }
    let mut seen = HashSet::new();
    for choice in list {
        if !is_key(&choice.code) {
            checker.error(
                span.clone(),
                Some(key),
                format!(
                    "de code '{}' mag alleen kleine letters, cijfers en '_' bevatten",
                    choice.code
                ),
            );
        }
        if !seen.insert(choice.code.clone()) {
            checker.error(
                span.clone(),
                Some(key),
                format!("de code '{}' komt twee keer voor", choice.code),
            );
        }
        if choice.label.trim().is_empty() {
            checker.error(
                span.clone(),
                Some(key),
                format!("de code '{}' heeft geen label", choice.code),
            );
        }
    }
    Some(
        list.iter()
            .map(|c| Choice {
                code: c.code.clone(),
                label: c.label.clone(),
            })
            .collect(),
    )
}

fn int_bound(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    value: &Option<toml::Value>,
    name: &str,
) -> Option<i64> {
    match value {
        None => None,
        Some(toml::Value::Integer(n)) => Some(*n),
        Some(other) => {
            checker.error(
                span,
                Some(key),
                format!("{name} moet een heel getal zijn, niet {other}"),
            );
            None
        }
    }
}

fn number_bound(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    value: &Option<toml::Value>,
    name: &str,
) -> Option<f64> {
    match value {
        None => None,
        Some(toml::Value::Integer(n)) => Some(*n as f64),
        Some(toml::Value::Float(n)) if n.is_finite() => Some(*n),
        Some(other) => {
            checker.error(
                span,
                Some(key),
                format!("{name} moet een getal zijn, niet {other}"),
            );
            None
        }
    }
}

fn check_order<T: PartialOrd>(
    checker: &mut Checker,
    key: &str,
    span: Range<usize>,
    min: Option<T>,
    max: Option<T>,
) {
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            checker.error(span, Some(key), "min is groter dan max");
        }
    }
}

fn item_kind(checker: &mut Checker, key: &str, item: &RawItem) -> Option<ItemKind> {
    let span = item.kind.span();
    let type_name = item.kind.get_ref().as_str();
    // Which type-specific fields each type accepts.
    let allowed: &[&str] = match type_name {
        "yes_no" | "yes_partly_no" => &[],
        "single_choice" => &["options"],
        "multiple_choice" => &["options", "min_selected", "max_selected"],
        "integer" => &["min", "max"],
        "decimal" => &["min", "max", "decimals"],
        "percentage" => &["decimals"],
        "short_text" | "long_text" => &["max_length"],
        "date" => &["min", "max"],
        "scale" => &["min_label", "max_label"],
        "matrix" => &["rows", "cell", "options", "min", "max"],
        "ranking" => &["options", "rank"],
        other => {
            checker.error(span, Some(key), format!(
                "onbekend type '{other}': kies yes_no, yes_partly_no, single_choice, multiple_choice, integer, decimal, percentage, short_text, long_text, date, scale, matrix of ranking"
            ));
            return None;
        }
    };
    let present = [
        ("options", item.options.is_some()),
        ("rows", item.rows.is_some()),
        ("cell", item.cell.is_some()),
        ("min", item.min.is_some()),
        ("max", item.max.is_some()),
        ("decimals", item.decimals.is_some()),
        ("max_length", item.max_length.is_some()),
        ("min_selected", item.min_selected.is_some()),
        ("max_selected", item.max_selected.is_some()),
        ("rank", item.rank.is_some()),
        ("min_label", item.min_label.is_some()),
        ("max_label", item.max_label.is_some()),
    ];
    for (field, is_present) in present {
        if is_present && !allowed.contains(&field) {
            checker.error(
                span.clone(),
                Some(key),
                format!("het veld '{field}' hoort niet bij type {type_name}"),
            );
        }
    }
    let kind = match type_name {
        "yes_no" => ItemKind::YesNo,
        "yes_partly_no" => ItemKind::YesPartlyNo,
        "single_choice" => ItemKind::SingleChoice {
            options: choices(
                checker,
                key,
                span.clone(),
                &item.options,
                "de keuzes (options)",
                MAX_OPTIONS,
            )?,
        },
        "multiple_choice" => {
            let options = choices(
                checker,
                key,
                span.clone(),
                &item.options,
                "de keuzes (options)",
                MAX_OPTIONS,
            )?;
            if let (Some(min), Some(max)) = (item.min_selected, item.max_selected) {
                if min > max {
                    checker.error(
                        span.clone(),
                        Some(key),
                        "min_selected is groter dan max_selected",
                    );
                }
            }
            if item
                .max_selected
                .is_some_and(|max| max == 0 || max > options.len())
            {
                checker.error(
                    span.clone(),
                    Some(key),
                    "max_selected moet tussen 1 en het aantal keuzes liggen",
                );
            }
            ItemKind::MultipleChoice {
                options,
                min_selected: item.min_selected,
                max_selected: item.max_selected,
            }
        }
        "ranking" => {
            let options = choices(
                checker,
                key,
                span.clone(),
                &item.options,
                "de keuzes (options)",
                MAX_OPTIONS,
            )?;
            let rank = item.rank.unwrap_or(3);
            if rank == 0 || rank > options.len() {
                checker.error(
                    span.clone(),
                    Some(key),
                    format!(
                        "rank {rank} moet tussen 1 en het aantal keuzes ({}) liggen",
                        options.len()
                    ),
                );
            }
            ItemKind::Ranking { options, rank }
        }
        "integer" => {
            let (min, max) = (
                int_bound(checker, key, span.clone(), &item.min, "min"),
                int_bound(checker, key, span.clone(), &item.max, "max"),
            );
            check_order(checker, key, span.clone(), min, max);
            ItemKind::Integer { min, max }
        }
        "decimal" => {
            let (min, max) = (
                number_bound(checker, key, span.clone(), &item.min, "min"),
                number_bound(checker, key, span.clone(), &item.max, "max"),
            );
            check_order(checker, key, span.clone(), min, max);
            ItemKind::Decimal {
                min,
                max,
                decimals: item.decimals,
            }
        }
        "percentage" => ItemKind::Percentage {
            decimals: item.decimals,
        },
        "short_text" => ItemKind::ShortText {
            max_length: item.max_length.unwrap_or(SHORT_TEXT_MAX),
        },
        "long_text" => ItemKind::LongText {
            max_length: item.max_length.unwrap_or(LONG_TEXT_MAX),
        },
        "date" => {
            let mut bound = |value: &Option<toml::Value>, name: &str| -> Option<String> {
                let text = match value {
                    None => return None,
                    Some(toml::Value::String(text)) => text.clone(),
                    Some(toml::Value::Datetime(date)) => date.to_string(),
                    Some(other) => {
                        checker.error(
                            span.clone(),
                            Some(key),
                            format!("{name} moet een datum zijn, niet {other}"),
                        );
                        return None;
                    }
                };
                match super::answer::parse_date(&text, &None, &None) {
                    Ok(date) => Some(date),
                    Err(_) => {
                        checker.error(
                            span.clone(),
                            Some(key),
                            format!("{name} '{text}' is geen datum (JJJJ-MM-DD)"),
                        );
                        None
                    }
                }
            };
            ItemKind::Date {
                min: bound(&item.min, "min"),
                max: bound(&item.max, "max"),
            }
        }
        "scale" => ItemKind::Scale {
            min_label: item.min_label.clone(),
            max_label: item.max_label.clone(),
        },
        "matrix" => {
            let rows = choices(
                checker,
                key,
                span.clone(),
                &item.rows,
                "de rijen (rows)",
                MAX_MATRIX_ROWS,
            )?;
            let cell = match item.cell.as_deref() {
                Some("yes_no") => CellKind::YesNo,
                Some("yes_partly_no") => CellKind::YesPartlyNo,
                Some("integer") => CellKind::Integer {
                    min: int_bound(checker, key, span.clone(), &item.min, "min"),
                    max: int_bound(checker, key, span.clone(), &item.max, "max"),
                },
                Some("single_choice") => CellKind::SingleChoice {
                    options: choices(
                        checker,
                        key,
                        span.clone(),
                        &item.options,
                        "de keuzes (options)",
                        MAX_OPTIONS,
                    )?,
                },
                Some(other) => {
                    checker.error(span.clone(), Some(key), format!("onbekend celtype '{other}': kies yes_no, yes_partly_no, integer of single_choice"));
                    return None;
                }
                None => {
                    checker.error(
                        span.clone(),
                        Some(key),
                        "een matrix heeft een celtype nodig (cell)",
                    );
                    return None;
                }
            };
            ItemKind::Matrix { rows, cell }
        }
        _ => return None,
    };
    Some(kind)
}

/// Parses a condition or check and checks what it refers to.
fn parse_checked(
    checker: &mut Checker,
    key: &str,
    source: &Spanned<String>,
    kinds: &HashMap<String, ItemKind>,
    field: &str,
) -> Option<Condition> {
    let expr = match Expr::parse(source.get_ref()) {
        Ok(expr) => expr,
        Err(error) => {
            checker.error(source.span(), Some(key), format!("{field}: {error}"));
            return None;
        }
    };
    let problems = type_problems(&expr, kinds);
    if problems.is_empty() {
        Some(Condition {
            source: source.get_ref().clone(),
            expr,
        })
    } else {
        for problem in problems {
            checker.error(source.span(), Some(key), format!("{field}: {problem}"));
        }
        None
    }
}

/// What is wrong with the references and types in an expression.
pub fn type_problems(expr: &Expr, kinds: &HashMap<String, ItemKind>) -> Vec<String> {
    let mut problems = Vec::new();
    for reference in expr.all_references() {
        match (kinds.get(&reference.key), &reference.row) {
            (None, _) => problems.push(format!(
                "verwijst naar een onbekende vraag '{}'",
                reference.key
            )),
            (Some(ItemKind::Matrix { rows, .. }), Some(row))
                if !rows.iter().any(|r| &r.code == row) =>
            {
                problems.push(format!("matrix '{}' heeft geen rij '{row}'", reference.key))
            }
            (Some(kind), Some(_)) if !matches!(kind, ItemKind::Matrix { .. }) => {
                problems.push(format!("'{reference}': alleen een matrix heeft rijen"))
            }
            _ => {}
        }
    }
    check_types(expr, kinds, &mut problems);
    problems
}

fn codes_of(reference: &Ref, kinds: &HashMap<String, ItemKind>) -> Option<Vec<String>> {
    match (kinds.get(&reference.key)?, &reference.row) {
        (ItemKind::Matrix { cell, .. }, Some(_)) => match cell {
            CellKind::YesNo => ItemKind::YesNo.codes(),
            CellKind::YesPartlyNo => ItemKind::YesPartlyNo.codes(),
            CellKind::SingleChoice { options } => {
                Some(options.iter().map(|o| o.code.clone()).collect())
            }
            CellKind::Integer { .. } => None,
        },
        (kind, None) => kind.codes(),
        _ => None,
    }
}

fn is_numeric(expr: &Expr, kinds: &HashMap<String, ItemKind>) -> Option<bool> {
    match expr {
        Expr::Answer(r) | Expr::Call(Func::Prev, r) => match (kinds.get(&r.key)?, &r.row) {
            (ItemKind::Matrix { cell, .. }, Some(_)) => {
                Some(matches!(cell, CellKind::Integer { .. }))
            }
            (kind, None) => Some(kind.is_numeric()),
            _ => None,
        },
        Expr::Number(_)
        | Expr::Call(Func::Count | Func::ChangePct, _)
        | Expr::Abs(_)
        | Expr::Neg(_) => Some(true),
        Expr::Binary(BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div, _, _) => Some(true),
        Expr::Text(_) | Expr::Bool(_) => Some(false),
        _ => None,
    }
}

fn check_types(expr: &Expr, kinds: &HashMap<String, ItemKind>, problems: &mut Vec<String>) {
    let code_check = |answer: &Expr, literal: &Expr, problems: &mut Vec<String>| {
        if let (Expr::Answer(r) | Expr::Call(Func::Prev, r), Expr::Text(code)) = (answer, literal) {
            if let Some(codes) = codes_of(r, kinds) {
                if !codes.contains(code) {
                    problems.push(format!(
                        "'{r}' heeft geen code '{code}' (wel: {})",
                        codes.join(", ")
                    ));
                }
            }
        }
    };
    match expr {
        Expr::Call(func @ Func::ChangePct, r)
            if is_numeric(&Expr::Answer(r.clone()), kinds) == Some(false) =>
        {
            problems.push(format!(
                "{}() werkt alleen op getallen, '{r}' is geen getal",
                func.name()
            ));
        }
        Expr::Call(Func::Count, r)
            if !matches!(
                kinds.get(&r.key),
                Some(ItemKind::MultipleChoice { .. } | ItemKind::Ranking { .. }) | None
            ) =>
        {
            problems.push(format!(
                "count() werkt alleen op meerkeuze- of rangordevragen, niet op '{r}'"
            ));
        }
        Expr::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), left, right) => {
            for side in [left, right] {
                if is_numeric(side, kinds) == Some(false) {
                    problems.push(format!(
                        "'{side}' is geen getal en kan niet in een berekening met '{}'",
                        match op {
                            BinOp::Add => "+",
                            BinOp::Sub => "-",
                            BinOp::Mul => "*",
                            _ => "/",
                        }
                    ));
                }
                check_types(side, kinds, problems);
            }
        }
        Expr::Binary(_, left, right) => {
            code_check(left, right, problems);
            code_check(right, left, problems);
            check_types(left, kinds, problems);
            check_types(right, kinds, problems);
        }
        Expr::In { value, list, .. } => {
            for item in list {
                code_check(value, item, problems);
            }
            check_types(value, kinds, problems);
        }
        Expr::Contains(left, right) => match left.as_ref() {
            Expr::Answer(r)
                if !matches!(
                    kinds.get(&r.key),
                    Some(ItemKind::MultipleChoice { .. } | ItemKind::Ranking { .. }) | None
                ) =>
            {
                problems.push(format!(
                    "contains werkt alleen op meerkeuze- of rangordevragen, niet op '{r}'"
                ));
            }
            _ => code_check(left, right, problems),
        },
        Expr::Abs(inner) | Expr::Not(inner) | Expr::Neg(inner) => {
            check_types(inner, kinds, problems)
        }
        _ => {}
    }
}

/// Resolves an item's lineage against the previous version; returns it and the old keys it
/// accounts for.
fn lineage_of(
    key: &str,
    kind: &ItemKind,
    value: &toml::Value,
    previous: &Questionnaire,
) -> Result<(Lineage, Vec<String>), String> {
    let old = |old_key: &str| -> Result<&Item, String> {
        previous.item(old_key).ok_or_else(|| {
            format!(
                "de vorige versie {} heeft geen vraag '{old_key}'",
                previous.version
            )
        })
    };
    let same_codes = |old_item: &Item, codes: &BTreeMap<String, String>| -> Result<(), String> {
        if old_item.kind.type_name() != kind.type_name() && codes.is_empty() {
            return Err(format!(
                "het type veranderde van {} naar {}: gebruik changed_meaning",
                old_item.kind.type_name(),
                kind.type_name()
            ));
        }
        let (Some(old_codes), Some(new_codes)) = (old_item.kind.codes(), kind.codes()) else {
            return Ok(());
        };
        for code in &old_codes {
            let mapped = codes.get(code).unwrap_or(code);
            if !new_codes.contains(mapped) {
                return Err(if codes.is_empty() {
                    format!("de oude code '{code}' bestaat niet meer: geef met recoded aan waarin die is opgegaan")
                } else {
                    format!("recoded: de oude code '{code}' wordt niet (goed) omgezet naar een bestaande code")
                });
            }
        }
        for from in codes.keys() {
            if !old_codes.contains(from) {
                return Err(format!(
                    "recoded: de vorige versie kent de code '{from}' niet"
                ));
            }
        }
        Ok(())
    };
    match value {
        toml::Value::String(word) if word == "new" => {
            if previous.item(key).is_some() {
                return Err(format!("'new', maar de vorige versie heeft al een vraag '{key}'"));
            }
            Ok((Lineage::New, vec![]))
        }
        toml::Value::String(word) if word == "unchanged" => {
            same_codes(old(key)?, &BTreeMap::new())?;
            Ok((Lineage::Unchanged, vec![key.to_string()]))
        }
        toml::Value::String(other) => Err(format!("onbekende lineage '{other}': gebruik \"new\", \"unchanged\" of een tabel zoals {{ renamed_from = \"...\" }}")),
        toml::Value::Table(table) => {
            let text = |name: &str| table.get(name).and_then(|v| v.as_str()).map(str::to_string);
            for field in table.keys() {
                if !["renamed_from", "recoded", "split_from", "merged_from", "changed_meaning"].contains(&field.as_str()) {
                    return Err(format!("onbekend lineage-veld '{field}'"));
                }
            }
            if let Some(why) = text("changed_meaning") {
                old(key)?;
                return Ok((Lineage::ChangedMeaning(why), vec![key.to_string()]));
            }
            if let Some(from) = text("split_from") {
                old(&from)?;
                return Ok((Lineage::SplitFrom(from.clone()), vec![from]));
            }
            if let Some(list) = table.get("merged_from") {
                let keys: Vec<String> = list.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default();
                if keys.len() < 2 {
                    return Err("merged_from noemt minstens twee oude sleutels".to_string());
                }
                for from in &keys {
                    old(from)?;
                }
                return Ok((Lineage::MergedFrom(keys.clone()), keys));
            }
            let from = text("renamed_from").unwrap_or_else(|| key.to_string());
            let codes: BTreeMap<String, String> = match table.get("recoded") {
                None => BTreeMap::new(),
                Some(toml::Value::Table(map)) => map
                    .iter()
                    .map(|(old_code, new_code)| (old_code.clone(), new_code.as_str().unwrap_or_default().to_string()))
                    .collect(),
                Some(_) => return Err("recoded is een tabel van oude code = \"nieuwe code\"".to_string()),
            };
            same_codes(old(&from)?, &codes)?;
            Ok((Lineage::Mapped { from: from.clone(), codes }, vec![from]))
        }
        other => Err(format!("lineage moet tekst of een tabel zijn, niet {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn folder(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../questionnaires")
            .join(name)
    }

    fn read(path: &PathBuf) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn both_shipped_nad_versions_load_with_lineage() {
        let previous = load(&read(&folder("nad-2025-12.toml")), None)
            .unwrap_or_else(|errors| panic!("2025-12: {errors:#?}"));
        let current = load(&read(&folder("nad-2026-06.toml")), Some(&previous))
            .unwrap_or_else(|errors| panic!("2026-06: {errors:#?}"));
        assert_eq!(current.identifier, "nad");
        assert_eq!(current.sections.len(), 11, "sections A to K");
        assert!(current.items().count() >= 60);
        let types: HashSet<&str> = current.items().map(|i| i.kind.type_name()).collect();
        assert_eq!(types.len(), 13, "every item type is used: {types:?}");
        let lineage =
            |pred: fn(&Lineage) -> bool| current.items().filter(|i| pred(&i.lineage)).count();
        assert!(lineage(|l| matches!(l, Lineage::New)) >= 2);
        assert!(
            lineage(
                |l| matches!(l, Lineage::Mapped { from, codes } if codes.is_empty() && !from.is_empty())
            ) >= 1,
            "a rename"
        );
        assert!(
            lineage(|l| matches!(l, Lineage::Mapped { codes, .. } if !codes.is_empty())) >= 1,
            "a recode"
        );
        assert!(!current.removed.is_empty());
        assert!(current.index().is_ok());
    }

    /// Each file in `questionnaires/broken/` starts with `# expect: <message>`: the error it
    /// must produce, with its line and item key.
    #[test]
    fn broken_definitions_produce_located_errors() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder("broken"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        assert!(files.len() >= 10);
        let mut mismatches = Vec::new();
        for path in files {
            let text = read(&path);
            let expected = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# expect: "))
                .unwrap();
            let shown: Vec<String> = match load(&text, None) {
                Ok(_) => vec!["(geladen zonder fouten)".to_string()],
                Err(errors) => errors.iter().map(ToString::to_string).collect(),
            };
            if !shown
                .iter()
                .any(|e| e.starts_with(expected) || e.ends_with(expected))
            {
                mismatches.push(format!(
                    "{}: expected '{expected}', got {shown:?}",
                    path.display()
                ));
            }
        }
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }

    #[test]
    fn lineage_is_checked_against_the_previous_version() {
        let previous = load(&read(&folder("nad-2025-12.toml")), None).unwrap();
        let current = read(&folder("nad-2026-06.toml"));
        let cases = [
            (
                current.replacen(
                    "renamed_from = \"e_housing_first_plekken\"",
                    "renamed_from = \"e_bestaat_niet\"",
                    1,
                ),
                "de vorige versie 2025-12 heeft geen vraag 'e_bestaat_niet'",
            ),
            (
                current.replacen(
                    "in_voorbereiding = \"voorbereiding\"",
                    "in_voorbereiding = \"ergens_anders\"",
                    1,
                ),
                "recoded: de oude code 'in_voorbereiding' wordt niet (goed) omgezet",
            ),
            (
                current.replacen(
                    "key = \"e_housing_first_modeltrouw\"",
                    "key = \"e_nooit_bestaan\"",
                    1,
                ),
                "de vraag 'e_housing_first_modeltrouw' van versie 2025-12 is nergens gebleven",
            ),
        ];
        for (text, expected) in cases {
            assert_ne!(text, current, "the fixture edit applies");
            let errors = load(&text, Some(&previous)).unwrap_err();
            assert!(
                errors
                    .iter()
                    .any(|e| e.to_string().contains(expected) && e.item.is_some()),
                "expected '{expected}' in {errors:#?}"
            );
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = read(&folder("broken/unknown-type.toml")).replace(
            "title = \"Test\"",
            "title = \"Test\"\nprevious_version = \"0\"",
        );
        let errors = load(&text, None).unwrap_err();
        assert!(errors.len() >= 2, "{errors:#?}");
    }

    /// A definition of `sections` sections of `items` yes/no items each; the first item of
    /// the first section is a single choice of `options` options, the second a matrix of
    /// `rows` rows.
    fn sized(sections: usize, items: usize, options: usize, rows: usize) -> String {
        let mut toml = String::from("identifier = \"groot\"\nversion = \"1\"\ntitle = \"Groot\"\n");
        let list = |n: usize, prefix: &str| {
            (0..n)
                .map(|i| format!("{{ code = \"{prefix}{i}\", label = \"{prefix} {i}\" }}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for s in 0..sections {
            toml.push_str(&format!(
                "\n[[section]]\nkey = \"S{s}\"\ntitle = \"Sectie {s}\"\n"
            ));
            for i in 0..items {
                toml.push_str(&format!(
                    "\n[[section.item]]\nkey = \"s{s}_v{i}\"\nlabel = \"Vraag\"\n"
                ));
                match (s, i) {
                    (0, 0) => toml.push_str(&format!(
                        "type = \"single_choice\"\noptions = [{}]\n",
                        list(options, "o")
                    )),
                    (0, 1) => toml.push_str(&format!(
                        "type = \"matrix\"\ncell = \"yes_no\"\nrows = [{}]\n",
                        list(rows, "r")
                    )),
                    _ => toml.push_str("type = \"yes_no\"\n"),
                }
            }
        }
        toml
    }

    /// The line of the `n`th (0-based) occurrence of `needle`.
    fn line_of(text: &str, needle: &str, n: usize) -> usize {
        let at = text.match_indices(needle).nth(n).unwrap().0;
        text[..at].matches('\n').count() + 1
    }

    #[test]
    fn definitions_up_to_every_cap_load() {
        let text = sized(
            MAX_SECTIONS,
            MAX_ITEMS / MAX_SECTIONS,
            MAX_OPTIONS,
            MAX_MATRIX_ROWS,
        );
        let questionnaire = load(&text, None).unwrap_or_else(|errors| panic!("{errors:#?}"));
        assert_eq!(questionnaire.sections.len(), MAX_SECTIONS);
        assert_eq!(questionnaire.items().count(), MAX_ITEMS);
        let text = sized(2, MAX_ITEMS_PER_SECTION, 3, 3);
        assert_eq!(
            load(&text, None).unwrap().items().count(),
            2 * MAX_ITEMS_PER_SECTION
        );
        // The benchmark's shape is well within them: 20 sections of 100 items.
        assert_eq!(
            load(&sized(20, 100, 3, 3), None).unwrap().items().count(),
            2_000
        );
    }

    #[test]
    fn a_definition_over_a_cap_is_refused_with_the_place() {
        // Sections: at the first one too many, and nothing else is checked.
        let text =
            sized(MAX_SECTIONS + 1, 1, 2, 2).replacen("type = \"yes_no\"", "type = \"ja_nee\"", 1);
        let errors = load(&text, None).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(
            errors[0].to_string(),
            format!(
                "regel {}: de vragenlijst heeft 101 secties; er mogen er hoogstens 100 zijn (dit is de 101e)",
                line_of(&text, "[[section]]", MAX_SECTIONS)
            )
        );

        // Items in all: at the first one too many.
        let per_section = MAX_ITEMS / 10;
        let mut text = sized(10, per_section, 2, 2);
        text.push_str("\n[[section]]\nkey = \"X\"\ntitle = \"Extra\"\n\n[[section.item]]\nkey = \"x_een\"\ntype = \"yes_no\"\nlabel = \"Eén te veel\"\n");
        let errors = load(&text, None).unwrap_err();
        assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [format!(
                "regel {}, vraag x_een: de vragenlijst heeft 5001 vragen; er mogen er hoogstens 5000 zijn (dit is de 5001e)",
                line_of(&text, "[[section.item]]", MAX_ITEMS)
            )]
        );

        // Items in one section.
        let text = sized(1, MAX_ITEMS_PER_SECTION + 1, 2, 2);
        let errors = load(&text, None).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].item.as_deref(), Some("s0_v1000"));
        assert_eq!(
            errors[0].line,
            line_of(&text, "[[section.item]]", MAX_ITEMS_PER_SECTION)
        );
        assert!(errors[0]
            .message
            .starts_with("sectie 'S0' heeft 1001 vragen; een sectie mag er hoogstens 1000 hebben"));

        // Options and matrix rows: at the item, with the rest of the file checked too.
        let text = sized(1, 3, MAX_OPTIONS + 1, MAX_MATRIX_ROWS + 1).replace(
            "key = \"s0_v2\"\nlabel = \"Vraag\"\ntype = \"yes_no\"",
            "key = \"s0_v2\"\nlabel = \"Vraag\"\ntype = \"ja_nee\"",
        );
        let errors = load(&text, None).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                format!(
                    "regel {}, vraag s0_v0: er zijn 1001 keuzes (options); er mogen er hoogstens 1000 zijn",
                    line_of(&text, "type = \"single_choice\"", 0)
                ),
                format!(
                    "regel {}, vraag s0_v1: er zijn 201 rijen (rows); er mogen er hoogstens 200 zijn",
                    line_of(&text, "type = \"matrix\"", 0)
                ),
                format!(
                    "regel {}, vraag s0_v2: onbekend type 'ja_nee': kies yes_no, yes_partly_no, single_choice, multiple_choice, integer, decimal, percentage, short_text, long_text, date, scale, matrix of ranking",
                    line_of(&text, "type = \"ja_nee\"", 0)
                ),
            ]
        );
    }

    #[test]
    fn definitions_survive_a_trip_through_json_for_the_browser() {
        let q = load(&read(&folder("nad-2025-12.toml")), None).unwrap();
        let json = serde_json::to_string(&q).unwrap();
        let back: Questionnaire = serde_json::from_str(&json).unwrap();
        assert_eq!(back, q);
    }
}
