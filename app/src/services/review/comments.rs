//! Comment threads on items: reading, adding, resolving and reopening.

use super::*;

/// Every thread on a response, oldest first, for anyone who may read the response.
pub async fn threads(pool: &AnyPool, response_id: &str) -> Result<Vec<CommentThread>, AppError> {
    let rows: Vec<CommentRow> = sqlx::query_as(
        "SELECT t.id, t.item_key, t.resolved, t.resolved_at, ru.display_name AS resolved_by, \
         c.body, c.created_at, u.display_name AS author, u.role AS author_role \
         FROM comment_threads t \
         JOIN comments c ON c.thread_id = t.id \
         JOIN users u ON u.id = c.author_id \
         LEFT JOIN users ru ON ru.id = t.resolved_by \
         WHERE t.response_id = $1 ORDER BY t.created_at, t.id, c.created_at, c.id",
    )
    .bind(response_id)
    .fetch_all(pool)
    .await?;
    let mut threads: Vec<CommentThread> = Vec::new();
    for row in rows {
        if threads.last().is_none_or(|thread| thread.id != row.id) {
            threads.push(CommentThread {
                id: row.id,
                item_key: row.item_key,
                resolved: (row.resolved == 1)
                    .then(|| Attribution::from_parts(row.resolved_by, row.resolved_at))
                    .flatten(),
                messages: Vec::new(),
            });
        }
        if let Some(thread) = threads.last_mut() {
            thread.messages.push(CommentMessage {
                author: row.author,
                author_role: row.author_role.parse().map_err(|_| {
                    AppError::internal(
                        "a comment author's stored role is unknown",
                        &row.author_role,
                    )
                })?,
                body: row.body,
                at: row.created_at,
            });
        }
    }
    Ok(threads)
}

/// One comment with its thread, as `threads` reads them; `resolved` is 0 or 1.
#[derive(sqlx::FromRow)]
struct CommentRow {
    id: String,
    item_key: String,
    resolved: i64,
    resolved_at: Option<i64>,
    resolved_by: Option<String>,
    body: String,
    created_at: i64,
    author: String,
    author_role: String,
}

