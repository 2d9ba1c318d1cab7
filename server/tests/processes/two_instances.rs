//! B: two instances on one PostgreSQL share sessions, login back-off and conflict detection.

use super::*;

/// The wait a 429 announces ("Probeer het over N seconden opnieuw").
fn announced_wait(body: &str) -> Option<u64> {
    let rest = body.split("Probeer het over ").nth(1)?;
    rest.split_whitespace().next()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_back_off_and_conflicts() {
    let Some(url) = postgres_url() else {
        eprintln!("-- skipped: set TEST_POSTGRES_URL to run two instances on one PostgreSQL");
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().await;
    let database = Database::postgres(&url).await;
    let case = TwoInstances::start(&database).await;
    let (anna, response) = case.a_session_started_on_one_is_known_to_two().await;
    case.failed_logins_on_one_slow_the_account_down_on_two()
        .await;
    let key = "a_contactpersoon";
    let version = case
        .saves_on_the_same_version_conflict_across_instances(&anna, &response, key)
        .await;
    every_stored_version_is_kept_once(&database, &response, key, version).await;
    drop(case);
    database.remove().await;
}

/// Two instances on one database with a round open for R01 and R02: two colleagues of R01
/// (the second through `set_up_colleague`) and one coordinator of R02 (whose password will
/// be mistyped).
struct TwoInstances {
    one: Server,
    two: Server,
    client: reqwest::Client,
    accounts: Vec<process::Account>,
    colleague: String,
}

impl TwoInstances {
    async fn start(database: &Database) -> Self {
        let binary = server_binary();
        let regions = vec!["R01".to_string(), "R02".to_string()];
        let accounts = set_up(database, false, &regions, "een.").await;
        let colleague = set_up_colleague(database).await;
        let one = Server::start(&binary, &database.url, database.folder(), "instance-1").await;
        let two = Server::start(&binary, &database.url, database.folder(), "instance-2").await;
        let client = process::client();
        process::open_round(&client, &one, "Twee servers", &regions)
            .await
            .expect("the admin opens a round on instance 1");
        TwoInstances {
            one,
            two,
            client,
            accounts,
            colleague,
        }
    }

    /// (1) A session started on instance 1 is known to instance 2. Returns the session's
    /// cookie and R01's response.
    async fn a_session_started_on_one_is_known_to_two(&self) -> (String, String) {
        let TwoInstances {
            one, two, client, ..
        } = self;
        let anna = process::login(
            client,
            &one.base,
            &self.accounts[0].email,
            process::PASSWORD,
        )
        .await
        .expect("login on instance 1")
        .cookie;
        let response = process::response_of(client, two, &anna, "R01", "Twee servers")
            .await
            .expect("instance 2 knows the session of instance 1");
        let page = process::get_page(
            client,
            &two.url(&format!("/vragenlijst/{response}")),
            Some(&anna),
        )
        .await
        .unwrap();
        assert_eq!(page.status, StatusCode::OK, "the task list on instance 2");
        assert!(page.body.contains("Twee servers"), "{}", page.body);
        let anonymous =
            process::get_page(client, &two.url(&format!("/vragenlijst/{response}")), None)
                .await
                .unwrap();
        assert_ne!(
            anonymous.status,
            StatusCode::OK,
            "without the session: to the login page"
        );
        (anna, response)
    }

    /// (2) Failed logins counted on instance 1 slow the account down on instance 2.
    async fn failed_logins_on_one_slow_the_account_down_on_two(&self) {
        let TwoInstances { two, client, .. } = self;
        let target = &self.accounts[1].email;
        let wrong = self.fail_logins_on_one(target).await;
        let free = app::domain::account::FREE_ATTEMPTS_PER_ACCOUNT as usize;
        assert!(
            wrong[..free]
                .iter()
                .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY)
                && wrong[free] == StatusCode::TOO_MANY_REQUESTS
                && wrong[free + 1] == StatusCode::UNPROCESSABLE_ENTITY,
            "instance 1: {wrong:?}"
        );
        let refused = process::post_form(
            client,
            &two.url("/api/login"),
            &[("email", target), ("password", process::PASSWORD)],
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            refused.status,
            StatusCode::TOO_MANY_REQUESTS,
            "instance 2 refuses even the right password: {}",
            refused.body
        );
        assert!(
            refused.body.contains("Te veel mislukte pogingen"),
            "{}",
            refused.body
        );
        // A slowdown, never a lockout: after the wait instance 2 lets the right password in.
        let wait = announced_wait(&refused.body).expect("the 429 says how long to wait");
        tokio::time::sleep(Duration::from_secs(wait)).await;
        process::login(client, &two.base, target, process::PASSWORD)
            .await
            .expect("after the wait the right password works on instance 2");
    }

    /// Logs in with a wrong password on instance 1 until the back-off starts, then once more
    /// after its wait; the statuses of the answers.
    async fn fail_logins_on_one(&self, target: &str) -> Vec<StatusCode> {
        let TwoInstances { one, client, .. } = self;
        let mut wrong = Vec::new();
        for _ in 0..app::domain::account::FREE_ATTEMPTS_PER_ACCOUNT + 1 {
            let reply = process::post_form(
                client,
                &one.url("/api/login"),
                &[("email", target), ("password", "een verkeerd wachtwoord")],
                None,
            )
            .await
            .unwrap();
            wrong.push(reply.status);
            if reply.status == StatusCode::TOO_MANY_REQUESTS {
                // Wait out the first back-off and fail once more: the next wait is twice as
                // long, long enough for instance 2 to be asked well within it on a busy machine.
                let wait = announced_wait(&reply.body).expect("the 429 says how long to wait");
                tokio::time::sleep(Duration::from_secs(wait)).await;
                let again = process::post_form(
                    client,
                    &one.url("/api/login"),
                    &[("email", target), ("password", "een verkeerd wachtwoord")],
                    None,
                )
                .await
                .unwrap();
                wrong.push(again.status);
            }
        }
        wrong
    }

    /// (3) Two colleagues save the same item on different instances, based on the same
    /// version: the second is told of the conflict; nothing is overwritten. Returns the
    /// version stored last.
    async fn saves_on_the_same_version_conflict_across_instances(
        &self,
        anna: &str,
        response: &str,
        key: &str,
    ) -> i64 {
        let TwoInstances {
            one, two, client, ..
        } = self;
        let bert = process::login(client, &two.base, &self.colleague, process::PASSWORD)
            .await
            .expect("the colleague logs in on instance 2")
            .cookie;
        let first = process::save(client, &one.base, anna, response, key, "Anna", 0)
            .await
            .unwrap();
        assert_eq!(first, (StatusCode::OK, Ok(Outcome::Saved(1))));
        let second = process::save(client, &two.base, &bert, response, key, "Bert", 0)
            .await
            .unwrap();
        assert_eq!(second, (StatusCode::OK, Ok(Outcome::Conflict(1))));
        // And at the same moment, ten times: one of the two wins each time, never both.
        let mut version = 1;
        for round in 0..10 {
            let (mine, theirs) = (format!("Anna {round}"), format!("Bert {round}"));
            let (a, b) = tokio::join!(
                process::save(client, &one.base, anna, response, key, &mine, version),
                process::save(client, &two.base, &bert, response, key, &theirs, version),
            );
            let outcomes = [a.unwrap(), b.unwrap()];
            let saved: Vec<i64> = outcomes
                .iter()
                .filter_map(|(status, outcome)| match (status, outcome) {
                    (&StatusCode::OK, Ok(Outcome::Saved(v))) => Some(*v),
                    _ => None,
                })
                .collect();
            let refused = outcomes
                .iter()
                .filter(|(status, outcome)| {
                    *status == StatusCode::OK && *outcome == Ok(Outcome::Conflict(version + 1))
                })
                .count();
            assert_eq!(
                (saved.as_slice(), refused),
                (&[version + 1][..], 1),
                "round {round}: {outcomes:?}"
            );
            version += 1;
        }
        version
    }
}

/// The answer is stored at `version`, each version once in the history, and the refused
/// answers are kept aside.
async fn every_stored_version_is_kept_once(
    database: &Database,
    response: &str,
    key: &str,
    version: i64,
) {
    let pool = database.pool().await;
    let (raw, stored_version): (String, i64) =
        sqlx::query_as("SELECT raw, version FROM answers WHERE response_id = $1 AND item_key = $2")
            .bind(response)
            .bind(key)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored_version, version);
    let history: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM answer_history WHERE response_id = $1 AND item_key = $2",
    )
    .bind(response)
    .bind(key)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(history, version, "every stored version once in the history");
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM answer_conflicts WHERE response_id = $1")
            .bind(response)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        kept >= 1,
        "the refused answers are kept aside for their authors"
    );
    eprintln!(
        "-- two instances: last stored {} (v{stored_version})",
        value_of(&raw)
    );
    pool.close().await;
}

/// A second coordinator of R01, through the command line; returns the e-mail address.
async fn set_up_colleague(database: &Database) -> String {
    let (binary, url) = (server_binary(), database.url.clone());
    let email = "twee.r01@proces.nl".to_string();
    let address = email.clone();
    tokio::task::spawn_blocking(move || {
        process::cli(
            &binary,
            &url,
            &[
                "user",
                "add",
                "--email",
                &address,
                "--name",
                "Collega",
                "--role",
                "coordinator",
                "--region",
                "R01",
            ],
            Some(process::PASSWORD),
        )
    })
    .await
    .unwrap()
    .expect("the colleague's account is made");
    email
}
