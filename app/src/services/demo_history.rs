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
use crate::domain::questionnaire::model::{CellKind, Choice, Item, ItemKind, Questionnaire};
use crate::error::AppError;
use sqlx::{AnyConnection, AnyPool};
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
    if item.allow_unknown && noise(region, key, 7 + round as u64) % 100 < 2 {
        return RawAnswer {
            special: Some("onbekend".to_string()),
            ..RawAnswer::default()
        };
    }
    let (yes_share, yes) = says_yes(key, region, round, r);
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
        } => values(chosen(options, *min_selected, r)),
        ItemKind::Ranking { options, rank } => {
            let start = pick(options.len());
            values(
                (0..*rank)
                    .map(|n| options[(start + n) % options.len()].code.clone())
                    .collect(),
            )
        }
        ItemKind::Integer { min, max } => one(integer(key, r, round, *min, *max)),
        ItemKind::Decimal { min, max, .. } => one(decimal(key, r, *min, *max)),
        ItemKind::Percentage { .. } => one((40 + r % 55 + 2 * round as u64).min(100).to_string()),
        ItemKind::Scale { .. } => one((2 + (r % 3) + round.min(1) as u64).min(5).to_string()),
        ItemKind::ShortText { .. } => one(format!("Antwoord van regio {}", region + 1)),
        ItemKind::LongText { .. } => one(explanation(key)),
        ItemKind::Date { min, max } => one(date(min, max, reference_date)),
        ItemKind::Matrix { rows, cell } => RawAnswer {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let c = noise(region, &format!("{key}.{}", row.code), 0);
                    (row.code.clone(), cell_value(cell, c, i, yes_share))
                })
                .collect(),
            ..RawAnswer::default()
        },
    }
}

fn values(list: Vec<String>) -> RawAnswer {
    RawAnswer {
        values: list,
        ..RawAnswer::default()
    }
}

fn one(value: String) -> RawAnswer {
    values(vec![value])
}

/// The share of "ja" for `key` in `round`, and whether this region says "ja". The share grows
/// over the rounds; a region that said "ja" keeps saying it.
fn says_yes(key: &str, region: usize, round: usize, r: u64) -> (u64, bool) {
    let trend = TRENDS.iter().find(|(trend, _)| *trend == key);
    let yes_share = trend.map_or(55 + 8 * round as u64, |(_, shares)| shares[round]);
    // Key indicators spread the regions evenly over 0–99, so the shares come out as meant.
    let place = if trend.is_some() {
        (region as u64 * 61 + 7) % 100
    } else {
        r % 100
    };
    (yes_share, place < yes_share)
}

/// The options a region ticks: some by its noise, then the first ones until there are
/// `min_selected`; never "geen" or "anders".
fn chosen(options: &[Choice], min_selected: Option<usize>, r: u64) -> Vec<String> {
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
    chosen
}

/// A count that grows a little each round, within the item's bounds.
fn integer(key: &str, r: u64, round: usize, min: Option<i64>, max: Option<i64>) -> String {
    let (low, high) = number_range(key);
    let base = low + (r % (high - low + 1) as u64) as i64;
    let value = base + base * round as i64 / 12;
    value
        .max(min.unwrap_or(i64::MIN))
        .min(max.unwrap_or(i64::MAX))
        .to_string()
}

/// A number with one decimal, written the Dutch way ("12,5"), within the item's bounds.
fn decimal(key: &str, r: u64, min: Option<f64>, max: Option<f64>) -> String {
    let (low, high) = number_range(key);
    let value = (low + (r % (high - low + 1) as u64) as i64) as f64 + 0.5;
    let value = value
        .max(min.unwrap_or(f64::MIN))
        .min(max.unwrap_or(f64::MAX));
    format!("{value:.1}").replace('.', ",")
}

/// The reference date, or the earliest date allowed when that is later (or when the item
/// has both bounds).
fn date(min: &Option<String>, max: &Option<String>, reference_date: &str) -> String {
    match (min, max) {
        (Some(min), Some(_)) => min.clone(),
        (Some(min), None) if min.as_str() > reference_date => min.clone(),
        _ => reference_date.to_string(),
    }
}

