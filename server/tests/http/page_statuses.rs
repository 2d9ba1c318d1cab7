//! The page status table: every page with each kind of visitor; every router page in it.

use super::*;

#[tokio::test]
async fn pages_answer_with_the_right_status() {
    on_every_database(|state| async move {
        let case = PageCase::start(state).await;
        let cases = page_status_table(&case);
        for pattern in PAGE_PATTERNS {
            assert!(
                cases
                    .iter()
                    .any(|(path, _, _)| pattern_matches(pattern, path)),
                "page {pattern} has no case here"
            );
        }
        for (path, cookie, expected) in cases {
            let response = send(&case.state, get(path, cookie)).await;
            assert_eq!(
                response.status().as_u16(),
                expected,
                "{path} with {cookie:?}"
            );
        }
        the_login_page_leads_back_and_the_region_links_the_key(&case).await;
        looking_makes_nothing_and_the_first_save_makes_the_response(&case).await;
    })
    .await;
}

/// An open round in which R01 has not written anything (its response exists only as its
/// key), a round in concept, the pages of both, and everyone's session cookie.
struct PageCase {
    state: AppState,
    admin: String,
    reviewer: String,
    r01: String,
    r02: String,
    /// R01's response key in the open round.
    key: String,
    tasks: String,
    section: String,
    check: String,
    print: String,
    progress: String,
    review: String,
    findings: String,
    concept_tasks: String,
    concept_review: String,
    concept_national: String,
    publish: String,
    /// One item's answers across the regions of the open round.
    item_answers: String,
}

impl PageCase {
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        let r01 = login(&state, "r01@test.nl").await;
        let r02 = login(&state, "r02@test.nl").await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Paginameting").await;
        let key = app::services::responses::response_key(&round, "R01");
        let tasks = format!("/vragenlijst/{key}");
        let concept = concept_round(&state).await;
        PageCase {
            section: format!("{tasks}/sectie/A"),
            check: format!("{tasks}/controleren"),
            print: format!("{tasks}/afdrukken"),
            progress: format!("{tasks}/voortgang"),
            review: format!("{tasks}/beoordelen"),
            findings: format!("{tasks}/openstaand"),
            concept_tasks: format!(
                "/vragenlijst/{}",
                app::services::responses::response_key(&concept, "R01")
            ),
            concept_review: format!("/beoordelen/{concept}"),
            concept_national: format!("/landelijk/{concept}"),
            publish: format!("/beheer/metingen/{round}/publiceren"),
            item_answers: format!("/beoordelen/{round}/antwoorden?vraag=b_wonen_eerst"),
            state,
            admin,
            reviewer,
            r01,
            r02,
            key,
            tasks,
        }
    }
}

