//! Questionnaire versions: loading a definition file (checked whole before anything is
//! stored), listing versions, and a cache of parsed definitions so no request parses twice.

use super::audit::{self, Actor, Event};
use super::{new_id, now_ms};
use crate::domain::comparison::{VersionChanges, VersionMapping};
use crate::domain::questionnaire::load::{load, MAX_DEFINITION_BYTES};
use crate::domain::questionnaire::model::{Index, Questionnaire, VersionSummary};
use crate::error::AppError;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

pub mod uploads;

/// A parsed version with its index, shared between requests.
#[derive(Debug)]
pub struct LoadedVersion {
    pub questionnaire: Questionnaire,
    pub index: Index,
    /// The questionnaire as the section form's script reads it, served apart from the pages.
    pub form_resource: FormResource,
}

/// The questionnaire as one immutable file for the browser (postcard), named by a hash of its
/// content: the section page links it instead of carrying it, and the browser keeps it for
/// as long as the version exists, so it travels once per person and version.
#[derive(Debug)]
pub struct FormResource {
    pub bytes: Vec<u8>,
    /// The first 16 hex digits of the bytes' SHA-256.
    pub hash: String,
}

impl FormResource {
    pub fn of(questionnaire: &Questionnaire) -> Result<Self, AppError> {
        let bytes = postcard::to_allocvec(questionnaire).map_err(|error| {
            AppError::internal("the questionnaire does not encode for the browser", error)
        })?;
        let hash = Sha256::digest(&bytes)
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self { bytes, hash })
    }
}

impl LoadedVersion {
    /// Where the browser fetches `form_resource` (the route `FORM_RESOURCE_ROUTE`).
    pub fn form_resource_path(&self) -> String {
        use crate::domain::link::path_segment;
        crate::paths::form_resource(
            &path_segment(&self.questionnaire.identifier),
            &path_segment(&self.questionnaire.version),
            &self.form_resource.hash,
        )
    }
}

/// The route of a version's `FormResource`; `{file}` is `{hash}.bin`.
pub const FORM_RESOURCE_ROUTE: &str = "/vragenlijst-data/{identifier}/{version}/{file}";

/// Parsed definitions by (identifier, version). Stored versions never change, so an entry
/// never goes stale; losing the cache only costs a parse.
#[derive(Debug, Default)]
pub struct Cache {
    versions: RwLock<HashMap<(String, String), Arc<LoadedVersion>>>,
}

/// What happened to a loaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Stored {
        identifier: String,
        version: String,
        items: usize,
    },
    /// The same identifier and version with exactly this content was already there.
    AlreadyStored { identifier: String, version: String },
}

/// The first lines of a file, enough to find its previous version.
#[derive(Deserialize)]
struct Header {
    identifier: Option<String>,
    previous_version: Option<String>,
}

fn sha256(text: &str) -> String {
    super::sha256_hex(text)
}

async fn stored_source(
    pool: &AnyPool,
    identifier: &str,
    version: &str,
) -> Result<Option<(String, String)>, AppError> {
    Ok(sqlx::query_as("SELECT source, source_sha256 FROM questionnaire_versions WHERE identifier = $1 AND version = $2")
        .bind(identifier)
        .bind(version)
        .fetch_optional(pool)
        .await?)
}

/// The definition file of a stored version, as it was loaded.
pub async fn source(pool: &AnyPool, identifier: &str, version: &str) -> Result<String, AppError> {
    stored_source(pool, identifier, version)
        .await?
        .map(|(source, _)| source)
        .ok_or(AppError::NotFound)
}

