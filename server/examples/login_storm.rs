//! Login storm benchmark: the real server (`nad-monitor serve`, release build, SQLite) behind
//! a "proxy" it trusts (`NAD_TRUSTED_PROXIES=127.0.0.1`, so `X-Forwarded-For` names the
//! client), 300 clients from 300 addresses send wrong passwords for existing and unknown
//! accounts as fast as the server answers, for 20 seconds. Meanwhile `/healthz` is asked
//! every 250 ms and the server's memory read, and after 3 seconds a coordinator from another
//! address logs in with the right password (waiting out 503 answers as a browser user would,
//! by trying again).
//!
//! It prints the attempts by answer (422 wrong password, 429 back-off, 503 busy), the peak
//! resident memory, how `/healthz` fared, and how long the right password took. What should
//! hold: under 512 MiB, `/healthz` always answering, the right password in within 15 s.
//!
//! Run: `scripts/bench-logins`, or `cargo build --release -p server --bin nad-monitor
//! --example login_storm && NAD_TEST_SERVER_BINARY=target/release/nad-monitor
//! target/release/examples/login_storm [--clients 300] [--seconds 20]`.

#[path = "../tests/support/process.rs"]
mod process;

use process::{Database, Server};
use reqwest::StatusCode;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn argument(name: &str) -> Option<u64> {
    std::env::args()
        .skip_while(|a| a != name)
        .nth(1)
        .and_then(|value| value.parse().ok())
}