/// Each page with each kind of visitor, and the status they get.
fn page_status_table(case: &PageCase) -> Vec<(&str, Option<&str>, u16)> {
    let PageCase {
        admin,
        reviewer,
        r01,
        r02,
        tasks,
        section,
        check,
        print,
        progress,
        review,
        findings,
        concept_tasks,
        concept_review,
        concept_national,
        publish,
        item_answers,
        ..
    } = case;
    // A table, one row per page and visitor: it reads best as one piece.
    vec![
        ("/", None, 302),
        ("/", Some(r01), 302),
        ("/login", None, 200),
        ("/regios", None, 302),
        ("/regios", Some(r01), 403),
        ("/regios", Some(reviewer), 200),
        ("/regio/R01", Some(r01), 200),
        ("/regio/R02", Some(r01), 403),
        ("/regio/R99", Some(r01), 403),
        ("/regio/R02", Some(reviewer), 200),
        ("/regio/R99", Some(reviewer), 404),
        ("/beheer", Some(r01), 403),
        ("/beheer", Some(reviewer), 403),
        ("/beheer", Some(admin), 200),
        ("/beheer/gebruikers", Some(admin), 200),
        ("/beheer/gebruikers", Some(reviewer), 403),
        ("/beheer/metingen", Some(admin), 200),
        ("/beheer/metingen", Some(reviewer), 403),
        ("/beheer/metingen", Some(r01), 403),
        ("/beheer/metingen/bestaat-niet", Some(admin), 404),
        ("/beheer/metingen/bestaat-niet", Some(r01), 403),
        ("/beheer/regios", Some(admin), 200),
        ("/beheer/regios", Some(reviewer), 403),
        ("/beheer/regios", Some(r01), 403),
        ("/beheer/regios", None, 302),
        ("/landelijk", Some(reviewer), 200),
        ("/landelijk", Some(admin), 200),
        ("/landelijk", Some(r01), 403),
        ("/landelijk", None, 302),
        ("/landelijk/bestaat-niet", Some(reviewer), 404),
        ("/landelijk/bestaat-niet", Some(r01), 403),
        ("/beoordelen", Some(reviewer), 200),
        ("/beoordelen", Some(admin), 200),
        ("/beoordelen", Some(r01), 403),
        ("/beoordelen", None, 302),
        ("/beoordelen/bestaat-niet", Some(reviewer), 404),
        ("/beoordelen/bestaat-niet", Some(r01), 403),
        (item_answers, Some(reviewer), 200),
        (item_answers, Some(admin), 200),
        (item_answers, Some(r01), 403),
        (item_answers, None, 302),
        ("/beoordelen/bestaat-niet/antwoorden", Some(reviewer), 404),
        ("/vragenlijst/bestaat-niet/beoordelen", Some(reviewer), 404),
        ("/beheer/audit", Some(admin), 200),
        ("/beheer/audit", Some(reviewer), 403),
        ("/beheer/audit", Some(r01), 403),
        ("/beheer/audit", None, 302),
        ("/bestaat-niet", None, 404),
        ("/bestaat-niet", Some(admin), 404),
        ("/invullen", Some(r01), 302),
        ("/invullen", Some(reviewer), 302),
        (tasks, Some(r01), 200),
        (tasks, Some(r02), 403),
        (tasks, Some(reviewer), 200),
        (tasks, None, 302),
        (section, Some(r01), 200),
        (section, Some(r02), 403),
        (check, Some(r01), 200),
        (print, Some(r01), 200),
        (progress, Some(r01), 200),
        (progress, Some(r02), 403),
        (review, Some(reviewer), 200),
        (review, Some(r02), 403),
        (findings, Some(reviewer), 200),
        (findings, Some(admin), 200),
        (findings, Some(r01), 200),
        (findings, Some(r02), 403),
        (findings, None, 302),
        ("/vragenlijst/bestaat-niet/openstaand", Some(reviewer), 404),
        (concept_tasks, Some(r01), 404),
        (concept_tasks, Some(reviewer), 404),
        (concept_review, Some(reviewer), 404),
        (concept_national, Some(reviewer), 404),
        (concept_national, Some(admin), 200),
        ("/beheer/gebruikers/bestaat-niet", Some(admin), 404),
        ("/beheer/gebruikers/bestaat-niet", Some(reviewer), 403),
        ("/beheer/uitgaande-mail", Some(admin), 200),
        ("/beheer/uitgaande-mail", Some(reviewer), 403),
        ("/mijn-account", Some(r01), 200),
        ("/wachtwoord-vergeten", None, 200),
        ("/wachtwoord-kiezen?sleutel=vervalst", None, 200),
        ("/login/code", None, 200),
        ("/toegankelijkheid", None, 200),
        ("/privacy", None, 200),
        ("/help", None, 200),
        ("/contact", Some(r01), 200),
        ("/tweestapsverificatie", None, 302),
        ("/tweestapsverificatie", Some(r01), 200),
        ("/tweestapsverificatie/herstelcodes", Some(r01), 200),
        ("/beheer/vragenlijsten", Some(admin), 200),
        ("/beheer/vragenlijsten", Some(reviewer), 403),
        (
            "/beheer/vragenlijsten/poging/bestaat-niet",
            Some(admin),
            404,
        ),
        (
            "/beheer/vragenlijsten/controle/bestaat-niet",
            Some(admin),
            404,
        ),
        (
            "/beheer/vragenlijsten/controle/bestaat-niet",
            Some(reviewer),
            403,
        ),
        ("/beheer/vragenlijsten/nad/2026-06", Some(admin), 200),
        ("/beheer/vragenlijsten/nad/2026-06", Some(r01), 403),
        // Public, for everyone; nothing is published yet here.
        ("/dashboard", None, 404),
        ("/dashboard", Some(r01), 404),
        ("/dashboard/2026-06", None, 404),
        ("/dashboard/regio/R01", None, 404),
        ("/dashboard/2026-06/regio/R01", None, 404),
        ("/open-data", None, 200),
        ("/open-data", Some(reviewer), 200),
        (publish, Some(admin), 200),
        (publish, Some(reviewer), 403),
        (publish, Some(r01), 403),
        (publish, None, 302),
        ("/beheer/metingen/bestaat-niet/publiceren", Some(admin), 404),
    ]
}

