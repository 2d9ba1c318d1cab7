//! The authorization table of the plain axum routes (neither a page nor a server function).

use super::*;

/// Who may use which plain axum route (not a page, not a server function): method, path as
/// registered, the request's path (with `{response}` and `{round}` filled in), and the
/// expected status per caller in the order of `CALLERS`. Anonymous visitors of pages and
/// downloads go to the login page (303); a form post whose session ended gets the login
/// form that carries the answers (401).
const ROUTE_TABLE: &[(&str, &str, &str, [u16; 7])] = &[
    (
        "GET",
        "/healthz",
        "/healthz",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/.well-known/security.txt",
        "/.well-known/security.txt",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/logout",
        "/logout",
        [303, 303, 303, 303, 303, 303, 303],
    ),
    (
        "POST",
        "/beheer/vragenlijsten/laden",
        "/beheer/vragenlijsten/laden",
        [401, 403, 403, 403, 403, 303, 401],
    ),
    (
        "GET",
        "/beheer/audit/export.csv",
        "/beheer/audit/export.csv",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    (
        "POST",
        "/vragenlijst/{id}/sectie/{section}/opslaan",
        "/vragenlijst/{response}/sectie/A/opslaan",
        [401, 303, 403, 403, 303, 403, 401],
    ),
    (
        "GET",
        "/landelijk/{id}/export/{file}",
        "/landelijk/{round}/export/lang.csv",
        [303, 403, 403, 200, 200, 200, 303],
    ),
    (
        "GET",
        "/beoordelen/{id}/antwoorden/export.csv",
        "/beoordelen/{round}/antwoorden/export.csv?vraag=b_wonen_eerst",
        [303, 403, 403, 200, 200, 200, 303],
    ),
    (
        "GET",
        "/beoordelen/{id}/antwoorden/export.xlsx",
        "/beoordelen/{round}/antwoorden/export.xlsx?vraag=b_wonen_eerst&sorteer=antwoord",
        [303, 403, 403, 200, 200, 200, 303],
    ),
    // The same for every region: a questionnaire's definition is not a region's data.
    (
        "GET",
        "/vragenlijst-data/{identifier}/{version}/{file}",
        "{questionnaire_file}",
        [401, 200, 200, 200, 200, 200, 401],
    ),
    // Public: open data and the operator's branding, for everyone alike.
    (
        "GET",
        "/open-data/index.json",
        "/open-data/index.json",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/open-data/{round}/{edition}/{file}",
        "/open-data/2099-01/1/lang.csv",
        [404, 404, 404, 404, 404, 404, 404],
    ),
    (
        "GET",
        "/huisstijl.css",
        "/huisstijl.css",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/huisstijl/logo",
        "/huisstijl/logo",
        [404, 404, 404, 404, 404, 404, 404],
    ),
];

#[tokio::test]
async fn authorization_table_of_plain_routes() {
    on_every_database(|state| async move {
        seed(&state).await;
        adviser_of(&state, ADVISER, "R01").await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Routemeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let disabled = login(&state, "geblokkeerd@test.nl").await;
        let blocked = app::services::users::find_by_email(&state.pool, "geblokkeerd@test.nl")
            .await
            .unwrap();
        app::services::users::set_active(
            &state.pool,
            &app::services::audit::Actor::CommandLine,
            &blocked.id,
            false,
        )
        .await
        .unwrap();
        let definition = shipped("nad-2026-06.toml").replace("2026-06", "2099-01");
        let questionnaire_file = state
            .questionnaires
            .get(&state.pool, "nad", "2026-06")
            .await
            .unwrap()
            .form_resource_path();
        for (method, route, path, expected) in ROUTE_TABLE {
            let path = path
                .replace("{response}", &response)
                .replace("{round}", &round)
                .replace("{questionnaire_file}", &questionnaire_file);
            for (caller, expected) in CALLERS.iter().zip(expected) {
                let cookie = match caller {
                    Caller::Anonymous => None,
                    Caller::CoordinatorSameRegion => Some(login(&state, "r01@test.nl").await),
                    Caller::CoordinatorOtherRegion => Some(login(&state, "r02@test.nl").await),
                    Caller::Reviewer => Some(login(&state, "reviewer@test.nl").await),
                    Caller::Adviser => Some(login(&state, ADVISER).await),
                    Caller::Admin => Some(login(&state, "admin@test.nl").await),
                    Caller::Disabled => Some(disabled.clone()),
                };
                let request = match (*method, *route) {
                    (_, "/beheer/vragenlijsten/laden") => {
                        multipart("nad.toml", &definition, cookie.as_deref())
                    }
                    (_, "/vragenlijst/{id}/sectie/{section}/opslaan") => form_post(
                        &path,
                        &form(&[
                            ("a.a_contactpersoon", "Iemand"),
                            ("v.a_contactpersoon", "0"),
                        ]),
                        cookie.as_deref(),
                    ),
                    ("POST", _) => form_post(&path, "", cookie.as_deref()),
                    _ => get(&path, cookie.as_deref()),
                };
                let reply = send(&state, request).await;
                assert_eq!(
                    reply.status().as_u16(),
                    *expected,
                    "{method} {path} as {caller:?}: {}",
                    body_text(reply).await.chars().take(300).collect::<String>()
                );
            }
        }
    })
    .await;
}

#[test]
fn every_plain_route_is_in_the_table() {
    let registered = server::plain_routes();
    assert!(
        registered.len() >= ROUTE_TABLE.len(),
        "the registry of plain routes is empty or incomplete: {registered:?}"
    );
    for (method, path) in &registered {
        assert!(
            ROUTE_TABLE
                .iter()
                .any(|(m, p, _, _)| *m == method.as_str() && p == path),
            "plain route {method} {path} has no row in the authorization table"
        );
    }
    for (method, path, _, _) in ROUTE_TABLE {
        assert!(
            registered
                .iter()
                .any(|(m, p)| m.as_str() == *method && p == path),
            "the table lists {method} {path}, which is not a route"
        );
    }
}
