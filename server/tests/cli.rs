//! The command line, run as a user would: the real binary, a real database, the password on
//! standard input. Each test runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use crate::support;

use std::io::Write;
use std::process::{Command, Stdio};
use support::databases;

pub(crate) struct Outcome {
    pub success: bool,
    pub output: String,
}

pub(crate) fn nad_monitor(database_url: &str, args: &[&str], stdin: &str) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nad-monitor"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let result = child.wait_with_output().unwrap();
    Outcome {
        success: result.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        ),
    }
}

pub(crate) async fn count(database_url: &str, table: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database_url).await.unwrap();
    let count = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    count
}

#[tokio::test]
async fn demo_loads_once_and_prints_the_accounts() {
    for database in databases().await {
        let url = &database.url;
        let first = nad_monitor(url, &["demo"], "");
        assert!(first.success, "{}", first.output);
        assert!(first.output.contains("beheerder@nad.example"));
        assert!(first.output.contains("demo-beheerder-2026"));
        // NAD's 45 regions and Beschermd Thuis's six.
        assert_eq!(count(url, "regions").await, 51);
        // The seven demo accounts, a coordinator for each of the other 41 NAD regions and the
        // six of Beschermd Thuis, and one invited colleague, whose invitation waits in the
        // outbox.
        assert_eq!(count(url, "users").await, 55);
        assert_eq!(
            count(url, "user_regions").await,
            1,
            "Zwolle in both programmes"
        );
        assert_eq!(
            count(url, "adviser_regions").await,
            2,
            "the demo's region adviser"
        );
        assert_eq!(count(url, "outbox").await, 1);
        assert!(first.output.contains("/beheer/uitgaande-mail"));
        assert_eq!(
            count(url, "questionnaire_versions").await,
            3,
            "both NAD versions and Beschermd Thuis's"
        );
        assert_eq!(
            count(url, "rounds").await,
            5,
            "three earlier rounds, published, the open one, and Beschermd Thuis's open round"
        );
        assert_eq!(count(url, "publications").await, 3);
        assert_eq!(count(url, "gemeenten").await, 342 + 37);
        assert_eq!(
            count(url, "round_gemeenten").await,
            4 * 342 + 37,
            "every round keeps the division it was made with"
        );
        let programmes = nad_monitor(url, &["programme", "list"], "");
        assert!(programmes.success, "{}", programmes.output);
        assert!(
            programmes.output.contains("Beschermd Thuis")
                && programmes
                    .output
                    .contains("Nationaal Actieplan Dakloosheid"),
            "{}",
            programmes.output
        );
        let second = nad_monitor(url, &["demo"], "");
        assert!(!second.success);
        assert!(second.output.contains("lege database"), "{}", second.output);
        assert_eq!(count(url, "users").await, 55);

        // Rounds from the command line: listed with their publication, published, corrected.
        let list = nad_monitor(url, &["round", "list"], "");
        assert!(list.success, "{}", list.output);
        assert!(
            list.output.contains("[Gepubliceerd]")
                && list.output.contains("/dashboard/2026-06 editie 1"),
            "{}",
            list.output
        );
        let open_round = list
            .output
            .lines()
            .find(|line| line.contains("[Open]") && line.contains("6e meting"))
            .and_then(|line| line.split_whitespace().next())
            .unwrap()
            .to_string();
        let refused = nad_monitor(url, &["round", "publish", &open_round], "");
        assert!(!refused.success);
        assert!(
            refused.output.contains("Alleen een gesloten meting"),
            "{}",
            refused.output
        );
        let unknown = nad_monitor(url, &["round", "publish", "bestaat-niet"], "");
        assert!(!unknown.success);
        assert!(
            unknown
                .output
                .contains("Er is geen meting met id 'bestaat-niet'"),
            "{}",
            unknown.output
        );
        let june = list
            .output
            .lines()
            .find(|line| line.contains("/dashboard/2026-06 "))
            .and_then(|line| line.split_whitespace().next())
            .unwrap()
            .to_string();
        let conclusions =
            std::env::temp_dir().join(format!("conclusies-{}.md", uuid::Uuid::new_v4()));
        std::fs::write(&conclusions, "# Conclusies\n\nBijgewerkt.\n").unwrap();
        let no_note = nad_monitor(url, &["round", "correct", &june, "--note", " "], "");
        assert!(!no_note.success, "{}", no_note.output);
        let corrected = nad_monitor(
            url,
            &[
                "round",
                "correct",
                &june,
                "--note",
                "Conclusies bijgewerkt",
                "--conclusions",
                conclusions.to_str().unwrap(),
            ],
            "",
        );
        assert!(corrected.success, "{}", corrected.output);
        assert!(
            corrected.output.contains("/dashboard/2026-06 editie 2"),
            "{}",
            corrected.output
        );
        assert_eq!(count(url, "publications").await, 4);
        std::fs::remove_file(conclusions).ok();
    }
}

