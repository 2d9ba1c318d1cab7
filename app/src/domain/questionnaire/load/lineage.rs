//! An item's lineage: how it relates to the previous version, checked against it.

use super::*;
use std::collections::BTreeMap;

/// Resolves an item's lineage against the previous version; returns it and the old keys it
/// accounts for.
pub(super) fn lineage_of(
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
