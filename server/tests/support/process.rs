//! The real `nad-monitor` binary as a separate process: a fresh database, the command line for
//! setting up, the server on a free port of 127.0.0.1 (killed when dropped, also when a test
//! fails), and an HTTP client that logs in, reads pages and saves answers as the browser does.
//! Shared by `tests/processes/` and `examples/load.rs`.
#![allow(dead_code)]

use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER, SET_COOKIE};
use reqwest::StatusCode;
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The password of every account these tests make.
pub const PASSWORD: &str = "een lang genoeg wachtwoord";
/// The admin account these tests make.
pub const ADMIN: &str = "beheer@proces.nl";
/// How long one HTTP request may take before it counts as failed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a command-line run or a server start may take.
const COMMAND_LIMIT: Duration = Duration::from_secs(180);

/// The repository root: the server and its commands run from there, as `scripts/run` does.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the server crate lies in the workspace")
        .to_path_buf()
}

/// The server binary: `NAD_TEST_SERVER_BINARY` when set (e.g. `target/release/nad-monitor`),
/// else `built`.
pub fn binary(built: impl Into<PathBuf>) -> PathBuf {
    match std::env::var("NAD_TEST_SERVER_BINARY") {
        Ok(path) if !path.trim().is_empty() => {
            let path = PathBuf::from(path.trim());
            if path.is_absolute() {
                path
            } else {
                root().join(path)
            }
        }
        _ => built.into(),
    }
}

