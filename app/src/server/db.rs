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

/// Brings the schema up to date. A failure is fatal: the caller must stop.
pub async fn migrate(pool: &AnyPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Answers whether the database responds (for `/healthz`).
pub async fn ping(pool: &AnyPool) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
        .fetch_one(pool)
        .await
        .is_ok()
}
