//! Uploaded definition files waiting for the admin's confirmation: the upload checks a file
//! and keeps it here, the admin reads the preview (every section, the conditions and rules in
//! words, the changes against the version it follows) and then stores or discards it. A kept
//! file is checked again when it is stored, so whatever happened in between counts.

use super::{actor_label, check, import, Cache, Checked, ImportOutcome};
use crate::domain::comparison::VersionChanges;
use crate::domain::questionnaire::model::{PendingUpload, Questionnaire};
use crate::error::AppError;
use crate::services::audit::Actor;
use crate::services::{new_id, now_ms};
use sqlx::AnyPool;

/// How long an unconfirmed upload is kept: a day, then it must be uploaded again.
pub const UPLOAD_KEPT_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(sqlx::FromRow)]
struct UploadRow {
    id: String,
    file_name: String,
    source: String,
    uploaded_at: i64,
    uploaded_by: String,
}

/// Keeps a checked file for the preview; returns its id. Forgets uploads past their time.
pub async fn hold(
    pool: &AnyPool,
    actor: &Actor,
    file_name: &str,
    source: &str,
) -> Result<String, AppError> {
    let now = now_ms();
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM questionnaire_uploads WHERE uploaded_at < $1")
        .bind(now - UPLOAD_KEPT_MS)
        .execute(&mut *tx)
        .await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO questionnaire_uploads (id, file_name, source, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(file_name)
    .bind(source)
    .bind(now)
    .bind(actor_label(actor))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A kept upload and its file's text; `NotFound` when it was stored, discarded or expired.
pub async fn find(pool: &AnyPool, id: &str) -> Result<(PendingUpload, String), AppError> {
    let row: UploadRow = sqlx::query_as(
        "SELECT id, file_name, source, uploaded_at, uploaded_by FROM questionnaire_uploads \
         WHERE id = $1 AND uploaded_at >= $2",
    )
    .bind(id)
    .bind(now_ms() - UPLOAD_KEPT_MS)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let upload = PendingUpload {
        id: row.id,
        file_name: row.file_name,
        uploaded_at: row.uploaded_at,
        uploaded_by: row.uploaded_by,
    };
    Ok((upload, row.source))
}

/// Stores a kept upload (checked again: a version stored meanwhile may refuse it) and forgets
/// it. The inner error lists the problems found now.
pub async fn confirm(
    pool: &AnyPool,
    cache: &Cache,
    actor: &Actor,
    id: &str,
) -> Result<Result<ImportOutcome, (String, Vec<String>)>, AppError> {
    let (upload, source) = find(pool, id).await?;
    let outcome = import(pool, cache, actor, &upload.file_name, &source).await;
    // Stored or refused, the upload has done its work: a refused one is reported as an attempt.
    forget(pool, id).await?;
    Ok(outcome.map_err(|problems| (upload.file_name, problems)))
}

/// Forgets a kept upload without storing it; `NotFound` when there is none.
pub async fn discard(pool: &AnyPool, id: &str) -> Result<(), AppError> {
    find(pool, id).await?;
    forget(pool, id).await
}

async fn forget(pool: &AnyPool, id: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM questionnaire_uploads WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// A kept upload as its preview shows it: checked again now, with its changes against the
/// version it follows. `BadRequest` lists what is wrong now (e.g. the version was stored
/// meanwhile with other content).
pub async fn preview(
    pool: &AnyPool,
    cache: &Cache,
    id: &str,
) -> Result<(PendingUpload, Questionnaire, Option<VersionChanges>), AppError> {
    let (upload, source) = find(pool, id).await?;
    match check(pool, cache, &upload.file_name, &source).await {
        Ok(Checked::New {
            questionnaire,
            previous,
            ..
        }) => {
            let changes =
                previous.map(|p| VersionChanges::between(&p.questionnaire, &questionnaire));
            Ok((upload, questionnaire, changes))
        }
        Ok(Checked::AlreadyStored { .. }) => Err(AppError::Conflict(
            "Deze versie is intussen al geladen, met precies dezelfde inhoud.".into(),
        )),
        Err(problems) => Err(AppError::BadRequest(problems.join(" "))),
    }
}
