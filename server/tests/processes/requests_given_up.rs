//! Requests given up half-way: the server holds no database connections afterwards.

use super::*;

/// Clients that give up on a page half-way (a closed tab, a navigation) must not leave the
/// server holding database connections: afterwards every kind of request still answers at
/// once. On PostgreSQL the server's connections are also counted by state.
async fn abandoned_requests(database: Database) {
    let binary = server_binary();
    let regions: Vec<String> = process::region_codes().into_iter().take(2).collect();
    let accounts = set_up(&database, false, &regions, "weg.").await;
    let server = Server::start(&binary, &database.url, database.folder(), "abandon").await;
    let client = process::client();
    process::open_round(&client, &server, "Afgebroken", &regions)
        .await
        .expect("the admin opens a round");
    let coordinators = process::sign_in_all(&client, &server, &accounts, "Afgebroken")
        .await
        .expect("the coordinators log in");
    let coordinator = &coordinators[0];
    let pages: Vec<String> = ["A", "B", "E", "F", "I"]
        .iter()
        .map(|key| {
            server.url(&format!(
                "/vragenlijst/{}/sectie/{key}",
                coordinator.response_id
            ))
        })
        .collect();
    let started = Instant::now();
    let given_up = give_up_half_way(&pages, &coordinator.cookie).await;
    eprintln!(
        "-- {}: {given_up} of 300 page requests given up half-way in {:.1} s",
        database.label,
        started.elapsed().as_secs_f64()
    );
    let (recovered, busy) =
        until_a_page_and_a_save_answer_at_once(&database, &server, &client, coordinator, &pages)
            .await;
    let log = std::fs::read_to_string(database.folder().join("abandon.log")).unwrap_or_default();
    let orphaned = log
        .matches("AppState missing from the request context")
        .count();
    eprintln!(
        "-- {}: a page and a save answer at once again after {recovered:?}; busy connections \
         meanwhile {busy:?}; the server logged {orphaned} times that a page's work ran on \
         without its request",
        database.label,
    );
    // A page's tasks are aborted with its response (src/page_tasks.rs). Before that, about a
    // hundred of them ran on into server functions whose request was gone. One that is being
    // polled on the other core at the very moment of the abort may still get there (1-3 seen).
    assert!(
        orphaned <= 10,
        "{orphaned} of the abandoned pages' tasks ran on after their response was dropped"
    );
    assert!(
        recovered.is_some(),
        "the server still answers slowly a minute after the pages were given up: {}",
        server.log_tail()
    );
    drop(server);
    database.remove().await;
}

/// Asks for the pages 300 times, 12 at once, each time giving up after 1 to 40 ms; how many
/// requests were given up.
async fn give_up_half_way(pages: &[String], cookie: &str) -> usize {
    let mut given_up = 0;
    for batch in 0..25u64 {
        let tasks: Vec<_> = (0..12u64)
            .map(|n| {
                let url = pages[(batch + n) as usize % pages.len()].clone();
                let cookie = cookie.to_string();
                let patience = Duration::from_millis(1 + (batch * 12 + n) % 40);
                tokio::spawn(async move {
                    let impatient = reqwest::Client::builder()
                        .timeout(patience)
                        .build()
                        .unwrap();
                    impatient
                        .get(&url)
                        .header("cookie", cookie)
                        .send()
                        .await
                        .and_then(|r| r.error_for_status())
                        .is_err()
                })
            })
            .collect();
        for task in tasks {
            given_up += usize::from(task.await.unwrap());
        }
    }
    given_up
}

/// The pages' work goes on after their clients left (see docs/decisions.md, "Crash, load
/// and multi-instance tests"); it must end, and then everything answers at once again.
/// A connection held for good would stall here and fail after a minute. Returns how long
/// that took (`None`: more than a minute) and PostgreSQL's busy connections meanwhile.
async fn until_a_page_and_a_save_answer_at_once(
    database: &Database,
    server: &Server,
    client: &reqwest::Client,
    coordinator: &Coordinator,
    pages: &[String],
) -> (Option<Duration>, Vec<i64>) {
    let given_up_at = Instant::now();
    let mut recovered = None;
    let mut version = 0;
    let mut busy = Vec::new();
    for round in 0..120 {
        if database.label == "postgres" {
            busy.push(postgres_busy_connections(database).await);
        }
        let started = Instant::now();
        let page = process::get_page(
            client,
            &pages[round % pages.len()],
            Some(&coordinator.cookie),
        )
        .await
        .expect("the page answers");
        assert_eq!(page.status, StatusCode::OK);
        let (status, outcome) = process::save(
            client,
            &server.base,
            &coordinator.cookie,
            &coordinator.response_id,
            "a_contactpersoon",
            &format!("Na het afbreken {round}"),
            version,
        )
        .await
        .expect("the save answers");
        version += 1;
        assert_eq!(
            (status, outcome),
            (StatusCode::OK, Ok(Outcome::Saved(version)))
        );
        if started.elapsed() < Duration::from_millis(500) {
            recovered = Some(given_up_at.elapsed());
            break;
        }
        if given_up_at.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    (recovered, busy)
}

/// Connections of the server's PostgreSQL database that are running a statement or hold a
/// transaction open.
async fn postgres_busy_connections(database: &Database) -> i64 {
    let pool = database.pool().await;
    let name = database
        .url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let busy: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() \
         AND state <> 'idle'",
    )
    .bind(&name)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    busy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_page_requests_hold_no_connections() {
    let _turn = ONE_AT_A_TIME.lock().await;
    abandoned_requests(Database::sqlite()).await;
    if let Some(url) = postgres_url() {
        abandoned_requests(Database::postgres(&url).await).await;
    }
}
