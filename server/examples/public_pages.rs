//! Benchmark of the public side: the dashboard and the open data of a programme with a number
//! of published rounds, served by the real server (`nad-monitor serve`, the release build) as
//! its own process. Two data sets, each on a synthetic questionnaire of 300 items (30 of them
//! indicators of the national page) in two versions with lineage between them:
//!
//! - 45 regions × 10 publications (the NAD's scale after five years),
//! - 1,000 organisations × `--large-publications` publications (default 3).
//!
//! For every page it prints the size, the first request (rendered from the frozen snapshots
//! before anything is kept: the render time), a single request once kept, and requests/s,
//! p50 and p99 under `--connections` concurrent connections (default 32) for `--seconds`
//! (default 10); beside them the section page of an open round of the same data set, which
//! the public pages should at least keep up with. Figures vary with the host; compare the
//! rows with each other. docs/performance.md holds the results.
//!
//! Run: `scripts/bench-public`, or `NAD_TEST_SERVER_BINARY=target/release/nad-monitor
//! target/release/examples/public_pages [--connections 32] [--seconds 10]
//! [--publications 10] [--large-publications 3] [--organisations 1000] [--no-small]
//! [--no-large]`.

#[path = "../tests/support/process.rs"]
mod process;

mod common;
mod measure;

use app::services::audit::Actor;
use measure::{measure, Row, Settings, Work};
use process::{Database, Server, PASSWORD};
use std::time::{Duration, Instant};

const DAY: i64 = 86_400_000;

/// The conclusions every publication opens with, as long as a real one.
const CONCLUSIONS: &str = "# Conclusies\n\n\
Wonen Eerst staat in steeds meer regionale plannen. De meeste regio's werken met een \
sluitende aanpak voor de uitstroom uit de opvang.\n\n\
## Wat opvalt\n\n\
- Meer regio's bieden opvang in de gemeente van herkomst.\n\
- Het aantal regio's met afspraken met woningcorporaties groeit.\n\
- Een paar regio's hebben nog geen vastgesteld plan.\n";

/// The synthetic questionnaire of `version`, with every tenth item (the yes/no questions that
/// steer the next ones) an indicator of the national page.
fn questionnaire(version: u32) -> String {
    let mut toml = common::questionnaire(version);
    for n in (0..common::ITEMS).step_by(10) {
        let line = format!("label = \"Vraag {n}\"\n");
        toml = toml.replacen(
            &line,
            &format!("{line}indicator = \"Kernindicator {n}\"\n"),
            1,
        );
    }
    toml
}

/// A published programme in a fresh database and what to ask of it.
struct Programme {
    database: Database,
    /// The public names of the published rounds, the oldest first.
    slugs: Vec<String>,
    /// A coordinator of `O0001` and their response in the open round.
    coordinator: String,
    response_id: String,
}

/// Fills a database: `organisations` organisations, `publications` closed rounds with every
/// response approved and published (the first half on version 1, the rest on version 2),
/// and an open round on version 2 where `O0001` is still at work.
async fn programme(organisations: usize, publications: usize) -> Programme {
    let generating = Instant::now();
    let database = Database::sqlite();
    let state = common::open_state(&database.url).await;
    common::import_organisations(&state, organisations).await;
    common::import_versions(&state, questionnaire).await;
    let account = |email: &str, role: &str, region: Option<&str>| app::services::users::NewUser {
        email: email.into(),
        display_name: "Bench".into(),
        role: role.into(),
        region_code: region.map(str::to_string),
        password: PASSWORD.into(),
    };
    let reviewer = app::services::users::create(
        &state.pool,
        &Actor::CommandLine,
        account("beoordelaar@groot.nl", "reviewer", None),
    )
    .await
    .expect("the reviewer's account");
    let coordinator_email = "o0001@groot.nl";
    app::services::users::create(
        &state.pool,
        &Actor::CommandLine,
        account(coordinator_email, "coordinator", Some("O0001")),
    )
    .await
    .expect("a coordinator's account");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_millis() as i64;
    let mut previous: Option<String> = None;
    for round in 0..=publications {
        let open = round == publications;
        let version: u32 = if open || round >= publications / 2 {
            2
        } else {
            1
        };
        // Half a year apart, the last published one a month ago.
        let deadline = now - (publications - round) as i64 * 182 * DAY
            + if open { 60 * DAY } else { -30 * DAY };
        let id = app::services::rounds::create(
            &state.pool,
            &Actor::CommandLine,
            app::services::rounds::NewRound {
                name: format!("Meting {}", round + 1),
                questionnaire_id: "groot".into(),
                questionnaire_version: version.to_string(),
                state: if open {
                    app::domain::round::RoundState::Open
                } else {
                    app::domain::round::RoundState::Closed
                },
                opens_at: deadline - 90 * DAY,
                deadline,
                compared_round_id: previous.clone(),
                region_codes: None,
            },
        )
        .await
        .expect("a round");
        common::store_round(&state.pool, &id, organisations, round, version, &reviewer).await;
        if open {
            sqlx::query("UPDATE responses SET status = 'open', submitted_at = NULL WHERE round_id = $1 AND region_code = 'O0001'")
                .bind(&id)
                .execute(&state.pool)
                .await
                .expect("O0001's response opens");
        } else {
            sqlx::query("UPDATE responses SET status = 'approved', approved_at = $1, approved_by = $2 WHERE round_id = $3")
                .bind(deadline + 14 * DAY)
                .bind(&reviewer)
                .bind(&id)
                .execute(&state.pool)
                .await
                .expect("the responses are approved");
            app::services::publications::publish_as_of(
                &state,
                &Actor::CommandLine,
                &id,
                CONCLUSIONS,
                deadline + 21 * DAY,
            )
            .await
            .expect("the round is published");
        }
        previous = Some(id);
    }
    let slugs: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM publications ORDER BY published_at")
            .fetch_all(&state.pool)
            .await
            .expect("the publications");
    let response_id = format!("{}-1", previous.expect("the open round"));
    sqlx::query("ANALYZE")
        .execute(&state.pool)
        .await
        .expect("statistics");
    state.pool.close().await;
    println!(
        "\n{organisations} organisations × {} items, {publications} publications and an open round, generated in {:.0} s",
        common::ITEMS,
        generating.elapsed().as_secs_f64()
    );
    Programme {
        database,
        slugs,
        coordinator: coordinator_email.to_string(),
        response_id,
    }
}

