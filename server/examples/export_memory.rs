//! Benchmark of the exports: peak memory and time of every format for rounds of different
//! sizes, to show that memory does not grow with the round. Each size runs in a process of
//! its own (peak memory is per process): a fresh SQLite database is filled with one round of
//! the synthetic programme (300 items, every organisation submitted), then each format is
//! exported and thrown away as it streams, and the process's peak resident memory (VmHWM)
//! is read after each.
//!
//! With `NAD_TEST_SERVER_BINARY` set (as `scripts/bench-exports` does), each export is then
//! also downloaded through HTTP from the release server (`nad-monitor serve`, its own
//! process) on the same database, signed in as the reviewer: the time to the last byte and the
//! server's peak resident memory while it sends the file.
//!
//! The server is left to finish what it does at start (it works out the review figures of
//! every open and closed round: at 10,000 organisations that takes a while) before the first
//! download, so that each figure is the export's alone. With `--gzip` the downloads ask for
//! compression as a browser does, and the sizes are those sent.
//!
//! Run: `scripts/bench-exports`, or `cargo run --release -p server --example export_memory`
//! (`-- --sizes 100,1000` is the default; `-- --organisations 500` runs one size).

#[path = "../tests/support/process.rs"]
mod process;

mod common;

use app::domain::access::SignedInUser;
use app::domain::export::{Format, FORMATS};
use app::domain::role::Role;
use app::services::audit::Actor;
use common::*;
use process::PASSWORD;
use std::time::Instant;

/// The process's peak resident memory in KiB, from /proc/self/status.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Starts counting the peak anew (Linux: writing 5 to clear_refs resets VmHWM). Returns
/// whether it could.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn main() {
    // The allocator as the server sets it, so that the figures are the server's.
    server::allocator::configure();
    if std::env::args().any(|a| a == "--organisations") {
        one_size(argument("--organisations", 100));
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip_while(|a| a != "--sizes")
        .nth(1)
        .unwrap_or_else(|| "100,1000".to_string())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let exe = std::env::current_exe().expect("own executable");
    let gzip = std::env::args().any(|a| a == "--gzip");
    for size in sizes {
        let status = std::process::Command::new(&exe)
            .args(["--organisations", &size.to_string()])
            .args(gzip.then_some("--gzip"))
            .status()
            .expect("runs");
        assert!(status.success(), "size {size}");
    }
}

