//! Reading a response's stored answers, the engine's view of them, and the conflicts kept
//! for their authors.

use super::{unreadable, StoredAnswer};
use crate::domain::questionnaire::completeness::ResponseAnswers;
use crate::domain::response::ConflictInfo;
use crate::domain::role::Role;
use crate::error::AppError;
use sqlx::{Any, AnyPool, Executor};
use std::collections::HashMap;

/// Every stored answer of a response.
pub async fn answers<'e, E>(
    executor: E,
    response_id: &str,
) -> Result<HashMap<String, StoredAnswer>, AppError>
where
    E: Executor<'e, Database = Any>,
{
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT a.item_key, a.raw, a.value, a.version, a.prefilled, a.updated_at, \
         u.display_name, u.role FROM answers a JOIN users u ON u.id = a.updated_by \
         WHERE a.response_id = $1",
    )
    .bind(response_id)
    .fetch_all(executor)
    .await?;
    let mut answers = HashMap::with_capacity(rows.len());
    for row in rows {
        let (key, answer) = row.into_entry()?;
        answers.insert(key, answer);
    }
    Ok(answers)
}

/// A stored answer as `answers` reads it: input and value as JSON, `prefilled` as 0 or 1.
#[derive(sqlx::FromRow)]
struct AnswerRow {
    item_key: String,
    raw: String,
    value: Option<String>,
    version: i64,
    prefilled: i64,
    updated_at: i64,
    display_name: String,
    role: String,
}

impl AnswerRow {
    /// The item's key and its answer, read back.
    fn into_entry(self) -> Result<(String, StoredAnswer), AppError> {
        let answer = StoredAnswer {
            raw: serde_json::from_str(&self.raw).map_err(unreadable)?,
            value: self
                .value
                .map(|value| serde_json::from_str(&value))
                .transpose()
                .map_err(unreadable)?,
            version: self.version,
            prefilled: self.prefilled == 1,
            updated_by: self.display_name,
            updated_at: self.updated_at,
            by_adviser: self.role == Role::Reviewer.code(),
        };
        Ok((self.item_key, answer))
    }
}

/// The engine's view of stored answers: valid values, and the items whose input is invalid.
pub fn engine_answers(stored: &HashMap<String, StoredAnswer>) -> ResponseAnswers {
    let mut answers = ResponseAnswers::default();
    for (key, answer) in stored {
        answers.add_stored(
            key,
            answer.value.as_ref(),
            answer.raw.is_blank(),
            answer.prefilled,
        );
    }
    answers
}

/// This user's saves that were refused because a colleague saved first.
pub async fn conflicts_of(
    pool: &AnyPool,
    response_id: &str,
    user_id: &str,
    stored: &HashMap<String, StoredAnswer>,
) -> Result<Vec<ConflictInfo>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT item_key, raw FROM answer_conflicts WHERE response_id = $1 AND user_id = $2 \
         ORDER BY created_at",
    )
    .bind(response_id)
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let mut conflicts = Vec::new();
    for (key, raw) in rows {
        let Some(theirs) = stored.get(&key) else {
            continue;
        };
        conflicts.push(ConflictInfo {
            key,
            mine: serde_json::from_str(&raw).map_err(unreadable)?,
            theirs: theirs.raw.clone(),
            their_version: theirs.version,
            changed_by: theirs.updated_by.clone(),
            changed_at: theirs.updated_at,
        });
    }
    Ok(conflicts)
}
