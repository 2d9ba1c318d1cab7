//! The national picture of a round for reviewers and admins: per item, how the submitted
//! responses answered, beside the compared round mapped through lineage.
//!
//! Both rounds are counted at the same time, each with one query that brings every valid
//! answer of its submitted responses over as one text per response; conditions are decided
//! per response (whether an item was asked differs per region), and each distinct answer is
//! read back once. `cargo run --release -p server --example national_picture` measures it at
//! 1,000 organisations × 300 items × 10 rounds.

use super::questionnaires::{self, LoadedVersion};
use super::state::AppState;
use crate::domain::access::SignedInUser;
use crate::domain::comparison::VersionMapping;
use crate::domain::national::{
    figures, ComparedRound, NationalItem, NationalPicture, NationalSection, RoundTally,
};
use crate::domain::questionnaire::answer::Answer;
use crate::domain::questionnaire::completeness::{ConditionalItems, ResponseAnswers};
use crate::error::AppError;
use rustc_hash::FxHashMap;
use sqlx::{AnyPool, Row};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// A round as the national picture needs it.
struct RoundFacts {
    state: crate::domain::round::RoundState,
    name: String,
    questionnaire_id: String,
    questionnaire_version: String,
    compared_round_id: Option<String>,
}

async fn round_facts(pool: &AnyPool, round_id: &str) -> Result<RoundFacts, AppError> {
    if round_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let row = sqlx::query(
        "SELECT name, questionnaire_id, questionnaire_version, compared_round_id, state \
         FROM rounds WHERE id = $1",
    )
    .bind(round_id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(RoundFacts {
        state: super::rounds::stored_state(&row, "state")?,
        name: row.try_get("name")?,
        questionnaire_id: row.try_get("questionnaire_id")?,
        questionnaire_version: row.try_get("questionnaire_version")?,
        compared_round_id: row.try_get("compared_round_id")?,
    })
}

/// The national picture of a round, for one section (`None`: all sections), beside the
/// round's own compared round.
pub async fn picture(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
    section: Option<&str>,
) -> Result<NationalPicture, AppError> {
    picture_compared_with(state, user, round_id, section, None).await
}

/// The national picture beside another earlier round (`compared_with`, such as the same
/// round a year earlier), or beside the round's own compared round when `None`.
pub async fn picture_compared_with(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
    section: Option<&str>,
    compared_with: Option<&str>,
) -> Result<NationalPicture, AppError> {
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    let mut round = round_facts(&state.pool, round_id).await?;
    if !round.state.visible_to(user.role) {
        return Err(AppError::NotFound);
    }
    let comparison_choices = super::rounds::comparison_choices(&state.pool, round_id).await?;
    round.compared_round_id = super::rounds::choose_compared(
        &comparison_choices,
        compared_with,
        round.compared_round_id.as_deref(),
        "met",
    )?;
    let version = state
        .questionnaires
        .get(
            &state.pool,
            &round.questionnaire_id,
            &round.questionnaire_version,
        )
        .await?;
    let questionnaire = &version.questionnaire;
    if let Some(key) = section {
        if !questionnaire.sections.iter().any(|s| s.key == key) {
            return Err(AppError::field(
                "sectie",
                "Deze vragenlijst heeft geen onderdeel met die code.",
            ));
        }
    }
    // Both rounds are counted at the same time, the compared one on a task of its own so the
    // reading back of both runs on two threads.
    let compared_round = tokio::spawn(compared_tally(
        state.clone(),
        Arc::clone(&version),
        round.compared_round_id.clone(),
    ));
    let current = kept_tally(state, round_id, &version).await?;
    let compared = compared_round
        .await
        .map_err(|error| AppError::internal("counting the compared round stopped", error))??;
    let sections = questionnaire
        .sections
        .iter()
        .filter(|s| section.is_none_or(|key| key == s.key))
        .map(|s| NationalSection {
            key: s.key.clone(),
            title: s.title.clone(),
            items: s
                .items
                .iter()
                .map(|item| {
                    let (compared_figures, not_compared) = match &compared {
                        Some((_, tally, mapping)) => match mapping.why_not(&item.key) {
                            None => (
                                Some(figures(item, tally.items.get(&item.key), tally.submitted)),
                                None,
                            ),
                            why => (None, why),
                        },
                        None => (None, None),
                    };
                    NationalItem {
                        key: item.key.clone(),
                        label: item.label.clone(),
                        indicator: item.indicator.clone(),
                        unit: item.unit.clone(),
                        current: figures(item, current.items.get(&item.key), current.submitted),
                        compared: compared_figures,
                        not_compared,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(NationalPicture {
        comparison_choices,
        compared_round_id: round.compared_round_id.clone(),
        round_id: round_id.to_string(),
        round_name: round.name,
        questionnaire: format!("{}/{}", questionnaire.identifier, questionnaire.version),
        participating: current.participating,
        submitted: current.submitted,
        compared_round: compared.as_ref().map(|(name, tally, _)| ComparedRound {
            name: name.clone(),
            participating: tally.participating,
            submitted: tally.submitted,
        }),
        all_sections: questionnaire
            .sections
            .iter()
            .map(|s| (s.key.clone(), s.title.clone()))
            .collect(),
        sections,
    })
}

/// The compared round's name and tally, mapped into the keys of `version`, with the mapping.
async fn compared_tally(
    state: AppState,
    version: Arc<LoadedVersion>,
    compared_id: Option<String>,
) -> Result<Option<(String, RoundTally, VersionMapping)>, AppError> {
    let Some(compared_id) = compared_id else {
        return Ok(None);
    };
    let facts = round_facts(&state.pool, &compared_id).await?;
    let old_version = state
        .questionnaires
        .get(
            &state.pool,
            &facts.questionnaire_id,
            &facts.questionnaire_version,
        )
        .await?;
    let mapping = questionnaires::mapping(
        &state.pool,
        &state.questionnaires,
        &version,
        &facts.questionnaire_id,
        &facts.questionnaire_version,
    )
    .await?;
    let tally = kept_tally(&state, &compared_id, &old_version).await?;
    Ok(Some((facts.name, tally.mapped(&mapping), mapping)))
}

/// The tallies of rounds, kept between requests while what they count is unchanged: a
/// closed or published round is counted once, an open one again after a change. Per round,
/// one request counts at a time, and those waiting take its result.
#[derive(Debug, Default)]
pub struct TallyCache {
    rounds: std::sync::Mutex<HashMap<(String, String), TallySlot>>,
}

/// One round's kept tally; its lock is held while the round is counted.
type TallySlot = Arc<tokio::sync::Mutex<Option<KeptTally>>>;

#[derive(Debug)]
struct KeptTally {
    stamp: TallyStamp,
    tally: Arc<RoundTally>,
}

/// Everything a tally reads that can change: the regions taking part, the status and
/// revision (raised by every answer write) of each response, the round's compared round and
/// the revisions of its responses (whose answers steer conditions such as `changed(x)`).
#[derive(Debug, PartialEq, Eq)]
struct TallyStamp {
    participating: i64,
    responses: Vec<(String, String, i64)>,
    compared_round: Option<String>,
    compared_responses: Vec<(String, String, i64)>,
}

async fn tally_stamp(pool: &AnyPool, round_id: &str) -> Result<TallyStamp, AppError> {
    async fn responses(
        pool: &AnyPool,
        round_id: &str,
    ) -> Result<Vec<(String, String, i64)>, AppError> {
        Ok(sqlx::query_as(
            "SELECT id, status, revision FROM responses WHERE round_id = $1 ORDER BY id",
        )
        .bind(round_id)
        .fetch_all(pool)
        .await?)
    }
    let participating: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM round_regions WHERE round_id = $1")
            .bind(round_id)
            .fetch_one(pool)
            .await?;
    let compared_round = round_facts(pool, round_id).await?.compared_round_id;
    let compared_responses = match &compared_round {
        Some(compared) => responses(pool, compared).await?,
        None => Vec::new(),
    };
    Ok(TallyStamp {
        participating,
        responses: responses(pool, round_id).await?,
        compared_round,
        compared_responses,
    })
}

/// `tally` of a round, from the cache while its stamp is unchanged. The stamp is read before
/// the answers, so a kept tally is never older than its stamp says.
async fn kept_tally(
    state: &AppState,
    round_id: &str,
    version: &LoadedVersion,
) -> Result<Arc<RoundTally>, AppError> {
    let key = (
        round_id.to_string(),
        format!(
            "{}/{}",
            version.questionnaire.identifier, version.questionnaire.version
        ),
    );
    let slot = {
        let mut rounds = state
            .tallies
            .rounds
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        Arc::clone(rounds.entry(key).or_default())
    };
    let mut kept = slot.lock().await;
    let stamp = tally_stamp(&state.pool, round_id).await?;
    if let Some(found) = kept.as_ref().filter(|found| found.stamp == stamp) {
        return Ok(Arc::clone(&found.tally));
    }
    let tally = Arc::new(tally(state, round_id, version).await?);
    *kept = Some(KeptTally {
        stamp,
        tally: Arc::clone(&tally),
    });
    Ok(tally)
}

/// Counts the answers of a round's submitted and approved responses, in the keys of the
/// round's own questionnaire version. Answers that are invalid, or taken over and not
/// confirmed, are not counted; answers to items the response's conditions hide count as
/// not asked.
///
/// One query reads every valid answer, joined by the database into one text per response:
/// a thousand rows cross over instead of hundreds of thousands, which is where the time
/// would go. Stored answers are JSON, in which tabs and record separators never occur
/// unescaped, so those separate the parts. Each distinct answer is read back once.
pub async fn tally(
    state: &AppState,
    round_id: &str,
    version: &LoadedVersion,
) -> Result<RoundTally, AppError> {
    let pool = &state.pool;
    let join_texts = join_function(state);
    // Per response a subquery, so both databases read each response's answers through the
    // index (a join let PostgreSQL scan every answer of every round).
    let answers_sql = format!(
        "SELECT r.region_code, \
         (SELECT {join_texts}(CAST(a.prefilled AS TEXT) || a.item_key || '\t' || a.value, '\u{1e}') \
          FROM answers a WHERE a.response_id = r.id AND a.valid = 1) \
         FROM responses r \
         WHERE r.round_id = $1 AND r.status IN ('submitted', 'approved')"
    );
    // The three reads are independent: on their own connections at the same time.
    let (participating, responses, mut previous) = tokio::try_join!(
        async {
            let participating: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM round_regions WHERE round_id = $1")
                    .bind(round_id)
                    .fetch_one(pool)
                    .await?;
            Ok::<_, AppError>(participating)
        },
        async {
            let responses: Vec<(String, Option<String>)> = sqlx::query_as(&answers_sql)
                .bind(round_id)
                .fetch_all(pool)
                .await?;
            Ok(responses)
        },
        previous_steering(state, round_id, version),
    )?;
    let questionnaire = &version.questionnaire;
    // Items asked or not depending on a region's answers, and the items their conditions read.
    let conditional = ConditionalItems::new(questionnaire, &version.index);
    let steering: HashSet<String> = questionnaire
        .items()
        .filter_map(|item| item.visible_if.as_ref())
        .flat_map(|condition| condition.expr.references())
        .map(|reference| reference.key)
        .collect();
    // Per item key: whether conditions read it, whether it is itself conditional. Looked up
    // for every stored answer, hence the fast hasher.
    let roles: FxHashMap<&str, (bool, bool)> = questionnaire
        .items()
        .map(|item| {
            let key = item.key.as_str();
            (key, (steering.contains(key), conditional.contains(key)))
        })
        .collect();
    let mut tally = RoundTally {
        participating: participating as usize,
        // Counted from the same read as the answers, so the figures always add up.
        submitted: responses.len(),
        items: HashMap::new(),
    };
    // (item key, stored JSON) → regions, for the answers that count.
    let mut distinct: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    let mut read_back: FxHashMap<&str, Answer> = FxHashMap::default();
    let mut without = 0;
    for (region_code, joined) in &responses {
        let previous = previous.remove(region_code).unwrap_or_default();
        if joined.is_none() && previous.is_empty() {
            without += 1;
            continue;
        }
        let mut steering_answers = ResponseAnswers {
            previous,
            ..ResponseAnswers::default()
        };
        let mut conditional_answers: Vec<(&str, &str)> = Vec::new();
        for part in joined.iter().flat_map(|joined| joined.split('\u{1e}')) {
            // "0" or "1" (taken over, not confirmed), the item key, a tab, the stored JSON.
            let (Some(prefilled), Some((key, json))) = (
                part.get(..1),
                part.get(1..).and_then(|rest| rest.split_once('\t')),
            ) else {
                return Err(AppError::internal(
                    "a tallied answer has no key",
                    format!("{part:?}"),
                ));
            };
            let confirmed = prefilled == "0";
            let (steers, asked_on_condition) = roles.get(key).copied().unwrap_or_default();
            if steers {
                let answer = read_once(&mut read_back, key, json)?;
                if !confirmed {
                    steering_answers.unconfirmed.insert(key.to_string());
                }
                steering_answers.current.insert(key.to_string(), answer);
            }
            if asked_on_condition {
                if confirmed {
                    conditional_answers.push((key, json));
                }
            } else if confirmed {
                *distinct.entry((key, json)).or_default() += 1;
            }
        }
        let hidden = conditional.hidden(&steering_answers);
        for key in &hidden {
            tally.not_asked(key, 1);
        }
        for (key, json) in conditional_answers {
            if !hidden.contains(key) {
                *distinct.entry((key, json)).or_default() += 1;
            }
        }
    }
    // Submitted responses without a single valid answer, now or in the compared round, are
    // all alike.
    if without > 0 {
        let hidden = conditional.hidden(&ResponseAnswers::default());
        for key in &hidden {
            tally.not_asked(key, without);
        }
    }
    for ((key, json), regions) in distinct {
        let answer = match read_back.get(json) {
            Some(answer) => answer.clone(),
            None => read_answer(key, json)?,
        };
        tally.add(key, &answer, regions);
    }
    Ok(tally)
}

/// Conditions such as `changed(x)` also read the region's answer in the round's own compared
/// round: what the region was asked depended on it. Per region, the answers of the round's own compared round to the items whose previous
/// answer a condition reads (`prev`, `changed`, `change_pct`), in the keys and codes of
/// `version`. Empty when no condition reads the compared round, or there is none.
async fn previous_steering(
    state: &AppState,
    round_id: &str,
    version: &LoadedVersion,
) -> Result<HashMap<String, HashMap<String, Answer>>, AppError> {
    let read_before: BTreeSet<String> = version
        .questionnaire
        .items()
        .filter_map(|item| item.visible_if.as_ref())
        .flat_map(|condition| condition.expr.previous_references())
        .map(|reference| reference.key)
        .collect();
    if read_before.is_empty() {
        return Ok(HashMap::new());
    }
    let Some(compared_id) = round_facts(&state.pool, round_id).await?.compared_round_id else {
        return Ok(HashMap::new());
    };
    let compared = round_facts(&state.pool, &compared_id).await?;
    let mapping = questionnaires::mapping(
        &state.pool,
        &state.questionnaires,
        version,
        &compared.questionnaire_id,
        &compared.questionnaire_version,
    )
    .await?;
    let old_keys: BTreeSet<&str> = mapping
        .comparable()
        .filter(|(current, _, _)| read_before.contains(*current))
        .map(|(_, old, _)| old)
        .collect();
    if old_keys.is_empty() {
        return Ok(HashMap::new());
    }
    // As in `tally`: one row per region with its answers joined, as rows are the cost.
    let join_texts = join_function(state);
    let placeholders: Vec<String> = (2..old_keys.len() + 2).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT r.region_code, \
         (SELECT {join_texts}(a.item_key || '\t' || a.value, '\u{1e}') \
          FROM answers a WHERE a.response_id = r.id AND a.valid = 1 AND a.item_key IN ({})) \
         FROM responses r WHERE r.round_id = $1",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, Option<String>)>(&sql).bind(&compared_id);
    for key in &old_keys {
        query = query.bind(*key);
    }
    let rows = query.fetch_all(&state.pool).await?;
    let mut read_back: FxHashMap<&str, Answer> = FxHashMap::default();
    let mut old_answers: HashMap<String, HashMap<String, Answer>> = HashMap::new();
    for (region_code, joined) in &rows {
        let Some(joined) = joined else { continue };
        let region = old_answers.entry(region_code.clone()).or_default();
        for part in joined.split('\u{1e}') {
            let Some((key, json)) = part.split_once('\t') else {
                return Err(AppError::internal(
                    "a compared answer has no key",
                    format!("{part:?}"),
                ));
            };
            let answer = read_once(&mut read_back, key, json)?;
            region.insert(key.to_string(), answer);
        }
    }
    Ok(old_answers
        .into_iter()
        .map(|(region_code, old)| {
            let mapped = read_before
                .iter()
                .filter_map(|key| Some((key.clone(), mapping.answer(key, &old)?)))
                .collect();
            (region_code, mapped)
        })
        .collect())
}

/// The SQL function that joins texts: `group_concat` on SQLite, `string_agg` on PostgreSQL.
fn join_function(state: &AppState) -> &'static str {
    if state.sqlite_writes.is_some() {
        "group_concat"
    } else {
        "string_agg"
    }
}

/// Reads a stored answer, each distinct JSON text once.
fn read_once<'a>(
    read_back: &mut FxHashMap<&'a str, Answer>,
    key: &str,
    json: &'a str,
) -> Result<Answer, AppError> {
    if let Some(answer) = read_back.get(json) {
        return Ok(answer.clone());
    }
    let answer = read_answer(key, json)?;
    read_back.insert(json, answer.clone());
    Ok(answer)
}

fn read_answer(key: &str, json: &str) -> Result<Answer, AppError> {
    serde_json::from_str(json).map_err(|error| {
        AppError::internal(
            "a stored answer does not read back",
            format!("{key}: {error}"),
        )
    })
}
