//! The browser's store of changes not yet acknowledged by the server, per response (local
//! storage): what a person typed survives a session that ended, a closed tab or a crash.

use crate::domain::response::AnswerInput;
use std::collections::BTreeMap;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn name(response_id: &str) -> String {
    format!("nad-onverzonden-{response_id}")
}

pub fn all(response_id: &str) -> BTreeMap<String, AnswerInput> {
    storage()
        .and_then(|s| s.get_item(&name(response_id)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write(response_id: &str, map: &BTreeMap<String, AnswerInput>) {
    if let Some(storage) = storage() {
        if map.is_empty() {
            let _ = storage.remove_item(&name(response_id));
        } else if let Ok(text) = serde_json::to_string(map) {
            let _ = storage.set_item(&name(response_id), &text);
        }
    }
}

pub fn keep(response_id: &str, input: &AnswerInput) {
    let mut map = all(response_id);
    map.insert(input.key.clone(), input.clone());
    write(response_id, &map);
}

/// Forgets a change that no longer applies (its question is not asked any more).
pub fn drop_key(response_id: &str, key: &str) {
    let mut map = all(response_id);
    if map.remove(key).is_some() {
        write(response_id, &map);
    }
}

/// Forgets a change once the server has it (saved, or kept as a conflict).
pub fn forget(response_id: &str, key: &str, sent: &AnswerInput) {
    let mut map = all(response_id);
    if map.get(key) == Some(sent) {
        map.remove(key);
        write(response_id, &map);
    }
}