/// Adds a comment on an item: a new thread, or a reply in `thread_id` (which opens a resolved
/// thread again). Reviewers, admins and the region's own coordinators may comment, until the
/// round is published. Returns the thread's id.
pub async fn add_comment(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    item_key: &str,
    thread_id: Option<&str>,
    body: &str,
) -> Result<String, AppError> {
    let (response, version) = responses::readable(state, user, response_id).await?;
    check_commentable(&response, &version, item_key)?;
    let body = check_comment(body).map_err(|message| AppError::field("body", message))?;
    let now = now_ms();
    let mut tx = state.pool.begin().await?;
    refuse_if_published(
        &mut tx,
        &response.round.id,
        "er kunnen geen opmerkingen meer bij",
    )
    .await?;
    // A comment is a write: a response that existed only as its key gets its row now.
    responses::materialize(&mut tx, &response).await?;
    let (thread, reopened) = match thread_id.filter(|id| !id.is_empty()) {
        Some(thread_id) => {
            let reopened = reopen_for_reply(&mut tx, &response.id, item_key, thread_id).await?;
            (thread_id.to_string(), reopened)
        }
        None => (
            new_thread(&mut tx, &response.id, item_key, &user.id, now).await?,
            false,
        ),
    };
    sqlx::query(
        "INSERT INTO comments (id, thread_id, author_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(&thread)
    .bind(&user.id)
    .bind(&body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        &actor(user),
        Event {
            kind: "comment_added",
            region_code: Some(&response.region_code),
            subject: Some(&response.id),
            details: json!({
                "round": response.round.name,
                "item": item_key,
                "thread": thread,
                "reply": thread_id.is_some_and(|id| !id.is_empty()),
                "reopened": reopened,
                "text": body,
            }),
        },
    )
    .await?;
    notices::comment_added(
        &mut tx,
        &state.config.mail,
        &response,
        &question_label(&version, item_key),
        (&user.id, &user.display_name),
        &body,
    )
    .await?;
    tx.commit().await?;
    Ok(thread)
}

/// Refuses a comment on a published round, or on an item the questionnaire does not have.
fn check_commentable(
    response: &Response,
    version: &LoadedVersion,
    item_key: &str,
) -> Result<(), AppError> {
    if response.round.state == RoundState::Published {
        return Err(AppError::Conflict(
            "Deze meting is gepubliceerd; er kunnen geen opmerkingen meer bij.".to_string(),
        ));
    }
    if !version.index.position.contains_key(item_key) {
        return Err(AppError::BadRequest(format!(
            "Onbekende vraag '{}' in deze vragenlijst.",
            item_key.chars().take(80).collect::<String>()
        )));
    }
    Ok(())
}

/// Checks that a reply's thread is on this item of this response, and opens it again when
/// it was resolved; returns whether it was.
async fn reopen_for_reply(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response_id: &str,
    item_key: &str,
    thread_id: &str,
) -> Result<bool, AppError> {
    let resolved: i64 = sqlx::query_scalar(
        "SELECT resolved FROM comment_threads \
         WHERE id = $1 AND response_id = $2 AND item_key = $3",
    )
    .bind(thread_id)
    .bind(response_id)
    .bind(item_key)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| AppError::BadRequest("Deze opmerking hoort niet bij deze vraag.".to_string()))?;
    if resolved == 1 {
        sqlx::query(
            "UPDATE comment_threads SET resolved = 0, resolved_by = NULL, \
             resolved_at = NULL WHERE id = $1",
        )
        .bind(thread_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(resolved == 1)
}

/// Starts a thread on an item; returns its id.
async fn new_thread(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    response_id: &str,
    item_key: &str,
    user_id: &str,
    now: i64,
) -> Result<String, AppError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO comment_threads (id, response_id, item_key, resolved, created_by, \
         created_at) VALUES ($1, $2, $3, 0, $4, $5)",
    )
    .bind(&id)
    .bind(response_id)
    .bind(item_key)
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Decides inside the writing transaction that the round is not published, locking the
/// round's row (PostgreSQL) or holding the write lock (SQLite) until the transaction ends: a
/// publication that lands first wins, and nothing is written after it.
pub(super) async fn refuse_if_published(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round_id: &str,
    what: &str,
) -> Result<(), AppError> {
    let unpublished = sqlx::query("UPDATE rounds SET state = state WHERE id = $1 AND state <> $2")
        .bind(round_id)
        .bind(RoundState::Published.code())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if unpublished == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "Deze meting is gepubliceerd; {what}."
        )))
    }
}

/// Marks a thread resolved, or open again. Only reviewers and admins do this.
pub async fn set_resolved(
    state: &AppState,
    user: &SignedInUser,
    thread_id: &str,
    resolved: bool,
) -> Result<String, AppError> {
    if !may_resolve(user.role) {
        return Err(AppError::Forbidden);
    }
    let (response_id, item_key): (String, String) =
        sqlx::query_as("SELECT response_id, item_key FROM comment_threads WHERE id = $1")
            .bind(thread_id)
            .fetch_optional(&state.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    let (response, _) = responses::readable(state, user, &response_id).await?;
    if response.round.state == RoundState::Published {
        return Err(AppError::Conflict(
            "Deze meting is gepubliceerd; opmerkingen veranderen niet meer.".to_string(),
        ));
    }
    let mut tx = state.pool.begin().await?;
    refuse_if_published(
        &mut tx,
        &response.round.id,
        "opmerkingen veranderen niet meer",
    )
    .await?;
    let changed = sqlx::query(
        "UPDATE comment_threads SET resolved = $1, resolved_by = $2, resolved_at = $3 \
         WHERE id = $4 AND resolved = $5",
    )
    .bind(i64::from(resolved))
    .bind(resolved.then_some(user.id.as_str()))
    .bind(resolved.then(now_ms))
    .bind(thread_id)
    .bind(i64::from(!resolved))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 1 {
        audit::record(
            &mut *tx,
            &actor(user),
            Event {
                kind: if resolved {
                    "comment_resolved"
                } else {
                    "comment_reopened"
                },
                region_code: Some(&response.region_code),
                subject: Some(&response.id),
                details: json!({ "round": response.round.name, "item": item_key, "thread": thread_id }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(response_id)
}
