//! Page benchmark of the real server: `nad-monitor serve` (the release build) runs as its own
//! process, first on the demo data (45 regions, the earlier rounds' answers), then on a
//! synthetic programme of 1,000 organisations × 300 items (two rounds, the second open and
//! compared with the first). On each, logged in as a coordinator and as an admin, a load of
//! `--connections` concurrent connections (default 32) is run for `--seconds` (default 10)
//! against, one after the other:
//!
//! - the largest section page of a response with previous answers,
//! - the response's task list,
//! - the review overview of a round (`/beoordelen/{id}`),
//! - the national picture of that round (`/landelijk/{id}`),
//! - saves (`/api/responses/save`, as the autosave sends them; each connection is a
//!   coordinator of another region saving one answer back to back),
//! - a bare axum handler in this process that serves the section page's bytes from memory:
//!   what the machine can do at all with that many bytes.
//!
//! Before measuring it waits until the server is done with what it does at start (such as
//! working out the review figures of open and closed rounds). It prints one table per data
//! set: size, the first request alone (the slowest of its first second), a single request,
//! requests/s, p50/p99, the ratio of requests/s to the bare handler's, and the server's
//! resident memory before and after. Figures vary with the
//! host; the ratios are what to compare. docs/performance.md holds the results.
//!
//! Run: `scripts/bench` (builds the release server and this example), or
//! `NAD_TEST_SERVER_BINARY=target/release/nad-monitor target/release/examples/bench
//! [--connections 32] [--seconds 10] [--organisations 1000] [--no-demo] [--no-synthetic]`.

#[path = "../tests/support/process.rs"]
mod process;

mod common;
mod measure;

use app::services::audit::Actor;
use measure::{bare_handler, measure, Settings, Work};
use process::{Database, Server, ADMIN, PASSWORD};
use std::time::Duration;

fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

/// What a data set offers to measure.
struct Targets {
    /// The coordinator of `section`'s response.
    coordinator: String,
    admin: String,
    response_id: String,
    /// The round of the review overview and the national picture.
    round_id: String,
    /// Coordinators of other regions with a response each, and the item they save.
    savers: Vec<(String, String)>,
    save_key: String,
}

/// The largest section page of the response, by its HTML.
async fn largest_section(
    client: &reqwest::Client,
    server: &Server,
    targets: &Targets,
) -> (String, axum::body::Bytes) {
    let task_list = process::get_page(
        client,
        &server.url(&format!("/vragenlijst/{}", targets.response_id)),
        Some(&targets.coordinator),
    )
    .await
    .expect("the task list answers");
    let prefix = format!("/vragenlijst/{}/sectie/", targets.response_id);
    let mut sections: Vec<String> = task_list
        .body
        .match_indices(&prefix)
        .filter_map(|(at, _)| {
            let rest = &task_list.body[at + prefix.len()..];
            rest.split(['"', '?', '#', '/']).next().map(str::to_string)
        })
        .collect();
    sections.sort();
    sections.dedup();
    assert!(!sections.is_empty(), "the task list links to its sections");
    let mut largest = (String::new(), axum::body::Bytes::new());
    for section in sections {
        let url = server.url(&format!("{prefix}{section}"));
        let reply = process::get_page(client, &url, Some(&targets.coordinator))
            .await
            .expect("a section page answers");
        assert_eq!(reply.status, reqwest::StatusCode::OK, "{url}");
        if reply.body.len() > largest.1.len() {
            largest = (url, axum::body::Bytes::from(reply.body));
        }
    }
    largest
}

