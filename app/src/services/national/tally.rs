//! Counting a round: every valid answer of its submitted responses in one query, conditions
//! decided per response, each distinct answer read back once.

use super::round_facts;
use crate::domain::national::RoundTally;
use crate::domain::questionnaire::answer::Answer;
use crate::domain::questionnaire::completeness::{ConditionalItems, ResponseAnswers};
use crate::domain::questionnaire::model::Questionnaire;
use crate::error::AppError;
use crate::services::questionnaires::{self, LoadedVersion};
use crate::services::state::AppState;
use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, HashMap, HashSet};

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
    let (participating, responses, mut previous) = read_round(state, round_id, version).await?;
    let questionnaire = &version.questionnaire;
    // Items asked or not depending on a region's answers, and the items their conditions read.
    let conditional = ConditionalItems::new(questionnaire, &version.index);
    let mut counter = Counter::new(questionnaire, &conditional);
    let mut tally = RoundTally {
        participating: participating as usize,
        // Counted from the same read as the answers, so the figures always add up.
        submitted: responses.len(),
        items: HashMap::new(),
    };
    for (region_code, joined) in &responses {
        let previous = previous.remove(region_code).unwrap_or_default();
        counter.response(joined.as_deref(), previous, &mut tally)?;
    }
    counter.finish(&mut tally)?;
    Ok(tally)
}

/// Per region, its answers as one joined text (`None`: no valid answer).
type JoinedAnswers = Vec<(String, Option<String>)>;

/// What `tally` reads: the number of regions taking part, the joined answers of each
/// submitted response, and the compared round's answers that steer conditions.
async fn read_round(
    state: &AppState,
    round_id: &str,
    version: &LoadedVersion,
) -> Result<(i64, JoinedAnswers, HashMap<String, HashMap<String, Answer>>), AppError> {
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
    tokio::try_join!(
        async {
            let participating: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM round_regions WHERE round_id = $1")
                    .bind(round_id)
                    .fetch_one(pool)
                    .await?;
            Ok::<_, AppError>(participating)
        },
        async {
            let responses: JoinedAnswers = sqlx::query_as(&answers_sql)
                .bind(round_id)
                .fetch_all(pool)
                .await?;
            Ok(responses)
        },
        previous_steering(state, round_id, version),
    )
}

/// The counting of one round's responses, one after another; `'a` is the lifetime of the
/// questionnaire and of the joined answers, which the counts point into.
struct Counter<'a, 'c> {
    /// Per item key: whether conditions read it, whether it is itself conditional. Looked up
    /// for every stored answer, hence the fast hasher.
    roles: FxHashMap<&'a str, (bool, bool)>,
    conditional: &'c ConditionalItems<'a>,
    /// (item key, stored JSON) → regions, for the answers that count.
    distinct: FxHashMap<(&'a str, &'a str), usize>,
    read_back: FxHashMap<&'a str, Answer>,
    /// Submitted responses without a single valid answer, now or in the compared round.
    without: usize,
}

impl<'a, 'c> Counter<'a, 'c> {
    fn new(questionnaire: &'a Questionnaire, conditional: &'c ConditionalItems<'a>) -> Self {
        let steering: HashSet<String> = questionnaire
            .items()
            .filter_map(|item| item.visible_if.as_ref())
            .flat_map(|condition| condition.expr.references())
            .map(|reference| reference.key)
            .collect();
        let roles = questionnaire
            .items()
            .map(|item| {
                let key = item.key.as_str();
                (key, (steering.contains(key), conditional.contains(key)))
            })
            .collect();
        Counter {
            roles,
            conditional,
            distinct: FxHashMap::default(),
            read_back: FxHashMap::default(),
            without: 0,
        }
    }

    /// Counts one response: its joined answers, with the compared round's answers that
    /// steer its conditions. Items its conditions hide count as not asked.
    fn response(
        &mut self,
        joined: Option<&'a str>,
        previous: HashMap<String, Answer>,
        tally: &mut RoundTally,
    ) -> Result<(), AppError> {
        if joined.is_none() && previous.is_empty() {
            self.without += 1;
            return Ok(());
        }
        let mut steering_answers = ResponseAnswers {
            previous,
            ..ResponseAnswers::default()
        };
        let mut conditional_answers: Vec<(&str, &str)> = Vec::new();
        for part in joined.iter().flat_map(|joined| joined.split('\u{1e}')) {
            let (confirmed, key, json) = tallied_part(part)?;
            let (steers, asked_on_condition) = self.roles.get(key).copied().unwrap_or_default();
            if steers {
                let answer = read_once(&mut self.read_back, key, json)?;
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
                *self.distinct.entry((key, json)).or_default() += 1;
            }
        }
        let hidden = self.conditional.hidden(&steering_answers);
        for key in &hidden {
            tally.not_asked(key, 1);
        }
        for (key, json) in conditional_answers {
            if !hidden.contains(key) {
                *self.distinct.entry((key, json)).or_default() += 1;
            }
        }
        Ok(())
    }

    /// Adds the responses without answers, all alike, and every distinct answer.
    fn finish(self, tally: &mut RoundTally) -> Result<(), AppError> {
        if self.without > 0 {
            let hidden = self.conditional.hidden(&ResponseAnswers::default());
            for key in &hidden {
                tally.not_asked(key, self.without);
            }
        }
        for ((key, json), regions) in self.distinct {
            let answer = match self.read_back.get(json) {
                Some(answer) => answer.clone(),
                None => read_answer(key, json)?,
            };
            tally.add(key, &answer, regions);
        }
        Ok(())
    }
}

/// One part of a response's joined answers: "0" or "1" (taken over, not confirmed), the
/// item key, a tab, the stored JSON. Returns whether it is confirmed, the key and the JSON.
fn tallied_part(part: &str) -> Result<(bool, &str, &str), AppError> {
    let (Some(prefilled), Some((key, json))) = (
        part.get(..1),
        part.get(1..).and_then(|rest| rest.split_once('\t')),
    ) else {
        return Err(AppError::internal(
            "a tallied answer has no key",
            format!("{part:?}"),
        ));
    };
    Ok((prefilled == "0", key, json))
}

/// Conditions such as `changed(x)` also read the region's answer in the round's own compared
/// round: what the region was asked depended on it. Per region, the answers of the round's own compared round to the items whose previous
/// answer a condition reads (`prev`, `changed`, `change_pct`), in the keys and codes of
/// `version`. Empty when no condition reads the compared round, or there is none.
pub(crate) async fn previous_steering(
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
pub(crate) fn join_function(state: &AppState) -> &'static str {
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
