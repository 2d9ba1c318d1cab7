//! Load benchmark for filling in: 45 coordinators (one per region) save answers at the same
//! time on SQLite, each save a request through the router as the browser sends it; then a
//! section page with 40 items is rendered repeatedly. Prints the latency percentiles.
//!
//! Two loads: *paced*, each coordinator saving about once a second (autosave after a pause in
//! typing; staggered starts), which is what 45 coordinators at work look like; and
//! *saturated*, every coordinator saving back to back, which shows the throughput ceiling
//! (latency there is mostly waiting for SQLite's single writer).
//!
//! Run: `cargo run --release -p server --example fill_in_load`
//! (`-- --saves 60` for more saves per coordinator; `DATABASE_URL` for another database).

use app::services::audit::Actor;
use app::services::state::{AppState, Config};
use axum::body::Body;
use axum::http::{header, Request};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const COORDINATORS: usize = 45;
const PASSWORD: &str = "een lang genoeg wachtwoord";

/// A questionnaire with one section of 40 integer and yes/no items.
fn forty_item_questionnaire() -> String {
    let mut toml = String::from(
        "identifier = \"last\"\nversion = \"1\"\ntitle = \"Belasting\"\nintroduction = \"Voor de meting van de snelheid.\"\n\n[[section]]\nkey = \"A\"\ntitle = \"Veertig vragen\"\n",
    );
    for n in 0..40 {
        if n % 2 == 0 {
            toml.push_str(&format!(
                "\n[[section.item]]\nkey = \"v{n}\"\ntype = \"integer\"\nlabel = \"Vraag {n}\"\nrequired = true\nmin = 0\n"
            ));
        } else {
            toml.push_str(&format!(
                "\n[[section.item]]\nkey = \"v{n}\"\ntype = \"yes_no\"\nlabel = \"Vraag {n}\"\nrequired = true\n"
            ));
        }
    }
    toml
}

fn percentiles(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    println!(
        "{label}: n={} p50={:.2} ms p95={:.2} ms p99={:.2} ms max={:.2} ms",
        samples.len(),
        at(0.50).as_secs_f64() * 1000.0,
        at(0.95).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        samples.last().unwrap().as_secs_f64() * 1000.0,
    );
}

async fn login(state: &AppState, email: &str) -> String {
    let body = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        PASSWORD.replace(' ', "+")
    );
    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = server::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

