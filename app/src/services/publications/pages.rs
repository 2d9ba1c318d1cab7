//! The public pages of a publication: the national page and a region's page, each compared
//! with the publications of its programme before it.

use super::{all, Publications, PublishedRound};
use crate::domain::comparison::VersionMapping;
use crate::domain::publication::dashboard::{
    self, Earlier, PublicDashboard, PublicRegion, PublicationLink,
};
use crate::domain::publication::{period, Snapshot};
use crate::error::AppError;
use crate::services::questionnaires::{self, LoadedVersion};
use crate::services::state::AppState;
use std::sync::Arc;

/// The earlier publications of the programme of the round at `position`, each with the
/// mapping of its version onto the round's (for trends, following lineage).
async fn earlier<'a>(
    state: &AppState,
    publications: &'a Publications,
    position: usize,
) -> Result<Vec<Earlier<'a>>, AppError> {
    let current = &publications.rounds[position];
    let before = publications.before(position);
    let mappings = match current.mappings.get() {
        Some(mappings) => mappings,
        None => {
            let made = mappings_onto(state, &current.version, &before).await?;
            current.mappings.get_or_init(|| made)
        }
    };
    Ok(paired(&before, mappings))
}

/// The mappings of `version` onto the version of each of `rounds`, in their order.
pub(super) async fn mappings_onto(
    state: &AppState,
    version: &LoadedVersion,
    rounds: &[&PublishedRound],
) -> Result<Vec<Option<VersionMapping>>, AppError> {
    let mut made = Vec::with_capacity(rounds.len());
    for round in rounds {
        made.push(mapping_onto(state, version, &round.snapshot).await?);
    }
    Ok(made)
}

/// Each of `rounds` as an earlier publication, with its mapping.
pub(super) fn paired<'a>(
    rounds: &[&'a PublishedRound],
    mappings: &'a [Option<VersionMapping>],
) -> Vec<Earlier<'a>> {
    rounds
        .iter()
        .zip(mappings)
        .map(|(round, mapping)| Earlier {
            published: round.published(),
            mapping: mapping.as_ref(),
        })
        .collect()
}

/// The mapping of `version` onto the version of an earlier snapshot; `None` when that is of
/// another questionnaire.
async fn mapping_onto(
    state: &AppState,
    version: &LoadedVersion,
    earlier: &Snapshot,
) -> Result<Option<VersionMapping>, AppError> {
    if earlier.questionnaire_id != version.questionnaire.identifier {
        return Ok(None);
    }
    let mapping = questionnaires::mapping(
        &state.pool,
        &state.questionnaires,
        version,
        &earlier.questionnaire_id,
        &earlier.questionnaire_version,
    )
    .await?;
    Ok(Some(mapping))
}

/// The links to a programme's publications, newest first.
fn links(publications: &Publications, programme: &str) -> Vec<PublicationLink> {
    publications
        .rounds
        .iter()
        .rev()
        .filter(|round| round.programme.code == programme)
        .map(|round| PublicationLink {
            slug: round.slug.clone(),
            round_name: round.snapshot.round_name.clone(),
            period: period(round.snapshot.deadline),
            editions: round.latest().edition.edition,
            published_at: round.editions[0].edition.published_at,
        })
        .collect()
}

/// The national page of the publication `slug` names: a publication's name, a programme's
/// code for its newest, `None` for the NAD's newest.
pub async fn national(state: &AppState, slug: Option<&str>) -> Result<PublicDashboard, AppError> {
    let publications = all(state).await?;
    let position = publications.chosen(slug)?;
    let round = &publications.rounds[position];
    let dashboard = match round.national.get() {
        Some(dashboard) => dashboard.clone(),
        None => {
            let earlier = earlier(state, &publications, position).await?;
            let made = Arc::new(dashboard::national(
                round.published(),
                round.public_editions(),
                &round.version.questionnaire,
                &earlier,
            ));
            round.national.get_or_init(|| made).clone()
        }
    };
    Ok(PublicDashboard {
        dashboard: (*dashboard).clone(),
        // Below the page's title and its "Conclusies" heading: "# …" becomes an h3.
        conclusions_html: crate::services::content::render_within(&round.latest().conclusions, 2),
        is_latest: publications.is_newest(position),
        publications: links(&publications, &round.programme.code),
        programme: round.programme.clone(),
        programmes: publications.programmes(),
    })
}

/// A region's page in the publication `slug` names (as for `national`); 404 for a region that
/// did not take part in it.
pub async fn region(
    state: &AppState,
    slug: Option<&str>,
    code: &str,
) -> Result<PublicRegion, AppError> {
    if code.is_empty() || code.len() > 16 {
        return Err(AppError::NotFound);
    }
    let publications = all(state).await?;
    let position = publications.chosen(slug)?;
    let round = &publications.rounds[position];
    let earlier = earlier(state, &publications, position).await?;
    let now = round
        .tally
        .get_or_init(|| dashboard::tally(&round.snapshot));
    let dashboard = dashboard::region(
        round.published(),
        round.public_editions(),
        &round.version.questionnaire,
        &earlier,
        code,
        now,
    )
    .ok_or(AppError::NotFound)?;
    Ok(PublicRegion {
        dashboard,
        is_latest: publications.is_newest(position),
        programme: round.programme.clone(),
        publications: taking_part(&publications, &round.programme.code, code),
    })
}

/// The links to the publications of a programme a region took part in, newest first.
fn taking_part(publications: &Publications, programme: &str, code: &str) -> Vec<PublicationLink> {
    links(publications, programme)
        .into_iter()
        .filter(|link| {
            publications
                .position(&link.slug)
                .is_some_and(|n| publications.rounds[n].snapshot.region(code).is_some())
        })
        .collect()
}
