//! Publications: the public dashboard (no login) and the admin's publishing. The public
//! functions read frozen editions only and never need an account; publishing and corrections
//! are for admins, and redirect back with a notice so the forms work without JavaScript.

use crate::domain::publication::dashboard::{Preview, PublicDashboard, PublicRegion};
use crate::error::AppError;
use leptos::prelude::*;

/// The national page of a publication: `round` is its public name ("2026-06"); empty for the
/// latest publication.
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(round: String) -> Result<PublicDashboard, AppError> {
    use crate::services::{publications, request};
    let state = request::state()?;
    let slug = Some(round.as_str()).filter(|s| !s.is_empty());
    publications::national(&state, slug).await
}

/// One region's page in a publication (`round` empty: the latest).
#[server(endpoint = "dashboard/region")]
pub async fn get_region_dashboard(round: String, code: String) -> Result<PublicRegion, AppError> {
    use crate::services::{publications, request};
    let state = request::state()?;
    let slug = Some(round.as_str()).filter(|s| !s.is_empty());
    publications::region(&state, slug, &code).await
}

/// What publishing (or correcting) a round would make public, for the admin.
#[server(endpoint = "publications/preview")]
pub async fn get_publication_preview(round_id: String) -> Result<Preview, AppError> {
    use crate::services::{publications, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    publications::preview(&state, &round_id).await
}

/// Publishes a closed round with its conclusions (Markdown, no HTML).
#[server(endpoint = "publications/publish")]
pub async fn publish_round(round_id: String, conclusions: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::{publications, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    publications::publish(&state, &request::actor(&admin), &round_id, &conclusions).await?;
    leptos_axum::redirect(&paths::with_notice(
        &paths::round(&round_id),
        "gepubliceerd",
    ));
    Ok(())
}

/// Publishes a correction of a published round: a new edition with a note saying what
/// changed.
#[server(endpoint = "publications/correct")]
pub async fn correct_publication(
    round_id: String,
    note: String,
    conclusions: String,
) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::{publications, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    publications::correct(
        &state,
        &request::actor(&admin),
        &round_id,
        &note,
        &conclusions,
    )
    .await?;
    leptos_axum::redirect(&paths::with_notice(
        &paths::round(&round_id),
        "gecorrigeerd",
    ));
    Ok(())
}

/// Every publication's open data files, with their sizes and checksums.
#[server(endpoint = "open-data")]
pub async fn get_open_data() -> Result<crate::domain::publication::catalogue::Catalogue, AppError> {
    use crate::services::{open_data, request};
    let state = request::state()?;
    open_data::catalogue(&state).await
}
