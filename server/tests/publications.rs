//! Publishing: the frozen snapshot, corrections as new editions, the public pages and the
//! open data without an account, and what must never leak from them.

use crate::support;

use app::domain::questionnaire::model::ItemKind;
use app::services::state::AppState;
use axum::http::{header, StatusCode};
use support::*;

/// A text that must never appear on a public page or in a public file.
const MARKER: &str = "GEHEIM-7Q";

async fn set_status(state: &AppState, response: &str, status: &str, reviewer: Option<&str>) {
    sqlx::query("UPDATE responses SET status = $1, submitted_at = 1, approved_at = $2, approved_by = $3 WHERE id = $4")
        .bind(status)
        .bind(reviewer.map(|_| 2_i64))
        .bind(reviewer)
        .bind(response)
        .execute(&state.pool)
        .await
        .unwrap();
}

/// A response of `region` with every asked question answered and every free text holding
/// the marker, a comment thread with the marker and a return reason with it.
async fn filled_with_markers(state: &AppState, round: &str, region: &str) -> String {
    let cookie = login(state, &format!("{}@test.nl", region.to_lowercase())).await;
    let response = app::services::responses::ensure_response(&state.pool, round, region)
        .await
        .unwrap();
    fill_in_everything(state, &cookie, &response).await;
    let version = state
        .questionnaires
        .get(&state.pool, "nad", "2026-06")
        .await
        .unwrap();
    let stored = app::services::responses::answers(&state.pool, &response)
        .await
        .unwrap();
    for item in version.questionnaire.items() {
        if matches!(
            item.kind,
            ItemKind::ShortText { .. } | ItemKind::LongText { .. }
        ) && stored.contains_key(&item.key)
        {
            let (status, body) = save_on_stored_version(
                state,
                &cookie,
                &response,
                &item.key,
                &format!("{MARKER} tekst van {region}"),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{}: {body}", item.key);
        }
    }
    let reviewer: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = 'reviewer@test.nl'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    let thread = app::services::new_id();
    sqlx::query("INSERT INTO comment_threads (id, response_id, item_key, resolved, created_by, created_at) VALUES ($1, $2, 'b_wonen_eerst', 0, $3, 1)")
        .bind(&thread)
        .bind(&response)
        .bind(&reviewer)
        .execute(&state.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, 1)")
        .bind(app::services::new_id())
        .bind(&thread)
        .bind(&reviewer)
        .bind(format!("{MARKER} opmerking"))
        .execute(&state.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE responses SET return_reason = $1 WHERE id = $2")
        .bind(format!("{MARKER} reden"))
        .bind(&response)
        .execute(&state.pool)
        .await
        .unwrap();
    response
}

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

async fn public_get(state: &AppState, path: &str) -> (StatusCode, String) {
    let reply = send(state, get(path, None)).await;
    let status = reply.status();
    (status, body_text(reply).await)
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

const CONCLUSIONS: &str =
    "# Conclusies\n\n- Wonen Eerst in **alle** plannen\n- < 5 regio's zonder plan";

/// A closed-to-be round "Testmeting" with R01 approved and R02 submitted, both holding
/// secrets (`MARKER`) in items that are not public, a running round that must not show, and
/// an admin's session cookie.
struct PublicationCase {
    state: AppState,
    round: String,
    r01: String,
    r02: String,
    admin: String,
}

impl PublicationCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        sqlx::query(
            "UPDATE users SET display_name = $1 WHERE email_normalized = 'reviewer@test.nl'",
        )
        .bind(format!("Recensent {MARKER}"))
        .execute(&state.pool)
        .await
        .unwrap();
        let round = open_test_round(&state, "Testmeting").await;
        let unpublished = open_test_round(&state, &format!("Lopend {MARKER}")).await;
        let r01 = filled_with_markers(&state, &round, "R01").await;
        let r02 = filled_with_markers(&state, &round, "R02").await;
        filled_with_markers(&state, &unpublished, "R01").await;
        let reviewer: String =
            sqlx::query_scalar("SELECT id FROM users WHERE email_normalized = 'reviewer@test.nl'")
                .fetch_one(&state.pool)
                .await
                .unwrap();
        set_status(&state, &r01, "approved", Some(&reviewer)).await;
        set_status(&state, &r02, "submitted", None).await;
        let admin = login(&state, "admin@test.nl").await;
        PublicationCase {
            state,
            round,
            r01,
            r02,
            admin,
        }
    }

    /// The admin publishes a correction of the round with `note`.
    async fn correct(&self, note: &str) -> (StatusCode, String) {
        post(
            &self.state,
            "/api/publications/correct",
            &[
                ("round_id", &self.round),
                ("note", note),
                ("conclusions", CONCLUSIONS),
            ],
            &self.admin,
        )
        .await
    }
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

#[tokio::test]
async fn the_open_data_index_lists_nothing_before_anything_is_published() {
    on_every_database(|state| async move {
        seed(&state).await;
        let (status, body) = public_get(&state, "/open-data/index.json").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let index: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(index["dataset"].as_array().unwrap().len(), 0);
        let (status, page) = public_get(&state, "/open-data").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Er is nog niets gepubliceerd"), "{page}");
        let (status, css) = public_get(&state, "/huisstijl.css").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            css.contains("--basis-color-accent-1-inverse-bg-default: #154273"),
            "{css}"
        );
        assert_eq!(
            public_get(&state, "/huisstijl/logo").await.0,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}
