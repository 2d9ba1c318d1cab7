//! Questionnaire versions for admins: the list, one version's preview, the preview of an
//! uploaded file before it is stored (then stored or discarded), and the problems of a refused
//! load. Uploading a file is a multipart post handled by the server crate.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::comparison::{Change, VersionChanges};
pub use crate::domain::questionnaire::model::{PendingUpload, Questionnaire, VersionSummary};

/// A version as the preview shows it: every section, and what changed against the version
/// it follows (`None` for a first version). `upload` is set while it awaits storing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionPreview {
    pub questionnaire: Questionnaire,
    pub changes: Option<VersionChanges>,
    pub upload: Option<PendingUpload>,
}

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
) -> Result<VersionPreview, AppError> {
    use crate::services::{questionnaires, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    let loaded = state
        .questionnaires
        .get(&state.pool, &identifier, &version)
        .await?;
    let questionnaire = loaded.questionnaire.clone();
    let changes =
        questionnaires::changes_of(&state.pool, &state.questionnaires, &questionnaire).await?;
    Ok(VersionPreview {
        questionnaire,
        changes,
        upload: None,
    })
}

/// An uploaded file that awaits storing, checked again, for its preview.
#[server(endpoint = "questionnaires/upload")]
pub async fn get_upload(id: String) -> Result<VersionPreview, AppError> {
    use crate::services::questionnaires::uploads;
    use crate::services::request;
    let state = request::state()?;
    request::require_admin(&state).await?;
    let (upload, questionnaire, changes) =
        uploads::preview(&state.pool, &state.questionnaires, &id).await?;
    Ok(VersionPreview {
        questionnaire,
        changes,
        upload: Some(upload),
    })
}

/// Stores an uploaded file after its preview; goes to the list, or to the problems found now.
#[server(endpoint = "questionnaires/upload/store")]
pub async fn store_upload(id: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::questionnaires::{self, uploads, ImportOutcome};
    use crate::services::request;
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let actor = request::actor(&admin);
    let to = match uploads::confirm(&state.pool, &state.questionnaires, &actor, &id).await? {
        Ok(ImportOutcome::Stored {
            identifier,
            version,
            ..
        }) => paths::questionnaire_loaded(&identifier, &version),
        Ok(ImportOutcome::AlreadyStored { .. }) => {
            paths::with_notice(paths::QUESTIONNAIRES, "al-geladen")
        }
        Err((file_name, problems)) => {
            let attempt =
                questionnaires::record_attempt(&state.pool, &actor, &file_name, &problems).await?;
            paths::import_attempt(&attempt)
        }
    };
    leptos_axum::redirect(&to);
    Ok(())
}

/// Forgets an uploaded file without storing it.
#[server(endpoint = "questionnaires/upload/discard")]
pub async fn discard_upload(id: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::questionnaires::uploads;
    use crate::services::request;
    let state = request::state()?;
    request::require_admin(&state).await?;
    uploads::discard(&state.pool, &id).await?;
    leptos_axum::redirect(&paths::with_notice(paths::QUESTIONNAIRES, "niet-geladen"));
    Ok(())
}

/// The file name and problems of a refused load.
#[server(endpoint = "questionnaires/attempt")]
pub async fn import_attempt(id: String) -> Result<(String, Vec<String>), AppError> {
    use crate::services::{questionnaires, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    questionnaires::attempt(&state.pool, &id).await
}
