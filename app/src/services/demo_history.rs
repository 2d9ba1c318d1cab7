//! The demo's history: three earlier rounds with plausible answers for the regions (June and
//! December 2025 on the previous questionnaire version, June 2026 on the current one), all
//! published, and, in the open round, regions that have submitted, regions that are busy and regions that have not
//! started. The key indicators move as the NAD describes: Wonen Eerst in the regional plan
//! for about 82% of the regions in December 2025 and about 95% half a year later, shelter in
//! the gemeente of origin about 79% → 92%.
//!
//! Answers are generated as the form would send them and parsed by the same parser, so every
//! stored answer is valid; conditions decide what is asked, and an answer that triggers a
//! rule asking for an explanation gets one.

use super::new_id;
use super::questionnaires::LoadedVersion;
use crate::domain::questionnaire::answer::{parse_answer, Answer, AnswerValue, RawAnswer};
use crate::domain::questionnaire::completeness::{evaluate, hidden_items, ResponseAnswers};
use crate::domain::questionnaire::model::{CellKind, Item, ItemKind};
use crate::error::AppError;
use sqlx::AnyPool;
use std::collections::{BTreeMap, HashMap};

/// The key indicators and the share of regions answering "ja" in each generated round
/// (June 2025, December 2025, June 2026, the current round).
const TRENDS: [(&str, [u64; 4]); 2] = [
    ("b_wonen_eerst", [71, 82, 95, 97]),
    ("b_opvang_herkomstgemeente", [66, 79, 92, 94]),
];

/// A deterministic pseudo-random number for (region, item, salt): the same region gives the
/// same answer to the same item in every round unless it is meant to move.
fn noise(region: usize, key: &str, salt: u64) -> u64 {
    let mut x = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    x ^= (region as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ salt.wrapping_mul(0x632b_e59b_d9b4_e019);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// What the regions roughly count, per numeric item: (lowest, highest) in the first round.
fn number_range(key: &str) -> (i64, i64) {
    match key {
        "i_in_beeld" => (600, 2500),
        "i_in_opvang" => (80, 300),
        "i_buitenslapers" => (10, 90),
        "i_bankslapers" => (30, 150),
        "i_jongeren" => (20, 120),
        "f_capaciteit_nacht" => (40, 250),
        "f_capaciteit_24uur" => (20, 150),
        "f_kleinschalig_plekken" => (0, 40),
        "e_woningen_quotum" => (40, 200),
        "e_woningen_toegewezen" => (10, 40),
        "f_wachttijd_weken" => (2, 26),
        _ => (5, 120),
    }
}

/// One region's raw input for one item in round `round` (0 to 3, the open round last).
fn raw_answer(item: &Item, region: usize, round: usize, reference_date: &str) -> RawAnswer {
    let key = item.key.as_str();
    let r = noise(region, key, 0);
    let values = |list: Vec<String>| RawAnswer {
        values: list,
        ..RawAnswer::default()
    };
    let one = |value: String| values(vec![value]);
    if item.allow_unknown && noise(region, key, 7 + round as u64) % 100 < 2 {
        return RawAnswer {
            special: Some("onbekend".to_string()),
            ..RawAnswer::default()
        };
    }
    // The share of "ja" grows over the rounds; a region that said "ja" keeps saying it.
    let trend = TRENDS.iter().find(|(trend, _)| *trend == key);
    let yes_share = trend.map_or(55 + 8 * round as u64, |(_, shares)| shares[round]);
    // Key indicators spread the regions evenly over 0–99, so the shares come out as meant.
    let place = if trend.is_some() {
        (region as u64 * 61 + 7) % 100
    } else {
        r % 100
    };
    let yes = place < yes_share;
    let pick = |count: usize| (r % count as u64) as usize;
    match &item.kind {
        ItemKind::YesNo => one(if yes { "ja" } else { "nee" }.to_string()),
        ItemKind::YesPartlyNo => one(if yes {
            "ja"
        } else if r.is_multiple_of(2) {
            "deels"
        } else {
            "nee"
        }
        .to_string()),
        ItemKind::SingleChoice { options } => {
            // Later options (further along, more often) as the rounds pass.
            let position = (pick(options.len()) + round).min(options.len() - 1);
            one(options[position].code.clone())
        }
        ItemKind::MultipleChoice {
            options,
            min_selected,
            ..
        } => {
            let mut chosen: Vec<String> = options
                .iter()
                .enumerate()
                .filter(|(i, o)| o.code != "geen" && o.code != "anders" && (r >> (i + 3)) & 3 == 0)
                .map(|(_, o)| o.code.clone())
                .collect();
            let wanted = min_selected.unwrap_or(1).max(1);
            for option in options
                .iter()
                .filter(|o| o.code != "geen" && o.code != "anders")
            {
                if chosen.len() >= wanted {
                    break;
                }
                if !chosen.contains(&option.code) {
                    chosen.push(option.code.clone());
                }
            }
            values(chosen)
        }
        ItemKind::Ranking { options, rank } => {
            let start = pick(options.len());
            values(
                (0..*rank)
                    .map(|n| options[(start + n) % options.len()].code.clone())
                    .collect(),
            )
        }
        ItemKind::Integer { min, max } => {
            let (low, high) = number_range(key);
            let base = low + (r % (high - low + 1) as u64) as i64;
            let value = base + base * round as i64 / 12;
            one(value
                .max(min.unwrap_or(i64::MIN))
                .min(max.unwrap_or(i64::MAX))
                .to_string())
        }
        ItemKind::Decimal { min, max, .. } => {
            let (low, high) = number_range(key);
            let value = (low + (r % (high - low + 1) as u64) as i64) as f64 + 0.5;
            let value = value
                .max(min.unwrap_or(f64::MIN))
                .min(max.unwrap_or(f64::MAX));
            one(format!("{value:.1}").replace('.', ","))
        }
        ItemKind::Percentage { .. } => one((40 + r % 55 + 2 * round as u64).min(100).to_string()),
        ItemKind::Scale { .. } => one((2 + (r % 3) + round.min(1) as u64).min(5).to_string()),
        ItemKind::ShortText { .. } => one(format!("Antwoord van regio {}", region + 1)),
        ItemKind::LongText { .. } => one(explanation(key)),
        ItemKind::Date { min, max } => {
            let date = match (min, max) {
                (Some(min), Some(_)) => min.clone(),
                (Some(min), None) if min.as_str() > reference_date => min.clone(),
                _ => reference_date.to_string(),
            };
            one(date)
        }
        ItemKind::Matrix { rows, cell } => RawAnswer {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let c = noise(region, &format!("{key}.{}", row.code), 0);
                    let value = match cell {
                        CellKind::YesNo => {
                            if c % 100 < yes_share { "ja" } else { "nee" }.to_string()
                        }
                        CellKind::YesPartlyNo => {
                            ["ja", "deels", "nee"][(c % 3) as usize].to_string()
                        }
                        CellKind::Integer { min, max } => (5 + c % 40 + i as u64)
                            .max(min.unwrap_or(0).max(0) as u64)
                            .min(max.unwrap_or(i64::MAX).max(0) as u64)
                            .to_string(),
                        CellKind::SingleChoice { options } => {
                            options[(c % options.len() as u64) as usize].code.clone()
                        }
                    };
                    (row.code.clone(), value)
                })
                .collect(),
            ..RawAnswer::default()
        },
    }
}

