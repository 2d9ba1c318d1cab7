//! Questionnaire versions for admins: the list, one version for preview, and the problems of
//! a refused load. Loading a file is a multipart upload handled by the server crate.

use crate::domain::questionnaire::model::Questionnaire;
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::domain::questionnaire::model::VersionSummary;

#[server(endpoint = "questionnaires")]
pub async fn list_questionnaires() -> Result<Vec<VersionSummary>, AppError> {
    use crate::services::{questionnaires, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    questionnaires::list(&state.pool).await
}

/// One version, whole, for the read-only preview.
#[server(endpoint = "questionnaire")]
pub async fn get_questionnaire(
    identifier: String,
    version: String,
) -> Result<Questionnaire, AppError> {
    use crate::services::request;
    let state = request::state()?;
    request::require_admin(&state).await?;
    let loaded = state
        .questionnaires
        .get(&state.pool, &identifier, &version)
        .await?;
    Ok(loaded.questionnaire.clone())
}

/// The file name and problems of a refused load.
#[server(endpoint = "questionnaires/attempt")]
pub async fn import_attempt(id: String) -> Result<(String, Vec<String>), AppError> {
    use crate::services::{questionnaires, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    questionnaires::attempt(&state.pool, &id).await
}
