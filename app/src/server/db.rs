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

/// Opens a pool. A SQLite file and its folder are created when missing, and every SQLite
/// connection gets WAL, foreign keys and a busy timeout.
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
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;",
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

/// Answers whether the database responds (for `/healthz`).
pub async fn ping(pool: &AnyPool) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
        .fetch_one(pool)
        .await
        .is_ok()
}