/// One cell of a matrix row `i`, from the row's noise `c`.
fn cell_value(cell: &CellKind, c: u64, i: usize, yes_share: u64) -> String {
    match cell {
        CellKind::YesNo => if c % 100 < yes_share { "ja" } else { "nee" }.to_string(),
        CellKind::YesPartlyNo => ["ja", "deels", "nee"][(c % 3) as usize].to_string(),
        CellKind::Integer { min, max } => (5 + c % 40 + i as u64)
            .max(min.unwrap_or(0).max(0) as u64)
            .min(max.unwrap_or(i64::MAX).max(0) as u64)
            .to_string(),
        CellKind::SingleChoice { options } => {
            options[(c % options.len() as u64) as usize].code.clone()
        }
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

/// A response being generated: the raw input of each answered item and its parsed answer.
#[derive(Default)]
struct Draft {
    raw: BTreeMap<String, RawAnswer>,
    parsed: HashMap<String, Answer>,
}

impl Draft {
    /// Answers `item` with `input` when that parses to an answer; whether it did.
    fn answer(&mut self, item: &Item, input: RawAnswer) -> bool {
        match parse_answer(item, &input) {
            Ok(Some(answer)) => {
                self.raw.insert(item.key.clone(), input);
                self.parsed.insert(item.key.clone(), answer);
                true
            }
            _ => false,
        }
    }

    fn remove(&mut self, key: &str) {
        self.raw.remove(key);
        self.parsed.remove(key);
    }

    fn answers(&self, previous: &HashMap<String, Answer>) -> ResponseAnswers {
        ResponseAnswers {
            current: self.parsed.clone(),
            previous: previous.clone(),
            ..ResponseAnswers::default()
        }
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
    let asked = || {
        questionnaire
            .sections
            .iter()
            .take(sections)
            .flat_map(|s| &s.items)
    };
    let mut draft = Draft::default();
    for item in asked() {
        draft.answer(item, raw_answer(item, region, round, reference_date));
    }
    // Leave out what conditions hide, and explain what rules ask to be explained; a number
    // that breaks a rule becomes "onbekend".
    for _ in 0..6 {
        let hidden = hidden_items(questionnaire, &version.index, &draft.answers(previous));
        draft.raw.retain(|key, _| !hidden.contains(key));
        draft.parsed.retain(|key, _| !hidden.contains(key));
        let mut changed = false;
        // Items an earlier fix made visible get their answer too.
        for item in asked() {
            if hidden.contains(&item.key) || draft.parsed.contains_key(&item.key) {
                continue;
            }
            changed |= draft.answer(item, raw_answer(item, region, round, reference_date));
        }
        changed |= unblock_all(version, previous, &mut draft);
        if !changed {
            break;
        }
    }
    draft.raw
}

/// Changes what blocks in the draft as it was evaluated now; whether anything changed.
fn unblock_all(
    version: &LoadedVersion,
    previous: &HashMap<String, Answer>,
    draft: &mut Draft,
) -> bool {
    let questionnaire = &version.questionnaire;
    let evaluation = evaluate(questionnaire, &version.index, &draft.answers(previous));
    let mut changed = false;
    for item in questionnaire.items() {
        let blocked = evaluation
            .items
            .get(&item.key)
            .is_some_and(|state| !state.blocking.is_empty());
        if blocked && draft.parsed.contains_key(&item.key) {
            changed |= unblock(questionnaire, item, draft);
        }
    }
    changed
}

/// Changes the answer of a blocked item, or answers what its rules ask to be explained;
/// whether anything changed.
fn unblock(questionnaire: &Questionnaire, item: &Item, draft: &mut Draft) -> bool {
    // A ranking of what was chosen at another item ranks from those choices.
    if let ItemKind::Ranking { rank, .. } = &item.kind {
        if let Some(codes) = chosen_elsewhere(item, &draft.parsed) {
            let input = RawAnswer {
                values: codes.into_iter().take(*rank).collect(),
                ..RawAnswer::default()
            };
            if !draft.answer(item, input) {
                draft.remove(&item.key);
            }
            return true;
        }
    }
    explain(questionnaire, item, draft) || replace(item, draft)
}

/// The codes chosen at another item that the rules of a ranking read.
fn chosen_elsewhere(item: &Item, parsed: &HashMap<String, Answer>) -> Option<Vec<String>> {
    item.rules
        .iter()
        .flat_map(|rule| rule.check.expr.all_references())
        .find_map(|reference| match parsed.get(&reference.key) {
            Some(Answer::Given(AnswerValue::Codes(codes))) if reference.key != item.key => {
                Some(codes.clone())
            }
            _ => None,
        })
}

/// Answers the unanswered texts the rules of `item` read; whether any was.
fn explain(questionnaire: &Questionnaire, item: &Item, draft: &mut Draft) -> bool {
    let texts: Vec<&Item> = item
        .rules
        .iter()
        .flat_map(|rule| rule.check.expr.all_references())
        .filter_map(|reference| questionnaire.item(&reference.key))
        .filter(|read| {
            matches!(
                read.kind,
                ItemKind::LongText { .. } | ItemKind::ShortText { .. }
            ) && !draft.parsed.contains_key(&read.key)
        })
        .collect();
    let mut fixed = false;
    for text in texts {
        let input = RawAnswer {
            values: vec![explanation(&text.key)],
            ..RawAnswer::default()
        };
        fixed |= draft.answer(text, input);
    }
    fixed
}

/// Nothing to explain: a yes/no that blocks (such as the approval before submitting)
/// becomes "ja"; anything else "onbekend". Whether the answer changed.
fn replace(item: &Item, draft: &mut Draft) -> bool {
    let yes = Answer::Given(AnswerValue::Code("ja".to_string()));
    let current = draft.parsed.get(&item.key);
    let (values, special, answer) =
        if matches!(item.kind, ItemKind::YesNo | ItemKind::YesPartlyNo) && current != Some(&yes) {
            (vec!["ja".to_string()], None, yes)
        } else if item.allow_unknown && current != Some(&Answer::Unknown) {
            (vec![], Some("onbekend".to_string()), Answer::Unknown)
        } else {
            return false;
        };
    draft.raw.insert(
        item.key.clone(),
        RawAnswer {
            values,
            special,
            ..RawAnswer::default()
        },
    );
    draft.parsed.insert(item.key.clone(), answer);
    true
}

/// Who filled in a generated response, when, and whether they submitted it.
pub struct Filing<'a> {
    pub round_id: &'a str,
    pub region_code: &'a str,
    pub user_id: &'a str,
    pub at: i64,
    pub submitted: bool,
}

/// Stores a generated response with its answers and their first history entries.
pub async fn store(
    pool: &AnyPool,
    version: &LoadedVersion,
    filing: Filing<'_>,
    answers: &BTreeMap<String, RawAnswer>,
) -> Result<String, AppError> {
    let Filing {
        round_id,
        region_code,
        user_id,
        at,
        submitted,
    } = filing;
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
        insert_answer(&mut tx, &id, key, raw, &answer, user_id, at).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// One answer of a generated response, as its first version, with its history entry.
async fn insert_answer(
    conn: &mut AnyConnection,
    response_id: &str,
    key: &str,
    raw: &RawAnswer,
    answer: &Answer,
    user_id: &str,
    at: i64,
) -> Result<(), AppError> {
    let unwritable = |error| AppError::internal("an answer does not serialise", error);
    let raw_json = serde_json::to_string(raw).map_err(unwritable)?;
    let value_json = serde_json::to_string(answer).map_err(unwritable)?;
    sqlx::query(
        "INSERT INTO answers (response_id, item_key, raw, value, valid, version, prefilled, \
         updated_by, updated_at) VALUES ($1, $2, $3, $4, 1, 1, 0, $5, $6)",
    )
    .bind(response_id)
    .bind(key)
    .bind(&raw_json)
    .bind(&value_json)
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO answer_history (id, response_id, item_key, old_raw, new_raw, version, \
         changed_by, changed_at) VALUES ($1, $2, $3, NULL, $4, 1, $5, $6)",
    )
    .bind(new_id())
    .bind(response_id)
    .bind(key)
    .bind(&raw_json)
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
