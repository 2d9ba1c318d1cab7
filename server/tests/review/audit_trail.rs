//! The audit trail: nothing changes it, admins browse and export it, no cell starts a formula.

use super::*;
use serde_json::json;

#[tokio::test]
async fn the_audit_trail_can_not_be_changed_and_admins_browse_and_export_it() {
    on_every_database(|state| async move {
        let case = AuditCase::start(state).await;
        nothing_changes_the_entries_already_written(&case).await;
        let reviewer = admins_browse_the_trail_by_kind_user_and_region(&case).await;
        the_page_and_the_csv_export_carry_the_same_filter(&case).await;
        the_export_streams_compressed(&case).await;
        only_admins_see_the_page_and_the_export(&case, &reviewer).await;
    })
    .await;
}

/// An open round in which R01's coordinator changed an answer and the admin commented on it.
struct AuditCase {
    state: AppState,
    round: String,
    r01: String,
    admin: String,
}

impl AuditCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Auditmeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let r01 = login(&state, "r01@test.nl").await;
        save(&state, &r01, &response, "a_contactpersoon", "Anna").await;
        save(&state, &r01, &response, "a_contactpersoon", "Anna de Vries").await;
        let admin = login(&state, "admin@test.nl").await;
        let (status, _) = post(
            &state,
            "/api/review/comment",
            &[
                ("response_id", &response),
                ("item_key", "a_contactpersoon"),
                ("body", "Wie is Anna?"),
            ],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        AuditCase {
            state,
            round,
            r01,
            admin,
        }
    }
}

/// The audit events and the answer history, as stored.
async fn audit_snapshot(
    state: &AppState,
) -> (Vec<(String, String, String)>, Vec<(String, String)>) {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, kind, details FROM audit_events ORDER BY id")
            .fetch_all(&state.pool)
            .await
            .unwrap();
    let history: Vec<(String, String)> =
        sqlx::query_as("SELECT id, new_raw FROM answer_history ORDER BY id")
            .fetch_all(&state.pool)
            .await
            .unwrap();
    (rows, history)
}