async fn the_login_page_leads_back_and_the_region_links_the_key(case: &PageCase) {
    let PageCase {
        state, r01, tasks, ..
    } = case;
    let response = send(state, get("/regios", None)).await;
    assert_eq!(
        response.headers().get(header::LOCATION).unwrap(),
        "/login?terug=/regios"
    );
    let html = body_text(send(state, get("/regio/R01", Some(r01))).await).await;
    assert!(html.contains("Regio Groningen") && html.contains("Test r01@test.nl"));
    assert!(
        html.contains(tasks.as_str()),
        "the region page links to the response's key"
    );
}

/// Looking made nothing: every page above was a GET. The first save makes the response,
/// under the key the pages linked to.
async fn looking_makes_nothing_and_the_first_save_makes_the_response(case: &PageCase) {
    let PageCase {
        state, r01, key, ..
    } = case;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0, "a GET made a response row");
    let (status, _) = save_on_stored_version(state, r01, key, "a_contactpersoon", "Iemand").await;
    assert_eq!(status, StatusCode::OK);
    let made: Vec<String> = sqlx::query_scalar("SELECT id FROM responses")
        .fetch_all(&state.pool)
        .await
        .unwrap();
    assert_eq!(made, vec![key.clone()]);
}

/// Every page of the app, as the router registers it. `every_page_is_in_the_page_table` fails
/// for a page missing here, and `pages_answer_with_the_right_status` for one without a case.
const PAGE_PATTERNS: &[&str] = &[
    "/",
    "/login",
    "/regios",
    "/regio/{code}",
    "/invullen",
    "/vragenlijst/{id}",
    "/vragenlijst/{id}/sectie/{section}",
    "/vragenlijst/{id}/controleren",
    "/vragenlijst/{id}/afdrukken",
    "/vragenlijst/{id}/voortgang",
    "/vragenlijst/{id}/beoordelen",
    "/vragenlijst/{id}/openstaand",
    "/beoordelen",
    "/beoordelen/{id}",
    "/beoordelen/{id}/antwoorden",
    "/landelijk",
    "/landelijk/{id}",
    "/beheer",
    "/beheer/gebruikers",
    "/beheer/audit",
    "/beheer/metingen",
    "/beheer/metingen/{id}",
    "/beheer/regios",
    "/beheer/gebruikers/{id}",
    "/beheer/uitgaande-mail",
    "/wachtwoord-vergeten",
    "/wachtwoord-kiezen",
    "/mijn-account",
    "/login/code",
    "/toegankelijkheid",
    "/privacy",
    "/help",
    "/contact",
    "/tweestapsverificatie",
    "/tweestapsverificatie/herstelcodes",
    "/beheer/vragenlijsten",
    "/beheer/vragenlijsten/poging/{id}",
    "/beheer/vragenlijsten/controle/{id}",
    "/beheer/vragenlijsten/{identifier}/{version}",
    "/dashboard",
    "/dashboard/{round}",
    "/dashboard/regio/{code}",
    "/dashboard/{round}/regio/{code}",
    "/open-data",
    "/beheer/metingen/{id}/publiceren",
];

/// Whether a path is one of a route pattern's (`{name}` matches any one segment).
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.split('/').collect());
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
}

#[test]
fn every_page_is_in_the_page_table() {
    let pages = server::page_paths();
    assert!(!pages.is_empty(), "no page routes were registered");
    for page in &pages {
        assert!(
            PAGE_PATTERNS.contains(&page.as_str()),
            "page {page} has no row in PAGE_PATTERNS: add it and its cases to \
             pages_answer_with_the_right_status"
        );
    }
}