/// A database that exists for one run: a SQLite file in a temporary folder, or a fresh
/// database on a PostgreSQL server (dropped by `remove`).
pub struct Database {
    pub url: String,
    pub label: &'static str,
    folder: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl Database {
    pub fn sqlite() -> Database {
        let folder = tempfile::tempdir().expect("a temporary folder");
        Database {
            url: format!("sqlite://{}/nad.db", folder.path().display()),
            label: "sqlite",
            folder,
            postgres: None,
        }
    }

    /// A new, empty database `nad_proc_*` on the PostgreSQL server of `server_url`.
    pub async fn postgres(server_url: &str) -> Database {
        use sqlx::Executor;
        sqlx::any::install_default_drivers();
        let name = format!("nad_proc_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::AnyPool::connect(server_url)
            .await
            .expect("the PostgreSQL server answers");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("a test database is made");
        admin.close().await;
        let base = server_url.split('?').next().unwrap_or(server_url);
        let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
        Database {
            url: format!("{base}/{name}"),
            label: "postgres",
            folder: tempfile::tempdir().expect("a temporary folder"),
            postgres: Some((server_url.to_string(), name)),
        }
    }

    /// A folder that lives as long as the database, for logs and input files.
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// A pool on the database, for checking what the server stored.
    pub async fn pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::any::AnyPoolOptions::new()
            .max_connections(2)
            .connect(&self.url)
            .await
            .expect("the test database opens")
    }

    /// Drops a PostgreSQL database (after its servers have stopped); the SQLite folder goes
    /// when the value is dropped.
    pub async fn remove(self) {
        use sqlx::Executor;
        if let Some((server_url, name)) = &self.postgres {
            if let Ok(admin) = sqlx::AnyPool::connect(server_url).await {
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
                admin.close().await;
            }
        }
    }
}

/// Waits for a child process at most `limit`, polling; kills it when it takes longer.
fn wait_bounded(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a `nad-monitor` command on `database_url`, with `stdin` as its standard input;
/// returns its standard output, or what went wrong.
pub fn cli(
    binary: &Path,
    database_url: &str,
    args: &[&str],
    stdin: Option<&str>,
) -> Result<String, String> {
    let output = tempfile::tempfile().map_err(|e| e.to_string())?;
    let errors = tempfile::tempfile().map_err(|e| e.to_string())?;
    let mut child = Command::new(binary)
        .args(["--database-url", database_url])
        .args(args)
        .current_dir(root())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(output.try_clone().map_err(|e| e.to_string())?)
        .stderr(errors.try_clone().map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|error| format!("{} does not start: {error}", binary.display()))?;
    {
        use std::io::Write;
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(text) = stdin {
            let _ = writeln!(input, "{text}");
        }
    }
    let status = wait_bounded(&mut child, COMMAND_LIMIT);
    let read = |mut file: std::fs::File| {
        use std::io::Seek;
        let mut text = String::new();
        let _ = file.seek(std::io::SeekFrom::Start(0));
        let _ = file.read_to_string(&mut text);
        text
    };
    let (output, errors) = (read(output), read(errors));
    match status {
        Some(status) if status.success() => Ok(output),
        Some(status) => Err(format!(
            "nad-monitor {}: {status}\n{output}{errors}",
            args.join(" ")
        )),
        None => Err(format!(
            "nad-monitor {} took longer than {COMMAND_LIMIT:?}",
            args.join(" ")
        )),
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port on 127.0.0.1")
}

/// A running `nad-monitor serve`, killed with SIGKILL when dropped.
pub struct Server {
    child: Option<Child>,
    pub addr: SocketAddr,
    pub base: String,
    binary: PathBuf,
    database_url: String,
    log: PathBuf,
}

impl Server {
    /// Starts the server on `database_url` on a free port and waits until `/healthz`
    /// answers 200. Its log goes to `log_dir/name.log`.
    pub async fn start(binary: &Path, database_url: &str, log_dir: &Path, name: &str) -> Server {
        let log = log_dir.join(format!("{name}.log"));
        let client = client();
        let mut last_problem = String::new();
        for _attempt in 0..5 {
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()));
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log)
                .expect("the server log opens");
            let child = Command::new(binary)
                .args(["--database-url", database_url, "serve", "--addr"])
                .arg(addr.to_string())
                .current_dir(root())
                .env(
                    "RUST_LOG",
                    std::env::var("NAD_TEST_SERVER_LOG").unwrap_or_else(|_| "warn".into()),
                )
                .stdin(Stdio::null())
                .stdout(file.try_clone().expect("the log file"))
                .stderr(file)
                .spawn()
                .unwrap_or_else(|error| panic!("{} does not start: {error}", binary.display()));
            let mut server = Server {
                child: Some(child),
                addr,
                base: format!("http://{addr}"),
                binary: binary.to_path_buf(),
                database_url: database_url.to_string(),
                log: log.clone(),
            };
            let started = Instant::now();
            while started.elapsed() < COMMAND_LIMIT {
                if let Some(Ok(Some(status))) = server.child.as_mut().map(Child::try_wait) {
                    last_problem = format!("the server stopped ({status}): {}", server.log_tail());
                    server.child = None;
                    break;
                }
                if let Ok(reply) = client.get(server.url("/healthz")).send().await {
                    if reply.status() == StatusCode::OK {
                        return server;
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            if server.child.is_some() {
                panic!(
                    "the server did not answer /healthz within {COMMAND_LIMIT:?}: {}",
                    server.log_tail()
                );
            }
            // Most likely the port was taken in the meantime: try another.
        }
        panic!("the server would not start: {last_problem}");
    }

    /// The same server again on the same database (after `kill`), on a new port.
    pub async fn restart(&mut self) {
        self.kill();
        let dir = self
            .log
            .parent()
            .expect("the log lies in a folder")
            .to_path_buf();
        let name = self
            .log
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "server".into());
        let new = Server::start(&self.binary, &self.database_url, &dir, &name).await;
        *self = new;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills the process at once (SIGKILL): no graceful shutdown, nothing flushed.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The resident memory of the process (VmRSS), in KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        self.status_field("VmRSS:")
    }

    /// The peak resident memory of the process (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.status_field("VmHWM:")
    }

    /// The server's CPU time so far (user and system), in clock ticks.
    pub fn cpu_ticks(&self) -> Option<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid()?)).ok()?;
        // The fields after the command's closing parenthesis; utime and stime are 14 and 15.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    }

    /// Waits until the server has done what it does at start (working out the review figures
    /// of open and closed rounds, the open data catalogue), so that a benchmark measures what
    /// it asks for alone: at most two minutes, until a second passes with under 5 % of a core
    /// used. Returns how long it took.
    pub async fn wait_until_idle(&self) -> Duration {
        let started = Instant::now();
        let mut before = self.cpu_ticks();
        while started.elapsed() < Duration::from_secs(120) {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let now = self.cpu_ticks();
            // 100 ticks a second: 5 ticks is 5 % of a core.
            if let (Some(before), Some(now)) = (before, now) {
                if now.saturating_sub(before) < 5 {
                    break;
                }
            }
            before = now;
        }
        started.elapsed()
    }

    fn status_field(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        status
            .lines()
            .find(|line| line.starts_with(field))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }

    /// The last lines the server logged.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if std::thread::panicking() && self.child.is_some() {
            eprintln!(
                "-- log of the server at {}:\n{}",
                self.base,
                self.log_tail()
            );
        }
        self.kill();
    }
}

