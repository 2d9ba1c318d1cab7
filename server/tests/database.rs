//! The database settings that keep data safe: SQLite syncs every commit to disk, PostgreSQL
//! connections can require TLS, and the database URL's password never appears in an error.

use crate::support;

use app::services::state::Config;
use sqlx::Executor;
use support::*;

#[tokio::test]
async fn sqlite_syncs_every_commit_to_disk() {
    let database = databases().await.remove(0);
    assert_eq!(database.label, "sqlite");
    let state = state_for(&database, Config::default()).await;
    // Every connection of the pool, not only the first.
    let mut connections = Vec::new();
    for _ in 0..3 {
        connections.push(state.pool.acquire().await.unwrap());
    }
    for connection in &mut connections {
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut **connection)
            .await
            .unwrap();
        assert_eq!(synchronous, 2, "PRAGMA synchronous is FULL (2)");
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut **connection)
            .await
            .unwrap();
        assert_eq!(journal, "wal");
    }
    drop(connections);
    close(&state).await;
}

#[tokio::test]
async fn the_database_password_never_appears_in_an_error() {
    let Ok(server) = std::env::var("TEST_POSTGRES_URL") else {
        eprintln!("-- TEST_POSTGRES_URL is not set: skipped");
        return;
    };
    let base = server.split('?').next().unwrap_or(&server);
    let (scheme_and_host, _) = base.rsplit_once('/').unwrap();
    let host = scheme_and_host.rsplit_once('@').map_or(
        scheme_and_host.trim_start_matches("postgres://"),
        |(_, host)| host,
    );
    let url = format!("postgres://postgres:geheim-wachtwoord-42@{host}/bestaat_niet_nad");
    let error = server::build_state(
        &url,
        Config::default(),
        server::leptos_options(([127, 0, 0, 1], 3000).into()),
    )
    .await
    .err()
    .expect("a database that does not exist can't be opened");
    assert!(!error.contains("geheim-wachtwoord-42"), "{error}");
    assert!(error.contains("postgres://postgres:***@"), "{error}");
}

#[tokio::test]
async fn postgres_connections_can_require_tls() {
    let Some(database) = databases()
        .await
        .into_iter()
        .find(|d| d.label == "postgres")
    else {
        eprintln!("-- TEST_POSTGRES_URL is not set: skipped");
        return;
    };
    sqlx::any::install_default_drivers();
    let plain = sqlx::AnyPool::connect(&database.url).await.unwrap();
    let ssl_on: String = sqlx::query_scalar("SHOW ssl")
        .fetch_one(&plain)
        .await
        .unwrap();
    plain.close().await;
    if ssl_on != "on" {
        eprintln!("-- the PostgreSQL server has no TLS (ssl = {ssl_on}): skipped");
        return;
    }
    let separator = if database.url.contains('?') { '&' } else { '?' };
    let required = format!("{}{separator}sslmode=require", database.url);
    let state = server::build_state(
        &required,
        Config::default(),
        server::leptos_options(([127, 0, 0, 1], 3000).into()),
    )
    .await
    .expect("the server opens its database over TLS");
    let mut connection = state.pool.acquire().await.unwrap();
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&mut *connection)
            .await
            .unwrap();
    assert!(encrypted, "sslmode=require gives an encrypted connection");
    connection.execute("SELECT 1").await.unwrap();
    drop(connection);
    close(&state).await;
    // Verifying the server's certificate really happens: a certificate no known authority
    // signed is refused with verify-full.
    let verified = format!("{}{separator}sslmode=verify-full", database.url);
    let refused = sqlx::AnyPool::connect(&verified).await;
    assert!(
        refused.is_err(),
        "verify-full accepted an unverifiable certificate"
    );
}