/// The text a region writes where an explanation is asked.
fn explanation(key: &str) -> String {
    if key.contains("toelichting") {
        "In de regio lopen afspraken met de gemeenten en partners; de uitvoering volgt in de komende maanden.".to_string()
    } else {
        "Samen met de regiogemeenten en de corporaties werken we stap voor stap aan meer woonplekken.".to_string()
    }
}

/// A whole response for one region: every asked item answered (a busy region only the first
/// `sections` sections), explanations where a rule asks for one, nothing that blocks.
pub fn generate(
    version: &LoadedVersion,
    previous: &HashMap<String, Answer>,
    region: usize,
    round: usize,
    reference_date: &str,
    sections: usize,
) -> BTreeMap<String, RawAnswer> {
    let questionnaire = &version.questionnaire;
    let mut raw: BTreeMap<String, RawAnswer> = BTreeMap::new();
    let mut parsed: HashMap<String, Answer> = HashMap::new();
    for section in questionnaire.sections.iter().take(sections) {
        for item in &section.items {
            let input = raw_answer(item, region, round, reference_date);
            if let Ok(Some(answer)) = parse_answer(item, &input) {
                raw.insert(item.key.clone(), input);
                parsed.insert(item.key.clone(), answer);
            }
        }
    }
    // Leave out what conditions hide, and explain what rules ask to be explained; a number
    // that breaks a rule becomes "onbekend".
    for _ in 0..6 {
        let answers = ResponseAnswers {
            current: parsed.clone(),
            previous: previous.clone(),
            ..ResponseAnswers::default()
        };
        let hidden = hidden_items(questionnaire, &version.index, &answers);
        raw.retain(|key, _| !hidden.contains(key));
        parsed.retain(|key, _| !hidden.contains(key));
        let mut changed = false;
        // Items an earlier fix made visible get their answer too.
        for item in questionnaire
            .sections
            .iter()
            .take(sections)
            .flat_map(|s| &s.items)
        {
            if hidden.contains(&item.key) || parsed.contains_key(&item.key) {
                continue;
            }
            let input = raw_answer(item, region, round, reference_date);
            if let Ok(Some(answer)) = parse_answer(item, &input) {
                raw.insert(item.key.clone(), input);
                parsed.insert(item.key.clone(), answer);
                changed = true;
            }
        }
        let answers = ResponseAnswers {
            current: parsed.clone(),
            previous: previous.clone(),
            ..ResponseAnswers::default()
        };
        let evaluation = evaluate(questionnaire, &version.index, &answers);
        for item in questionnaire.items() {
            let blocked = evaluation
                .items
                .get(&item.key)
                .is_some_and(|state| !state.blocking.is_empty());
            if !blocked || !parsed.contains_key(&item.key) {
                continue;
            }
            // A ranking of what was chosen at another item ranks from those choices.
            if let ItemKind::Ranking { rank, .. } = &item.kind {
                let chosen = item
                    .rules
                    .iter()
                    .flat_map(|rule| rule.check.expr.all_references())
                    .find_map(|reference| match parsed.get(&reference.key) {
                        Some(Answer::Given(AnswerValue::Codes(codes)))
                            if reference.key != item.key =>
                        {
                            Some(codes.clone())
                        }
                        _ => None,
                    });
                if let Some(codes) = chosen {
                    let input = RawAnswer {
                        values: codes.into_iter().take(*rank).collect(),
                        ..RawAnswer::default()
                    };
                    if let Ok(Some(answer)) = parse_answer(item, &input) {
                        raw.insert(item.key.clone(), input);
                        parsed.insert(item.key.clone(), answer);
                    } else {
                        raw.remove(&item.key);
                        parsed.remove(&item.key);
                    }
                    changed = true;
                    continue;
                }
            }
            let texts: Vec<&Item> = item
                .rules
                .iter()
                .flat_map(|rule| rule.check.expr.all_references())
                .filter_map(|reference| questionnaire.item(&reference.key))
                .filter(|read| {
                    matches!(
                        read.kind,
                        ItemKind::LongText { .. } | ItemKind::ShortText { .. }
                    ) && !parsed.contains_key(&read.key)
                })
                .collect();
            let mut fixed = false;
            for text in texts {
                let input = RawAnswer {
                    values: vec![explanation(&text.key)],
                    ..RawAnswer::default()
                };
                if let Ok(Some(answer)) = parse_answer(text, &input) {
                    raw.insert(text.key.clone(), input);
                    parsed.insert(text.key.clone(), answer);
                    fixed = true;
                }
            }
            // Nothing to explain: a yes/no that blocks (such as the approval before
            // submitting) becomes "ja"; anything else "onbekend".
            let yes = Answer::Given(AnswerValue::Code("ja".to_string()));
            let replacement = if fixed {
                None
            } else if matches!(item.kind, ItemKind::YesNo | ItemKind::YesPartlyNo)
                && parsed.get(&item.key) != Some(&yes)
            {
                Some((vec!["ja".to_string()], None, yes))
            } else if item.allow_unknown && parsed.get(&item.key) != Some(&Answer::Unknown) {
                Some((vec![], Some("onbekend".to_string()), Answer::Unknown))
            } else {
                None
            };
            if let Some((values, special, answer)) = replacement {
                raw.insert(
                    item.key.clone(),
                    RawAnswer {
                        values,
                        special,
                        ..RawAnswer::default()
                    },
                );
                parsed.insert(item.key.clone(), answer);
                fixed = true;
            }
            changed |= fixed;
        }
        if !changed {
            break;
        }
    }
    raw
}

