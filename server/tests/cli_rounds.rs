//! `round create`, `round open` and `round close` run as an operator would: the real binary on
//! a real database (SQLite, and PostgreSQL when `TEST_POSTGRES_URL` is set). Each checks its
//! input first, says in Dutch what is wrong (naming the option) and changes nothing then.

use crate::cli::nad_monitor;
use crate::support;

use app::services::state::Config;
use support::{databases, load_nad, seed, state_for};

#[tokio::test]
async fn round_create_open_and_close_check_their_input_and_say_what_they_did() {
    for database in databases().await {
        let url = &database.url;
        let state = state_for(&database, Config::default()).await;
        seed(&state).await;
        load_nad(&state).await;
        support::close(&state).await;
        fn create<'a>(extra: &[&'a str]) -> Vec<&'a str> {
            let mut args = vec![
                "round",
                "create",
                "--name",
                "7e meting",
                "--questionnaire",
                "nad/2026-06",
                "--opens",
                "2031-01-01",
                "--deadline",
                "2031-02-15",
            ];
            args.extend_from_slice(extra);
            args
        }
        for (args, message) in [
            (
                vec![
                    "round",
                    "create",
                    "--name",
                    " ",
                    "--questionnaire",
                    "nad/2026-06",
                    "--opens",
                    "2031-01-01",
                    "--deadline",
                    "2031-02-15",
                ],
                "--name: Geef de meting een naam",
            ),
            (
                vec![
                    "round",
                    "create",
                    "--name",
                    "X",
                    "--questionnaire",
                    "nad",
                    "--opens",
                    "2031-01-01",
                    "--deadline",
                    "2031-02-15",
                ],
                "--questionnaire: geef de vragenlijstversie",
            ),
            (
                vec![
                    "round",
                    "create",
                    "--name",
                    "X",
                    "--questionnaire",
                    "nad/2026-06",
                    "--opens",
                    "1-1-2031",
                    "--deadline",
                    "2031-02-15",
                ],
                "--opens:",
            ),
            (
                vec![
                    "round",
                    "create",
                    "--name",
                    "X",
                    "--questionnaire",
                    "nad/2026-06",
                    "--opens",
                    "2031-03-01",
                    "--deadline",
                    "2031-02-15",
                ],
                "--deadline: De deadline moet na de openingsdatum liggen.",
            ),
            (
                create(&["--region", "R99"]),
                "--region: De regio 'R99' bestaat niet.",
            ),
            (
                create(&["--compared-with", "bestaat-niet"]),
                "--compared-with: Deze meting bestaat niet.",
            ),
        ] {
            let outcome = nad_monitor(url, &args, "");
            assert!(!outcome.success, "{args:?}: {}", outcome.output);
            assert!(
                outcome.output.contains(message),
                "{args:?}: {}",
                outcome.output
            );
        }
        let made = nad_monitor(url, &create(&["--regio", "R01", "--region", "R02"]), "");
        assert!(made.success, "{}", made.output);
        assert!(
            made.output
                .contains("Meting ‘7e meting’ aangemaakt als concept"),
            "{}",
            made.output
        );
        assert!(
            made.output.contains("2 regio's") && made.output.contains("15 februari 2031"),
            "{}",
            made.output
        );
        let id = made
            .output
            .split("met id ")
            .nth(1)
            .and_then(|rest| rest.split('.').next())
            .expect("the id is printed")
            .to_string();
        let listed = nad_monitor(url, &["round", "list"], "");
        assert!(
            listed.output.contains(&id) && listed.output.contains("[Concept]"),
            "{}",
            listed.output
        );

        let unknown = nad_monitor(url, &["round", "open", "bestaat-niet"], "");
        assert!(!unknown.success);
        assert!(
            unknown
                .output
                .contains("Er is geen meting met id 'bestaat-niet'"),
            "{}",
            unknown.output
        );
        let refused = nad_monitor(url, &["round", "close", &id], "");
        assert!(!refused.success);
        assert!(
            refused.output.contains("kan niet naar gesloten"),
            "{}",
            refused.output
        );
        let opened = nad_monitor(url, &["round", "open", &id], "");
        assert!(opened.success, "{}", opened.output);
        assert!(
            opened.output.contains("Meting ‘7e meting’ is open"),
            "{}",
            opened.output
        );
        let closed = nad_monitor(url, &["round", "close", &id, "--reden", "Vroeg klaar"], "");
        assert!(closed.success, "{}", closed.output);
        assert!(closed.output.contains("is gesloten"), "{}", closed.output);
        let no_reason = nad_monitor(url, &["round", "open", &id], "");
        assert!(!no_reason.success);
        assert!(
            no_reason.output.contains("--reden: Geef een reden"),
            "{}",
            no_reason.output
        );
        let reopened = nad_monitor(
            url,
            &["round", "open", &id, "--reason", "R02 was te laat"],
            "",
        );
        assert!(reopened.success, "{}", reopened.output);

        let state = state_for(&database, Config::default()).await;
        let rounds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rounds")
            .fetch_one(&state.pool)
            .await
            .unwrap();
        assert_eq!(rounds, 1, "refused commands made nothing");
        let reasons: Vec<String> = sqlx::query_scalar(
            "SELECT details FROM audit_events WHERE kind = 'round_state_changed' \
             AND actor_label = 'cli' ORDER BY occurred_at, id",
        )
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[1].contains("Vroeg klaar") && reasons[2].contains("R02 was te laat"));
        support::close(&state).await;
    }
}