impl Cache {
    /// A stored version, parsed once.
    pub async fn get(
        &self,
        pool: &AnyPool,
        identifier: &str,
        version: &str,
    ) -> Result<Arc<LoadedVersion>, AppError> {
        let key = (identifier.to_string(), version.to_string());
        if let Some(found) = self
            .versions
            .read()
            .map_err(|_| AppError::internal("the questionnaire cache", "lock poisoned"))?
            .get(&key)
        {
            return Ok(found.clone());
        }
        let (source, _) = stored_source(pool, identifier, version)
            .await?
            .ok_or(AppError::NotFound)?;
        let previous = match toml::from_str::<Header>(&source)
            .ok()
            .and_then(|h| h.previous_version)
        {
            Some(previous) => Some(Box::pin(self.get(pool, identifier, &previous)).await?),
            None => None,
        };
        let questionnaire =
            load(&source, previous.as_deref().map(|p| &p.questionnaire)).map_err(|errors| {
                AppError::internal(
                    "a stored questionnaire no longer loads",
                    format!("{identifier}/{version}: {errors:?}"),
                )
            })?;
        let index = questionnaire.index().map_err(|errors| {
            AppError::internal(
                "a stored questionnaire has no index",
                format!("{identifier}/{version}: {errors:?}"),
            )
        })?;
        let form_resource = FormResource::of(&questionnaire)?;
        let loaded = Arc::new(LoadedVersion {
            questionnaire,
            index,
            form_resource,
        });
        self.versions
            .write()
            .map_err(|_| AppError::internal("the questionnaire cache", "lock poisoned"))?
            .insert(key, loaded.clone());
        Ok(loaded)
    }
}

/// A definition file that passed every check, not stored yet.
#[derive(Debug)]
pub enum Checked {
    New {
        questionnaire: Questionnaire,
        /// The stored version it follows, if it names one.
        previous: Option<Arc<LoadedVersion>>,
        sha256: String,
    },
    /// The same identifier and version with exactly this content is stored already.
    AlreadyStored { identifier: String, version: String },
}

/// Checks a definition file completely, storing nothing. The error lists every problem as
/// "FILE: regel N, vraag KEY: message".
pub async fn check(
    pool: &AnyPool,
    cache: &Cache,
    file_name: &str,
    source: &str,
) -> Result<Checked, Vec<String>> {
    let located = |message: String| format!("{file_name}: {message}");
    if source.len() > MAX_DEFINITION_BYTES {
        return Err(vec![located(format!(
            "het bestand is groter dan {} MB",
            MAX_DEFINITION_BYTES / 1024 / 1024
        ))]);
    }
    let previous = previous_of(pool, cache, source)
        .await
        .map_err(|_| database_failed(file_name))?;
    let questionnaire =
        load(source, previous.as_deref().map(|p| &p.questionnaire)).map_err(|errors| {
            errors
                .iter()
                .map(|e| located(e.to_string()))
                .collect::<Vec<_>>()
        })?;
    if let Some(problem) = programme_problem(pool, &questionnaire)
        .await
        .map_err(|_| database_failed(file_name))?
    {
        return Err(vec![located(problem)]);
    }
    let hash = sha256(source);
    match stored_source(pool, &questionnaire.identifier, &questionnaire.version)
        .await
        .map_err(|_| database_failed(file_name))?
    {
        Some((_, stored_hash)) if stored_hash == hash => Ok(Checked::AlreadyStored {
            identifier: questionnaire.identifier,
            version: questionnaire.version,
        }),
        Some(_) => Err(vec![located(format!(
            "versie {} van '{}' is al geladen met een andere inhoud. Een geladen versie verandert nooit: geef dit bestand een nieuw versienummer.",
            questionnaire.version, questionnaire.identifier
        ))]),
        None => Ok(Checked::New {
            questionnaire,
            previous,
            sha256: hash,
        }),
    }
}

/// Checks a definition file completely and stores it when it has no problems. The error
/// lists every problem as "FILE: regel N, vraag KEY: message".
pub async fn import(
    pool: &AnyPool,
    cache: &Cache,
    actor: &Actor,
    file_name: &str,
    source: &str,
) -> Result<ImportOutcome, Vec<String>> {
    let (questionnaire, hash) = match check(pool, cache, file_name, source).await? {
        Checked::AlreadyStored {
            identifier,
            version,
        } => {
            return Ok(ImportOutcome::AlreadyStored {
                identifier,
                version,
            })
        }
        Checked::New {
            questionnaire,
            sha256,
            ..
        } => (questionnaire, sha256),
    };
    let items = questionnaire.items().count();
    store(
        pool,
        actor,
        (file_name, source),
        &questionnaire,
        &hash,
        items,
    )
    .await
    .map_err(|_| database_failed(file_name))?;
    Ok(ImportOutcome::Stored {
        identifier: questionnaire.identifier,
        version: questionnaire.version,
        items,
    })
}