/// An HTTP client as a browser is one: no redirects followed, a bounded time per request.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(256)
        .build()
        .expect("an HTTP client")
}

/// A server function's reply.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The `name=value` part of the session cookie the reply sets.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("nad_sessie=") && !value.starts_with("nad_sessie=;"))
            .map(|value| value.split(';').next().unwrap_or_default().to_string())
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }
}

async fn reply(response: reqwest::Response) -> Result<Reply, reqwest::Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await?;
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// A form post to a server function, as the browser's JavaScript makes it.
pub async fn post_form(
    client: &reqwest::Client,
    url: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> Result<Reply, reqwest::Error> {
    let mut request = client
        .post(url)
        .header(ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .form(fields);
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    reply(request.send().await?).await
}

/// A page, as the browser asks for it.
pub async fn get_page(
    client: &reqwest::Client,
    url: &str,
    cookie: Option<&str>,
) -> Result<Reply, reqwest::Error> {
    let mut request = client.get(url).header(ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    reply(request.send().await?).await
}

/// A logged-in session and what it took to get it.
pub struct Login {
    /// The `Cookie` header value.
    pub cookie: String,
    /// Answers of 503 (too many password checks at once) that were waited out.
    pub busy_retries: u32,
    pub elapsed: Duration,
}

/// Logs in through `/api/login`, waiting out 503 answers (at most 60 tries and two minutes).
/// Any other refusal is an error.
pub async fn login(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> Result<Login, String> {
    let started = Instant::now();
    let mut busy_retries = 0;
    for _ in 0..60 {
        let reply = post_form(
            client,
            &format!("{base}/api/login"),
            &[("email", email), ("password", password)],
            None,
        )
        .await
        .map_err(|error| format!("login {email}: {error}"))?;
        match reply.status {
            StatusCode::OK => {
                let cookie = reply
                    .session_cookie()
                    .ok_or_else(|| format!("login {email}: no session cookie"))?;
                return Ok(Login {
                    cookie,
                    busy_retries,
                    elapsed: started.elapsed(),
                });
            }
            StatusCode::SERVICE_UNAVAILABLE if started.elapsed() < Duration::from_secs(120) => {
                busy_retries += 1;
                let wait = reply
                    .headers
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(1)
                    .clamp(1, 5);
                // Spread the retries so they do not all come back at once.
                let jitter = u64::from(busy_retries * 37 + email.len() as u32 * 13) % 500;
                tokio::time::sleep(Duration::from_millis(wait * 1000 + jitter)).await;
            }
            status => return Err(format!("login {email}: {status}: {}", reply.body)),
        }
    }
    Err(format!("login {email}: still busy after 60 tries"))
}

/// What one save of one answer came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Saved(i64),
    Unchanged(i64),
    /// Refused: a colleague's answer is stored as this version.
    Conflict(i64),
}

/// Saves one answer as the browser's autosave does (JSON to `/api/responses/save`). Returns
/// the status and, with 200, the outcome; `Err` when no answer came (the request may or may
/// not have reached the server).
pub async fn save(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    response_id: &str,
    key: &str,
    value: &str,
    base_version: i64,
) -> Result<(StatusCode, Result<Outcome, String>), reqwest::Error> {
    let body = serde_json::json!({ "response_id": response_id, "answers": [{
        "key": key, "raw": { "values": [value], "rows": {}, "special": null },
        "base_version": base_version }] });
    let response = client
        .post(format!("{base}/api/responses/save"))
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .header(reqwest::header::COOKIE, cookie)
        .body(body.to_string())
        .send()
        .await?;
    let status = response.status();
    let text = response.text().await?;
    Ok((status, parse_outcome(&text)))
}

/// Reads the first outcome of a save's reply.
pub fn parse_outcome(text: &str) -> Result<Outcome, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|_| format!("not JSON: {text}"))?;
    let first = &value[0];
    if let Some(version) = first["Saved"]["version"].as_i64() {
        Ok(Outcome::Saved(version))
    } else if let Some(version) = first["Unchanged"]["version"].as_i64() {
        Ok(Outcome::Unchanged(version))
    } else if let Some(version) = first["Conflict"]["their_version"].as_i64() {
        Ok(Outcome::Conflict(version))
    } else {
        Err(format!("unexpected reply: {text}"))
    }
}

/// A coordinator account and the region it belongs to.
#[derive(Debug, Clone)]
pub struct Account {
    pub email: String,
    pub region: String,
}

/// The codes of the 45 regions in `demo/regions.csv`.
pub fn region_codes() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("demo/regions.csv")).expect("demo/regions.csv");
    text.lines()
        .skip(1)
        .filter_map(|line| line.split(',').next())
        .filter(|code| !code.is_empty())
        .map(str::to_string)
        .collect()
}