async fn nothing_changes_the_entries_already_written(case: &AuditCase) {
    let AuditCase { state, admin, .. } = case;
    let before = audit_snapshot(state).await;
    // The database refuses to change or delete entries, whoever asks.
    for sql in [
        "UPDATE audit_events SET kind = 'x'",
        "DELETE FROM audit_events",
        "UPDATE answer_history SET new_raw = '{}'",
        "DELETE FROM answer_history",
        "UPDATE comments SET body = 'x'",
        "DELETE FROM comments",
    ] {
        let error = sqlx::query(sql).execute(&state.pool).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    // Every server function, called by the admin with what an attacker might send,
    // leaves the earlier entries as they were (new ones may be added).
    for (path, body) in [
        ("/api/audit", "kind=login'; DELETE FROM audit_events; --"),
        ("/api/audit", "user=%25&page=-5"),
        ("/api/review/resolve", "thread_id=x&resolved=ja"),
    ] {
        let reply = send(state, call(path, body, Some(admin))).await;
        assert!(reply.status().as_u16() < 500, "{path}");
    }
    let after = audit_snapshot(state).await;
    assert!(after.0.len() >= before.0.len());
    assert!(
        before.0.iter().all(|entry| after.0.contains(entry)),
        "no entry changed"
    );
    assert_eq!(before.1, after.1);
}

/// The audit page's data, as `cookie`'s user asks for it with `query`.
async fn browse(state: &AppState, query: &str, cookie: &str) -> (StatusCode, Value) {
    let reply = send(state, call("/api/audit", query, Some(cookie))).await;
    let status = reply.status();
    let text = body_text(reply).await;
    (
        status,
        serde_json::from_str::<Value>(&text).unwrap_or(json!(text)),
    )
}

/// Browsing: answer changes are in it, filtered by kind, user and region; for admins only.
/// Returns the reviewer's session cookie.
async fn admins_browse_the_trail_by_kind_user_and_region(case: &AuditCase) -> String {
    let AuditCase {
        state,
        round,
        r01,
        admin,
    } = case;
    let (status, page) = browse(state, "kind=answer_changed", admin).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 2);
    let details = page["entries"][0]["details"].as_str().unwrap();
    assert_eq!(details, "a_contactpersoon: Anna → Anna de Vries");
    assert_eq!(page["entries"][0]["actor"], "r01@test.nl");
    let (_, page) = browse(state, &format!("round={round}&region=R01"), admin).await;
    assert_eq!(
        page["total"], 3,
        "the answers and the comment belong to the round; {page}"
    );
    let (_, page) = browse(state, "user=ADMIN@test&kind=login", admin).await;
    assert_eq!(page["total"], 1);
    let (_, page) = browse(state, "region=R02", admin).await;
    assert_eq!(
        page["total"], 1,
        "only the R02 coordinator's account: {page}"
    );
    assert_eq!(page["entries"][0]["kind"], "user_created");
    let (status, _) = browse(state, "from=gisteren", admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let reviewer = login(state, "reviewer@test.nl").await;
    assert_eq!(browse(state, "", &reviewer).await.0, StatusCode::FORBIDDEN);
    assert_eq!(browse(state, "", r01).await.0, StatusCode::FORBIDDEN);
    reviewer
}

/// The page and the CSV export carry the same filter.
async fn the_page_and_the_csv_export_carry_the_same_filter(case: &AuditCase) {
    let AuditCase { state, admin, .. } = case;
    let html = body_text(
        send(
            state,
            get("/beheer/audit?soort=answer_changed", Some(admin)),
        )
        .await,
    )
    .await;
    assert!(html.contains("2 gebeurtenis(sen) gevonden"), "{html}");
    let csv = send(
        state,
        get(
            "/beheer/audit/export.csv?soort=answer_changed&regio=R01",
            Some(admin),
        ),
    )
    .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = body_text(csv).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(&records[0][1], "r01@test.nl");
    assert_eq!(&records[0][2], "answer_changed");
    assert_eq!(&records[0][6], "a_contactpersoon: Anna → Anna de Vries");
}

/// Compressed, as browsers ask for it: the stream ends cleanly.
async fn the_export_streams_compressed(case: &AuditCase) {
    let AuditCase { state, admin, .. } = case;
    let mut compressed = get("/beheer/audit/export.csv", Some(admin));
    compressed.headers_mut().insert(
        axum::http::header::ACCEPT_ENCODING,
        axum::http::HeaderValue::from_static("gzip"),
    );
    let reply = send(state, compressed).await;
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(reply.headers()["content-encoding"], "gzip");
    let gzipped = http_body_util::BodyExt::collect(reply.into_body())
        .await
        .expect("the whole body arrives")
        .to_bytes();
    assert!(gzipped.len() > 20);
}

async fn only_admins_see_the_page_and_the_export(case: &AuditCase, reviewer: &str) {
    let AuditCase { state, admin, .. } = case;
    for (path, cookie, expected) in [
        ("/beheer/audit/export.csv", Some(reviewer), 403),
        ("/beheer/audit/export.csv", None, 401),
        (
            "/beheer/audit/export.csv?onbekend=1",
            Some(admin.as_str()),
            400,
        ),
        (
            "/beheer/audit/export.csv?van=2026-13-01",
            Some(admin.as_str()),
            422,
        ),
        ("/beheer/audit", Some(reviewer), 403),
    ] {
        let reply = send(state, get(path, cookie)).await;
        assert_eq!(reply.status().as_u16(), expected, "{path}");
    }
}

/// A cell that a spreadsheet would run as a formula: it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return and is not a plain number.
fn starts_a_formula(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix(['=', '+', '-', '@', '\t', '\r']) else {
        return false;
    };
    let number = cell.starts_with(['+', '-'])
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.');
    !number
}

/// The audit export as it downloads for the admin: its rows without the header.
async fn audit_csv(state: &AppState, query: &str, admin: &str) -> Vec<csv::StringRecord> {
    let reply = send(
        state,
        get(&format!("/beheer/audit/export.csv{query}"), Some(admin)),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::OK);
    let text = body_text(reply).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        &csv::StringRecord::from(app::services::audit::CSV_COLUMNS.to_vec())
    );
    reader.records().map(Result::unwrap).collect()
}

