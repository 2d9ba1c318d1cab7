//! C: a short load of a few clients logging in, reading section pages and saving, without errors.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_load_gets_no_errors() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let database = Database::sqlite();
    let binary = server_binary();
    let regions: Vec<String> = process::region_codes().into_iter().take(3).collect();
    let accounts = set_up(&database, false, &regions, "last.").await;
    let server = Server::start(&binary, &database.url, database.folder(), "load").await;
    let client = process::client();
    process::open_round(&client, &server, "Belasting", &regions)
        .await
        .expect("the admin opens a round");
    let coordinators = process::sign_in_all(&client, &server, &accounts, "Belasting")
        .await
        .expect("every coordinator logs in");
    let settings = load::Settings {
        clients: 6,
        duration: Duration::from_secs(5),
        ramp: Duration::from_millis(1800),
        sample_every: Duration::from_secs(1),
        saves_per_page: 3,
    };
    let report = load::run(&server, &coordinators, &settings).await;
    report.print(
        "load smoke, 6 clients for 5 s on SQLite (debug build unless NAD_TEST_SERVER_BINARY)",
    );
    assert_eq!(report.errors, 0, "{:?}", report.first_errors);
    assert_eq!(report.conflicts, 0, "colleagues save different items");
    for kind in ["login", "page", "save"] {
        assert!(
            report
                .latencies
                .get(kind)
                .is_some_and(|list| !list.is_empty()),
            "some {kind} requests were made"
        );
    }
    drop(server);
}
