//! The database: one `AnyPool` that speaks SQLite (the embedded default) or PostgreSQL, with
//! one set of portable migrations and queries.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::path::Path;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// The default database: a SQLite file under `data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/nad-monitor.db";

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The URL as it may appear in a log or an error message: without its password (in the
/// user information or as a `password=` parameter).
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The user information ends at the last '@' before the path: a password may hold '@'.
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (user_info, tail) = match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user_info = &rest[..at];
            let shown = match user_info.split_once(':') {
                Some((user, _)) => format!("{user}:***@"),
                None => format!("{user_info}@"),
            };
            (shown, &rest[at + 1..])
        }
        None => (String::new(), rest),
    };
    let tail = match tail.find("password=") {
        Some(start) => {
            let value_start = start + "password=".len();
            let value_end = tail[value_start..]
                .find('&')
                .map_or(tail.len(), |end| value_start + end);
            format!("{}***{}", &tail[..value_start], &tail[value_end..])
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{user_info}{tail}")
}

/// A message (such as a driver's error) with the URL's password, if it holds one, replaced.
pub fn scrubbed(message: &str, url: &str) -> String {
    let password = url.split_once("://").and_then(|(_, rest)| {
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let at = rest[..authority_end].rfind('@')?;
        rest[..at].split_once(':').map(|(_, password)| password)
    });
    match password.filter(|p| !p.is_empty()) {
        Some(password) => message.replace(password, "***"),
        None => message.to_string(),
    }
}

/// What SQLite may keep in memory for all connections together before it gives back page
/// cache. Each connection caches up to 2 MiB of pages of its own, and the pool has eight:
/// while a reviewer downloaded the four exports of 10,000 organisations one after another,
/// the server's peak grew from 58 to 68 MiB as more connections filled their caches. With the
/// limit it stayed at 53–54 MiB (and the exports took about as long): SQLite recycles the
/// least recently used pages of any connection instead, which stay in the operating system's
/// file cache, a read away. Set per connection, it holds for the whole process.
const SQLITE_HEAP_LIMIT_BYTES: i64 = 8 * 1024 * 1024;

/// Opens a pool. A SQLite file and its folder are created when missing, and every SQLite
/// connection gets WAL, foreign keys, a busy timeout and `synchronous = FULL`: WAL with
/// NORMAL may lose the last acknowledged saves at a power cut (not at a crash of the process
/// alone), and a coordinator who saw "Opgeslagen" must be able to rely on it. See
/// docs/decisions.md for what it costs. PostgreSQL URLs may ask for TLS with `sslmode`.
pub async fn connect(url: &str) -> Result<AnyPool, sqlx::Error> {
    install_default_drivers();
    if is_sqlite(url) {
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:")
            .split('?')
            .next()
            .unwrap_or_default();
        if let Some(folder) = Path::new(path).parent() {
            if !folder.as_os_str().is_empty() {
                std::fs::create_dir_all(folder)?;
            }
        }
        let url = if url.contains('?') {
            url.to_string()
        } else {
            format!("{url}?mode=rwc")
        };
        AnyPoolOptions::new()
            .max_connections(8)
            // A SQLite connection is a file handle in this process: it can't go stale while
            // idle, and asking it (a round trip to its worker thread) before every query cost
            // a third of the hand-offs between threads that bound the busiest pages. The
            // check after each use, which also finishes an abandoned transaction, stays.
            .test_before_acquire(false)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;",
                    )
                    .await?;
                    conn.execute(
                        format!("PRAGMA soft_heap_limit = {SQLITE_HEAP_LIMIT_BYTES}").as_str(),
                    )
                    .await?;
                    Ok(())
                })
            })
            .connect(&url)
            .await
    } else {
        AnyPoolOptions::new().max_connections(16).connect(url).await
    }
}

/// The tables that are only ever inserted into: the audit log, the history of every answer
/// and the comments. The database itself refuses to change or delete their rows.
pub const APPEND_ONLY_TABLES: [&str; 3] = ["audit_events", "answer_history", "comments"];

/// Brings the schema up to date. A failure is fatal: the caller must stop.
pub async fn migrate(pool: &AnyPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await?;
    guard_append_only(pool).await?;
    Ok(())
}

