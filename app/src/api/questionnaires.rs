//! Questionnaire versions for admins: the list, one version for preview, and the problems of
//! a refused load. Loading a file is a multipart upload handled by the server crate.

use crate::domain::questionnaire::model::Questionnaire;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A stored version as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionListing {
    pub identifier: String,
    pub version: String,
    pub title: String,
    pub previous_version: Option<String>,
    pub file_name: String,
    pub item_count: i64,
    /// UTC milliseconds since 1970.
    pub imported_at: i64,
    pub imported_by: String,
}

#[server(endpoint = "questionnaires")]
pub async fn list_questionnaires() -> Result<Vec<VersionListing>, AppError> {
    use crate::server::{questionnaires, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    Ok(questionnaires::list(&state.pool)
        .await?
        .into_iter()
        .map(|v| VersionListing {
            identifier: v.identifier,
            version: v.version,
            title: v.title,
            previous_version: v.previous_version,
            file_name: v.file_name,
            item_count: v.item_count,
            imported_at: v.imported_at,
            imported_by: v.imported_by,
        })
        .collect())
}

/// One version, whole, for the read-only preview.
#[server(endpoint = "questionnaire")]
pub async fn get_questionnaire(
    identifier: String,
    version: String,
) -> Result<Questionnaire, AppError> {
    use crate::server::request;
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
    use crate::server::{questionnaires, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    questionnaires::attempt(&state.pool, &id).await
}
