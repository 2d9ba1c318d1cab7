//! Load benchmark of the real server: `nad-monitor serve` runs as its own process on the demo
//! data (45 regions with their gemeenten, both NAD versions, the earlier rounds' answers) plus
//! a new open round and a coordinator account per region, and 64 clients log in, read section
//! pages (`GET /vragenlijst/ID/sectie/KEY`) and save answers (`/api/responses/save`, JSON, as
//! the browser's autosave) back to back for a minute, over HTTP on 127.0.0.1. Prints requests,
//! errors, req/s, p50/p99 per kind, and the server's resident memory at the start, every 10 s
//! and at the end. First on SQLite, then on PostgreSQL with `--postgres URL` (a fresh
//! database is made there and dropped afterwards).
//!
//! Run: `scripts/load` (builds the release server and this example, finds PostgreSQL), or
//! `NAD_TEST_SERVER_BINARY=target/release/nad-monitor cargo run --release -p server --example
//! load -- [--clients 64] [--seconds 60] [--postgres postgres://postgres@127.0.0.1/postgres]
//! [--no-sqlite]`.
//!
//! The sqlx pool's own figures are only visible inside the server; a request that waited for
//! a connection longer than the pool's acquire timeout (30 s) fails, and would be counted here
//! as an error.

#[path = "../tests/support/load.rs"]
mod load;
#[path = "../tests/support/process.rs"]
mod process;

use process::{Database, Server};
use std::time::Duration;

fn argument(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

async fn run_on(database: Database, settings: &load::Settings) -> u64 {
    let binary = process::binary(process::root().join("target/release/nad-monitor"));
    println!(
        "== {} ({}), server {}",
        database.label,
        database.url,
        binary.display()
    );
    let regions = process::region_codes();
    let accounts = {
        let (binary, url, regions) = (binary.clone(), database.url.clone(), regions.clone());
        tokio::task::spawn_blocking(move || process::set_up(&binary, &url, true, &regions, "last."))
            .await
            .expect("the set-up thread ends")
            .expect("the command line sets up the demo data and the accounts")
    };
    let mut server = Server::start(&binary, &database.url, database.folder(), "load").await;
    let client = process::client();
    process::open_round(&client, &server, "Belastingmeting", &regions)
        .await
        .expect("the admin opens a round");
    let coordinators = process::sign_in_all(&client, &server, &accounts, "Belastingmeting")
        .await
        .expect("every coordinator logs in");
    println!(
        "{} regions, {} coordinators, {} clients for {} s; server RSS before the load {:.1} MiB",
        regions.len(),
        coordinators.len(),
        settings.clients,
        settings.duration.as_secs(),
        server.rss_kib().unwrap_or(0) as f64 / 1024.0
    );
    let report = load::run(&server, &coordinators, settings).await;
    report.print(&format!(
        "{} clients on {}",
        settings.clients, database.label
    ));
    server.kill();
    database.remove().await;
    report.errors
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let clients: usize = argument("--clients")
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    let settings = load::Settings {
        clients,
        duration: Duration::from_secs(
            argument("--seconds")
                .and_then(|n| n.parse().ok())
                .unwrap_or(60),
        ),
        // 100 ms apart: about one login at a time.
        ramp: Duration::from_millis(100) * clients as u32,
        sample_every: Duration::from_secs(10),
        saves_per_page: 4,
    };
    let mut errors = 0;
    if !std::env::args().any(|a| a == "--no-sqlite") {
        errors += run_on(Database::sqlite(), &settings).await;
    }
    if let Some(url) = argument("--postgres") {
        errors += run_on(Database::postgres(&url).await, &settings).await;
    }
    if errors == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