#[tokio::test]
async fn user_add_checks_everything_and_creates_nothing_on_bad_input() {
    for database in databases().await {
        let url = &database.url;
        let csv = std::env::temp_dir().join(format!("regions-{}.csv", uuid::Uuid::new_v4()));
        std::fs::write(&csv, "code,region,lead_gemeente\nR01,Groningen,Groningen\n").unwrap();
        assert!(nad_monitor(url, &["regions", "import", csv.to_str().unwrap()], "").success);

        let secret = "geheim-maar-lang-genoeg";
        let add = |email: &str, role: &str, region: Option<&str>, password: &str| {
            let mut args = vec![
                "user", "add", "--email", email, "--name", "Piet", "--role", role,
            ];
            if let Some(region) = region {
                args.extend(["--region", region]);
            }
            nad_monitor(url, &args, &format!("{password}\n"))
        };
        let created = add("piet@assen.nl", "coordinator", Some("R01"), secret);
        assert!(created.success, "{}", created.output);
        assert!(
            !created.output.contains(secret),
            "the password never appears in output or logs"
        );

        let refusals = [
            (
                add("PIET@assen.nl ", "reviewer", None, secret),
                "al een gebruiker",
            ),
            (
                add("nieuw@assen.nl", "superuser", None, secret),
                "Kies een rol",
            ),
            (
                add("nieuw@assen.nl", "coordinator", Some("R99"), secret),
                "De regio 'R99' bestaat niet",
            ),
            (
                add("nieuw@assen.nl", "coordinator", None, secret),
                "Kies de regio",
            ),
            (
                add("nieuw@assen.nl", "reviewer", Some("R01"), secret),
                "Laat de regio leeg",
            ),
            (
                add("nieuw@assen.nl", "reviewer", None, "kort"),
                "minstens 12 tekens",
            ),
            (
                add("nieuw@assen.nl", "reviewer", None, "1qaz2wsx3edc"),
                "veelgebruikte",
            ),
            (
                add("geen-adres", "reviewer", None, secret),
                "geldig e-mailadres",
            ),
            (
                add("nieuw@assen.nl", "reviewer", None, ""),
                "standaardinvoer",
            ),
        ];
        for (outcome, expected) in refusals {
            assert!(!outcome.success, "{}", outcome.output);
            assert!(
                outcome.output.contains(expected),
                "expected '{expected}' in: {}",
                outcome.output
            );
            assert!(!outcome.output.contains(secret));
        }
        assert_eq!(count(url, "users").await, 1);
        std::fs::remove_file(csv).ok();
    }
}

#[tokio::test]
async fn set_password_and_disable_end_sessions_and_are_audited() {
    for database in databases().await {
        let url = &database.url;
        assert!(nad_monitor(url, &["demo"], "").success);
        let before = count(url, "audit_events").await;
        let set = nad_monitor(
            url,
            &["user", "set-password", "--email", "assen@nad.example"],
            "een ander lang wachtwoord\n",
        );
        assert!(set.success, "{}", set.output);
        let weak = nad_monitor(
            url,
            &["user", "set-password", "--email", "assen@nad.example"],
            "123456\n",
        );
        assert!(!weak.success);
        let unknown = nad_monitor(
            url,
            &["user", "disable", "--email", "niemand@nad.example"],
            "",
        );
        assert!(!unknown.success);
        assert!(unknown.output.contains("geen gebruiker"));
        let disable = nad_monitor(
            url,
            &["user", "disable", "--email", "assen@nad.example"],
            "",
        );
        assert!(disable.success, "{}", disable.output);
        assert_eq!(count(url, "audit_events").await, before + 2);
    }
}

