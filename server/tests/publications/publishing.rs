//! Publishing a round step by step: the snapshot, public pages, nothing leaking, corrections.

use super::*;
use axum::http::header;

async fn close(state: &AppState, round: &str, admin: &str) {
    let (status, body) = post(
        state,
        "/api/rounds/state",
        &[("round_id", round), ("state", "closed")],
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The script nonce of a rendered page.
fn nonce_in(page: &str) -> String {
    page.split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string()
}

async fn editions(state: &AppState) -> Vec<(String, i64, String)> {
    sqlx::query_as("SELECT slug, edition, snapshot_sha256 FROM publications ORDER BY edition")
        .fetch_all(&state.pool)
        .await
        .unwrap()
}

const FILES: [&str; 4] = ["lang.csv", "breed.csv", "gegevens.json", "codeboek.csv"];

#[tokio::test]
async fn publishing_freezes_approved_public_answers_and_nothing_else_leaks() {
    on_every_database(|state| async move {
        let case = PublicationCase::start(state).await;
        nothing_is_public_before_and_only_admins_publish_a_closed_round(&case).await;
        let slug = publishing_freezes_the_round_once(&case).await;
        the_public_pages_need_no_account(&case, &slug).await;
        let long = no_public_page_or_file_reveals_a_secret(&case, &slug).await;
        files_are_cached_and_stay_as_published(&case, &slug, &long).await;
        a_late_approval_changes_nothing_until_a_correction(&case, &slug, &long).await;
        a_correction_is_a_new_edition_beside_the_first(&case, &slug, &long).await;
    })
    .await;
}

/// Nothing is public before publishing, and an open round can't be published.
async fn nothing_is_public_before_and_only_admins_publish_a_closed_round(case: &PublicationCase) {
    let PublicationCase {
        state,
        round,
        admin,
        ..
    } = case;
    assert_eq!(
        public_get(state, "/dashboard").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = post(
        state,
        "/api/publications/publish",
        &[("round_id", round), ("conclusions", "")],
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("Alleen een gesloten meting"), "{body}");
    close(state, round, admin).await;
    // Who may publish: admins only.
    for email in ["r01@test.nl", "reviewer@test.nl"] {
        let cookie = login(state, email).await;
        let (status, _) = post(
            state,
            "/api/publications/publish",
            &[("round_id", round), ("conclusions", "")],
            &cookie,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
    }
    // Conclusions with HTML are refused, and nothing is stored.
    let (status, body) = post(
        state,
        "/api/publications/publish",
        &[
            ("round_id", round),
            ("conclusions", "Zie <script>alert(1)</script>"),
        ],
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Gebruik geen HTML"), "{body}");
    assert!(editions(state).await.is_empty());
    let (status, preview) = post(
        state,
        "/api/publications/preview",
        &[("round_id", round)],
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert!(
        preview.contains("\"not_approved\"") && preview.contains("R02") && preview.contains("R03"),
        "{preview}"
    );
    assert!(
        !preview.contains(MARKER),
        "the preview shows what becomes public only"
    );
}

/// Publishing stores one edition and marks the round published, once. Returns its slug.
async fn publishing_freezes_the_round_once(case: &PublicationCase) -> String {
    let PublicationCase {
        state,
        round,
        admin,
        ..
    } = case;
    let (status, body) = post(
        state,
        "/api/publications/publish",
        &[("round_id", round), ("conclusions", CONCLUSIONS)],
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let published = editions(state).await;
    assert_eq!(published.len(), 1);
    let slug = published[0].0.clone();
    let state_now: String = sqlx::query_scalar("SELECT state FROM rounds WHERE id = $1")
        .bind(round)
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(state_now, "published");
    let (status, body) = post(
        state,
        "/api/publications/publish",
        &[("round_id", round), ("conclusions", "")],
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "publishing twice: {body}");
    assert!(body.contains("al gepubliceerd"), "{body}");
    slug
}

/// The public pages, without an account.
async fn the_public_pages_need_no_account(case: &PublicationCase, slug: &str) {
    let PublicationCase { state, admin, .. } = case;
    let (status, page) = public_get(state, "/dashboard").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("<h3>Conclusies</h3>") && page.contains("<strong>alle</strong>"),
        "{page}"
    );
    assert!(
        page.contains("1 van de 3 regio's hebben goedgekeurde antwoorden"),
        "{page}"
    );
    assert!(page.contains("Regio's zonder gegevens"), "{page}");
    // Later visitors without a session get the kept page, each with a nonce of its own
    // in the page and in its policy; a signed-in admin gets a page rendered for them.
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let reply = send(state, get("/dashboard", None)).await;
        let policy = reply.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap()
            .to_string();
        let kept = body_text(reply).await;
        assert!(
            kept.contains(&format!("nonce=\"{nonce}\"")) && !kept.contains("@@NONCE@@"),
            "{kept}"
        );
        assert_eq!(kept.replace(&nonce, ""), page.replace(&nonce_in(&page), ""));
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1]);
    let signed_in = body_text(send(state, get("/dashboard", Some(admin))).await).await;
    assert!(signed_in.contains("Uitloggen"), "{signed_in}");
    let (status, same) = public_get(state, &format!("/dashboard/{slug}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        same.contains("Wonen Eerst opgenomen in regionaal plan"),
        "{same}"
    );
    let (status, region) = public_get(state, &format!("/dashboard/{slug}/regio/R02")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(region.contains("Geen gegevens"), "{region}");
    assert!(
        region.contains("Leeuwarden") || region.contains("Gemeenten"),
        "{region}"
    );
    let (status, region) = public_get(state, "/dashboard/regio/R01").await;
    assert_eq!(status, StatusCode::OK);
    assert!(region.contains("Antwoord van de regio"), "{region}");
    for missing in [
        "/dashboard/2099-01",
        "/dashboard/regio/R99",
        &format!("/dashboard/{slug}/regio/onzin"),
        "/dashboard/..%2Fetc",
        "/open-data/2099-01/1/lang.csv",
        &format!("/open-data/{slug}/9/lang.csv"),
        &format!("/open-data/{slug}/1/geheim.csv"),
        &format!("/open-data/{slug}/x/lang.csv"),
    ] {
        let (status, body) = public_get(state, missing).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}: {body}");
    }
}

/// Every public page and file, searched for what must not be there. Returns edition 1's
/// long CSV.
async fn no_public_page_or_file_reveals_a_secret(case: &PublicationCase, slug: &str) -> String {
    let state = &case.state;
    let mut everything = Vec::new();
    for path in [
        "/dashboard".to_string(),
        format!("/dashboard/{slug}"),
        "/open-data".to_string(),
        "/open-data/index.json".to_string(),
    ]
    .into_iter()
    .chain(["R01", "R02", "R03"].map(|code| format!("/dashboard/{slug}/regio/{code}")))
    .chain(FILES.map(|file| format!("/open-data/{slug}/1/{file}")))
    {
        let (status, body) = public_get(state, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        everything.push((path, body));
    }
    for (path, body) in &everything {
        for secret in [
            MARKER,
            "reviewer@test.nl",
            "r01@test.nl",
            "Test r0",
            "Lopend",
            "k_toelichting",
            "a_contactpersoon",
        ] {
            assert!(!body.contains(secret), "{path} reveals '{secret}'");
        }
    }
    let long = &everything
        .iter()
        .find(|(p, _)| p.ends_with("lang.csv"))
        .unwrap()
        .1;
    assert!(
        long.contains("R02,Friesland,B,b_wonen_eerst,b_wonen_eerst,GEEN_GEGEVENS"),
        "{long}"
    );
    assert!(
        long.contains("R01,Groningen,B,b_wonen_eerst,b_wonen_eerst,BEANTWOORD,ja"),
        "{long}"
    );
    let codebook = &everything
        .iter()
        .find(|(p, _)| p.ends_with("codeboek.csv"))
        .unwrap()
        .1;
    assert!(
        codebook.contains("GEEN_GEGEVENS") && codebook.contains("b_wonen_eerst"),
        "{codebook}"
    );
    let index: serde_json::Value = serde_json::from_str(&everything[3].1).unwrap();
    let distributions = index["dataset"][0]["distribution"].as_array().unwrap();
    assert_eq!(distributions.len(), 4);
    assert!(
        distributions[0]["checksum"]["checksumValue"]
            .as_str()
            .unwrap()
            .len()
            == 64
    );
    assert!(index["license"]["url"]
        .as_str()
        .unwrap()
        .contains("creativecommons.org/licenses/by/4.0"));
    long.clone()
}

/// Files can be fetched cheaply again, and published figures are frozen.
async fn files_are_cached_and_stay_as_published(case: &PublicationCase, slug: &str, long: &str) {
    let PublicationCase { state, r01, .. } = case;
    // Files can be fetched cheaply again: ETag, immutable, 304.
    let reply = send(state, get(&format!("/open-data/{slug}/1/lang.csv"), None)).await;
    let etag = reply.headers()[header::ETAG].to_str().unwrap().to_string();
    assert!(reply.headers()[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert_eq!(etag, format!("\"{}\"", app::services::sha256_hex(long)));
    let again = send(
        state,
        axum::http::Request::get(format!("/open-data/{slug}/1/lang.csv"))
            .header(header::IF_NONE_MATCH, &etag)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // Published figures are frozen: a later change in the database changes nothing public.
    sqlx::query(
        "UPDATE answers SET value = $1 WHERE response_id = $2 AND item_key = 'b_wonen_eerst'",
    )
    .bind(r#"{"Given":{"Code":"nee"}}"#)
    .bind(r01)
    .execute(&state.pool)
    .await
    .unwrap();
    state.publications.clear();
    let (_, again) = public_get(state, &format!("/open-data/{slug}/1/lang.csv")).await;
    assert_eq!(&again, long, "edition 1 never changes");
}

/// A correction needs a note. The reviewer approves R02 late, in the published round;
/// nothing public changes until a correction, whose preview says what it changes.
async fn a_late_approval_changes_nothing_until_a_correction(
    case: &PublicationCase,
    slug: &str,
    long: &str,
) {
    let PublicationCase {
        state,
        round,
        r02,
        admin,
        ..
    } = case;
    let (status, body) = case.correct(" ").await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a correction needs a note: {body}"
    );
    let reviewer_cookie = login(state, "reviewer@test.nl").await;
    let (status, body) = post(
        state,
        "/api/review/return",
        &[("response_id", r02), ("reason", "Onvolledig")],
        &reviewer_cookie,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "no returns once published: {body}"
    );
    let (status, body) = post(
        state,
        "/api/review/approve",
        &[("response_id", r02), ("password", PASSWORD)],
        &reviewer_cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    state.publications.clear();
    let (_, still) = public_get(state, &format!("/open-data/{slug}/1/lang.csv")).await;
    assert_eq!(
        &still, long,
        "a late approval changes nothing until a correction"
    );
    let (status, preview) = post(
        state,
        "/api/publications/preview",
        &[("round_id", round)],
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert!(
        preview.contains("(R02): nu goedgekeurd; de antwoorden komen erbij."),
        "{preview}"
    );
    assert!(
        preview.contains("(R01): 1 antwoord gewijzigd."),
        "{preview}"
    );
}

/// A correction: R02 approved after all. A new edition with a note; edition 1 stays.
async fn a_correction_is_a_new_edition_beside_the_first(
    case: &PublicationCase,
    slug: &str,
    long: &str,
) {
    let state = &case.state;
    let note = "Correctie: de antwoorden van regio Friesland zijn na goedkeuring toegevoegd.";
    let (status, body) = case.correct(note).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let both = editions(state).await;
    assert_eq!(both.len(), 2);
    assert_ne!(both[0].2, both[1].2, "the new edition holds other data");
    let (status, body) = case.correct(note).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing changed: {body}"
    );
    let (_, page) = public_get(state, "/dashboard").await;
    assert!(
        page.contains("Correcties") && page.contains("regio Friesland zijn na goedkeuring"),
        "{page}"
    );
    assert!(
        page.contains("2 van de 3 regio's hebben goedgekeurde antwoorden"),
        "{page}"
    );
    let (_, first_again) = public_get(state, &format!("/open-data/{slug}/1/lang.csv")).await;
    assert_eq!(&first_again, long, "edition 1 stays citable as it was");
    let (status, second) = public_get(state, &format!("/open-data/{slug}/2/lang.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        second.contains("R02,Friesland,B,b_wonen_eerst,b_wonen_eerst,BEANTWOORD"),
        "{second}"
    );
    assert!(!second.contains(MARKER));
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM audit_events WHERE kind IN ('round_published', 'publication_corrected') ORDER BY occurred_at, id",
    )
    .fetch_all(&state.pool)
    .await
    .unwrap();
    assert_eq!(kinds, ["round_published", "publication_corrected"]);
}