async fn run_targets(label: &str, server: &Server, targets: Targets, settings: &Settings) {
    let busy_at_start = server.wait_until_idle().await;
    let client = process::client();
    let (section_url, section_html) = largest_section(&client, server, &targets).await;
    let bare = bare_handler(section_html.clone()).await;
    let rss_before = server.rss_kib().unwrap_or(0);
    let page = |url: String, cookie: &str| Work::Page {
        url,
        cookie: Some(cookie.to_string()),
    };
    let plan = [
        (
            format!(
                "section page ({})",
                section_url.rsplit('/').next().unwrap_or("?")
            ),
            page(section_url.clone(), &targets.coordinator),
        ),
        (
            "task list".to_string(),
            page(
                server.url(&format!("/vragenlijst/{}", targets.response_id)),
                &targets.coordinator,
            ),
        ),
        (
            "review overview".to_string(),
            page(
                server.url(&format!("/beoordelen/{}", targets.round_id)),
                &targets.admin,
            ),
        ),
        (
            "national picture".to_string(),
            page(
                server.url(&format!("/landelijk/{}", targets.round_id)),
                &targets.admin,
            ),
        ),
        (
            "save (autosave)".to_string(),
            Work::Save {
                base: server.base.clone(),
                key: targets.save_key.clone(),
                savers: targets.savers.clone(),
            },
        ),
        (
            "bare axum, section page's bytes".to_string(),
            Work::Page {
                url: bare,
                cookie: None,
            },
        ),
    ];
    let mut rows = Vec::new();
    for (name, work) in plan {
        // One connection for a second, twice: the slowest request of the first second (the
        // first request, when it does work that is then kept), then what a single request
        // costs.
        let alone = Settings {
            connections: 1,
            duration: Duration::from_secs(1),
        };
        let first = measure(&name, work.clone(), &alone).await.p99;
        let single = measure(&name, work.clone(), &alone).await.p50;
        rows.push(((first, single), measure(&name, work, settings).await));
    }
    let rss_after = server.rss_kib().unwrap_or(0);
    let bare_rate = rows.last().map_or(1.0, |(_, row)| row.per_second());
    println!(
        "\n{label}: {} connections, {} s each, release build; the server was busy for {:.0} s after it started",
        settings.connections,
        settings.duration.as_secs(),
        busy_at_start.as_secs_f64()
    );
    println!(
        "| target | size | first request | single request | req/s | p50 | p99 | errors | ratio to bare |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for ((first, single), row) in &rows {
        println!(
            "| {} | {} | {:.1} ms | {:.1} ms | {:.0} | {:.1} ms | {:.1} ms | {} | {} |",
            row.name,
            if row.bytes == 0 {
                "–".to_string()
            } else {
                format!("{:.1} KB", row.bytes as f64 / 1000.0)
            },
            first.as_secs_f64() * 1000.0,
            single.as_secs_f64() * 1000.0,
            row.per_second(),
            row.p50.as_secs_f64() * 1000.0,
            row.p99.as_secs_f64() * 1000.0,
            row.errors,
            if row.requests == 0 {
                "–".to_string()
            } else {
                format!("1/{:.0}", bare_rate / row.per_second())
            },
        );
    }
    println!(
        "server RSS: {:.1} MiB before, {:.1} MiB after, peak {:.1} MiB",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        server.peak_rss_kib().unwrap_or(0) as f64 / 1024.0
    );
}

/// The demo data, a coordinator account per region, and the demo's open round ("6e meting"),
/// where most regions have submitted and Friesland (R02), sent back, is editable with the
/// answers of June beside it.
async fn demo(binary: &std::path::Path, settings: &Settings) {
    let database = Database::sqlite();
    let regions = process::region_codes();
    let accounts = {
        let (binary, url, regions) = (binary.to_path_buf(), database.url.clone(), regions.clone());
        tokio::task::spawn_blocking(move || {
            process::set_up(&binary, &url, true, &regions, "bench.")
        })
        .await
        .expect("the set-up thread ends")
        .expect("the command line sets up the demo data and the accounts")
    };
    let server = Server::start(binary, &database.url, database.folder(), "bench-demo").await;
    let client = process::client();
    let admin = process::login(&client, &server.base, ADMIN, PASSWORD)
        .await
        .expect("the admin logs in")
        .cookie;
    // Savers: a new round for every region, as in `scripts/load`.
    process::open_round(&client, &server, "Benchmeting", &regions)
        .await
        .expect("the admin opens a round");
    let savers = process::sign_in_all(
        &client,
        &server,
        &accounts[..settings.connections.min(accounts.len())],
        "Benchmeting",
    )
    .await
    .expect("the coordinators log in");
    let friesland = savers
        .iter()
        .find(|c| c.account.region == "R02")
        .expect("R02 is among the first regions");
    let response_id = process::response_of(
        &client,
        &server,
        &friesland.cookie,
        "R02",
        "6e meting – december 2026",
    )
    .await
    .expect("Friesland has a response to the demo's open round");
    let round_id: String = sqlx::query_scalar("SELECT round_id FROM responses WHERE id = $1")
        .bind(&response_id)
        .fetch_one(&database.pool().await)
        .await
        .expect("the response's round");
    let targets = Targets {
        coordinator: friesland.cookie.clone(),
        admin,
        response_id,
        round_id,
        savers: savers
            .iter()
            .map(|c| (c.cookie.clone(), c.response_id.clone()))
            .collect(),
        save_key: "a_contactpersoon".to_string(),
    };
    run_targets("Demo data (45 regions), SQLite", &server, targets, settings).await;
    drop(server);
    database.remove().await;
}

