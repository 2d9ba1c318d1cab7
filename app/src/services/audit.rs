//! The audit log: an append-only record of who did what. This module only appends.

use super::{new_id, now_ms};
use crate::domain::audit::{
    contains_pattern, AuditEntry, AuditFilter, AuditPage, ANSWER_CHANGED, PAGE_SIZE,
};
use crate::domain::export::csv_row;
use crate::error::AppError;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyPool, Arguments, Executor};

/// Who did it: a signed-in user, the command line, or someone unknown (a failed login).
#[derive(Debug, Clone)]
pub enum Actor {
    User { id: String, email: String },
    CommandLine,
    Anonymous,
}

impl Actor {
    fn parts(&self) -> (Option<&str>, &str) {
        match self {
            Actor::User { id, email } => (Some(id.as_str()), email.as_str()),
            Actor::CommandLine => (None, "cli"),
            Actor::Anonymous => (None, "anoniem"),
        }
    }
}

/// One event to record. `details` is a JSON object; it never holds passwords.
pub struct Event<'a> {
    pub kind: &'a str,
    pub region_code: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub details: serde_json::Value,
}

pub async fn record<'e, E>(executor: E, actor: &Actor, event: Event<'_>) -> Result<(), AppError>
where
    E: Executor<'e, Database = Any>,
{
    let (actor_id, actor_label) = actor.parts();
    sqlx::query(
        "INSERT INTO audit_events \
         (id, occurred_at, actor_user_id, actor_label, kind, region_code, subject, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(now_ms())
    .bind(actor_id)
    .bind(actor_label)
    .bind(event.kind)
    .bind(event.region_code)
    .bind(event.subject)
    .bind(event.details.to_string())
    .execute(executor)
    .await?;
    Ok(())
}

/// The kinds of the most recent events, newest first (for tests and the admin overview).
pub async fn recent_kinds(pool: &AnyPool, limit: i64) -> Result<Vec<String>, AppError> {
    sqlx::query_scalar("SELECT kind FROM audit_events ORDER BY occurred_at DESC, id LIMIT $1")
        .bind(limit)
        .fetch_all(pool)
        .await
        .map_err(AppError::from)
}

/// The audit trail and the history of every answer as one list, filtered. Answer changes are
/// not copied into the audit log (an autosave is one small write); they are read from their
/// own append-only table here.
const TRAIL: &str = "SELECT e.id, e.occurred_at, e.actor_label, e.kind, e.region_code, \
     e.details, CAST(NULL AS TEXT) AS item_key, CAST(NULL AS TEXT) AS old_raw, \
     CAST(NULL AS TEXT) AS new_raw, COALESCE(re.round_id, ro.id) AS round_id \
     FROM audit_events e \
     LEFT JOIN responses re ON re.id = e.subject \
     LEFT JOIN rounds ro ON ro.id = e.subject \
     UNION ALL \
     SELECT h.id, h.changed_at, u.email, 'answer_changed', re.region_code, '{}', h.item_key, \
     h.old_raw, h.new_raw, re.round_id \
     FROM answer_history h \
     JOIN responses re ON re.id = h.response_id \
     JOIN users u ON u.id = h.changed_by";

/// Where a chunk of the export ended: the time and id of its last (oldest) entry. The next
/// chunk holds the entries that come after it in the trail's order (newest first, then by
/// id), whatever was added or how many came before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub occurred_at: i64,
    pub id: String,
}

impl After {
    /// The position just after this entry.
    pub fn entry(entry: &AuditEntry) -> After {
        After {
            occurred_at: entry.occurred_at,
            id: entry.id.clone(),
        }
    }
}

/// The WHERE clause of a filter (and of a position to continue after) and its values,
/// numbered from `$1`.
fn conditions(filter: &AuditFilter, after: Option<&After>) -> (String, Vec<Bound>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    let mut add = |clause: &str, value: Bound| {
        values.push(value);
        clauses.push(clause.replace('?', &format!("${}", values.len())));
    };
    if let Some(user) = &filter.user {
        add(
            "LOWER(t.actor_label) LIKE ? ESCAPE '\\'",
            Bound::Text(contains_pattern(user)),
        );
    }
    if let Some(region) = &filter.region_code {
        add("t.region_code = ?", Bound::Text(region.clone()));
    }
    if let Some(round) = &filter.round_id {
        add("t.round_id = ?", Bound::Text(round.clone()));
    }
    if let Some(kind) = &filter.kind {
        add("t.kind = ?", Bound::Text(kind.clone()));
    }
    if let Some(from) = filter.from {
        add("t.occurred_at >= ?", Bound::Int(from));
    }
    if let Some(until) = filter.until {
        add("t.occurred_at <= ?", Bound::Int(until));
    }
    if let Some(after) = after {
        // `(occurred_at, id) < (?, ?)`, spelled out: both databases read it alike, and each
        // value has its own placeholder.
        values.push(Bound::Int(after.occurred_at));
        values.push(Bound::Int(after.occurred_at));
        values.push(Bound::Text(after.id.clone()));
        let n = values.len();
        clauses.push(format!(
            "(t.occurred_at < ${} OR (t.occurred_at = ${} AND t.id < ${}))",
            n - 2,
            n - 1,
            n
        ));
    }
    let clause = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (clause, values)
}

enum Bound {
    Text(String),
    Int(i64),
}

/// The filter's values as a query's arguments, from `$1`.
fn arguments(values: &[Bound]) -> Result<AnyArguments<'_>, AppError> {
    let mut arguments = AnyArguments::default();
    for value in values {
        match value {
            Bound::Text(text) => arguments.add(text.as_str()),
            Bound::Int(number) => arguments.add(*number),
        }
        .map_err(|error| AppError::internal("an audit filter value does not bind", error))?;
    }
    Ok(arguments)
}