/// The address client `n` comes from, as the proxy names it.
fn address(n: u64) -> String {
    format!("10.{}.{}.{}", n / 65_536 % 256, n / 256 % 256, n % 256 + 1)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let clients = argument("--clients").unwrap_or(300);
    let seconds = argument("--seconds").unwrap_or(20);
    let binary = process::binary(process::root().join("target/release/nad-monitor"));
    let database = Database::sqlite();
    let regions = process::region_codes();
    let accounts = {
        let (binary, url, regions) = (binary.clone(), database.url.clone(), regions.clone());
        tokio::task::spawn_blocking(move || {
            process::set_up(&binary, &url, false, &regions, "storm.")
        })
        .await
        .expect("the set-up thread ends")
        .expect("the command line sets up regions and accounts")
    };
    // The server inherits this: requests from 127.0.0.1 come "through the proxy".
    std::env::set_var("NAD_TRUSTED_PROXIES", "127.0.0.1");
    let mut server = Server::start(&binary, &database.url, database.folder(), "storm").await;
    let rss_before = server.rss_kib().unwrap_or(0);
    println!(
        "login storm: {clients} clients from {clients} addresses, {seconds} s, server {} (RSS {:.1} MiB)",
        binary.display(),
        rss_before as f64 / 1024.0
    );

    let stop = Arc::new(AtomicBool::new(false));
    let answers: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let client = process::client();
    let login_url = server.url("/api/login");
    let attackers: Vec<_> = (0..clients)
        .map(|n| {
            let (stop, answers, client, url) = (
                stop.clone(),
                answers.clone(),
                client.clone(),
                login_url.clone(),
            );
            // Half of them guess at real coordinators (all but the one who logs in below),
            // half at addresses that belong to no account.
            let email = if n % 2 == 0 {
                accounts[1 + (n as usize / 2) % (accounts.len() - 1)]
                    .email
                    .clone()
            } else {
                format!("gok{n}@onbekend.nl")
            };
            tokio::spawn(async move {
                let from = address(n);
                // Bounded: at most this many attempts, however fast the answers come.
                for _ in 0..2_000 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let answer = client
                        .post(&url)
                        .header("x-forwarded-for", &from)
                        .header("sec-fetch-site", "same-origin")
                        .form(&[
                            ("email", email.as_str()),
                            ("password", "een verkeerd wachtwoord"),
                        ])
                        .send()
                        .await;
                    let label = match answer {
                        Ok(reply) => {
                            let status = reply.status();
                            let _ = reply.bytes().await;
                            status.as_u16().to_string()
                        }
                        Err(error) if error.is_timeout() => "timeout".to_string(),
                        Err(_) => "connection error".to_string(),
                    };
                    *answers.lock().unwrap().entry(label).or_default() += 1;
                }
            })
        })
        .collect();

    // /healthz and memory every 250 ms.
    let peak_rss = Arc::new(AtomicU64::new(rss_before));
    let health = {
        let (stop, peak_rss, client) = (stop.clone(), peak_rss.clone(), client.clone());
        let url = server.url("/healthz");
        let pid = server.pid();
        tokio::spawn(async move {
            let (mut ok, mut failed, mut slowest) = (0u64, 0u64, Duration::ZERO);
            while !stop.load(Ordering::Relaxed) {
                let asked = Instant::now();
                match client.get(&url).send().await {
                    Ok(reply) if reply.status() == StatusCode::OK => ok += 1,
                    _ => failed += 1,
                }
                slowest = slowest.max(asked.elapsed());
                if let Some(rss) = pid.and_then(rss_kib_of) {
                    peak_rss.fetch_max(rss, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            (ok, failed, slowest)
        })
    };

    // The person who just wants to log in, from an address of their own.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let person = &accounts[0];
    let started = Instant::now();
    let mut busy = 0;
    let mut logged_in = None;
    while started.elapsed() < Duration::from_secs(60) {
        let reply = client
            .post(&login_url)
            .header("x-forwarded-for", "192.0.2.77")
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("email", person.email.as_str()),
                ("password", process::PASSWORD),
            ])
            .send()
            .await;
        match reply.map(|reply| reply.status()) {
            Ok(StatusCode::OK) => {
                logged_in = Some(started.elapsed());
                break;
            }
            Ok(StatusCode::SERVICE_UNAVAILABLE) => {
                busy += 1;
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            other => {
                println!("the right password was refused: {other:?}");
                break;
            }
        }
    }

    let remaining =
        Duration::from_secs(seconds).saturating_sub(Duration::from_secs(3) + started.elapsed());
    tokio::time::sleep(remaining).await;
    stop.store(true, Ordering::Relaxed);
    for attacker in attackers {
        let _ = attacker.await;
    }
    let (health_ok, health_failed, slowest) = health.await.expect("the health check ends");
    let peak = peak_rss
        .load(Ordering::Relaxed)
        .max(server.peak_rss_kib().unwrap_or(0));
    let rss_after = server.rss_kib().unwrap_or(0);

    println!("attempts by answer:");
    let answers = answers.lock().unwrap().clone();
    for (label, count) in &answers {
        let meaning = match label.as_str() {
            "422" => "wrong password (checked)",
            "429" => "back-off (not checked)",
            "503" => "busy: every hashing slot taken (not checked)",
            _ => "",
        };
        println!("  {label:>16}: {count:>7}  {meaning}");
    }
    println!(
        "server RSS: before {:.1} MiB, peak {:.1} MiB, after {:.1} MiB (aim: under 512 MiB)",
        rss_before as f64 / 1024.0,
        peak as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
    println!(
        "/healthz: {health_ok} answered 200, {health_failed} failed, slowest {:.0} ms",
        slowest.as_secs_f64() * 1000.0
    );
    match logged_in {
        Some(took) => println!(
            "the right password from another address got in after {:.1} s ({busy} busy answers waited out; aim: within 15 s)",
            took.as_secs_f64()
        ),
        None => println!("the right password did NOT get in"),
    }
    server.kill();
    database.remove().await;
    let held = peak < 512 * 1024
        && health_failed == 0
        && logged_in.is_some_and(|took| took < Duration::from_secs(15));
    if held {
        std::process::ExitCode::SUCCESS
    } else {
        println!("NOT HELD");
        std::process::ExitCode::FAILURE
    }
}

/// VmRSS of a process, in KiB.
fn rss_kib_of(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|line| line.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
