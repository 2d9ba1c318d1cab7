//! The codebook: one line per item, as its questionnaire version describes it.

use super::columns;
use crate::domain::questionnaire::model::{
    fixed_choices, CellKind, Choice, Item, ItemKind, Lineage, YES_NO, YES_PARTLY_NO,
};

/// One line of the codebook: an item as its questionnaire version describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodebookEntry {
    pub section: String,
    pub key: String,
    /// The columns of the wide formats (`key`, or `key.row` per matrix row), joined by `;`.
    pub columns: String,
    pub label: String,
    pub kind: String,
    /// `code=label` pairs joined by ` | ` (choices, yes/no, matrix cells).
    pub options: String,
    /// Matrix rows as `code=label` pairs joined by ` | `.
    pub rows: String,
    pub unit: String,
    pub required: bool,
    pub allow_unknown: bool,
    pub allow_not_applicable: bool,
    /// The condition (`visible_if`) as written.
    pub condition: String,
    /// The key this item had in the previous version (empty when new or the first version).
    pub previous_key: String,
    /// The lineage in words, recodes included.
    pub lineage: String,
}

fn pairs(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| format!("{}={}", c.code, c.label))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The codebook line of an item of section `section` of a version whose previous version is
/// `previous_version`.
pub fn codebook_entry(section: &str, item: &Item, previous_version: Option<&str>) -> CodebookEntry {
    let (options, rows, kind) = options_rows_and_kind(item);
    let (previous_key, lineage) = lineage_in_words(item, previous_version);
    CodebookEntry {
        section: section.to_string(),
        key: item.key.clone(),
        columns: columns(item)
            .into_iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(";"),
        label: item.label.clone(),
        kind,
        options,
        rows,
        unit: item.unit.clone().unwrap_or_default(),
        required: item.required,
        allow_unknown: item.allow_unknown,
        allow_not_applicable: item.allow_not_applicable,
        condition: item
            .visible_if
            .as_ref()
            .map(|c| c.source.clone())
            .unwrap_or_default(),
        previous_key,
        lineage,
    }
}

/// The codebook's options, matrix rows and type of an item.
fn options_rows_and_kind(item: &Item) -> (String, String, String) {
    match &item.kind {
        ItemKind::YesNo => (
            pairs(&fixed_choices(&YES_NO)),
            String::new(),
            "yes_no".to_string(),
        ),
        ItemKind::YesPartlyNo => (
            pairs(&fixed_choices(&YES_PARTLY_NO)),
            String::new(),
            "yes_partly_no".to_string(),
        ),
        ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options, .. } => (
            pairs(options),
            String::new(),
            item.kind.type_name().to_string(),
        ),
        ItemKind::Ranking { options, rank } => (
            pairs(options),
            String::new(),
            format!("ranking (top {rank})"),
        ),
        ItemKind::Matrix { rows, cell } => {
            let (cell_options, cell_kind) = match cell {
                CellKind::YesNo => (pairs(&fixed_choices(&YES_NO)), "yes_no"),
                CellKind::YesPartlyNo => (pairs(&fixed_choices(&YES_PARTLY_NO)), "yes_partly_no"),
                CellKind::Integer { .. } => (String::new(), "integer"),
                CellKind::SingleChoice { options } => (pairs(options), "single_choice"),
            };
            (cell_options, pairs(rows), format!("matrix ({cell_kind})"))
        }
        other => (String::new(), String::new(), other.type_name().to_string()),
    }
}

/// The key an item had in the previous version, and its lineage in words.
fn lineage_in_words(item: &Item, previous_version: Option<&str>) -> (String, String) {
    let previous = previous_version.unwrap_or("de vorige versie");
    match &item.lineage {
        Lineage::Original => (String::new(), "Eerste versie.".to_string()),
        Lineage::New => (String::new(), "Nieuw in deze versie.".to_string()),
        Lineage::Unchanged => (item.key.clone(), format!("Ongewijzigd uit {previous}.")),
        Lineage::Mapped { from, codes } => {
            let mut text = if from == &item.key {
                format!("Uit {previous}")
            } else {
                format!("Hernoemd; heette '{from}' in {previous}")
            };
            if !codes.is_empty() {
                let recodes: Vec<String> = codes
                    .iter()
                    .map(|(old, new)| format!("{old}={new}"))
                    .collect();
                text.push_str(&format!("; hercodeerd (oud=nieuw): {}", recodes.join(", ")));
            }
            text.push('.');
            (from.clone(), text)
        }
        Lineage::SplitFrom(from) => (
            from.clone(),
            format!("Afgesplitst van '{from}' in {previous}; niet vergelijkbaar."),
        ),
        Lineage::MergedFrom(keys) => (
            keys.join(";"),
            format!(
                "Samengevoegd uit {} in {previous}; niet vergelijkbaar.",
                keys.join(", ")
            ),
        ),
        Lineage::ChangedMeaning(why) => (
            item.key.clone(),
            format!("Betekenis gewijzigd, niet vergelijkbaar: {why}"),
        ),
    }
}
