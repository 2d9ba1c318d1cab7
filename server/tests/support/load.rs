//! A load of coordinators on a running server: each client logs in, then reads a section page
//! and saves answers to it, over and over, until the time is up. Counts requests and errors,
//! keeps every latency per kind, and samples the server's resident memory. Shared by the load
//! smoke test (`tests/processes/`) and the load benchmark (`examples/load.rs`).
#![allow(dead_code)]

use super::process::{self, Coordinator, Outcome, Server};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The sections of NAD 2026-06.
const SECTIONS: [&str; 11] = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"];

/// The answers a client saves, by the slot of the client in its region: clients of one region
/// (colleagues) save different items, so none of their saves conflicts. Every item is always
/// asked (no condition) and takes any text or whole number.
const KEYS: [[&str; 2]; 3] = [
    ["a_contactpersoon", "e_wonen_eerst_plekken"],
    ["f_capaciteit_nacht", "i_in_beeld"],
    ["f_capaciteit_24uur", "f_inloop_steunpunten"],
];

pub struct Settings {
    /// Concurrent clients; client `n` works as coordinator `n % coordinators`.
    pub clients: usize,
    pub duration: Duration,
    /// The clients start one after the other, spread over this time, as people arrive at
    /// work: all from 127.0.0.1, logins at the same moment would also meet the back-off per
    /// client address, which real coordinators (each at their own address) never share.
    pub ramp: Duration,
    /// How often the server's memory is sampled.
    pub sample_every: Duration,
    /// Saves after each page.
    pub saves_per_page: usize,
}

/// One resident-memory sample of the server.
pub struct Sample {
    pub at: Duration,
    pub rss_kib: u64,
}

#[derive(Default)]
pub struct Report {
    pub requests: u64,
    pub errors: u64,
    /// The first few errors, in words.
    pub first_errors: Vec<String>,
    /// Latencies per kind of request (login, page, save).
    pub latencies: BTreeMap<&'static str, Vec<Duration>>,
    pub conflicts: u64,
    /// Logins answered 503 (too many password checks at once) and tried again.
    pub busy_logins: u64,
    pub memory: Vec<Sample>,
    pub peak_rss_kib: Option<u64>,
    pub elapsed: Duration,
}

struct Shared {
    requests: AtomicU64,
    errors: AtomicU64,
    conflicts: AtomicU64,
    busy_logins: AtomicU64,
    first_errors: Mutex<Vec<String>>,
    stop: AtomicBool,
}

impl Shared {
    fn error(&self, text: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut first = self.first_errors.lock().unwrap();
        if first.len() < 10 {
            first.push(text);
        }
    }
}

/// The value client `client` types in its `n`th save of `key`: text for the contact person,
/// whole numbers elsewhere, never the same twice in a row.
fn value(key: &str, client: usize, n: usize) -> String {
    if key == "a_contactpersoon" {
        format!("Contactpersoon {client} versie {n}")
    } else {
        ((client * 7 + n) % 900 + 1).to_string()
    }
}

/// One client: logs in as `coordinator`'s account (a session of its own), then pages and
/// saves until stopped. Returns its latencies per kind.
async fn client_loop(
    number: usize,
    slot: usize,
    server_base: String,
    coordinator: Coordinator,
    (start_after, settings_saves): (Duration, usize),
    shared: Arc<Shared>,
) -> HashMap<&'static str, Vec<Duration>> {
    tokio::time::sleep(start_after).await;
    let client = process::client();
    let mut times: HashMap<&'static str, Vec<Duration>> = HashMap::new();
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let cookie = match process::login(
        &client,
        &server_base,
        &coordinator.account.email,
        process::PASSWORD,
    )
    .await
    {
        Ok(login) => {
            shared
                .busy_logins
                .fetch_add(u64::from(login.busy_retries), Ordering::Relaxed);
            times.entry("login").or_default().push(started.elapsed());
            login.cookie
        }
        Err(problem) => {
            shared.error(problem);
            return times;
        }
    };
    let keys = KEYS[slot % KEYS.len()];
    let mut versions: HashMap<&str, i64> = HashMap::new();
    let mut n = 0usize;
    // Bounded even if the clock stood still: a client never makes more than 100,000 rounds.
    for round in 0..100_000usize {
        if shared.stop.load(Ordering::Relaxed) {
            break;
        }
        let section = SECTIONS[(number + round) % SECTIONS.len()];
        let url = format!(
            "{server_base}/vragenlijst/{}/sectie/{section}",
            coordinator.response_id
        );
        shared.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        match process::get_page(&client, &url, Some(&cookie)).await {
            Ok(reply)
                if reply.status == reqwest::StatusCode::OK && reply.body.contains("<form") =>
            {
                times.entry("page").or_default().push(started.elapsed());
            }
            Ok(reply) => shared.error(format!(
                "GET {url}: {} ({} bytes)",
                reply.status,
                reply.body.len()
            )),
            Err(error) => shared.error(format!("GET {url}: {error}")),
        }
        for _ in 0..settings_saves {
            if shared.stop.load(Ordering::Relaxed) {
                break;
            }
            let key = keys[n % keys.len()];
            let typed = value(key, number, n);
            n += 1;
            let base = *versions.get(key).unwrap_or(&0);
            shared.requests.fetch_add(1, Ordering::Relaxed);
            let started = Instant::now();
            match process::save(
                &client,
                &server_base,
                &cookie,
                &coordinator.response_id,
                key,
                &typed,
                base,
            )
            .await
            {
                Ok((reqwest::StatusCode::OK, Ok(outcome))) => {
                    times.entry("save").or_default().push(started.elapsed());
                    match outcome {
                        Outcome::Saved(version) | Outcome::Unchanged(version) => {
                            versions.insert(key, version);
                        }
                        Outcome::Conflict(theirs) => {
                            shared.conflicts.fetch_add(1, Ordering::Relaxed);
                            versions.insert(key, theirs);
                        }
                    }
                }
                Ok((status, outcome)) => {
                    shared.error(format!("save {key}: {status}: {outcome:?}"));
                }
                Err(error) => shared.error(format!("save {key}: {error}")),
            }
        }
    }
    times
}