/// Lets a test account sign in with its password alone (there is no command for it: only the
/// demo's accounts are exempt in real use). Runs on a thread outside the async runtime.
fn exempt_from_two_factor(database_url: &str, email: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(database_url)
            .await
            .map_err(|error| error.to_string())?;
        sqlx::query("UPDATE users SET two_factor_exempt = 1 WHERE email_normalized = $1")
            .bind(email.to_lowercase())
            .execute(&pool)
            .await
            .map_err(|error| error.to_string())?;
        pool.close().await;
        Ok(())
    })
}

/// Sets up a database through the command line: with `demo`, the demo data (45 regions, their
/// gemeenten, both NAD versions, earlier rounds with answers); without, the 45 regions and both
/// NAD versions alone. Then the admin `ADMIN` and `coordinators` accounts per region (`prefix` +
/// region code, lower-case), each with `PASSWORD`. Returns the accounts.
pub fn set_up(
    binary: &Path,
    database_url: &str,
    demo: bool,
    regions: &[String],
    prefix: &str,
) -> Result<Vec<Account>, String> {
    if demo {
        cli(binary, database_url, &["demo"], None)?;
    } else {
        let csv = root().join("demo/regions.csv");
        cli(
            binary,
            database_url,
            &["regions", "import", &csv.to_string_lossy()],
            None,
        )?;
        // 2026-06 names 2025-12 as its previous version, which must be there first.
        for version in ["2025-12", "2026-06"] {
            let toml = root().join(format!("questionnaires/nad-{version}.toml"));
            cli(
                binary,
                database_url,
                &["questionnaire", "import", &toml.to_string_lossy()],
                None,
            )?;
        }
    }
    cli(
        binary,
        database_url,
        &[
            "user",
            "add",
            "--email",
            ADMIN,
            "--name",
            "Beheerder",
            "--role",
            "admin",
        ],
        Some(PASSWORD),
    )?;
    exempt_from_two_factor(database_url, ADMIN)?;
    let accounts: Vec<Account> = regions
        .iter()
        .map(|region| Account {
            email: format!("{prefix}{}@proces.nl", region.to_lowercase()),
            region: region.clone(),
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let problems = std::sync::Mutex::new(Vec::new());
    // Two at a time on SQLite. One at a time on PostgreSQL: every command migrates first, and
    // two migrating at once can fail there ("tuple concurrently updated" from the append-only
    // triggers' `CREATE OR REPLACE FUNCTION`, which runs outside the migrations' lock).
    let workers = if database_url.starts_with("sqlite:") {
        2
    } else {
        1
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(account) = accounts.get(n) else {
                    break;
                };
                let name = format!("Coördinator {}", account.region);
                if let Err(problem) = cli(
                    binary,
                    database_url,
                    &[
                        "user",
                        "add",
                        "--email",
                        &account.email,
                        "--name",
                        &name,
                        "--role",
                        "coordinator",
                        "--region",
                        &account.region,
                    ],
                    Some(PASSWORD),
                ) {
                    problems.lock().unwrap().push(problem);
                }
            });
        }
    });
    match problems.into_inner().unwrap().pop() {
        Some(problem) => Err(problem),
        None => Ok(accounts),
    }
}