#[tokio::main]
async fn one_size(organisations: usize) {
    let folder = std::env::temp_dir().join(format!("nad-export-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let url = format!("sqlite://{}/export.db", folder.display());
    let state = open_state(&url).await;
    import_organisations(&state, organisations).await;
    app::services::questionnaires::import(
        &state.pool,
        &state.questionnaires,
        &Actor::CommandLine,
        "groot-1.toml",
        &questionnaire(1),
    )
    .await
    .unwrap_or_else(|problems| panic!("{problems:?}"));
    let author = app::services::users::create(
        &state.pool,
        &Actor::CommandLine,
        app::services::users::NewUser {
            email: "reviewer@groot.nl".into(),
            display_name: "Reviewer".into(),
            role: "reviewer".into(),
            region_code: None,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    let round = app::services::rounds::create(
        &state.pool,
        &Actor::CommandLine,
        app::services::rounds::NewRound {
            name: "Meting 1".into(),
            questionnaire_id: "groot".into(),
            questionnaire_version: "1".into(),
            state: app::domain::round::RoundState::Closed,
            opens_at: 1_700_000_000_000,
            deadline: 1_700_000_000_000 + 60 * 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .unwrap();
    store_round(&state.pool, &round, organisations, 0, 1, &author).await;
    sqlx::query("ANALYZE").execute(&state.pool).await.unwrap();
    let reviewer = SignedInUser {
        id: author,
        email: "reviewer@groot.nl".into(),
        display_name: "Reviewer".into(),
        role: Role::Reviewer,
        region_code: None,
        region_name: None,
        other_regions: Vec::new(),
        advised_regions: Vec::new(),
    };

    let before = peak_kib();
    let resets = reset_peak();
    println!(
        "{organisations} organisations × {ITEMS} items ({} answers); peak after generating: {:.1} MiB{}",
        organisations * ITEMS,
        before as f64 / 1024.0,
        if resets { "" } else { " (peak cannot be reset here: figures include it)" }
    );
    for format in FORMATS {
        if format == Format::Codebook {
            continue;
        }
        reset_peak();
        let started = Instant::now();
        let export = app::services::exports::prepare(&state, &reviewer, &round, format.url_name())
            .await
            .unwrap();
        let mut receiver = app::services::exports::stream(state.clone(), export).into_inner();
        let mut bytes = 0usize;
        while let Some(chunk) = receiver.recv().await {
            bytes += chunk.expect("the export completes").len();
        }
        println!(
            "  {:<12} {:>8.1} MB in {:>6.2} s, peak RSS {:>6.1} MiB",
            format.url_name(),
            bytes as f64 / 1_000_000.0,
            started.elapsed().as_secs_f64(),
            peak_kib() as f64 / 1024.0
        );
    }
    app::services::users::exempt_from_two_factor(&state.pool, &reviewer.id)
        .await
        .unwrap();
    state.pool.close().await;
    if let Ok(binary) = std::env::var("NAD_TEST_SERVER_BINARY") {
        download_each(std::path::Path::new(&binary), &url, &folder, &round).await;
    }
    let _ = std::fs::remove_dir_all(&folder);
}

/// Downloads every export from the release server as a browser would, and prints the time
/// to the last byte and the server's peak resident memory while sending it.
async fn download_each(binary: &std::path::Path, url: &str, folder: &std::path::Path, round: &str) {
    let gzip = std::env::args().any(|a| a == "--gzip");
    let server = process::Server::start(binary, url, folder, "export").await;
    let pid = server.pid().expect("the server runs");
    let busy_at_start = server.wait_until_idle().await;
    let cookie = process::login(
        &process::client(),
        &server.base,
        "reviewer@groot.nl",
        PASSWORD,
    )
    .await
    .expect("the reviewer signs in")
    .cookie;
    // The largest file takes longer than the tests' request limit.
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(600))
        .build()
        .expect("an HTTP client");
    println!(
        "  through HTTP{} (server peak RSS while sending; {:.1} MiB before the first, \
         idle {:.0} s after start):",
        if gzip { ", gzip" } else { "" },
        server.rss_kib().unwrap_or(0) as f64 / 1024.0,
        busy_at_start.as_secs_f64()
    );
    for format in FORMATS {
        if format == Format::Codebook {
            continue;
        }
        let resets = std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok();
        let started = Instant::now();
        let mut request = client
            .get(server.url(&format!("/landelijk/{round}/export/{}", format.url_name())))
            .header(reqwest::header::COOKIE, &cookie);
        if gzip {
            // As Chromium asks; the server answers with gzip.
            request = request.header(reqwest::header::ACCEPT_ENCODING, "gzip, deflate, br, zstd");
        }
        let mut reply = request.send().await.expect("the export answers");
        assert_eq!(
            reply.status(),
            reqwest::StatusCode::OK,
            "{}",
            format.url_name()
        );
        let mut bytes = 0usize;
        while let Some(chunk) = reply.chunk().await.expect("the export completes") {
            bytes += chunk.len();
        }
        println!(
            "  {:<12} {:>8.1} MB in {:>6.2} s, peak RSS {:>6.1} MiB{}",
            format.url_name(),
            bytes as f64 / 1_000_000.0,
            started.elapsed().as_secs_f64(),
            server.peak_rss_kib().unwrap_or(0) as f64 / 1024.0,
            if resets { "" } else { " (since start)" }
        );
    }
}
