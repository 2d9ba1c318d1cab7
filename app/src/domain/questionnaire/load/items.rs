//! The first pass: sections and items, with what can be checked of each on its own.

use super::*;

/// The sections and their items, with what can be checked of each on its own; conditions,
/// rules and lineage go to `deferred`.
pub(super) fn read_sections(
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
