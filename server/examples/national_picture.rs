//! Benchmark of the national picture at the scale of a bigger programme: 1,000
//! organisations × 300 items × 10 rounds (3 million answers), every response submitted.
//! A synthetic generator fills the database (rounds 1–5 on version 1 of a questionnaire,
//! rounds 6–10 on version 2, with renamed and recoded items); then the picture of the last
//! round beside the one before it is computed repeatedly, as a reviewer's request does.
//!
//! Run: `cargo run --release -p server --example national_picture`
//! (`-- --organisations 200 --rounds 4` for a smaller set; `DATABASE_URL` for another
//! database, e.g. PostgreSQL, which must be empty and is filled by this run).

use app::domain::access::SignedInUser;
use app::domain::role::Role;
use app::services::audit::Actor;
use std::time::{Duration, Instant};

mod common;

use common::*;

#[tokio::main]
async fn main() {
    let organisations = argument("--organisations", 1000);
    let rounds = argument("--rounds", 10);
    let repeats = argument("--repeats", 20);
    let folder = std::env::temp_dir().join(format!("nad-landelijk-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/landelijk.db", folder.display()));
    let state = open_state(&url).await;
    import_organisations(&state, organisations).await;
    import_versions(&state, questionnaire).await;
    let author = app::services::users::create(
        &state.pool,
        &Actor::CommandLine,
        app::services::users::NewUser {
            email: "invuller@groot.nl".into(),
            display_name: "Invuller".into(),
            role: "admin".into(),
            region_code: None,
            password: "een lang genoeg wachtwoord".into(),
        },
    )
    .await
    .unwrap();

    let generating = Instant::now();
    let day = 86_400_000;
    let mut round_ids = Vec::new();
    for round in 0..rounds {
        let version = if round < rounds / 2 { 1 } else { 2 };
        let id = app::services::rounds::create(
            &state.pool,
            &Actor::CommandLine,
            app::services::rounds::NewRound {
                name: format!("Meting {}", round + 1),
                questionnaire_id: "groot".into(),
                questionnaire_version: version.to_string(),
                state: app::domain::round::RoundState::Closed,
                opens_at: 1_700_000_000_000 + round as i64 * 180 * day,
                deadline: 1_700_000_000_000 + (round as i64 * 180 + 60) * day,
                compared_round_id: None,
                region_codes: None,
            },
        )
        .await
        .unwrap();
        store_round(&state.pool, &id, organisations, round, version, &author).await;
        round_ids.push(id);
        eprintln!("round {} of {rounds} stored", round + 1);
    }
    // Statistics and (on PostgreSQL) the visibility map, as a database in use has them after
    // autovacuum: the planners choose by them, and index-only scans need the map.
    let maintenance = if url.starts_with("postgres") {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    sqlx::query(maintenance).execute(&state.pool).await.unwrap();
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    println!(
        "{answers} answers of {organisations} organisations × {ITEMS} items × {rounds} rounds, generated in {:.0} s",
        generating.elapsed().as_secs_f64()
    );

    let reviewer = SignedInUser {
        id: author.clone(),
        email: "invuller@groot.nl".into(),
        display_name: "Invuller".into(),
        role: Role::Reviewer,
        region_code: None,
        region_name: None,
        other_regions: Vec::new(),
        advised_regions: Vec::new(),
    };
    let last = round_ids.last().unwrap();
    let mut samples: Vec<Duration> = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let started = Instant::now();
        let picture = app::services::national::picture(&state, &reviewer, last, None)
            .await
            .unwrap();
        samples.push(started.elapsed());
        assert_eq!(picture.submitted, organisations);
        assert!(picture.compared_round.is_some());
    }
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    println!(
        "national picture of the last round beside the one before ({ITEMS} items, {organisations} organisations each): \
         n={} p50={:.0} ms p95={:.0} ms max={:.0} ms",
        samples.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.95).as_secs_f64() * 1000.0,
        samples.last().unwrap().as_secs_f64() * 1000.0
    );
    state.pool.close().await;
    if std::env::var_os("NAD_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&folder);
    }
}