/// Why a version can't belong to the programme it names: the programme does not exist, or
/// earlier versions of the questionnaire belong to another one (rounds compare within a
/// programme, so a questionnaire never changes programme).
async fn programme_problem(
    pool: &AnyPool,
    questionnaire: &Questionnaire,
) -> Result<Option<String>, AppError> {
    let programme = &questionnaire.programme;
    let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM programmes WHERE code = $1")
        .bind(programme)
        .fetch_one(pool)
        .await?;
    if known == 0 {
        return Ok(Some(format!(
            "het programma '{programme}' bestaat niet; voeg het eerst toe (nad-monitor programme add) of noem een bestaand programma"
        )));
    }
    let other: Option<String> = sqlx::query_scalar(
        "SELECT programme_code FROM questionnaire_versions          WHERE identifier = $1 AND programme_code <> $2 LIMIT 1",
    )
    .bind(&questionnaire.identifier)
    .bind(programme)
    .fetch_optional(pool)
    .await?;
    Ok(other.map(|other| {
        format!(
            "de vragenlijst '{}' hoort bij het programma '{other}'; een nieuwe versie kan niet bij '{programme}' horen. Geef de vragenlijst een eigen identifier.",
            questionnaire.identifier
        )
    }))
}

/// The one problem reported when the database fails during an import.
fn database_failed(file_name: &str) -> Vec<String> {
    vec![format!(
        "{file_name}: de database gaf een fout; probeer het opnieuw"
    )]
}

/// The stored version a file names as its previous one; `None` when it names none, or one
/// that is not stored (loading the file then says so).
async fn previous_of(
    pool: &AnyPool,
    cache: &Cache,
    source: &str,
) -> Result<Option<Arc<LoadedVersion>>, AppError> {
    let header = toml::from_str::<Header>(source).ok();
    let identifier = header
        .as_ref()
        .and_then(|h| h.identifier.clone())
        .unwrap_or_default();
    match header.and_then(|h| h.previous_version) {
        Some(previous) => match cache.get(pool, &identifier, &previous).await {
            Ok(found) => Ok(Some(found)),
            Err(AppError::NotFound) => Ok(None),
            Err(error) => Err(error),
        },
        None => Ok(None),
    }
}

