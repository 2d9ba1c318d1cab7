//! A: killed mid-way: every acknowledged save survives SIGKILL and a restart, nothing else.

use super::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// The items each writer saves in turn: text, a whole number (sometimes typed wrongly, which
/// is stored flagged invalid) and another whole number.
const CRASH_KEYS: [&str; 3] = [
    "a_contactpersoon",
    "e_wonen_eerst_plekken",
    "f_capaciteit_nacht",
];
/// The server is killed once this many saves have been acknowledged (or after `KILL_LIMIT`).
const KILL_AFTER_ACKNOWLEDGED: usize = 450;
const KILL_LIMIT: Duration = Duration::from_secs(45);
/// No writer makes more saves than this, whatever happens.
const MOST_SAVES_PER_WRITER: usize = 5_000;

/// What one writer did: the saves acknowledged as Saved, in order, and the save that was
/// under way when the server died (which may or may not have been stored).
#[derive(Default)]
struct WriterLog {
    acknowledged: Vec<(&'static str, i64, String)>,
    in_flight: Option<(&'static str, String)>,
    problems: Vec<String>,
}

fn typed(key: &str, writer: usize, n: usize) -> String {
    match key {
        "a_contactpersoon" => format!("Coördinator {writer}, opslag {n}"),
        _ if n % 7 == 1 => format!("ongeveer {n}"),
        _ => ((writer * 31 + n) % 1000).to_string(),
    }
}

async fn writer(
    number: usize,
    base: String,
    coordinator: Coordinator,
    acknowledged: Arc<AtomicUsize>,
    killed: Arc<AtomicBool>,
) -> WriterLog {
    let client = process::client();
    let mut log = WriterLog::default();
    let mut versions: HashMap<&str, i64> = HashMap::new();
    for n in 0..MOST_SAVES_PER_WRITER {
        let key = CRASH_KEYS[n % CRASH_KEYS.len()];
        let value = typed(key, number, n);
        let based_on = *versions.get(key).unwrap_or(&0);
        log.in_flight = Some((key, value.clone()));
        let result = process::save(
            &client,
            &base,
            &coordinator.cookie,
            &coordinator.response_id,
            key,
            &value,
            based_on,
        )
        .await;
        match result {
            Ok((StatusCode::OK, Ok(Outcome::Saved(version)))) => {
                if version != based_on + 1 {
                    log.problems
                        .push(format!("{key}: saved as v{version}, based on v{based_on}"));
                }
                versions.insert(key, version);
                log.acknowledged.push((key, version, value));
                log.in_flight = None;
                acknowledged.fetch_add(1, Ordering::Relaxed);
            }
            Ok((status, outcome)) => {
                log.problems
                    .push(format!("{key} based on v{based_on}: {status} {outcome:?}"));
                log.in_flight = None;
                break;
            }
            Err(error) => {
                if !killed.load(Ordering::SeqCst) {
                    log.problems.push(format!("{key}: no answer: {error}"));
                }
                break;
            }
        }
    }
    log
}

/// One row of an answer's history: version, the value before and the value written.
type HistoryRow = (i64, Option<String>, String);

async fn survives_a_kill(database: Database) {
    let started = Instant::now();
    let mut case = CrashCase::start(&database, started).await;
    let (logs, killed_after) = case.write_until_killed().await;
    let problems: Vec<&String> = logs.iter().flat_map(|log| &log.problems).collect();
    assert!(problems.is_empty(), "saves before the kill: {problems:?}");
    let total: usize = logs.iter().map(|log| log.acknowledged.len()).sum();
    assert!(total > 0, "some saves were acknowledged before the kill");

    case.server.restart().await;
    let pool = database.pool().await;
    let mut stored = StoredAfterRestart::read(&pool).await;
    let landed_in_flight = stored.holds_exactly_the_acknowledged_saves(&logs, &case.coordinators);
    case.each_coordinator_saves_once_more(&pool).await;
    pool.close().await;
    case.server.kill();
    eprintln!(
        "-- {}: set-up {:.1} s, ready {:.1} s; {total} saves acknowledged in {:.1} s before SIGKILL, \
         {landed_in_flight} of {} saves under way were stored; all checked after the restart; {:.1} s in all",
        database.label,
        case.set_up_took.as_secs_f64(),
        case.ready.as_secs_f64(),
        killed_after.as_secs_f64(),
        logs.iter().filter(|log| log.in_flight.is_some()).count(),
        started.elapsed().as_secs_f64()
    );
    database.remove().await;
}

/// A server with a round open for the 45 regions, every coordinator signed in, and how long
/// getting there took.
struct CrashCase {
    server: Server,
    client: reqwest::Client,
    coordinators: Vec<Coordinator>,
    set_up_took: Duration,
    ready: Duration,
}

impl CrashCase {
    async fn start(database: &Database, started: Instant) -> Self {
        let binary = server_binary();
        let regions = process::region_codes();
        assert_eq!(regions.len(), 45, "demo/regions.csv lists the 45 regions");
        let accounts = set_up(database, false, &regions, "crash.").await;
        let set_up_took = started.elapsed();
        let server = Server::start(&binary, &database.url, database.folder(), "crash").await;
        let client = process::client();
        process::open_round(&client, &server, "Crashmeting", &regions)
            .await
            .expect("the admin opens a round");
        let coordinators = process::sign_in_all(&client, &server, &accounts, "Crashmeting")
            .await
            .expect("every coordinator logs in");
        CrashCase {
            server,
            client,
            coordinators,
            set_up_took,
            ready: started.elapsed(),
        }
    }

    /// Every coordinator saves at once; the server is killed once enough saves were
    /// acknowledged. The writers' logs, and how long they wrote.
    async fn write_until_killed(&mut self) -> (Vec<WriterLog>, Duration) {
        let acknowledged = Arc::new(AtomicUsize::new(0));
        let killed = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = self
            .coordinators
            .iter()
            .enumerate()
            .map(|(number, coordinator)| {
                tokio::spawn(writer(
                    number,
                    self.server.base.clone(),
                    coordinator.clone(),
                    acknowledged.clone(),
                    killed.clone(),
                ))
            })
            .collect();
        let load_started = Instant::now();
        while acknowledged.load(Ordering::Relaxed) < KILL_AFTER_ACKNOWLEDGED
            && load_started.elapsed() < KILL_LIMIT
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        killed.store(true, Ordering::SeqCst);
        self.server.kill();
        let killed_after = load_started.elapsed();
        let mut logs = Vec::new();
        for task in writers {
            logs.push(
                tokio::time::timeout(process::REQUEST_TIMEOUT * 2, task)
                    .await
                    .expect("a writer stops once the server is gone")
                    .expect("a writer ends"),
            );
        }
        (logs, killed_after)
    }

    /// The restarted server knows every session and every version: each coordinator saves
    /// once more on the version now stored, and is told it is the next one.
    async fn each_coordinator_saves_once_more(&self, pool: &sqlx::AnyPool) {
        for coordinator in &self.coordinators {
            let version: Option<i64> = sqlx::query_scalar(
                "SELECT version FROM answers WHERE response_id = $1 AND item_key = $2",
            )
            .bind(&coordinator.response_id)
            .bind(CRASH_KEYS[0])
            .fetch_optional(pool)
            .await
            .unwrap();
            let version = version.unwrap_or(0);
            let (status, outcome) = process::save(
                &self.client,
                &self.server.base,
                &coordinator.cookie,
                &coordinator.response_id,
                CRASH_KEYS[0],
                "Na de herstart",
                version,
            )
            .await
            .expect("the restarted server answers");
            assert_eq!(status, StatusCode::OK);
            assert_eq!(outcome, Ok(Outcome::Saved(version + 1)));
        }
    }
}

/// The answers and their history after the restart, by (region, key); each is taken out as
/// it is checked, so what is left over is what nobody saved.
struct StoredAfterRestart {
    /// The typed value and version of each answer.
    answers: BTreeMap<(String, String), (String, i64)>,
    /// Each answer's history rows, in version order.
    chains: BTreeMap<(String, String), Vec<HistoryRow>>,
}

impl StoredAfterRestart {
    async fn read(pool: &sqlx::AnyPool) -> Self {
        let answers: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT r.region_code, a.item_key, a.raw, a.version FROM answers a \
             JOIN responses r ON r.id = a.response_id",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let history: Vec<(String, String, i64, Option<String>, String)> = sqlx::query_as(
            "SELECT r.region_code, h.item_key, h.version, h.old_raw, h.new_raw FROM answer_history h \
             JOIN responses r ON r.id = h.response_id ORDER BY r.region_code, h.item_key, h.version",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let conflicts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answer_conflicts")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(conflicts, 0, "one writer per region never conflicts");
        let mut stored = BTreeMap::new();
        for (region, key, raw, version) in answers {
            stored.insert((region, key), (value_of(&raw), version));
        }
        let mut chains: BTreeMap<(String, String), Vec<HistoryRow>> = BTreeMap::new();
        for (region, key, version, old, new) in history {
            chains.entry((region, key)).or_default().push((
                version,
                old.as_deref().map(value_of),
                value_of(&new),
            ));
        }
        StoredAfterRestart {
            answers: stored,
            chains,
        }
    }

    /// Every acknowledged save is stored, the one under way whole or not at all, and nothing
    /// else. Returns how many saves under way were stored.
    fn holds_exactly_the_acknowledged_saves(
        &mut self,
        logs: &[WriterLog],
        coordinators: &[Coordinator],
    ) -> usize {
        let mut landed_in_flight = 0;
        let mut expected_rows = 0;
        for (log, coordinator) in logs.iter().zip(coordinators) {
            for key in CRASH_KEYS {
                let (landed, row) =
                    self.holds_the_writers_answer(log, &coordinator.account.region, key);
                landed_in_flight += usize::from(landed);
                expected_rows += usize::from(row);
            }
        }
        let (stored, chains) = (&self.answers, &self.chains);
        assert!(stored.is_empty(), "answers nobody saved: {stored:?}");
        assert!(chains.is_empty(), "history nobody wrote: {chains:?}");
        assert!(expected_rows > 0);
        landed_in_flight
    }

    /// One region's answer to `key` as its writer left it. Returns whether the save under
    /// way was stored, and whether there is an answer at all.
    fn holds_the_writers_answer(
        &mut self,
        log: &WriterLog,
        region: &str,
        key: &str,
    ) -> (bool, bool) {
        let mine: Vec<&(&str, i64, String)> =
            log.acknowledged.iter().filter(|s| s.0 == key).collect();
        // Every value this region's item held, by version: the acknowledged ones...
        let mut values: Vec<String> = mine.iter().map(|s| s.2.clone()).collect();
        for (n, save) in mine.iter().enumerate() {
            assert_eq!(
                save.1,
                n as i64 + 1,
                "{region} {key}: versions follow each other"
            );
        }
        let acknowledged_version = mine.len() as i64;
        let place = (region.to_string(), key.to_string());
        let row = self.answers.remove(&place);
        // ...and perhaps the save that was under way.
        let in_flight = log
            .in_flight
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone());
        let mut landed = false;
        match (&row, &in_flight) {
            (Some((value, version)), Some(pending)) if *version == acknowledged_version + 1 => {
                assert_eq!(value, pending, "{region} {key}: the save under way, whole");
                values.push(pending.clone());
                landed = true;
            }
            (Some((value, version)), _) => {
                assert_eq!(
                    *version, acknowledged_version,
                    "{region} {key}: the last acknowledged version is stored"
                );
                assert_eq!(
                    Some(value),
                    values.last(),
                    "{region} {key}: with exactly the acknowledged value"
                );
            }
            (None, _) => assert_eq!(
                acknowledged_version, 0,
                "{region} {key}: an acknowledged answer is missing"
            ),
        }
        let chain = self.chains.remove(&place).unwrap_or_default();
        history_holds_every_version_once(&chain, &values, region, key);
        (landed, row.is_some())
    }
}

/// The history holds every version once, each replacing the one before.
fn history_holds_every_version_once(
    chain: &[HistoryRow],
    values: &[String],
    region: &str,
    key: &str,
) {
    assert_eq!(
        chain.len(),
        values.len(),
        "{region} {key}: one history row per stored version"
    );
    for (n, (version, old, new)) in chain.iter().enumerate() {
        assert_eq!(*version, n as i64 + 1, "{region} {key}: history versions");
        assert_eq!(new, &values[n], "{region} {key} v{version}: history value");
        let before = n.checked_sub(1).map(|p| values[p].clone());
        assert_eq!(
            old, &before,
            "{region} {key} v{version}: replaced the one before"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_survive_sigkill_on_sqlite() {
    let _turn = ONE_AT_A_TIME.lock().await;
    survives_a_kill(Database::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_survive_sigkill_on_postgres() {
    let Some(url) = postgres_url() else {
        eprintln!("-- skipped: set TEST_POSTGRES_URL to kill a server on PostgreSQL");
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().await;
    survives_a_kill(Database::postgres(&url).await).await;
}
