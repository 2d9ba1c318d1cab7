//! Uploading a definition through the admin pages: a file without problems is kept and
//! previewed (every section, conditions and checks in words, the changes against the version
//! it follows) and becomes a version only when the admin stores it. On SQLite and PostgreSQL.

use crate::http::{multipart, shipped, upload_request};
use crate::support::*;
use app::services::questionnaires;
use app::services::state::AppState;
use axum::http::{header, StatusCode};

/// Uploads `source`, which must pass every check, and returns the kept upload's id.
pub(crate) async fn upload(state: &AppState, file_name: &str, source: &str, admin: &str) -> String {
    let response = send(state, multipart(file_name, source, Some(admin))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = location(&response);
    location
        .strip_prefix("/beheer/vragenlijsten/controle/")
        .unwrap_or_else(|| panic!("an upload without problems goes to its preview: {location}"))
        .to_string()
}

/// Uploads `source` and stores it from its preview, as an admin does.
pub(crate) async fn upload_and_store(state: &AppState, file_name: &str, source: &str, admin: &str) {
    let id = upload(state, file_name, source, admin).await;
    let location = store(state, &id, admin).await;
    assert!(location.contains("melding=geladen"), "{location}");
}

/// Posts the preview's "Versie opslaan" form as a browser without JavaScript; the redirect.
async fn store(state: &AppState, id: &str, cookie: &str) -> String {
    let response = send(
        state,
        form_post(
            "/api/questionnaires/upload/store",
            &form(&[("id", id)]),
            Some(cookie),
        ),
    )
    .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    location(&response)
}

fn location(response: &axum::response::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn stored_versions(state: &AppState) -> Vec<String> {
    questionnaires::list(&state.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|v| format!("{}/{}", v.identifier, v.version))
        .collect()
}

#[tokio::test]
async fn an_upload_is_stored_only_after_its_preview_and_only_by_an_admin() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let coordinator = login(&state, "r01@test.nl").await;
        let id = upload(
            &state,
            "nad-2025-12.toml",
            &shipped("nad-2025-12.toml"),
            &admin,
        )
        .await;
        assert!(
            stored_versions(&state).await.is_empty(),
            "nothing stored before the preview"
        );

        let page = send(
            &state,
            get(
                &format!("/beheer/vragenlijsten/controle/{id}"),
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = body_text(page).await;
        for expected in [
            "Controleren:",
            "nad-2025-12.toml",
            "Versie opslaan",
            "Niet opslaan",
            "is beantwoord",
        ] {
            assert!(html.contains(expected), "the preview shows {expected}");
        }
        let page = send(
            &state,
            get(
                &format!("/beheer/vragenlijsten/controle/{id}"),
                Some(&reviewer),
            ),
        )
        .await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN);

        for (cookie, expected) in [(&coordinator, 403), (&reviewer, 403)] {
            let (status, _) = post(
                &state,
                "/api/questionnaires/upload/store",
                &[("id", &id)],
                cookie,
            )
            .await;
            assert_eq!(status.as_u16(), expected);
            let (status, _) = post(
                &state,
                "/api/questionnaires/upload/discard",
                &[("id", &id)],
                cookie,
            )
            .await;
            assert_eq!(status.as_u16(), expected);
        }
        assert!(stored_versions(&state).await.is_empty());

        let location = store(&state, &id, &admin).await;
        assert!(
            location.contains("melding=geladen&versie=nad/2025-12"),
            "{location}"
        );
        assert_eq!(stored_versions(&state).await, ["nad/2025-12"]);
        let imported: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'questionnaire_imported'",
        )
        .fetch_one(&state.pool)
        .await
        .unwrap();
        assert_eq!(imported, 1);
        // The kept upload did its work: storing it again finds nothing, and changes nothing.
        let (status, _) = post(
            &state,
            "/api/questionnaires/upload/store",
            &[("id", &id)],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(stored_versions(&state).await, ["nad/2025-12"]);
    })
    .await;
}