/// Runs the load on `server` with `coordinators` (each logged in beforehand only to find its
/// response; every client logs in again for a session of its own).
pub async fn run(server: &Server, coordinators: &[Coordinator], settings: &Settings) -> Report {
    assert!(!coordinators.is_empty(), "the load needs coordinators");
    let shared = Arc::new(Shared {
        requests: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        conflicts: AtomicU64::new(0),
        busy_logins: AtomicU64::new(0),
        first_errors: Mutex::new(Vec::new()),
        stop: AtomicBool::new(false),
    });
    let started = Instant::now();
    let mut memory = vec![Sample {
        at: Duration::ZERO,
        rss_kib: server.rss_kib().unwrap_or(0),
    }];
    let tasks: Vec<_> = (0..settings.clients)
        .map(|number| {
            let coordinator = coordinators[number % coordinators.len()].clone();
            tokio::spawn(client_loop(
                number,
                number / coordinators.len(),
                server.base.clone(),
                coordinator,
                (
                    settings
                        .ramp
                        .mul_f64(number as f64 / settings.clients as f64),
                    settings.saves_per_page,
                ),
                shared.clone(),
            ))
        })
        .collect();
    let deadline = started + settings.duration;
    let mut next_sample = started + settings.sample_every;
    while Instant::now() < deadline {
        let wake = next_sample.min(deadline);
        tokio::time::sleep_until(wake.into()).await;
        if Instant::now() >= next_sample {
            memory.push(Sample {
                at: started.elapsed(),
                rss_kib: server.rss_kib().unwrap_or(0),
            });
            next_sample += settings.sample_every;
        }
    }
    shared.stop.store(true, Ordering::Relaxed);
    let mut latencies: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
    for task in tasks {
        // A request in flight ends within its own timeout; a client never hangs the run.
        match tokio::time::timeout(process::REQUEST_TIMEOUT * 2, task).await {
            Ok(Ok(times)) => {
                for (kind, list) in times {
                    latencies.entry(kind).or_default().extend(list);
                }
            }
            Ok(Err(panic)) => shared.error(format!("a client failed: {panic}")),
            Err(_) => shared.error("a client did not stop".to_string()),
        }
    }
    let elapsed = started.elapsed();
    memory.push(Sample {
        at: elapsed,
        rss_kib: server.rss_kib().unwrap_or(0),
    });
    let first_errors = shared.first_errors.lock().unwrap().clone();
    Report {
        requests: shared.requests.load(Ordering::Relaxed),
        errors: shared.errors.load(Ordering::Relaxed),
        first_errors,
        latencies,
        conflicts: shared.conflicts.load(Ordering::Relaxed),
        busy_logins: shared.busy_logins.load(Ordering::Relaxed),
        memory,
        peak_rss_kib: server.peak_rss_kib(),
        elapsed,
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

impl Report {
    /// The percentile `p` (0..1) of a sorted list.
    fn at(sorted: &[Duration], p: f64) -> Duration {
        sorted[((sorted.len() as f64 * p).ceil() as usize)
            .saturating_sub(1)
            .min(sorted.len() - 1)]
    }

    /// The slowest request of any kind.
    pub fn slowest(&self) -> Duration {
        self.latencies
            .values()
            .flatten()
            .max()
            .copied()
            .unwrap_or_default()
    }

    pub fn print(&self, label: &str) {
        let seconds = self.elapsed.as_secs_f64();
        println!(
            "{label}: {} requests in {seconds:.1} s ({:.0} req/s), {} errors, {} conflicts, {} logins waited out a 503",
            self.requests,
            self.requests as f64 / seconds,
            self.errors,
            self.conflicts,
            self.busy_logins
        );
        for error in &self.first_errors {
            println!("  error: {error}");
        }
        for (kind, list) in &self.latencies {
            let mut sorted = list.clone();
            sorted.sort();
            if sorted.is_empty() {
                continue;
            }
            println!(
                "  {kind:<5} n={:<6} p50={:>7.1} ms  p99={:>7.1} ms  max={:>7.1} ms",
                sorted.len(),
                millis(Self::at(&sorted, 0.50)),
                millis(Self::at(&sorted, 0.99)),
                millis(*sorted.last().unwrap()),
            );
        }
        let samples: Vec<String> = self
            .memory
            .iter()
            .map(|s| format!("{:.0} s {:.1}", s.at.as_secs_f64(), mib(s.rss_kib)))
            .collect();
        println!("  server RSS (MiB): {}", samples.join(", "));
        if let Some(peak) = self.peak_rss_kib {
            println!("  server peak RSS (VmHWM): {:.1} MiB", mib(peak));
        }
        println!(
            "  pool: {} (slowest request {:.0} ms; sqlx gives up on a connection after 30 s, which would be an error here)",
            if self.errors == 0 {
                "no request failed, so none waited out the pool's acquire timeout"
            } else {
                "some requests failed: see the errors"
            },
            millis(self.slowest())
        );
    }
}