/// Stores a generated response with its answers and their first history entries.
#[allow(clippy::too_many_arguments)]
pub async fn store(
    pool: &AnyPool,
    version: &LoadedVersion,
    round_id: &str,
    region_code: &str,
    user_id: &str,
    at: i64,
    submitted: bool,
    answers: &BTreeMap<String, RawAnswer>,
) -> Result<String, AppError> {
    let id = new_id();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO responses (id, round_id, region_code, status, created_at, updated_at, \
         updated_by, submitted_at, submitted_by) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(round_id)
    .bind(region_code)
    .bind(if submitted { "submitted" } else { "open" })
    .bind(at)
    .bind(user_id)
    .bind(submitted.then_some(at))
    .bind(submitted.then_some(user_id))
    .execute(&mut *tx)
    .await?;
    for (key, raw) in answers {
        let Some(item) = version.questionnaire.item(key) else {
            continue;
        };
        let Ok(Some(answer)) = parse_answer(item, raw) else {
            continue;
        };
        let unwritable = |error| AppError::internal("an answer does not serialise", error);
        let raw_json = serde_json::to_string(raw).map_err(unwritable)?;
        let value_json = serde_json::to_string(&answer).map_err(unwritable)?;
        sqlx::query(
            "INSERT INTO answers (response_id, item_key, raw, value, valid, version, prefilled, \
             updated_by, updated_at) VALUES ($1, $2, $3, $4, 1, 1, 0, $5, $6)",
        )
        .bind(&id)
        .bind(key)
        .bind(&raw_json)
        .bind(&value_json)
        .bind(user_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO answer_history (id, response_id, item_key, old_raw, new_raw, version, \
             changed_by, changed_at) VALUES ($1, $2, $3, NULL, $4, 1, $5, $6)",
        )
        .bind(new_id())
        .bind(&id)
        .bind(key)
        .bind(&raw_json)
        .bind(user_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}