#[tokio::test]
async fn the_preview_lists_the_changes_against_the_previous_version_and_may_be_discarded() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        upload_and_store(
            &state,
            "nad-2025-12.toml",
            &shipped("nad-2025-12.toml"),
            &admin,
        )
        .await;
        let id = upload(
            &state,
            "nad-2026-06.toml",
            &shipped("nad-2026-06.toml"),
            &admin,
        )
        .await;

        let (status, body) =
            post(&state, "/api/questionnaires/upload", &[("id", &id)], &admin).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let preview: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(preview["questionnaire"]["version"], "2026-06");
        assert_eq!(preview["upload"]["file_name"], "nad-2026-06.toml");
        let changes = &preview["changes"];
        assert_eq!(changes["previous_version"], "2025-12");
        let kinds: Vec<String> = changes["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| match &c["change"] {
                serde_json::Value::String(kind) => kind.clone(),
                other => other.as_object().unwrap().keys().next().unwrap().clone(),
            })
            .collect();
        for kind in ["New", "Renamed"] {
            assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
        }
        assert!(changes["unchanged"].as_u64().unwrap() > 0);

        let html = body_text(
            send(
                &state,
                get(
                    &format!("/beheer/vragenlijsten/controle/{id}"),
                    Some(&admin),
                ),
            )
            .await,
        )
        .await;
        assert!(html.contains("Wat verandert ten opzichte van versie 2025-12"));
        assert!(html.contains("Hernoemd: vergeleken"));
        // The stored version's own preview shows the same changes.
        let stored = body_text(
            send(
                &state,
                get("/beheer/vragenlijsten/nad/2025-12", Some(&admin)),
            )
            .await,
        )
        .await;
        assert!(
            !stored.contains("Wat verandert"),
            "a first version has no previous one"
        );

        let response = send(
            &state,
            form_post(
                "/api/questionnaires/upload/discard",
                &form(&[("id", &id)]),
                Some(&admin),
            ),
        )
        .await;
        assert!(
            location(&response).contains("melding=niet-geladen"),
            "{}",
            location(&response)
        );
        assert_eq!(stored_versions(&state).await, ["nad/2025-12"]);
        let page = send(
            &state,
            get(
                &format!("/beheer/vragenlijsten/controle/{id}"),
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn an_upload_is_checked_again_when_stored_and_forgotten_after_a_day() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let source = shipped("nad-2025-12.toml");
        let first = upload(&state, "nad-2025-12.toml", &source, &admin).await;
        let other = source.replacen("title = \"", "title = \"Andere ", 1);
        let second = upload(&state, "ander.toml", &other, &admin).await;
        store(&state, &first, &admin).await;
        // Meanwhile the same version was stored with other content: refused, with the reason.
        let location = store(&state, &second, &admin).await;
        assert!(
            location.starts_with("/beheer/vragenlijsten/poging/"),
            "{location}"
        );
        let page = body_text(send(&state, get(&location, Some(&admin))).await).await;
        assert!(page.contains("al geladen met een andere inhoud"), "{page}");
        assert_eq!(stored_versions(&state).await, ["nad/2025-12"]);

        let third = upload(
            &state,
            "ander.toml",
            &other.replacen("version = \"2025-12\"", "version = \"2025-13\"", 1),
            &admin,
        )
        .await;
        sqlx::query("UPDATE questionnaire_uploads SET uploaded_at = $1 WHERE id = $2")
            .bind(app::services::now_ms() - questionnaires::uploads::UPLOAD_KEPT_MS - 1)
            .bind(&third)
            .execute(&state.pool)
            .await
            .unwrap();
        let page = send(
            &state,
            get(
                &format!("/beheer/vragenlijsten/controle/{third}"),
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        let (status, _) = post(
            &state,
            "/api/questionnaires/upload/store",
            &[("id", &third)],
            &admin,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(stored_versions(&state).await, ["nad/2025-12"]);
    })
    .await;
}

/// The upload form with its three name fields (identifier, version, title).
fn upload_form(
    file_name: &str,
    bytes: &[u8],
    [identifier, version, title]: [&str; 3],
    cookie: &str,
) -> axum::http::Request<axum::body::Body> {
    let fields = [
        ("identifier", identifier),
        ("versie", version),
        ("titel", title),
    ];
    upload_request(file_name, bytes, &fields, Some(cookie))
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../questionnaires/examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[tokio::test]
async fn xlsform_and_redcap_files_are_uploaded_through_the_same_preview() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        for (file, names, stored) in [
            (
                "redcap-voorbeeld.csv",
                ["proef-redcap", "1", "Proef uit REDCap"],
                "proef-redcap/1",
            ),
            (
                "xlsform-voorbeeld.xlsx",
                ["proef-xlsform", "2", "Proef uit XLSForm"],
                "proef-xlsform/2",
            ),
        ] {
            let response = send(&state, upload_form(file, &example(file), names, &admin)).await;
            let to = location(&response);
            let id = to
                .strip_prefix("/beheer/vragenlijsten/controle/")
                .unwrap_or_else(|| panic!("{file} goes to its preview: {to}"));
            let html = body_text(send(&state, get(&to, Some(&admin))).await).await;
            assert!(
                html.contains(names[2]),
                "{file}: the preview shows the given title"
            );
            assert!(!stored_versions(&state).await.contains(&stored.to_string()));
            store(&state, id, &admin).await;
            assert!(
                stored_versions(&state).await.contains(&stored.to_string()),
                "{file}"
            );
        }

        // A TOML file names itself: names in the form are refused rather than ignored.
        let toml = shipped("nad-2025-12.toml");
        let response = send(
            &state,
            upload_form("nad.toml", toml.as_bytes(), ["nad", "9", "X"], &admin),
        )
        .await;
        let to = location(&response);
        assert!(to.starts_with("/beheer/vragenlijsten/poging/"), "{to}");
        let page = body_text(send(&state, get(&to, Some(&admin))).await).await;
        assert!(page.contains("Laat die velden leeg"), "{page}");

        // A broken workbook is refused with its place, and nothing is stored.
        let response = send(
            &state,
            upload_form("kapot.xlsx", b"geen werkmap", ["", "", ""], &admin),
        )
        .await;
        let to = location(&response);
        assert!(to.starts_with("/beheer/vragenlijsten/poging/"), "{to}");
        let page = body_text(send(&state, get(&to, Some(&admin))).await).await;
        assert!(page.contains("kapot.xlsx"), "{page}");
        assert_eq!(stored_versions(&state).await.len(), 2);
    })
    .await;
}
