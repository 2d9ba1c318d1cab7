//! The load loop the page benchmarks share: a number of connections doing the same work
//! for a while, with the latencies, sizes and first error of what they did.
#![allow(dead_code)]

use crate::process;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Settings {
    pub connections: usize,
    pub duration: Duration,
}

/// What one connection of a load does, over and over.
#[derive(Clone)]
pub enum Work {
    /// GET a page with a session cookie (`None`: no cookie).
    Page { url: String, cookie: Option<String> },
    /// Save an answer: one coordinator (cookie, response) per connection.
    Save {
        base: String,
        key: String,
        savers: Vec<(String, String)>,
    },
}

/// The first failure of a load, shown with its table.
#[derive(Default)]
struct FirstError(std::sync::Mutex<Option<String>>);

impl FirstError {
    /// Keeps `error` when it is the first; a failed request is never counted as done.
    fn note(&self, error: String) -> bool {
        self.0.lock().expect("not poisoned").get_or_insert(error);
        false
    }
}

/// The figures of one row of the table.
pub struct Row {
    pub name: String,
    pub bytes: usize,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub p50: Duration,
    pub p99: Duration,
}

impl Row {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

/// Runs `work` on `settings.connections` connections for `settings.duration`.
pub async fn measure(name: &str, work: Work, settings: &Settings) -> Row {
    let client = process::client();
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let first_error = Arc::new(FirstError::default());
    let mut tasks = Vec::new();
    let started = Instant::now();
    for connection in 0..settings.connections {
        let (client, stop, errors, bytes, first_error, work) = (
            client.clone(),
            stop.clone(),
            errors.clone(),
            bytes.clone(),
            first_error.clone(),
            work.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut version = 0_i64;
            let mut turn = 0_u64;
            while !stop.load(Ordering::Relaxed) {
                let begun = Instant::now();
                let ok = match &work {
                    Work::Page { url, cookie } => {
                        let mut request = client.get(url).header(ACCEPT, "text/html");
                        if let Some(cookie) = cookie {
                            request = request.header(COOKIE, cookie);
                        }
                        match request.send().await {
                            Ok(reply) if reply.status().is_success() => match reply.bytes().await {
                                Ok(body) => {
                                    bytes.store(body.len() as u64, Ordering::Relaxed);
                                    true
                                }
                                Err(error) => first_error.note(error.to_string()),
                            },
                            Ok(reply) => first_error.note(format!("{url}: {}", reply.status())),
                            Err(error) if error.is_timeout() => first_error.note(format!(
                                "{url}: no answer within {:?}",
                                process::REQUEST_TIMEOUT
                            )),
                            Err(error) => first_error.note(format!("{url}: {error}")),
                        }
                    }
                    Work::Save { base, key, savers } => {
                        let (cookie, response) = &savers[connection % savers.len()];
                        turn += 1;
                        let value = format!("Bereikbaar via het regiobureau ({turn})");
                        match process::save(&client, base, cookie, response, key, &value, version)
                            .await
                        {
                            Ok((status, Ok(outcome))) if status.is_success() => {
                                version = match outcome {
                                    process::Outcome::Saved(v)
                                    | process::Outcome::Unchanged(v)
                                    | process::Outcome::Conflict(v) => v,
                                };
                                bytes.store(1, Ordering::Relaxed);
                                true
                            }
                            Ok((status, outcome)) => {
                                first_error.note(format!("save: {status}: {outcome:?}"))
                            }
                            Err(error) => first_error.note(format!("save: {error}")),
                        }
                    }
                };
                if ok {
                    latencies.push(begun.elapsed());
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    tokio::time::sleep(settings.duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a load task ends"));
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    let bytes = match work {
        Work::Save { .. } => 0,
        Work::Page { .. } => bytes.load(Ordering::Relaxed) as usize,
    };
    if let Some(error) = first_error.0.lock().expect("not poisoned").take() {
        eprintln!("{name}: first error: {error}");
    }
    Row {
        name: name.to_string(),
        bytes,
        requests: latencies.len() as u64,
        errors: errors.load(Ordering::Relaxed),
        seconds,
        p50: at(0.5),
        p99: at(0.99),
    }
}

/// A bare axum server on 127.0.0.1 serving `html` at `/`: the yardstick.
pub async fn bare_handler(html: axum::body::Bytes) -> String {
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let html = html.clone();
            async move { ([(CONTENT_TYPE, "text/html; charset=utf-8")], html) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1");
    let addr = listener.local_addr().expect("the bare handler's address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/")
}