#[tokio::test]
async fn no_cell_of_the_audit_export_starts_a_formula() {
    const RISKY_ROUND: &str = "=HYPERLINK(\"http://x\")";
    on_every_database(|state| async move {
        seed(&state).await;
        // Valid addresses that start like a formula, each logging in once.
        for email in ["+plus@test.nl", "=is@test.nl", "-min@test.nl"] {
            let id = app::services::users::create(
                &state.pool,
                &Actor::CommandLine,
                app::services::users::NewUser {
                    email: email.into(),
                    display_name: "@Naam".into(),
                    role: "reviewer".into(),
                    region_code: None,
                    password: PASSWORD.into(),
                },
            )
            .await
            .unwrap();
            app::services::users::exempt_from_two_factor(&state.pool, &id)
                .await
                .unwrap();
            login(&state, email).await;
        }
        load_nad(&state).await;
        let round = open_test_round(&state, RISKY_ROUND).await;
        // Entries as the log may hold them, whatever wrote them: every text starts a formula.
        let now = app::services::now_ms();
        for (id, actor, kind, region, subject, details) in [
            ("=id", "@actor", "=kind", "@R9", Some(round.as_str()), "=1+1"),
            ("+id", "-actor", "+kind", "+R8", None, r#"{"=reden": "-2+3"}"#),
            ("@id", "\tactor", "\rkind", "-R7", None, "\t=1+1"),
        ] {
            sqlx::query(
                "INSERT INTO audit_events \
                 (id, occurred_at, actor_user_id, actor_label, kind, region_code, subject, details) \
                 VALUES ($1, $2, NULL, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(now)
            .bind(actor)
            .bind(kind)
            .bind(region)
            .bind(subject)
            .bind(details)
            .execute(&state.pool)
            .await
            .unwrap();
        }
        let admin = login(&state, "admin@test.nl").await;
        let records = audit_csv(&state, "", &admin).await;
        assert!(records.len() > 10);
        for (row, record) in records.iter().enumerate() {
            for (column, cell) in record.iter().enumerate() {
                assert!(
                    !starts_a_formula(cell),
                    "row {row} column {column}: {cell:?}"
                );
            }
        }
        let cells: Vec<&str> = records.iter().flat_map(|record| record.iter()).collect();
        for guarded in [
            "'+plus@test.nl",
            "'=is@test.nl",
            "'-min@test.nl",
            "'=HYPERLINK(\"http://x\")",
            "'=id",
            "'@actor",
            "'=kind",
            "'@R9",
            "'=1+1",
            "'+kind",
            "'+R8",
            "'\tactor",
            "'\rkind",
            "'-R7",
            "'\t=1+1",
            "'=reden: -2+3",
        ] {
            assert!(cells.contains(&guarded), "{guarded:?} in {cells:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_audit_export_reads_a_long_trail_by_key_each_entry_once_in_order() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        // More entries than one chunk of the export (1,000), seven to a millisecond, so that
        // entries of one moment straddle the chunks; ids in no particular order.
        const COUNT: u64 = 2_503;
        let base = app::services::now_ms() - 3_600_000;
        let mut expected: Vec<(i64, String)> = (0..COUNT)
            .map(|n| {
                let at = base + (n / 7) as i64;
                let id = format!("{:032x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                (at, id)
            })
            .collect();
        let mut transaction = state.pool.begin().await.unwrap();
        for (at, id) in &expected {
            sqlx::query(
                "INSERT INTO audit_events \
                 (id, occurred_at, actor_user_id, actor_label, kind, region_code, subject, details) \
                 VALUES ($1, $2, NULL, 'cli', 'comment_resolved', 'R01', NULL, '{}')",
            )
            .bind(id)
            .bind(*at)
            .execute(&mut *transaction)
            .await
            .unwrap();
        }
        transaction.commit().await.unwrap();
        expected.sort_by(|a, b| b.cmp(a));

        // The download's first chunk is read before it answers; an entry that arrives after
        // that, among the entries already sent, must not push one of them into the next chunk.
        let reply = send(
            &state,
            get(
                "/beheer/audit/export.csv?soort=comment_resolved",
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::OK);
        sqlx::query(
            "INSERT INTO audit_events \
             (id, occurred_at, actor_user_id, actor_label, kind, region_code, subject, details) \
             VALUES ($1, $2, NULL, 'cli', 'comment_resolved', 'R01', NULL, '{}')",
        )
        .bind("f".repeat(32))
        .bind(expected[0].0)
        .execute(&state.pool)
        .await
        .unwrap();
        let text = body_text(reply).await;
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let ids: Vec<String> = reader
            .records()
            .map(|record| record.unwrap()[7].to_string())
            .collect();
        let wanted: Vec<String> = expected.iter().map(|(_, id)| id.clone()).collect();
        assert_eq!(ids.len(), wanted.len(), "every entry exactly once");
        assert!(ids == wanted, "newest first, then by id");

        // The same again now that nothing arrives: the late entry first, then the rest.
        let records = audit_csv(&state, "?soort=comment_resolved", &admin).await;
        assert_eq!(records.len() as u64, COUNT + 1);
        assert_eq!(&records[0][7], "f".repeat(32));
        assert!(records[1..]
            .iter()
            .map(|record| &record[7])
            .eq(wanted.iter().map(String::as_str)));

        // The page still counts and pages by number: 100 a page, the last one partly filled.
        let filter = app::domain::audit::AuditFilter {
            kind: Some("comment_resolved".into()),
            ..Default::default()
        };
        let last = app::services::audit::browse(&state.pool, &filter, 99)
            .await
            .unwrap();
        assert_eq!((last.total, last.page), (COUNT as i64 + 1, 26));
        assert_eq!(last.entries.len(), 4);
        assert_eq!(last.entries[3].id, wanted[wanted.len() - 1]);
        let second = app::services::audit::browse(&state.pool, &filter, 2)
            .await
            .unwrap();
        assert_eq!(second.entries[0].id, wanted[99]);
    })
    .await;
}