/// Installs triggers that refuse UPDATE and DELETE on the append-only tables. Trigger syntax
/// differs between SQLite and PostgreSQL, so they are kept here rather than in the shared
/// migrations; both statements are idempotent and run at every start.
async fn guard_append_only(pool: &AnyPool) -> Result<(), sqlx::Error> {
    let is_postgres = pool
        .connect_options()
        .database_url
        .scheme()
        .starts_with("postgres");
    let mut script = String::new();
    if is_postgres {
        // Instances starting at the same moment would replace the function and triggers at
        // once and collide in the catalogue: one at a time, until the transaction ends.
        script.push_str("SELECT pg_advisory_xact_lock(7226410093);");
        script.push_str(
            "CREATE OR REPLACE FUNCTION refuse_append_only_change() RETURNS trigger \
             LANGUAGE plpgsql AS $$ BEGIN \
             RAISE EXCEPTION '% is append-only: rows are never changed or deleted', TG_TABLE_NAME; \
             END $$;",
        );
        for table in APPEND_ONLY_TABLES {
            script.push_str(&format!(
                "DROP TRIGGER IF EXISTS {table}_append_only ON {table}; \
                 CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change(); \
                 DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}; \
                 CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                 FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();"
            ));
        }
    } else {
        for table in APPEND_ONLY_TABLES {
            for action in ["UPDATE", "DELETE"] {
                script.push_str(&format!(
                    "CREATE TRIGGER IF NOT EXISTS {table}_no_{lower} BEFORE {action} ON {table} \
                     BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows are never changed or deleted'); END;",
                    lower = action.to_lowercase()
                ));
            }
        }
    }
    let mut transaction = pool.begin().await?;
    transaction.execute(script.as_str()).await?;
    transaction.commit().await
}

/// Answers whether the database responds.
pub async fn ping(pool: &AnyPool) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
        .fetch_one(pool)
        .await
        .is_ok()
}

/// The database's state, as `/healthz` reports it.
#[derive(Debug, serde::Serialize)]
pub struct Health {
    /// "ok" or "database onbereikbaar".
    pub status: &'static str,
    pub reachable: bool,
    /// "sqlite" or "postgresql".
    pub database: &'static str,
    /// How long the database took to answer a trivial query (or to fail), in milliseconds.
    pub answered_in_ms: f64,
    /// The pool's open connections, and how many of them are idle.
    pub connections: u32,
    pub idle_connections: usize,
}

/// Asks the database a trivial question, bounded by five seconds, and reports how it went.
pub async fn health(pool: &AnyPool) -> Health {
    let started = std::time::Instant::now();
    let reachable = tokio::time::timeout(std::time::Duration::from_secs(5), ping(pool))
        .await
        .unwrap_or(false);
    let answered_in_ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
    let database = if pool
        .connect_options()
        .database_url
        .scheme()
        .starts_with("postgres")
    {
        "postgresql"
    } else {
        "sqlite"
    };
    Health {
        status: if reachable {
            "ok"
        } else {
            "database onbereikbaar"
        },
        reachable,
        database,
        answered_in_ms,
        connections: pool.size(),
        idle_connections: pool.num_idle(),
    }
}

#[cfg(test)]
mod tests {
    use super::{redacted, scrubbed};

    #[test]
    fn passwords_never_appear() {
        assert_eq!(
            redacted("postgres://nad:geheim@db.example:5432/nad?sslmode=require"),
            "postgres://nad:***@db.example:5432/nad?sslmode=require"
        );
        assert_eq!(
            redacted("postgres://nad:ge@heim@db.example/nad"),
            "postgres://nad:***@db.example/nad"
        );
        assert_eq!(
            redacted("postgres://db.example/nad?user=nad&password=geheim&sslmode=require"),
            "postgres://db.example/nad?user=nad&password=***&sslmode=require"
        );
        assert_eq!(
            redacted("postgres://nad@db.example/nad"),
            "postgres://nad@db.example/nad"
        );
        assert_eq!(redacted("sqlite://data/nad.db"), "sqlite://data/nad.db");
        let url = "postgres://nad:s3cr3t@db.example/nad";
        assert_eq!(
            scrubbed("password authentication failed (s3cr3t)", url),
            "password authentication failed (***)"
        );
    }
}