#[tokio::test]
async fn user_invite_queues_the_invitation_and_prints_its_link() {
    for database in databases().await {
        let url = &database.url;
        assert!(nad_monitor(url, &["demo"], "").success);
        let accounts = count(url, "users").await;
        let mails = count(url, "outbox").await;
        let invite = |email: &str| {
            nad_monitor(
                url,
                &[
                    "user",
                    "invite",
                    "--email",
                    email,
                    "--name",
                    "Nieuwe Reviewer",
                    "--role",
                    "reviewer",
                    "--public-url",
                    "https://monitor.example.nl/",
                ],
                "",
            )
        };
        let invited = invite("nieuw@nad.example");
        assert!(invited.success, "{}", invited.output);
        assert!(
            invited
                .output
                .contains("https://monitor.example.nl/wachtwoord-kiezen?sleutel="),
            "{}",
            invited.output
        );
        assert_eq!(count(url, "outbox").await, mails + 1);
        // Taken, malformed: refused with the reason, nothing queued.
        let taken = invite("NIEUW@nad.example");
        assert!(
            !taken.success && taken.output.contains("al een gebruiker"),
            "{}",
            taken.output
        );
        let malformed = invite("geen-adres");
        assert!(!malformed.success && malformed.output.contains("geldig e-mailadres"));
        assert_eq!(count(url, "outbox").await, mails + 1);
        // A malformed public address stops the command before anything happens.
        let bad_url = nad_monitor(
            url,
            &[
                "user",
                "invite",
                "--email",
                "x@nad.example",
                "--name",
                "X",
                "--role",
                "reviewer",
                "--public-url",
                "monitor",
            ],
            "",
        );
        assert!(
            !bad_url.success && bad_url.output.contains("NAD_PUBLIC_URL"),
            "{}",
            bad_url.output
        );
        assert_eq!(count(url, "users").await, accounts + 1);
    }
}

#[tokio::test]
async fn a_malformed_regions_file_names_the_line_and_imports_nothing() {
    for database in databases().await {
        let url = &database.url;
        let csv = std::env::temp_dir().join(format!("regions-{}.csv", uuid::Uuid::new_v4()));
        std::fs::write(
            &csv,
            "code,region,lead_gemeente\nR01,Groningen,Groningen\nR02,,Leeuwarden\nR01,Dubbel,X\n",
        )
        .unwrap();
        let outcome = nad_monitor(url, &["regions", "import", csv.to_str().unwrap()], "");
        assert!(!outcome.success);
        assert!(
            outcome.output.contains("regel 3: de regionaam is leeg"),
            "{}",
            outcome.output
        );
        assert!(outcome.output.contains("regel 4"), "{}", outcome.output);
        assert!(outcome.output.contains("niets ingelezen"));
        assert_eq!(count(url, "regions").await, 0);

        let missing = nad_monitor(url, &["regions", "import", "/bestaat/niet.csv"], "");
        assert!(!missing.success);
        assert!(missing.output.contains("kan het bestand niet lezen"));
        std::fs::remove_file(csv).ok();
    }
}

#[tokio::test]
async fn gemeenten_import_checks_the_whole_file_replaces_the_division_and_rounds_keep_theirs() {
    for database in databases().await {
        let url = &database.url;
        let folder = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = folder.path().join(name);
            std::fs::write(&path, text).unwrap();
            path.to_str().unwrap().to_string()
        };
        let regions = write(
            "regions.csv",
            "code,region,lead_gemeente\nR09,Flevoland,Almere\nR10,Noord-Veluwe,Harderwijk\n",
        );
        assert!(nad_monitor(url, &["regions", "import", &regions], "").success);
        let bad = write(
            "bad.csv",
            "gemeente_code,gemeente,region_code\nGM0034,Almere,R09\nGM50,Zeewolde,R09\nGM0243,Harderwijk,R99\nGM0034,Almere,R09\n",
        );
        let outcome = nad_monitor(url, &["gemeenten", "import", &bad], "");
        assert!(!outcome.success);
        for expected in [
            "bad.csv: regel 3: 'GM50' is geen CBS-gemeentecode",
            "bad.csv: regel 4: onbekende regio 'R99'",
            "bad.csv: regel 5: de gemeentecode 'GM0034' staat ook op regel 2",
            "Er is niets ingelezen.",
        ] {
            assert!(
                outcome.output.contains(expected),
                "{expected}: {}",
                outcome.output
            );
        }
        assert_eq!(count(url, "gemeenten").await, 0);

        // 2023: Zeewolde in Flevoland. A round made now keeps that division.
        let before = write(
            "2023.csv",
            "gemeente_code,gemeente,region_code\nGM0034,Almere,R09\nGM0050,Zeewolde,R09\nGM0243,Harderwijk,R10\n",
        );
        let outcome = nad_monitor(url, &["gemeenten", "import", &before], "");
        assert!(outcome.success, "{}", outcome.output);
        assert!(
            outcome.output.contains("3 gemeenten ingelezen (3 nieuw"),
            "{}",
            outcome.output
        );
        let state = support::state_for(&database, app::services::state::Config::default()).await;
        support::load_nad(&state).await;
        let round = support::open_test_round(&state, "Meting 2023").await;
        // 2024: Zeewolde moves to Noord-Veluwe.
        let after = write(
            "2024.csv",
            "gemeente_code,gemeente,region_code\nGM0034,Almere,R09\nGM0050,Zeewolde,R10\nGM0243,Harderwijk,R10\n",
        );
        let outcome = nad_monitor(url, &["gemeenten", "import", &after], "");
        assert!(outcome.success, "{}", outcome.output);
        assert!(
            outcome.output.contains("Zeewolde: R09 → R10"),
            "{}",
            outcome.output
        );
        let kept = app::services::gemeenten::of_round_region(&state.pool, &round, "R09")
            .await
            .unwrap();
        let names: Vec<&str> = kept.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            ["Almere", "Zeewolde"],
            "the round keeps its own division"
        );
        let now = app::services::gemeenten::of_region(&state.pool, "R10")
            .await
            .unwrap();
        assert_eq!(now.len(), 2);
        let later = support::open_test_round(&state, "Meting 2024").await;
        let moved = app::services::gemeenten::of_round_region(&state.pool, &later, "R10")
            .await
            .unwrap();
        assert!(moved.iter().any(|g| g.name == "Zeewolde"));
        support::close(&state).await;
    }
}

