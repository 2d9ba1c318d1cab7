//! The preview of publishing (or correcting) a round: its national page as it would be.

use super::edition::refusal;
use super::pages::{mappings_onto, paired};
use super::{all, stored_editions, Publications, PublishedRound};
use crate::domain::publication::dashboard::{self, Preview, Published};
use crate::domain::publication::{self, round_slug, Edition, Snapshot};
use crate::error::AppError;
use crate::services::now_ms;
use crate::services::state::AppState;

/// The preview of publishing (or correcting) a round: its national page as it would be,
/// compared with the publications before it.
pub async fn preview(state: &AppState, round_id: &str) -> Result<Preview, AppError> {
    let (snapshot, round_state, _) =
        crate::services::exports::public_snapshot(state, round_id).await?;
    let editions = stored_editions(&state.pool, round_id).await?;
    let first = editions.is_empty();
    let version = state
        .questionnaire_version(&snapshot.questionnaire_id, &snapshot.questionnaire_version)
        .await?;
    let publications = all(state).await?;
    let programme = super::programme_of_round(&state.pool, round_id).await?;
    // Compared with the publications of its programme before this one, as the public page
    // will be.
    let before = rounds_before(&publications, &programme, &snapshot, round_id);
    let edition = Edition {
        slug: editions.last().map_or_else(
            || round_slug(&programme, snapshot.deadline, &[]),
            |e| e.edition.slug.clone(),
        ),
        edition: editions.len() as i64 + 1,
        published_at: now_ms(),
        note: String::new(),
    };
    let mappings = mappings_onto(state, &version, &before).await?;
    let changes = publications
        .rounds
        .iter()
        .find(|round| round.round_id == round_id)
        .map(|round| publication::changes(&round.snapshot, &snapshot))
        .unwrap_or_default();
    let dashboard = dashboard::national(
        Published {
            edition: &edition,
            snapshot: &snapshot,
        },
        editions.iter().map(|e| e.edition.clone()).collect(),
        &version.questionnaire,
        &paired(&before, &mappings),
    );
    Ok(Preview {
        round_id: round_id.to_string(),
        round_name: snapshot.round_name.clone(),
        state: round_state,
        first,
        refused: refusal(round_state, editions.len(), first),
        conclusions: editions
            .last()
            .map(|e| e.conclusions.clone())
            .unwrap_or_default(),
        editions: editions.into_iter().map(|e| e.edition).collect(),
        not_approved: dashboard.without_data.clone(),
        changes,
        dashboard,
    })
}

/// The publications of `programme` that come before the round of `snapshot` on its public
/// pages, oldest first.
fn rounds_before<'a>(
    publications: &'a Publications,
    programme: &str,
    snapshot: &Snapshot,
    round_id: &str,
) -> Vec<&'a PublishedRound> {
    publications
        .rounds
        .iter()
        .take_while(|round| {
            round.snapshot.deadline <= snapshot.deadline && round.round_id != round_id
        })
        .filter(|round| round.programme.code == programme)
        .collect()
}
