//! The national picture of a round for reviewers and admins: per item, how the submitted
//! responses answered, beside the compared round mapped through lineage.
//!
//! Counting happens in the database: one grouped query per round returns each distinct answer
//! per item with the number of regions that gave it, so the work grows with the number of
//! distinct answers, not with the number of regions. Only items whose visibility depends on
//! other answers are read per response, because whether they were asked differs per region.

use super::questionnaires::{self, LoadedVersion};
use super::state::AppState;
use crate::domain::access::SignedInUser;
use crate::domain::national::{
    figures, ComparedRound, NationalItem, NationalPicture, NationalSection, RoundTally,
};
use crate::domain::questionnaire::answer::Answer;
use crate::domain::questionnaire::completeness::{hidden_items, ResponseAnswers};
use crate::error::AppError;
use sqlx::{AnyPool, Row};
use std::collections::{BTreeSet, HashMap};

/// A round as the national picture needs it.
struct RoundFacts {
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
        "SELECT name, questionnaire_id, questionnaire_version, compared_round_id \
         FROM rounds WHERE id = $1",
    )
    .bind(round_id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(RoundFacts {
        name: row.try_get("name")?,
        questionnaire_id: row.try_get("questionnaire_id")?,
        questionnaire_version: row.try_get("questionnaire_version")?,
        compared_round_id: row.try_get("compared_round_id")?,
    })
}

/// The national picture of a round, for one section (`None`: all sections).
pub async fn picture(
    state: &AppState,
    user: &SignedInUser,
    round_id: &str,
    section: Option<&str>,
) -> Result<NationalPicture, AppError> {
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    let round = round_facts(&state.pool, round_id).await?;
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
    let current = tally(&state.pool, round_id, &version).await?;
    let compared = match &round.compared_round_id {
        Some(compared_id) => {
            let facts = round_facts(&state.pool, compared_id).await?;
            let old_version = state
                .questionnaires
                .get(
                    &state.pool,
                    &facts.questionnaire_id,
                    &facts.questionnaire_version,
                )
                .await?;
            let mapping = questionnaires::mapping(
                state,
                &version,
                &facts.questionnaire_id,
                &facts.questionnaire_version,
            )
            .await?;
            let tally = tally(&state.pool, compared_id, &old_version).await?;
            Some((facts.name, tally.mapped(&mapping), mapping))
        }
        None => None,
    };
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

/// Counts the answers of a round's submitted and approved responses, in the keys of the
/// round's own questionnaire version. Answers that are invalid, or taken over and not
/// confirmed, are not counted; answers to items the response's conditions hide count as
/// not asked.
pub async fn tally(
    pool: &AnyPool,
    round_id: &str,
    version: &LoadedVersion,
) -> Result<RoundTally, AppError> {
    let counts = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM round_regions WHERE round_id = $1) AS participating, \
         (SELECT COUNT(*) FROM responses WHERE round_id = $1 \
            AND status IN ('submitted', 'approved')) AS submitted",
    )
    .bind(round_id)
    .fetch_one(pool)
    .await?;
    let participating: i64 = counts.try_get("participating")?;
    let submitted: i64 = counts.try_get("submitted")?;
    let mut tally = RoundTally {
        participating: participating as usize,
        submitted: submitted as usize,
        items: HashMap::new(),
    };
    let questionnaire = &version.questionnaire;
    // Items asked or not depending on a region's answers, and the items their conditions read.
    let conditional: BTreeSet<String> = questionnaire
        .items()
        .filter(|item| item.visible_if.is_some())
        .map(|item| item.key.clone())
        .collect();
    let steering: BTreeSet<String> = questionnaire
        .items()
        .filter_map(|item| item.visible_if.as_ref())
        .flat_map(|condition| condition.expr.references())
        .map(|reference| reference.key)
        .chain(conditional.iter().cloned())
        .collect();

    // Every other item: distinct answers with their number of regions.
    let excluded = placeholders(2, conditional.len());
    let grouped_sql = format!(
        "SELECT a.item_key, a.value, COUNT(*) FROM answers a \
         JOIN responses r ON r.id = a.response_id \
         WHERE r.round_id = $1 AND r.status IN ('submitted', 'approved') \
           AND a.valid = 1 AND a.prefilled = 0 {} \
         GROUP BY a.item_key, a.value",
        if conditional.is_empty() {
            String::new()
        } else {
            format!("AND a.item_key NOT IN ({excluded})")
        }
    );
    let mut grouped = sqlx::query_as::<_, (String, String, i64)>(&grouped_sql).bind(round_id);
    for key in &conditional {
        grouped = grouped.bind(key);
    }
    for (key, value, regions) in grouped.fetch_all(pool).await? {
        let answer: Answer = serde_json::from_str(&value).map_err(|error| {
            tracing::error!(%error, key, "a stored answer does not read back");
            AppError::Internal
        })?;
        tally.add(&key, &answer, regions as usize);
    }
    if conditional.is_empty() {
        return Ok(tally);
    }

    // Conditional items: per response, decide what was asked, then count.
    let mut per_response: HashMap<String, ResponseAnswers> = sqlx::query_scalar::<_, String>(
        "SELECT id FROM responses WHERE round_id = $1 AND status IN ('submitted', 'approved')",
    )
    .bind(round_id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|id| (id, ResponseAnswers::default()))
    .collect();
    let rows_sql = format!(
        "SELECT a.response_id, a.item_key, a.value, a.prefilled FROM answers a \
         JOIN responses r ON r.id = a.response_id \
         WHERE r.round_id = $1 AND r.status IN ('submitted', 'approved') \
           AND a.valid = 1 AND a.item_key IN ({})",
        placeholders(2, steering.len())
    );
    let mut rows = sqlx::query_as::<_, (String, String, String, i64)>(&rows_sql).bind(round_id);
    for key in &steering {
        rows = rows.bind(key);
    }
    for (response_id, key, value, prefilled) in rows.fetch_all(pool).await? {
        let Some(answers) = per_response.get_mut(&response_id) else {
            continue;
        };
        let answer: Answer = serde_json::from_str(&value).map_err(|error| {
            tracing::error!(%error, key, "a stored answer does not read back");
            AppError::Internal
        })?;
        if prefilled == 1 {
            answers.unconfirmed.insert(key.clone());
        }
        answers.current.insert(key, answer);
    }
    for answers in per_response.values() {
        let hidden = hidden_items(questionnaire, &version.index, answers);
        for key in &conditional {
            if hidden.contains(key) {
                tally.not_asked(key);
            } else if let Some(answer) = answers.current.get(key) {
                if !answers.unconfirmed.contains(key) {
                    tally.add(key, answer, 1);
                }
            }
        }
    }
    Ok(tally)
}

/// "$first, $first+1, …" for `count` bound values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