#[tokio::test]
async fn migrate_is_idempotent_and_a_bad_database_url_is_a_clear_error() {
    for database in databases().await {
        assert!(nad_monitor(&database.url, &["migrate"], "").success);
        assert!(nad_monitor(&database.url, &["migrate"], "").success);
    }
    let outcome = nad_monitor("postgres://niemand@127.0.0.1:1/nergens", &["migrate"], "");
    assert!(!outcome.success);
    assert!(
        outcome.output.contains("De database is niet te openen"),
        "{}",
        outcome.output
    );
}

#[tokio::test]
async fn questionnaire_import_checks_the_whole_file_and_never_changes_a_stored_version() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../questionnaires");
    let path = |name: &str| root.join(name).to_string_lossy().into_owned();
    for database in databases().await {
        let url = &database.url;
        // The current version needs its previous version first.
        let early = nad_monitor(
            url,
            &["questionnaire", "import", &path("nad-2026-06.toml")],
            "",
        );
        assert!(!early.success);
        assert!(early.output.contains("2025-12"), "{}", early.output);
        assert_eq!(count(url, "questionnaire_versions").await, 0);

        for name in ["nad-2025-12.toml", "nad-2026-06.toml"] {
            let outcome = nad_monitor(url, &["questionnaire", "import", &path(name)], "");
            assert!(outcome.success, "{}", outcome.output);
            assert!(outcome.output.contains("geladen"), "{}", outcome.output);
        }
        let again = nad_monitor(
            url,
            &["questionnaire", "import", &path("nad-2026-06.toml")],
            "",
        );
        assert!(
            again.success && again.output.contains("al geladen"),
            "{}",
            again.output
        );

        let changed = std::env::temp_dir().join(format!("nad-{}.toml", uuid::Uuid::new_v4()));
        let source = std::fs::read_to_string(path("nad-2025-12.toml")).unwrap();
        std::fs::write(
            &changed,
            source.replacen("title = \"", "title = \"Gewijzigd: ", 1),
        )
        .unwrap();
        let refused = nad_monitor(
            url,
            &["questionnaire", "import", changed.to_str().unwrap()],
            "",
        );
        assert!(!refused.success);
        assert!(
            refused.output.contains("al geladen met een andere inhoud"),
            "{}",
            refused.output
        );

        let broken = nad_monitor(
            url,
            &["questionnaire", "import", &path("broken/unknown-type.toml")],
            "",
        );
        assert!(!broken.success);
        assert!(
            broken
                .output
                .contains("unknown-type.toml: regel 24, vraag a_x: onbekend type 'ja_nee'"),
            "{}",
            broken.output
        );
        assert!(broken.output.contains("Er is niets opgeslagen."));
        assert_eq!(count(url, "questionnaire_versions").await, 2);

        let list = nad_monitor(url, &["questionnaire", "list"], "");
        assert!(list.output.contains("nad 2026-06"), "{}", list.output);
        std::fs::remove_file(changed).ok();
    }
}
