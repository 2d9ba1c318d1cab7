//! Uploading questionnaire definitions: only admins, and every problem read back.

use super::*;
use crate::questionnaire_uploads::upload_and_store;

#[tokio::test]
async fn admins_upload_definitions_and_read_back_every_problem() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let source = shipped("nad-2025-12.toml");

        let response = send(&state, multipart("nad-2025-12.toml", &source, None)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let response = send(
            &state,
            multipart("nad-2025-12.toml", &source, Some(&reviewer)),
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);

        // A file without problems is kept for its preview; storing it is the next step
        // (questionnaire_uploads.rs tests that step).
        upload_and_store(&state, "nad-2025-12.toml", &source, &admin).await;

        let broken = shipped("broken/duplicate-key.toml");
        let response = send(&state, multipart("dubbel.toml", &broken, Some(&admin))).await;
        let location = response
            .headers()
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            location.starts_with("/beheer/vragenlijsten/poging/"),
            "{location}"
        );
        let page = body_text(send(&state, get(&location, Some(&admin))).await).await;
        assert!(
            page.contains(
                "dubbel.toml: regel 23, vraag a_keuze: de sleutel komt ook voor op regel 16"
            ),
            "{page}"
        );
        assert!(page.contains("Er is niets opgeslagen"));

        let preview = send(
            &state,
            get("/beheer/vragenlijsten/nad/2025-12", Some(&admin)),
        )
        .await;
        assert_eq!(preview.status(), StatusCode::OK);
        let html = body_text(preview).await;
        assert!(
            html.contains("Is Wonen Eerst opgenomen in het regionale plan?")
                || html.contains("Wonen Eerst"),
            "preview shows the items"
        );
        assert!(html.contains("<fieldset"), "choice groups are fieldsets");
        let coordinator = login(&state, "r01@test.nl").await;
        let response = send(
            &state,
            get("/beheer/vragenlijsten/nad/2025-12", Some(&coordinator)),
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = send(&state, get("/beheer/vragenlijsten/nad/9999", Some(&admin))).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    })
    .await;
}
