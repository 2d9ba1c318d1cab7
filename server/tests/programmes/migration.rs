//! The migration puts everything that existed before programmes into NAD.

use super::*;

#[tokio::test]
async fn the_migration_puts_everything_that_existed_into_nad() {
    use sqlx::migrate::Migrator;
    use std::borrow::Cow;
    const PROGRAMMES: i64 = 20261217000001;
    for database in databases().await {
        eprintln!("-- on {}", database.label);
        let pool = app::services::db::connect(&database.url).await.unwrap();
        let before = Migrator {
            migrations: Cow::Owned(
                app::services::db::MIGRATOR
                    .iter()
                    .filter(|m| m.version < PROGRAMMES)
                    .cloned()
                    .collect(),
            ),
            ..Migrator::DEFAULT
        };
        before.run(&pool).await.unwrap();
        for statement in [
            "INSERT INTO regions (code, name, lead_gemeente, created_at, updated_at) VALUES ('R01', 'Groningen', 'Groningen', 1, 1)",
            "INSERT INTO gemeenten (code, name, region_code, updated_at) VALUES ('GM0014', 'Groningen', 'R01', 1)",
            "INSERT INTO users (id, email, email_normalized, display_name, role, region_code, password_hash, created_at, updated_at) \
             VALUES ('u1', 'a@b.nl', 'a@b.nl', 'A', 'coordinator', 'R01', 'x', 1, 1)",
            "INSERT INTO questionnaire_versions (id, identifier, version, title, file_name, source, source_sha256, item_count, imported_at, imported_by) \
             VALUES ('q1', 'nad', '1', 'T', 'f.toml', 's', 'h', 1, 1, 'cli')",
            "INSERT INTO rounds (id, name, questionnaire_id, questionnaire_version, state, opens_at, deadline, created_at) \
             VALUES ('ro1', 'Meting', 'nad', '1', 'closed', 1, 2, 1)",
            "INSERT INTO round_regions (round_id, region_code, region_name, lead_gemeente) VALUES ('ro1', 'R01', 'Groningen', 'Groningen')",
            "INSERT INTO round_gemeenten (round_id, region_code, gemeente_code, gemeente_name) VALUES ('ro1', 'R01', 'GM0014', 'Groningen')",
        ] {
            sqlx::query(statement).execute(&pool).await.unwrap();
        }
        app::services::db::migrate(&pool).await.unwrap();
        let programme_of = |table: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, String>(&format!("SELECT programme_code FROM {table}"))
                    .fetch_all(&pool)
                    .await
                    .unwrap()
            }
        };
        for table in ["regions", "gemeenten", "questionnaire_versions", "rounds"] {
            assert_eq!(programme_of(table).await, ["nad"], "{table}");
        }
        let gemeente: (String, String) =
            sqlx::query_as("SELECT name, region_code FROM gemeenten WHERE code = 'GM0014'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(gemeente, ("Groningen".into(), "R01".into()));
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM round_gemeenten")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(kept, 1);
        let nad: (String, String) =
            sqlx::query_as("SELECT name, short_name FROM programmes WHERE code = 'nad'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(nad.1, "NAD");
        // The coordinator keeps their region; nobody has regions in other programmes yet.
        let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_regions")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(others, 0);
        pool.close().await;
    }
}
