//! The authorization table of the server functions: who may call which, with any payload.

use super::*;

/// (path, body, expected status per caller in the order of `CALLERS`).
/// `{user}` in a body is replaced by the id of the R03 coordinator, `{caller}` by the
/// caller's name (for unique e-mail addresses).
const TABLE: &[(&str, &str, [u16; 7])] = &[
    (
        "/api/login",
        "email=niemand-{caller}%40test.nl&password=een+lang+genoeg+wachtwoord",
        [422, 422, 422, 422, 422, 422, 422],
    ),
    ("/api/current_user", "", [200, 200, 200, 200, 200, 200, 200]),
    // The information pages: for everyone; an unknown name is not found.
    ("/api/info", "name=privacy", [200, 200, 200, 200, 200, 200, 200]),
    ("/api/info", "name=..%2Fgeheim", [404, 404, 404, 404, 404, 404, 404]),
    ("/api/regions", "", [401, 403, 403, 200, 200, 200, 401]),
    ("/api/programmes", "", [401, 403, 403, 200, 200, 200, 401]),
    ("/api/region", "code=R01", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/users", "", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/users/create",
        "email=nieuw-{caller}%40test.nl&display_name=Nieuw&role=reviewer",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    ("/api/users/one", "user_id={user}", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/users/update",
        "user_id={user}&email=r03%40test.nl&display_name=R03+{caller}&role=coordinator&region_code=R03",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    // R03's coordinator has a password: no invitation needed, which the admin is told.
    ("/api/users/invite_again", "user_id={user}", [401, 403, 403, 403, 403, 400, 401]),
    ("/api/outbox", "", [401, 403, 403, 403, 403, 200, 401]),
    ("/api/outbox/retry", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    // One's own account: anyone signed in; the link pages need no login at all.
    ("/api/account", "", [401, 200, 200, 200, 200, 200, 401]),
    (
        "/api/account/password",
        "current_password=niet+het+wachtwoord&new_password=een+ander+lang+wachtwoord",
        [401, 422, 422, 422, 422, 422, 401],
    ),
    ("/api/account/end_session", "session=bestaat-niet", [401, 400, 400, 400, 400, 400, 401]),
    ("/api/account/notices", "wanted%5B%5D=comment_added", [401, 200, 200, 200, 200, 200, 401]),
    ("/api/account/link", "token=vervalst", [400, 400, 400, 400, 400, 400, 400]),
    (
        "/api/account/choose_password",
        "token=vervalst&password=een+lang+genoeg+wachtwoord",
        [400, 400, 400, 400, 400, 400, 400],
    ),
    ("/api/account/forgot_password", "email=niemand%40test.nl", [200, 200, 200, 200, 200, 200, 200]),
    // Two-factor sign-in. The code step needs a session that waits for it; these are whole.
    ("/api/two_factor/code", "code=123456", [401, 401, 401, 401, 401, 401, 401]),
    ("/api/two_factor/setup", "", [401, 200, 200, 200, 200, 200, 401]),
    // Fresh sessions have no secret being set up: told so.
    ("/api/two_factor/confirm", "code=123456", [401, 400, 400, 400, 400, 400, 401]),
    ("/api/two_factor/recovery_codes", "", [401, 200, 200, 200, 200, 200, 401]),
    // Nothing is on; for reviewers and admins it may not be switched off at all.
    ("/api/two_factor/remove", "code=123456", [401, 422, 422, 400, 400, 400, 401]),
    ("/api/two_factor/reset", "user_id={user}", [401, 403, 403, 403, 403, 400, 401]),
    ("/api/users/active", "user_id={user}&active=true", [401, 403, 403, 403, 403, 200, 401]),
    // The R03 coordinator's own programme is NAD: a NAD region is refused, as a field error.
    (
        "/api/users/region/add",
        "user_id={user}&other_region=R01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    (
        "/api/users/region/remove",
        "user_id={user}&region_code=R01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    // The R03 coordinator is no reviewer: refused as a field error, for the admin only.
    (
        "/api/users/advised/add",
        "user_id={user}&advised_region=R01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    (
        "/api/users/advised/remove",
        "user_id={user}&region_code=R01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    (
        "/api/programmes/add",
        "new_programme=nieuw-{caller}&programme_name=Nieuw&short_name=NW&colour=%23123456",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    ("/api/questionnaires", "", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/questionnaire",
        "identifier=nad&version=2026-06",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    ("/api/questionnaires/attempt", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    ("/api/questionnaires/upload", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    ("/api/questionnaires/upload/store", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    ("/api/questionnaires/upload/discard", "id=bestaat-niet", [401, 403, 403, 403, 403, 404, 401]),
    (
        "/api/login_again",
        "email=niemand-{caller}%40test.nl&password=een+lang+genoeg+wachtwoord",
        [422, 422, 422, 422, 422, 422, 422],
    ),
    ("/api/responses/region", "code=R01", [401, 200, 403, 200, 200, 200, 401]),
    // Anyone signed in: a coordinator's own running rounds, nothing for others.
    ("/api/responses/mine", "", [401, 200, 200, 200, 200, 200, 401]),
    ("/api/responses/tasks", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    (
        "/api/responses/section",
        "response_id={response}&section=A",
        [401, 200, 403, 200, 200, 200, 401],
    ),
    ("/api/responses/summary", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/responses/form-inputs", "response_id={response}&section=I", [401, 200, 403, 200, 200, 200, 401]),
    // JSON, as the browser sends it. Only the region's own coordinators and its adviser change
    // answers.
    (
        "/api/responses/save",
        r#"{"response_id":"{response}","answers":[{"key":"a_contactpersoon","raw":{"values":["{caller}"],"rows":{},"special":null},"base_version":0}]}"#,
        [401, 200, 403, 403, 200, 403, 401],
    ),
    // The adviser's save (on version 0) met the coordinator's answer: theirs to resolve.
    (
        "/api/responses/conflict",
        "response_id={response}&key=a_contactpersoon&keep=mijn",
        [401, 404, 403, 403, 200, 403, 401],
    ),
    // Incomplete (and from the adviser without the region's agreement), so refused with the
    // fields named for both who fill in; nobody else may submit at all.
    ("/api/responses/submit", "response_id={response}", [401, 422, 403, 403, 422, 403, 401]),
    // No compared round here, so there is nothing to take over, but only those who fill in may.
    (
        "/api/responses/prefill",
        "response_id={response}&section=B",
        [401, 200, 403, 403, 200, 403, 401],
    ),
    ("/api/responses/confirm", "response_id={response}&section=B", [401, 200, 403, 403, 200, 403, 401]),
    (
        "/api/responses/confirm-answer",
        "response_id={response}&key=a_contactpersoon",
        [401, 200, 403, 403, 200, 403, 401],
    ),
    ("/api/responses/progress", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/rounds", "", [401, 403, 403, 200, 200, 200, 401]),
    ("/api/round", "id={round}", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/rounds/create",
        "name=Meting+{caller}&questionnaire=nad%2F2026-06&opens_at=2030-01-01&deadline=2030-02-01&compared_round_id=&regions%5B%5D=R01",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    // A concept round, so the one change of state the admin makes is allowed.
    ("/api/rounds/state", "round_id={concept}&state=open", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/rounds/deadline",
        "round_id={round}&region_code=R03&deadline=2090-01-01&reason=Ziekte",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    // An empty name: refused for the admin with the field named, nobody else gets that far.
    (
        "/api/rounds/update",
        "round_id={round}&round_name=&round_opens_at=2030-01-01&round_deadline=2030-02-01",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    ("/api/rounds/comparison", "round_id={round}&compared_round_id=", [401, 403, 403, 403, 403, 200, 401]),
    // Regions and the division of gemeenten: admins only.
    ("/api/regions/admin", "", [401, 403, 403, 403, 403, 200, 401]),
    ("/api/regions/add", "code=R77&name=Nieuw&lead_gemeente=Ergens", [401, 403, 403, 403, 403, 200, 401]),
    (
        "/api/regions/rename",
        "code=R03&name=Drenthe&lead_gemeente=Assen",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    // R03 takes part in the open round: refused, with the round named.
    ("/api/regions/retire", "code=R03&retire_reason=Fusie", [401, 403, 403, 403, 403, 422, 401]),
    ("/api/regions/reinstate", "code=R03", [401, 403, 403, 403, 403, 409, 401]),
    // No gemeenten are loaded here: the one to move is not in the division.
    ("/api/gemeenten/move", "gemeente_code=GM0014&region_code=R02", [401, 403, 403, 403, 403, 422, 401]),
    (
        "/api/gemeenten/add",
        "new_gemeente_code=GM0014&new_gemeente_name=Groningen&new_gemeente_region=R01",
        [401, 403, 403, 403, 403, 200, 401],
    ),
    ("/api/gemeenten/remove", "removed_gemeente=GM9999", [401, 403, 403, 403, 403, 422, 401]),
    // R01 has not submitted, so even the admin gets a clear refusal.
    (
        "/api/rounds/reopen",
        "round_id={round}&reopen_region=R01&reopen_reason=Fout",
        [401, 403, 403, 403, 403, 422, 401],
    ),
    // The national picture: reviewers and admins only, never a coordinator.
    ("/api/national", "round_id={round}&section=", [401, 403, 403, 200, 200, 200, 401]),
    ("/api/national", "round_id={round}&section=B", [401, 403, 403, 200, 200, 200, 401]),
    // Review: reviewers and admins; the region's coordinators read the response's review
    // page and comment (to answer), but never send back, approve or resolve.
    ("/api/review/overview", "round_id={round}", [401, 403, 403, 200, 200, 200, 401]),
    // One item's answers across every region: reviewers and admins, never a coordinator.
    ("/api/review/item_answers", "round_id={round}", [401, 403, 403, 200, 200, 200, 401]),
    (
        "/api/review/item_answers",
        "round_id={round}&item=b_wonen_eerst&answered=ja&sort=vorig",
        [401, 403, 403, 200, 200, 200, 401],
    ),
    ("/api/review/response", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/review/findings", "response_id={response}", [401, 200, 403, 200, 200, 200, 401]),
    ("/api/review/overview", "round_id={round}&problem=fouten", [401, 403, 403, 200, 200, 200, 401]),
    // R01 has not submitted: reviewers and admins are told so, coordinators are refused.
    ("/api/review/return", "response_id={response}&reason=Onvolledig", [401, 403, 403, 409, 409, 409, 401]),
    (
        "/api/review/approve",
        "response_id={response}&password=een+lang+genoeg+wachtwoord",
        [401, 403, 403, 409, 409, 409, 401],
    ),
    ("/api/review/void", "response_id={response}&reason=Fout", [401, 403, 403, 409, 409, 409, 401]),
    (
        "/api/review/comment",
        "response_id={response}&item_key=a_contactpersoon&body=Klopt+dit%3F",
        [401, 200, 403, 200, 200, 200, 401],
    ),
    ("/api/review/resolve", "thread_id=bestaat-niet&resolved=ja", [401, 403, 403, 404, 404, 404, 401]),
    // The public dashboard and open data: for everyone, also without an account (nothing
    // is published here, so the dashboard is not found).
    ("/api/dashboard", "round=", [404, 404, 404, 404, 404, 404, 404]),
    ("/api/dashboard/region", "round=&code=R01", [404, 404, 404, 404, 404, 404, 404]),
    ("/api/open-data", "", [200, 200, 200, 200, 200, 200, 200]),
    // Publishing: admins only; the round is open, so even the admin is refused.
    ("/api/publications/preview", "round_id={round}", [401, 403, 403, 403, 403, 200, 401]),
    ("/api/publications/publish", "round_id={round}&conclusions=", [401, 403, 403, 403, 403, 409, 401]),
    (
        "/api/publications/correct",
        "round_id={round}&note=Fout&conclusions=",
        [401, 403, 403, 403, 403, 409, 401],
    ),
    // The audit trail: admins only.
    ("/api/audit", "", [401, 403, 403, 403, 403, 200, 401]),
    ("/api/audit", "kind=login&from=2026-01-01&until=2026-12-31", [401, 403, 403, 403, 403, 200, 401]),
];

#[tokio::test]
async fn authorization_table() {
    on_every_database(|state| async move {
        seed(&state).await;
        adviser_of(&state, ADVISER, "R01").await;
        load_nad(&state).await;
        let disabled = login(&state, "geblokkeerd@test.nl").await;
        let target = app::services::users::find_by_email(&state.pool, "r03@test.nl")
            .await
            .unwrap();
        let round = open_test_round(&state, "Tabelmeting").await;
        let concept = concept_round(&state).await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
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
        for (path, body, expected) in TABLE {
            for (caller, expected) in CALLERS.iter().zip(expected) {
                // Fresh sessions for each call: some calls end the target's sessions.
                let cookie = match caller {
                    Caller::Anonymous => None,
                    Caller::CoordinatorSameRegion => Some(login(&state, "r01@test.nl").await),
                    Caller::CoordinatorOtherRegion => Some(login(&state, "r02@test.nl").await),
                    Caller::Reviewer => Some(login(&state, "reviewer@test.nl").await),
                    Caller::Adviser => Some(login(&state, ADVISER).await),
                    Caller::Admin => Some(login(&state, "admin@test.nl").await),
                    Caller::Disabled => Some(disabled.clone()),
                };
                let body = body.replace("{user}", &target.id);
                let body = body.replace("{response}", &response);
                let body = body
                    .replace("{round}", &round)
                    .replace("{concept}", &concept);
                let body = body.replace("{caller}", &format!("{caller:?}").to_lowercase());
                let request = if body.starts_with('{') {
                    json_call(path, &body, cookie.as_deref())
                } else {
                    call(path, &body, cookie.as_deref())
                };
                let response = send(&state, request).await;
                assert_eq!(
                    response.status().as_u16(),
                    *expected,
                    "{path} as {caller:?}: {}",
                    body_text(response).await
                );
            }
        }
    })
    .await;
}

#[test]
fn every_server_function_is_in_the_table() {
    let registered: Vec<String> = server_fn_paths();
    assert!(
        registered.len() >= 30,
        "the registry of server functions is empty or incomplete: {registered:?}"
    );
    for path in &registered {
        assert!(
            TABLE.iter().any(|(listed, _, _)| listed == path),
            "server function {path} has no row in the authorization table"
        );
    }
}

fn server_fn_paths() -> Vec<String> {
    // Building the router registers every server function.
    let _ = app::app::App;
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| path.to_string())
        .collect()
}

#[tokio::test]
async fn a_coordinator_can_not_reach_another_region_through_any_payload() {
    on_every_database(|state| async move {
        seed(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        for body in [
            "code=R02",
            "code=r01",
            "code=R01%00",
            "code=R02&code=R01",
            "code=..%2FR02",
            "code=",
        ] {
            let response = send(&state, call("/api/region", body, Some(&r01))).await;
            assert!(
                [400, 403].contains(&response.status().as_u16()),
                "{body}: {}",
                response.status()
            );
        }
    })
    .await;
}
