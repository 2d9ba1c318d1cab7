//! The national picture of a round for reviewers and admins: per item, how the submitted
//! responses answered, beside the compared round mapped through lineage.
//!
//! Both rounds are counted at the same time, each with one query that brings every valid
//! answer of its submitted responses over as one text per response; conditions are decided
//! per response (whether an item was asked differs per region), and each distinct answer is
//! read back once. `cargo run --release -p server --example national_picture` measures it at
//! 1,000 organisations × 300 items × 10 rounds.
//!
//! Counting is in `tally`; keeping the counts between requests in `kept`.

use super::questionnaires::{self, LoadedVersion};
use super::state::AppState;
use crate::domain::access::SignedInUser;
use crate::domain::comparison::VersionMapping;
use crate::domain::national::{
    figures, ComparedRound, NationalItem, NationalPicture, NationalSection, RoundTally,
};
use crate::domain::questionnaire::model::{Item, Questionnaire};
use crate::domain::round::RoundState;
use crate::error::AppError;
use sqlx::{Any, Executor};
use std::sync::Arc;

mod kept;
pub mod rendered;
mod tally;

use kept::kept_tally;
pub use kept::TallyCache;
pub use tally::tally;
pub(crate) use tally::{join_function, previous_steering};

/// A round as the national picture needs it.
struct RoundFacts {
    state: RoundState,
    name: String,
    questionnaire_id: String,
    questionnaire_version: String,
    compared_round_id: Option<String>,
}

/// A round's row as `round_facts` reads it.
#[derive(sqlx::FromRow)]
struct RoundRow {
    name: String,
    questionnaire_id: String,
    questionnaire_version: String,
    compared_round_id: Option<String>,
    state: String,
}

impl TryFrom<RoundRow> for RoundFacts {
    type Error = AppError;

    fn try_from(row: RoundRow) -> Result<Self, AppError> {
        Ok(RoundFacts {
            state: super::rounds::parse_state(&row.state)?,
            name: row.name,
            questionnaire_id: row.questionnaire_id,
            questionnaire_version: row.questionnaire_version,
            compared_round_id: row.compared_round_id,
        })
    }
}

async fn round_facts<'e, E>(executor: E, round_id: &str) -> Result<RoundFacts, AppError>
where
    E: Executor<'e, Database = Any>,
{
    if round_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let row: RoundRow = sqlx::query_as(
        "SELECT name, questionnaire_id, questionnaire_version, compared_round_id, state \
         FROM rounds WHERE id = $1",
    )
    .bind(round_id)
    .fetch_optional(executor)
    .await?
    .ok_or(AppError::NotFound)?;
    row.try_into()
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

/// The compared round's name and tally, in the keys of the current version, with the mapping.
type ComparedTally = (String, RoundTally, VersionMapping);

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
        .questionnaire_version(&round.questionnaire_id, &round.questionnaire_version)
        .await?;
    let questionnaire = &version.questionnaire;
    check_section(questionnaire, section)?;
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
        sections: sections(questionnaire, section, &current, compared.as_ref()),
    })
}

/// Refuses a section the questionnaire does not have.
fn check_section(questionnaire: &Questionnaire, section: Option<&str>) -> Result<(), AppError> {
    match section {
        Some(key) if !questionnaire.sections.iter().any(|s| s.key == key) => Err(AppError::field(
            "sectie",
            "Deze vragenlijst heeft geen onderdeel met die code.",
        )),
        _ => Ok(()),
    }
}

/// The figures of every item of the asked section (`None`: all sections).
fn sections(
    questionnaire: &Questionnaire,
    section: Option<&str>,
    current: &RoundTally,
    compared: Option<&ComparedTally>,
) -> Vec<NationalSection> {
    questionnaire
        .sections
        .iter()
        .filter(|s| section.is_none_or(|key| key == s.key))
        .map(|s| NationalSection {
            key: s.key.clone(),
            title: s.title.clone(),
            items: s
                .items
                .iter()
                .map(|item| national_item(item, current, compared))
                .collect(),
        })
        .collect()
}

/// One item's figures in this round and, where it maps onto it, in the compared round.
fn national_item(
    item: &Item,
    current: &RoundTally,
    compared: Option<&ComparedTally>,
) -> NationalItem {
    let (compared_figures, not_compared) = match compared {
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
}

/// The compared round's name and tally, mapped into the keys of `version`, with the mapping.
async fn compared_tally(
    state: AppState,
    version: Arc<LoadedVersion>,
    compared_id: Option<String>,
) -> Result<Option<ComparedTally>, AppError> {
    let Some(compared_id) = compared_id else {
        return Ok(None);
    };
    let facts = round_facts(&state.pool, &compared_id).await?;
    let old_version = state
        .questionnaire_version(&facts.questionnaire_id, &facts.questionnaire_version)
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
