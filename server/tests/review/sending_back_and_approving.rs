//! Comments, sending back, submitting again, approving with the password and voiding an approval.

use super::*;

async fn status_of(state: &AppState, response: &str) -> String {
    sqlx::query_scalar("SELECT status FROM responses WHERE id = $1")
        .bind(response)
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn comment_send_back_resubmit_approve_and_void() {
    on_every_database(|state| async move {
        let case = ReviewCase::start(state).await;
        nothing_to_review_before_it_is_submitted(&case).await;
        the_reviewer_comments_and_no_other_region_reads_it(&case).await;
        sending_back_needs_a_reason_and_a_reviewer(&case).await;
        the_coordinator_answers_changes_and_submits_again(&case).await;
        approving_asks_for_the_reviewers_own_password(&case).await;
        voiding_the_approval_sends_the_response_back(&case).await;
        every_step_is_audited_and_each_answers_history_shown(&case).await;
    })
    .await;
}

/// One region's response on its way through review, and who acts on it: its coordinator,
/// another region's coordinator and a reviewer (session cookies).
struct ReviewCase {
    state: AppState,
    response: String,
    r01: String,
    r02: String,
    reviewer: String,
}

impl ReviewCase {
    /// An open round with region R01's response filled in completely, not yet submitted.
    async fn start(state: AppState) -> Self {
        seed(&state).await;
        load_nad(&state).await;
        let round = open_test_round(&state, "Beoordelingsmeting").await;
        let response = app::services::responses::ensure_response(&state.pool, &round, "R01")
            .await
            .unwrap();
        let r01 = login(&state, "r01@test.nl").await;
        let r02 = login(&state, "r02@test.nl").await;
        let reviewer = login(&state, "reviewer@test.nl").await;
        fill_in_everything(&state, &r01, &response).await;
        ReviewCase {
            state,
            response,
            r01,
            r02,
            reviewer,
        }
    }
}

/// Submits the response as `cookie`'s user, as the check page's button does.
async fn submit(state: &AppState, cookie: &str, response: &str) -> StatusCode {
    send(
        state,
        call(
            "/api/responses/submit",
            &format!("response_id={response}"),
            Some(cookie),
        ),
    )
    .await
    .status()
}

async fn nothing_to_review_before_it_is_submitted(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r01,
        reviewer,
        ..
    } = case;
    // Nothing to review before it is submitted.
    let (status, body) = post(
        state,
        "/api/review/return",
        &[("response_id", response), ("reason", "Te vroeg")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("nog niet ingediend"), "{body}");
    assert_eq!(submit(state, r01, response).await, StatusCode::OK);
}

async fn the_reviewer_comments_and_no_other_region_reads_it(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r02,
        reviewer,
        ..
    } = case;
    // The reviewer comments on an item; another region's coordinator can't read it.
    let (status, _) = post(
        state,
        "/api/review/comment",
        &[
            ("response_id", response),
            ("item_key", "a_contactpersoon"),
            ("body", "Graag ook de functie noemen."),
        ],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for (fields, expected) in [
        (
            vec![("item_key", "bestaat_niet"), ("body", "x")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("item_key", "a_contactpersoon"), ("body", "   ")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let mut fields = fields;
        fields.push(("response_id", response));
        assert_eq!(
            post(state, "/api/review/comment", &fields, reviewer)
                .await
                .0,
            expected
        );
    }
    let long = "x".repeat(2001);
    let (status, _) = post(
        state,
        "/api/review/comment",
        &[
            ("response_id", response),
            ("item_key", "a_contactpersoon"),
            ("body", &long),
        ],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let threads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    assert_eq!(threads, 1, "refused comments store nothing");
    let reply = send(
        state,
        call(
            "/api/review/response",
            &format!("response_id={response}"),
            Some(r02),
        ),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::FORBIDDEN);
    let reply = send(
        state,
        get(&format!("/vragenlijst/{response}/beoordelen"), Some(r02)),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::FORBIDDEN);
}

async fn sending_back_needs_a_reason_and_a_reviewer(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r01,
        reviewer,
        ..
    } = case;
    // Sending back needs a reason; without one nothing changes.
    let (status, _) = post(
        state,
        "/api/review/return",
        &[("response_id", response), ("reason", " ")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(state, response).await, "submitted");
    // A coordinator never reviews, not even their own region.
    let (status, _) = post(
        state,
        "/api/review/return",
        &[("response_id", response), ("reason", "Zelf")],
        r01,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post(
        state,
        "/api/review/return",
        &[
            ("response_id", response),
            ("reason", "Vraag A graag aanvullen."),
        ],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(state, response).await, "returned");
}

async fn the_coordinator_answers_changes_and_submits_again(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r01,
        reviewer,
        ..
    } = case;
    // The coordinator sees the return and the comment beside the item, answers it,
    // changes the answer and submits again.
    let tasks =
        body_text(send(state, get(&format!("/vragenlijst/{response}"), Some(r01))).await).await;
    assert!(
        tasks.contains("Teruggestuurd door de reviewer")
            && tasks.contains("Vraag A graag aanvullen.")
    );
    assert!(tasks.contains("1 opmerking(en) van de reviewer open"));
    let section = body_text(
        send(
            state,
            get(&format!("/vragenlijst/{response}/sectie/A"), Some(r01)),
        )
        .await,
    )
    .await;
    assert!(section.contains("Graag ook de functie noemen."));
    let thread: String = sqlx::query_scalar("SELECT id FROM comment_threads")
        .fetch_one(&state.pool)
        .await
        .unwrap();
    let (status, _) = post(
        state,
        "/api/review/comment",
        &[
            ("response_id", response),
            ("item_key", "a_contactpersoon"),
            ("thread_id", &thread),
            ("body", "Aangevuld."),
        ],
        r01,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A reply must belong to the same response and item.
    let (status, _) = post(
        state,
        "/api/review/comment",
        &[
            ("response_id", response),
            ("item_key", "a_peildatum"),
            ("thread_id", &thread),
            ("body", "Elders"),
        ],
        r01,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Only reviewers resolve.
    let (status, _) = post(
        state,
        "/api/review/resolve",
        &[("thread_id", &thread), ("resolved", "ja")],
        r01,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    save(
        state,
        r01,
        response,
        "a_contactpersoon",
        "Anna, beleidsadviseur",
    )
    .await;
    assert_eq!(submit(state, r01, response).await, StatusCode::OK);
    let (status, _) = post(
        state,
        "/api/review/resolve",
        &[("thread_id", &thread), ("resolved", "ja")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

async fn approving_asks_for_the_reviewers_own_password(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        r01,
        reviewer,
        ..
    } = case;
    // Approving asks for the reviewer's own password; a wrong one changes nothing.
    let (status, body) = post(
        state,
        "/api/review/approve",
        &[
            ("response_id", response),
            ("password", "verkeerd wachtwoord"),
        ],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("klopt niet"), "{body}");
    assert_eq!(status_of(state, response).await, "submitted");
    let (status, _) = post(
        state,
        "/api/review/approve",
        &[("response_id", response), ("password", PASSWORD)],
        r01,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a coordinator can never approve"
    );
    let (status, body) = post(
        state,
        "/api/review/approve",
        &[("response_id", response), ("password", PASSWORD)],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(status_of(state, response).await, "approved");
    // Approved is locked: the coordinator can't change answers, nobody approves twice.
    let (status, _) =
        save_on_stored_version(state, r01, response, "a_contactpersoon", "Bert").await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = post(
        state,
        "/api/review/approve",
        &[("response_id", response), ("password", PASSWORD)],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let tasks =
        body_text(send(state, get(&format!("/vragenlijst/{response}"), Some(r01))).await).await;
    assert!(
        tasks.contains("Goedgekeurd op"),
        "the coordinator sees the approval"
    );
}

async fn voiding_the_approval_sends_the_response_back(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        reviewer,
        ..
    } = case;
    // Voiding the approval needs a reason and sends the response back.
    let (status, _) = post(
        state,
        "/api/review/void",
        &[("response_id", response), ("reason", "")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(state, response).await, "approved");
    let (status, _) = post(
        state,
        "/api/review/void",
        &[("response_id", response), ("reason", "Cijfer F klopt niet")],
        reviewer,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, approved_at): (String, Option<i64>) =
        sqlx::query_as("SELECT status, approved_at FROM responses WHERE id = $1")
            .bind(response)
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), approved_at), ("returned", None));
}

async fn every_step_is_audited_and_each_answers_history_shown(case: &ReviewCase) {
    let ReviewCase {
        state,
        response,
        reviewer,
        ..
    } = case;
    // Every step is in the audit trail, newest first.
    let kinds = app::services::audit::recent_kinds(&state.pool, 12)
        .await
        .unwrap();
    for kind in [
        "approval_voided",
        "response_approved",
        "approval_failed",
        "comment_resolved",
        "response_returned",
        "comment_added",
        "response_submitted",
    ] {
        assert!(kinds.contains(&kind.to_string()), "{kind} in {kinds:?}");
    }
    // The review page shows each answer's history, old → new, to the reviewer.
    let html = body_text(
        send(
            state,
            get(
                &format!("/vragenlijst/{response}/beoordelen"),
                Some(reviewer),
            ),
        )
        .await,
    )
    .await;
    assert!(
        html.contains("Geschiedenis van dit antwoord (2 wijziging(en))"),
        "{html}"
    );
    assert!(html.contains("Anna, beleidsadviseur"));
    assert!(html.contains("Aangevuld."));
}