/// One page of the trail, newest first (1-based page numbers). The page shows 100 entries
/// and links to the others by number, so it skips to its page with OFFSET; the export,
/// which reads everything, continues by key instead (`entries_after`).
pub async fn browse(
    pool: &AnyPool,
    filter: &AuditFilter,
    page: i64,
) -> Result<AuditPage, AppError> {
    let (clause, values) = conditions(filter, None);
    let count = format!("SELECT COUNT(*) FROM ({TRAIL}) t{clause}");
    let total: i64 = sqlx::query_scalar_with(&count, arguments(&values)?)
        .fetch_one(pool)
        .await?;
    let page = page.clamp(1, ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1));
    let (sql, n) = select(&clause, values.len());
    let rows: Vec<EntryRow> =
        sqlx::query_as_with(&format!("{sql} OFFSET ${}", n + 1), arguments(&values)?)
            .bind(PAGE_SIZE)
            .bind((page - 1) * PAGE_SIZE)
            .fetch_all(pool)
            .await?;
    let entries = rows.into_iter().map(AuditEntry::from).collect();
    Ok(AuditPage {
        entries,
        total,
        page,
    })
}

/// Up to `limit` entries that come after `after` (from the newest when `None`), newest
/// first: a chunk of the export. The next chunk continues after the last entry of this one
/// (`After::entry`), so each entry is read once however many there are, and entries that
/// arrive meanwhile can not push others into the next chunk.
pub async fn entries_after(
    pool: &AnyPool,
    filter: &AuditFilter,
    limit: i64,
    after: Option<&After>,
) -> Result<Vec<AuditEntry>, AppError> {
    let (clause, values) = conditions(filter, after);
    let (sql, _) = select(&clause, values.len());
    let rows: Vec<EntryRow> = sqlx::query_as_with(&sql, arguments(&values)?)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

/// The query for entries, newest first, with `LIMIT` as the placeholder after the filter's
/// `n` values; returns it and the number of that placeholder.
fn select(clause: &str, n: usize) -> (String, usize) {
    let sql = format!(
        "SELECT t.*, ro.name AS round_name FROM ({TRAIL}) t \
         LEFT JOIN rounds ro ON ro.id = t.round_id{clause} \
         ORDER BY t.occurred_at DESC, t.id DESC LIMIT ${}",
        n + 1
    );
    (sql, n + 1)
}

/// An entry of the trail as `select` reads it.
#[derive(sqlx::FromRow)]
struct EntryRow {
    id: String,
    occurred_at: i64,
    actor_label: String,
    kind: String,
    region_code: Option<String>,
    details: String,
    item_key: Option<String>,
    old_raw: Option<String>,
    new_raw: Option<String>,
    round_name: Option<String>,
}

impl From<EntryRow> for AuditEntry {
    fn from(row: EntryRow) -> Self {
        let details = if row.kind == ANSWER_CHANGED {
            format!(
                "{}: {} → {}",
                row.item_key.unwrap_or_default(),
                row.old_raw
                    .as_deref()
                    .map_or("(leeg)".to_string(), raw_text),
                row.new_raw.as_deref().map_or(String::new(), raw_text)
            )
        } else {
            details_text(&row.details)
        };
        AuditEntry {
            id: row.id,
            occurred_at: row.occurred_at,
            actor: row.actor_label,
            kind: row.kind,
            region_code: row.region_code,
            round_name: row.round_name,
            details,
        }
    }
}

/// A stored raw answer (JSON) as a short text: its values, or its special answer.
fn raw_text(json: &str) -> String {
    let Ok(raw) = serde_json::from_str::<crate::domain::questionnaire::answer::RawAnswer>(json)
    else {
        return json.to_string();
    };
    let raw = raw.normalized();
    match raw.special.as_deref() {
        Some("onbekend") => "onbekend".to_string(),
        Some("nvt") => "n.v.t.".to_string(),
        _ if raw.is_blank() => "(leeg)".to_string(),
        _ => raw
            .values
            .iter()
            .cloned()
            .chain(raw.rows.iter().map(|(row, value)| format!("{row}={value}")))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The details object as "key: value" pairs on one line.
fn details_text(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(key, value)| match value {
                serde_json::Value::String(text) => format!("{key}: {text}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => json.to_string(),
    }
}

/// The header row of the CSV export.
pub const CSV_COLUMNS: [&str; 8] = [
    "tijdstip_utc",
    "wie",
    "soort",
    "omschrijving",
    "regio",
    "meting",
    "details",
    "id",
];

/// Entries as CSV rows (with the header when asked); times in UTC, ISO 8601.
pub fn csv_rows(entries: &[AuditEntry], with_header: bool) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| AppError::internal("writing the audit CSV failed", error);
    if with_header {
        writer.write_record(csv_row(CSV_COLUMNS)).map_err(failed)?;
    }
    for entry in entries {
        let at = time::OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(entry.occurred_at) * 1_000_000,
        )
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
        // Every cell through the formula guard: e-mail addresses, round names, region codes
        // and details are typed by people, and a spreadsheet must not run them.
        writer
            .write_record(csv_row([
                at.as_str(),
                &entry.actor,
                &entry.kind,
                crate::domain::audit::kind_label(&entry.kind),
                entry.region_code.as_deref().unwrap_or_default(),
                entry.round_name.as_deref().unwrap_or_default(),
                &entry.details,
                &entry.id,
            ]))
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|error| AppError::internal("writing the audit CSV failed", error))
}