/// The date of a day relative to today (UTC), as a date field holds it: `YYYY-MM-DD`.
pub fn date_from_today(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs() as i64;
    // Howard Hinnant's days-to-civil.
    let z = now.div_euclid(86_400) + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Sets up a round of NAD 2026-06 for `regions` through the admin's server functions, as the
/// round's form posts them, and opens it (since yesterday, until a year from now); returns
/// its id.
pub async fn open_round(
    client: &reqwest::Client,
    server: &Server,
    name: &str,
    regions: &[String],
) -> Result<String, String> {
    let admin = login(client, &server.base, ADMIN, PASSWORD).await?.cookie;
    let (opens, deadline) = (date_from_today(-1), date_from_today(365));
    let mut fields = vec![
        ("name", name),
        ("questionnaire", "nad/2026-06"),
        ("opens_at", opens.as_str()),
        ("deadline", deadline.as_str()),
        ("compared_round_id", ""),
    ];
    fields.extend(regions.iter().map(|code| ("regions[]", code.as_str())));
    let created = post_form(
        client,
        &server.url("/api/rounds/create"),
        &fields,
        Some(&admin),
    )
    .await
    .map_err(|e| e.to_string())?;
    if created.status != StatusCode::OK {
        return Err(format!(
            "rounds/create: {}: {}",
            created.status, created.body
        ));
    }
    let id = created
        .location()
        .and_then(|location| location.strip_prefix("/beheer/metingen/"))
        .and_then(|rest| rest.split('?').next())
        .ok_or_else(|| format!("rounds/create: no round in {:?}", created.location()))?
        .to_string();
    let opened = post_form(
        client,
        &server.url("/api/rounds/state"),
        &[("round_id", &id), ("state", "open")],
        Some(&admin),
    )
    .await
    .map_err(|e| e.to_string())?;
    if opened.status != StatusCode::OK {
        return Err(format!("rounds/state: {}: {}", opened.status, opened.body));
    }
    Ok(id)
}

/// The id of a region's response to the round called `round_name`, as the coordinator's
/// `/invullen` finds it (made on first visit).
pub async fn response_of(
    client: &reqwest::Client,
    server: &Server,
    cookie: &str,
    region: &str,
    round_name: &str,
) -> Result<String, String> {
    let reply = post_form(
        client,
        &server.url("/api/responses/region"),
        &[("code", region)],
        Some(cookie),
    )
    .await
    .map_err(|e| e.to_string())?;
    if reply.status != StatusCode::OK {
        return Err(format!(
            "responses/region {region}: {}: {}",
            reply.status, reply.body
        ));
    }
    let list: serde_json::Value =
        serde_json::from_str(&reply.body).map_err(|e| format!("{e}: {}", reply.body))?;
    list.as_array()
        .into_iter()
        .flatten()
        .find(|link| link["round_name"] == round_name)
        .and_then(|link| link["id"].as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{region} has no response to {round_name}: {}", reply.body))
}

/// A coordinator at work: logged in, with the response of their region.
#[derive(Debug, Clone)]
pub struct Coordinator {
    pub account: Account,
    pub cookie: String,
    pub response_id: String,
}

/// Logs every account in, one after the other, and finds its region's response.
pub async fn sign_in_all(
    client: &reqwest::Client,
    server: &Server,
    accounts: &[Account],
    round_name: &str,
) -> Result<Vec<Coordinator>, String> {
    let mut signed_in = Vec::new();
    for account in accounts {
        let cookie = login(client, &server.base, &account.email, PASSWORD)
            .await?
            .cookie;
        let response_id = response_of(client, server, &cookie, &account.region, round_name).await?;
        signed_in.push(Coordinator {
            account: account.clone(),
            cookie,
            response_id,
        });
    }
    Ok(signed_in)
}
