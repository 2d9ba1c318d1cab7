//! The real server binary as a separate process, over HTTP on 127.0.0.1:
//!
//! - a crash: 45 coordinators save at once, the server is killed with SIGKILL mid-way and
//!   started again on the same database; every acknowledged save is there, nothing else is
//!   (SQLite, and PostgreSQL when `TEST_POSTGRES_URL` is set);
//! - two instances on one PostgreSQL share sessions, login back-off and conflict detection
//!   (only with `TEST_POSTGRES_URL`);
//! - a short load of a few clients logging in, reading section pages and saving, without a
//!   single error (SQLite).
//!
//! They start the binary cargo built for the tests, or `NAD_TEST_SERVER_BINARY` when set:
//! `scripts/test` sets it to the release build (`target/release/nad-monitor`).
//! The tests take turns: each one keeps the machine's cores busy on its own.

#[path = "../support/load.rs"]
mod load;
#[path = "../support/process.rs"]
mod process;

mod killed_midway;
mod requests_given_up;
mod short_load;
mod two_instances;

use process::{Coordinator, Database, Outcome, Server};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// One test at a time in this file.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn server_binary() -> std::path::PathBuf {
    process::binary(env!("CARGO_BIN_EXE_nad-monitor"))
}

fn postgres_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// Sets up `database` through the command line (in a blocking thread: it waits on processes).
async fn set_up(
    database: &Database,
    demo: bool,
    regions: &[String],
    prefix: &str,
) -> Vec<process::Account> {
    let (binary, url, regions, prefix) = (
        server_binary(),
        database.url.clone(),
        regions.to_vec(),
        prefix.to_string(),
    );
    tokio::task::spawn_blocking(move || process::set_up(&binary, &url, demo, &regions, &prefix))
        .await
        .expect("the set-up thread ends")
        .expect("the command line sets the database up")
}

/// The typed value in a stored `RawAnswer` (JSON text).
fn value_of(raw: &str) -> String {
    let parsed: serde_json::Value = serde_json::from_str(raw).expect("a stored answer is JSON");
    parsed["values"][0].as_str().unwrap_or_default().to_string()
}