/// One timed GET: the first request of a page is its render from the frozen snapshots.
async fn first_request(client: &reqwest::Client, url: &str, cookie: Option<&str>) -> Duration {
    let started = Instant::now();
    let reply = process::get_page(client, url, cookie)
        .await
        .unwrap_or_else(|error| panic!("{url}: {error}"));
    assert_eq!(reply.status, reqwest::StatusCode::OK, "{url}");
    started.elapsed()
}

async fn run(label: &str, binary: &std::path::Path, programme: Programme, settings: &Settings) {
    let server = Server::start(
        binary,
        &programme.database.url,
        programme.database.folder(),
        "bench-public",
    )
    .await;
    let client = process::client();
    let coordinator = process::login(&client, &server.base, &programme.coordinator, PASSWORD)
        .await
        .expect("the coordinator logs in")
        .cookie;
    let latest = programme.slugs.last().expect("a publication");
    let oldest = programme.slugs.first().expect("a publication");
    let public = |path: &str| (path.to_string(), None::<String>);
    let plan = [
        (
            format!("/vragenlijst/{}/sectie/S0", programme.response_id),
            Some(coordinator.clone()),
        ),
        public("/dashboard"),
        public("/dashboard/regio/O0001"),
        public(&format!("/dashboard/{oldest}")),
        public(&format!("/dashboard/{oldest}/regio/O0001")),
        public("/open-data"),
        public("/open-data/index.json"),
        public(&format!("/open-data/{latest}/1/lang.csv")),
        public(&format!("/open-data/{latest}/1/breed.csv")),
        public(&format!("/open-data/{latest}/1/gegevens.json")),
        public(&format!("/open-data/{latest}/1/codeboek.csv")),
    ];
    let rss_before = server.rss_kib().unwrap_or(0);
    let mut rows: Vec<(String, Duration, Duration, Row)> = Vec::new();
    for (path, cookie) in plan {
        let url = server.url(&path);
        let first = first_request(&client, &url, cookie.as_deref()).await;
        let work = Work::Page { url, cookie };
        let alone = Settings {
            connections: 1,
            duration: Duration::from_secs(1),
        };
        let single = measure(&path, work.clone(), &alone).await.p50;
        rows.push((
            path.clone(),
            first,
            single,
            measure(&path, work, settings).await,
        ));
    }
    println!(
        "{label}: {} connections, {} s each, release build",
        settings.connections,
        settings.duration.as_secs()
    );
    println!("| page | size | first request | single request | req/s | p50 | p99 | errors |");
    println!("|---|---|---|---|---|---|---|---|");
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    for (path, first, single, row) in &rows {
        println!(
            "| `{path}` | {:.1} KB | {:.1} ms | {:.1} ms | {:.0} | {:.1} ms | {:.1} ms | {} |",
            row.bytes as f64 / 1000.0,
            ms(first),
            ms(single),
            row.per_second(),
            ms(&row.p50),
            ms(&row.p99),
            row.errors,
        );
    }
    println!(
        "server RSS: {:.1} MiB before the public pages, {:.1} MiB after, peak {:.1} MiB",
        rss_before as f64 / 1024.0,
        server.rss_kib().unwrap_or(0) as f64 / 1024.0,
        server.peak_rss_kib().unwrap_or(0) as f64 / 1024.0
    );
    drop(server);
    programme.database.remove().await;
}

fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

#[tokio::main]
async fn main() {
    let settings = Settings {
        connections: common::argument("--connections", 32),
        duration: Duration::from_secs(common::argument("--seconds", 10) as u64),
    };
    let binary = process::binary(process::root().join("target/release/nad-monitor"));
    println!("server {}", binary.display());
    if !flag("--no-small") {
        let publications = common::argument("--publications", 10);
        let programme = programme(45, publications).await;
        let label = format!("45 regions × {publications} publications, SQLite");
        run(&label, &binary, programme, &settings).await;
    }
    if !flag("--no-large") {
        let organisations = common::argument("--organisations", 1000);
        let publications = common::argument("--large-publications", 3);
        let programme = programme(organisations, publications).await;
        let label = format!("{organisations} organisations × {publications} publications, SQLite");
        run(&label, &binary, programme, &settings).await;
    }
}