/// Stores a checked version and its audit event in one transaction.
async fn store(
    pool: &AnyPool,
    actor: &Actor,
    (file_name, source): (&str, &str),
    questionnaire: &Questionnaire,
    hash: &str,
    items: usize,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO questionnaire_versions (id, identifier, version, title, previous_version, file_name, \
         source, source_sha256, item_count, imported_at, imported_by, programme_code) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new_id())
    .bind(&questionnaire.identifier)
    .bind(&questionnaire.version)
    .bind(&questionnaire.title)
    .bind(&questionnaire.previous_version)
    .bind(file_name)
    .bind(source)
    .bind(hash)
    .bind(items as i64)
    .bind(now_ms())
    .bind(actor_label(actor))
    .bind(&questionnaire.programme)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor,
        Event {
            kind: "questionnaire_imported",
            region_code: None,
            subject: Some(&format!(
                "{}/{}",
                questionnaire.identifier, questionnaire.version
            )),
            details: json!({
                "file": file_name,
                "programme": questionnaire.programme,
                "items": items,
                "sha256": hash,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn actor_label(actor: &Actor) -> String {
    match actor {
        Actor::User { email, .. } => email.clone(),
        Actor::CommandLine => "cli".to_string(),
        Actor::Anonymous => "anoniem".to_string(),
    }
}

/// Records a refused load, so the admin can read its problems back; returns its id.
pub async fn record_attempt(
    pool: &AnyPool,
    actor: &Actor,
    file_name: &str,
    problems: &[String],
) -> Result<String, AppError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO questionnaire_import_attempts (id, file_name, problems, attempted_at, attempted_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(file_name)
    .bind(serde_json::to_string(problems).unwrap_or_default())
    .bind(now_ms())
    .bind(actor_label(actor))
    .execute(pool)
    .await?;
    Ok(id)
}

/// What changed in a stored version against the version it follows; `None` for a first
/// version.
pub async fn changes_of(
    pool: &AnyPool,
    cache: &Cache,
    current: &Questionnaire,
) -> Result<Option<VersionChanges>, AppError> {
    let Some(previous) = &current.previous_version else {
        return Ok(None);
    };
    let previous = cache.get(pool, &current.identifier, previous).await?;
    Ok(Some(VersionChanges::between(
        &previous.questionnaire,
        current,
    )))
}

/// A refused load: file name and problems.
pub async fn attempt(pool: &AnyPool, id: &str) -> Result<(String, Vec<String>), AppError> {
    let (file_name, problems): (String, String) = sqlx::query_as(
        "SELECT file_name, problems FROM questionnaire_import_attempts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((
        file_name,
        serde_json::from_str(&problems).unwrap_or_default(),
    ))
}

/// A stored version as the list of versions shows it.
#[derive(sqlx::FromRow)]
struct VersionRow {
    identifier: String,
    version: String,
    programme_code: String,
    title: String,
    previous_version: Option<String>,
    file_name: String,
    item_count: i64,
    imported_at: i64,
    imported_by: String,
}

impl From<VersionRow> for VersionSummary {
    fn from(row: VersionRow) -> Self {
        VersionSummary {
            identifier: row.identifier,
            version: row.version,
            programme: row.programme_code,
            title: row.title,
            previous_version: row.previous_version,
            file_name: row.file_name,
            item_count: row.item_count,
            imported_at: row.imported_at,
            imported_by: row.imported_by,
        }
    }
}

/// The programme of a stored version; `None` when it is not stored.
pub async fn programme_of(
    pool: &AnyPool,
    identifier: &str,
    version: &str,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT programme_code FROM questionnaire_versions WHERE identifier = $1 AND version = $2",
    )
    .bind(identifier)
    .bind(version)
    .fetch_optional(pool)
    .await?)
}

pub async fn list(pool: &AnyPool) -> Result<Vec<VersionSummary>, AppError> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT identifier, version, programme_code, title, previous_version, file_name, item_count, \
         imported_at, imported_by \
         FROM questionnaire_versions ORDER BY programme_code <> 'nad', programme_code, identifier, imported_at DESC",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(VersionSummary::from).collect())
}

/// How many versions back lineage is followed.
const MAX_LINEAGE_STEPS: usize = 20;

/// How the items of `current` map onto those of the version `identifier`/`old_version` a
/// compared round used: the versions in between are followed through `previous_version`, and
/// the same version maps every item onto itself. A version that is no ancestor leaves every
/// item not comparable.
pub async fn mapping(
    pool: &AnyPool,
    cache: &Cache,
    current: &LoadedVersion,
    identifier: &str,
    old_version: &str,
) -> Result<VersionMapping, AppError> {
    let current = &current.questionnaire;
    let mut older: Vec<Arc<LoadedVersion>> = Vec::new();
    if identifier != current.identifier || old_version != current.version {
        let mut previous = current.previous_version.clone();
        let mut reached = false;
        while let Some(name) = previous.take() {
            if older.len() >= MAX_LINEAGE_STEPS {
                break;
            }
            let loaded = cache.get(pool, &current.identifier, &name).await?;
            previous = loaded.questionnaire.previous_version.clone();
            older.push(loaded);
            if identifier == current.identifier && name == old_version {
                reached = true;
                break;
            }
        }
        if !reached {
            older = vec![cache.get(pool, identifier, old_version).await?];
        }
    }
    let mut versions: Vec<&Questionnaire> = older.iter().rev().map(|v| &v.questionnaire).collect();
    versions.push(current);
    Ok(VersionMapping::new(&versions))
}
