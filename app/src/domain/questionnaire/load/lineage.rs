//! The third pass: each item's lineage, how it relates to the previous version, checked
//! against it, and every item of that version accounted for.

use super::*;
use std::collections::BTreeMap;

/// Every item of the previous version must be accounted for: kept (with lineage) or removed.
pub(super) fn attach_lineage(
    checker: &mut Checker,
    questionnaire: &mut Questionnaire,
    kinds: &HashMap<String, ItemKind>,
    input: LineageInput<'_>,
) {
    let previous = input.previous;
    let mut accounted: HashSet<String> = HashSet::new();
    let mut resolved = resolve_lineages(checker, kinds, &input, &mut accounted);
    for removed in input.removed {
        let removed = read_removed(checker, removed, previous, kinds, &mut accounted);
        questionnaire.removed.push(removed);
    }
    if let Some(previous) = previous {
        report_unaccounted(checker, previous, &accounted);
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

/// Each item's lineage as written, checked against the previous version; the old keys each
/// accounts for go to `accounted`.
fn resolve_lineages(
    checker: &mut Checker,
    kinds: &HashMap<String, ItemKind>,
    input: &LineageInput<'_>,
    accounted: &mut HashSet<String>,
) -> HashMap<String, Lineage> {
    let mut resolved = HashMap::new();
    for (key, span, lineage) in &input.lineages {
        let item_kind = &kinds[key];
        match (input.previous, lineage) {
            (None, None) => {}
            (None, Some(value)) => {
                if !input.names_previous {
                    checker.error(value.span(), Some(key), "lineage zonder previous_version: laat lineage weg of noem de vorige versie");
                }
            }
            (Some(_), None) => checker.error(span.clone(), Some(key), "lineage ontbreekt: zeg hoe deze vraag zich verhoudt tot de vorige versie (bijv. \"unchanged\" of \"new\")"),
            (Some(previous), Some(value)) => {
                match lineage_of(key, item_kind, value.get_ref(), previous) {
                    Ok((lineage, used)) => {
                        accounted.extend(used);
                        resolved.insert(key.clone(), lineage);
                    }
                    Err(message) => checker.error(value.span(), Some(key), message),
                }
            }
        }
    }
    resolved
}

/// An item listed under `[[removed]]`: it must be in the previous version and not in this
/// one.
fn read_removed(
    checker: &mut Checker,
    removed: Spanned<RawRemoved>,
    previous: Option<&Questionnaire>,
    kinds: &HashMap<String, ItemKind>,
    accounted: &mut HashSet<String>,
) -> Removed {
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
    Removed {
        key,
        reason: removed.reason,
    }
}

/// Every item of the previous version that is neither kept nor removed.
fn report_unaccounted(
    checker: &mut Checker,
    previous: &Questionnaire,
    accounted: &HashSet<String>,
) {
    for old in previous.items() {
        if !accounted.contains(&old.key) {
            checker.error(0..0, Some(&old.key), format!(
                "de vraag '{}' van versie {} is nergens gebleven: geef lineage aan of zet haar onder [[removed]]",
                old.key, previous.version
            ));
        }
    }
}

/// Resolves an item's lineage against the previous version; returns it and the old keys it
/// accounts for.
pub(super) fn lineage_of(
    key: &str,
    kind: &ItemKind,
    value: &toml::Value,
    previous: &Questionnaire,
) -> Result<(Lineage, Vec<String>), String> {
    match value {
        toml::Value::String(word) if word == "new" => {
            if previous.item(key).is_some() {
                return Err(format!("'new', maar de vorige versie heeft al een vraag '{key}'"));
            }
            Ok((Lineage::New, vec![]))
        }
        toml::Value::String(word) if word == "unchanged" => {
            same_codes(kind, old_item(previous, key)?, &BTreeMap::new())?;
            Ok((Lineage::Unchanged, vec![key.to_string()]))
        }
        toml::Value::String(other) => Err(format!("onbekende lineage '{other}': gebruik \"new\", \"unchanged\" of een tabel zoals {{ renamed_from = \"...\" }}")),
        toml::Value::Table(table) => lineage_from_table(key, kind, table, previous),
        other => Err(format!("lineage moet tekst of een tabel zijn, niet {other}")),
    }
}

/// A lineage written as a table: `changed_meaning`, `split_from`, `merged_from`, or
/// `renamed_from` and/or `recoded`.
fn lineage_from_table(
    key: &str,
    kind: &ItemKind,
    table: &toml::Table,
    previous: &Questionnaire,
) -> Result<(Lineage, Vec<String>), String> {
    let text = |name: &str| table.get(name).and_then(|v| v.as_str()).map(str::to_string);
    for field in table.keys() {
        if ![
            "renamed_from",
            "recoded",
            "split_from",
            "merged_from",
            "changed_meaning",
        ]
        .contains(&field.as_str())
        {
            return Err(format!("onbekend lineage-veld '{field}'"));
        }
    }
    if let Some(why) = text("changed_meaning") {
        old_item(previous, key)?;
        return Ok((Lineage::ChangedMeaning(why), vec![key.to_string()]));
    }
    if let Some(from) = text("split_from") {
        old_item(previous, &from)?;
        return Ok((Lineage::SplitFrom(from.clone()), vec![from]));
    }
    if let Some(list) = table.get("merged_from") {
        let keys: Vec<String> = list
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if keys.len() < 2 {
            return Err("merged_from noemt minstens twee oude sleutels".to_string());
        }
        for from in &keys {
            old_item(previous, from)?;
        }
        return Ok((Lineage::MergedFrom(keys.clone()), keys));
    }
    let from = text("renamed_from").unwrap_or_else(|| key.to_string());
    let codes = recoded(table)?;
    same_codes(kind, old_item(previous, &from)?, &codes)?;
    Ok((
        Lineage::Mapped {
            from: from.clone(),
            codes,
        },
        vec![from],
    ))
}

/// The `recoded` table: old code → new code.
fn recoded(table: &toml::Table) -> Result<BTreeMap<String, String>, String> {
    match table.get("recoded") {
        None => Ok(BTreeMap::new()),
        Some(toml::Value::Table(map)) => Ok(map
            .iter()
            .map(|(old_code, new_code)| {
                (
                    old_code.clone(),
                    new_code.as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()),
        Some(_) => Err("recoded is een tabel van oude code = \"nieuwe code\"".to_string()),
    }
}

/// The item `old_key` of the previous version.
fn old_item<'q>(previous: &'q Questionnaire, old_key: &str) -> Result<&'q Item, String> {
    previous.item(old_key).ok_or_else(|| {
        format!(
            "de vorige versie {} heeft geen vraag '{old_key}'",
            previous.version
        )
    })
}

/// Whether the item of kind `kind` keeps the type of `old_item` and every old code, through
/// `codes` (old code → new code) where given.
fn same_codes(
    kind: &ItemKind,
    old_item: &Item,
    codes: &BTreeMap<String, String>,
) -> Result<(), String> {
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
}