/// The synthetic programme: `organisations` organisations, 300 items; round 1 closed, round 2
/// open and compared with it, every organisation's response submitted except those of the
/// coordinators who save, which are open.
async fn synthetic(binary: &std::path::Path, settings: &Settings, organisations: usize) {
    let database = Database::sqlite();
    let state = common::open_state(&database.url).await;
    common::import_organisations(&state, organisations).await;
    common::import_versions(&state, common::questionnaire).await;
    let user = |email: String, role: &str, region: Option<String>| app::services::users::NewUser {
        email,
        display_name: "Bench".into(),
        role: role.into(),
        region_code: region,
        password: PASSWORD.into(),
    };
    let admin_id = app::services::users::create(
        &state.pool,
        &Actor::CommandLine,
        user(ADMIN.into(), "admin", None),
    )
    .await
    .expect("the admin account");
    app::services::users::exempt_from_two_factor(&state.pool, &admin_id)
        .await
        .expect("the admin signs in with a password");
    let savers_count = settings.connections.min(organisations);
    let mut coordinators = Vec::new();
    for n in 1..=savers_count {
        let email = format!("o{n:04}@groot.nl");
        app::services::users::create(
            &state.pool,
            &Actor::CommandLine,
            user(email.clone(), "coordinator", Some(format!("O{n:04}"))),
        )
        .await
        .expect("a coordinator account");
        coordinators.push(email);
    }
    let day = 86_400_000;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_millis() as i64;
    let mut round_ids = Vec::new();
    for (round, state_of_round) in [
        app::domain::round::RoundState::Closed,
        app::domain::round::RoundState::Open,
    ]
    .into_iter()
    .enumerate()
    {
        let version = round as u32 + 1;
        let opens_at = now - (1 - round as i64) * 180 * day - day;
        let id = app::services::rounds::create(
            &state.pool,
            &Actor::CommandLine,
            app::services::rounds::NewRound {
                name: format!("Meting {}", round + 1),
                questionnaire_id: "groot".into(),
                questionnaire_version: version.to_string(),
                state: state_of_round,
                opens_at,
                deadline: opens_at + 365 * day,
                compared_round_id: round_ids.last().cloned(),
                region_codes: None,
            },
        )
        .await
        .expect("a round");
        common::store_round(&state.pool, &id, organisations, round, version, &admin_id).await;
        round_ids.push(id);
    }
    let open_round = round_ids.last().expect("two rounds").clone();
    // The savers' responses are open again, as a coordinator still at work.
    for n in 1..=savers_count {
        sqlx::query(&format!(
            "UPDATE responses SET status = 'open', submitted_at = NULL \
             WHERE round_id = '{open_round}' AND region_code = 'O{n:04}'"
        ))
        .execute(&state.pool)
        .await
        .expect("the response opens");
    }
    sqlx::query("ANALYZE")
        .execute(&state.pool)
        .await
        .expect("statistics");
    state.pool.close().await;

    let server = Server::start(binary, &database.url, database.folder(), "bench-synthetic").await;
    let client = process::client();
    let admin = process::login(&client, &server.base, ADMIN, PASSWORD)
        .await
        .expect("the admin logs in")
        .cookie;
    let mut savers = Vec::new();
    for (n, email) in coordinators.iter().enumerate() {
        let cookie = process::login(&client, &server.base, email, PASSWORD)
            .await
            .expect("a coordinator logs in")
            .cookie;
        let response_id = format!("{open_round}-{}", n + 1);
        savers.push((cookie, response_id));
    }
    let targets = Targets {
        coordinator: savers[0].0.clone(),
        admin,
        response_id: savers[0].1.clone(),
        round_id: open_round,
        savers,
        save_key: "v9".to_string(),
    };
    run_targets(
        &format!(
            "Synthetic programme ({organisations} organisations × {} items, 2 rounds), SQLite",
            common::ITEMS
        ),
        &server,
        targets,
        settings,
    )
    .await;
    drop(server);
    database.remove().await;
}

#[tokio::main]
async fn main() {
    let settings = Settings {
        connections: common::argument("--connections", 32),
        duration: Duration::from_secs(common::argument("--seconds", 10) as u64),
    };
    let organisations = common::argument("--organisations", 1000);
    let binary = process::binary(process::root().join("target/release/nad-monitor"));
    println!("server {}", binary.display());
    if !flag("--no-demo") {
        demo(&binary, &settings).await;
    }
    if !flag("--no-synthetic") {
        synthetic(&binary, &settings, organisations).await;
    }
}