#[tokio::main]
async fn main() {
    let saves: usize = std::env::args()
        .skip_while(|a| a != "--saves")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let folder = tempfile_dir();
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/last.db", folder.display()));
    let state = server::build_state(
        &url,
        Config::default(),
        server::leptos_options(([127, 0, 0, 1], 3000).into()),
    )
    .await
    .expect("database");
    let regions: String = std::iter::once("code,region,lead_gemeente\n".to_string())
        .chain((1..=COORDINATORS).map(|n| format!("R{n:02},Regio {n},Gemeente {n}\n")))
        .collect();
    let regions = app::services::regions::parse_csv(regions.as_bytes()).unwrap();
    app::services::regions::import(&state.pool, &Actor::CommandLine, "nad", &regions)
        .await
        .unwrap();
    app::services::questionnaires::import(
        &state.pool,
        &state.questionnaires,
        &Actor::CommandLine,
        "last.toml",
        &forty_item_questionnaire(),
    )
    .await
    .unwrap();
    let now = app::services::now_ms();
    let round = app::services::rounds::create(
        &state.pool,
        &Actor::CommandLine,
        app::services::rounds::NewRound {
            name: "Belasting".into(),
            questionnaire_id: "last".into(),
            questionnaire_version: "1".into(),
            state: app::domain::round::RoundState::Open,
            opens_at: now,
            deadline: now + 86_400_000,
            compared_round_id: None,
            region_codes: None,
        },
    )
    .await
    .unwrap();
    let mut people = Vec::new();
    for n in 1..=COORDINATORS {
        let email = format!("r{n:02}@last.nl");
        app::services::users::create(
            &state.pool,
            &Actor::CommandLine,
            app::services::users::NewUser {
                email: email.clone(),
                display_name: format!("Coördinator {n}"),
                role: "coordinator".into(),
                region_code: Some(format!("R{n:02}")),
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap();
        let response =
            app::services::responses::ensure_response(&state.pool, &round, &format!("R{n:02}"))
                .await
                .unwrap();
        people.push((login(&state, &email).await, response));
    }

    // One router, as the server has: building it is not part of a request.
    let router = server::router(state.clone());
    // The version of each answer as each coordinator last saw it, carried from load to load.
    let mut seen: Vec<std::collections::HashMap<String, i64>> =
        vec![Default::default(); COORDINATORS];
    for (label, pause) in [
        (
            "paced, each coordinator saving about once a second",
            Duration::from_millis(1000),
        ),
        (
            "saturated, every coordinator saving back to back",
            Duration::ZERO,
        ),
    ] {
        let started = Instant::now();
        let tasks: Vec<_> = people
            .iter()
            .cloned()
            .zip(seen.drain(..))
            .enumerate()
            .map(|(person, ((cookie, response), mut versions))| {
                let router = router.clone();
                tokio::spawn(async move {
                    // Staggered, so the paced saves spread over each second.
                    tokio::time::sleep(pause * person as u32 / COORDINATORS as u32).await;
                    let mut times = Vec::with_capacity(saves);
                    for n in 0..saves {
                        let key = format!("v{}", (n % 20) * 2);
                        let version = *versions.get(&key).unwrap_or(&0);
                        let body = format!(
                            r#"{{"response_id":"{response}","answers":[{{"key":"{key}","raw":{{"values":["{}"],"rows":{{}},"special":null}},"base_version":{version}}}]}}"#,
                            n + 1000 * (pause.as_millis() as usize)
                        );
                        let request = Request::post("/api/responses/save")
                            .header(header::CONTENT_TYPE, "application/json")
                            .header(header::ACCEPT, "application/json")
                            .header(header::COOKIE, &cookie)
                            .body(Body::from(body))
                            .unwrap();
                        let start = Instant::now();
                        let reply = router.clone().oneshot(request).await.unwrap();
                        let status = reply.status();
                        let bytes = http_body_util::BodyExt::collect(reply.into_body()).await.unwrap().to_bytes();
                        times.push(start.elapsed());
                        assert!(status.is_success(), "save {n}: {status}");
                        let outcome: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                        let version = outcome[0]["Saved"]["version"].as_i64().expect("saved");
                        versions.insert(key, version);
                        tokio::time::sleep(pause).await;
                    }
                    (times, versions)
                })
            })
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            let (times, versions) = task.await.unwrap();
            all.extend(times);
            seen.push(versions);
        }
        let elapsed = started.elapsed();
        println!(
            "autosave, {COORDINATORS} coordinators, {label}: {} saves in {:.1} s ({:.0} saves/s)",
            all.len(),
            elapsed.as_secs_f64(),
            all.len() as f64 / elapsed.as_secs_f64()
        );
        percentiles("  one save, request through the router", all);
    }

    // A section page with 40 answered items, rendered whole on the server.
    let (cookie, response) = people[0].clone();
    let mut times = Vec::new();
    for _ in 0..200 {
        let request = Request::get(format!("/vragenlijst/{response}/sectie/A"))
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        let start = Instant::now();
        let reply = router.clone().oneshot(request).await.unwrap();
        let status = reply.status();
        let _ = http_body_util::BodyExt::collect(reply.into_body())
            .await
            .unwrap();
        times.push(start.elapsed());
        assert!(status.is_success(), "section page: {status}");
    }
    percentiles("section page with 40 items (server time)", times);
    state.pool.close().await;
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("nad-last-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
