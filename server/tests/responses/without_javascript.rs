//! The section form posted without JavaScript, also after the session ended.

use super::*;
use axum::http::header;

#[tokio::test]
async fn without_javascript_the_section_form_saves_through_the_same_service() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let r01 = login(&state, "r01@test.nl").await;
        let path = format!("/vragenlijst/{response}/sectie/A/opslaan");
        let body = form(&[
            ("a.a_gemeenten_bevestigd", "ja"),
            ("v.a_gemeenten_bevestigd", "0"),
            ("a.a_contactpersoon", "Jan de Vries, beleidsadviseur"),
            ("v.a_contactpersoon", "0"),
            ("a.a_peildatum", "31-13-2026"),
            ("v.a_peildatum", "0"),
            ("a.a_invullers", "centrumgemeente"),
            ("a.a_invullers", "ggd"),
            ("v.a_invullers", "0"),
            ("actie", "opslaan"),
        ]);
        let reply = send(&state, form_post(&path, &body, Some(&r01))).await;
        assert_eq!(reply.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            reply.headers()[header::LOCATION],
            format!("/vragenlijst/{response}/sectie/A?melding=opgeslagen")
        );
        assert_eq!(count(&state, "answers").await, 4);
        let page = body_text(
            send(
                &state,
                get(&format!("/vragenlijst/{response}/sectie/A"), Some(&r01)),
            )
            .await,
        )
        .await;
        assert!(page.contains("31-13-2026"), "invalid date kept");
        assert!(page.contains("bestaande datum"), "and its problem shown");
        // An unknown field changes nothing.
        let reply = send(
            &state,
            form_post(&path, "a.iets_anders=1&v.iets_anders=0", Some(&r01)),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
        assert_eq!(count(&state, "answers").await, 4);
    })
    .await;
}

#[tokio::test]
async fn a_section_posted_after_the_session_ended_is_saved_after_logging_in_again() {
    on_every_database(|state| async move {
        let response = open_round(&state).await;
        let path = format!("/vragenlijst/{response}/sectie/A/opslaan");
        let fields = [("a.a_contactpersoon", "Jan"), ("v.a_contactpersoon", "0")];
        let reply = send(
            &state,
            form_post(&path, &form(&fields), Some("nad_sessie=verlopen")),
        )
        .await;
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
        let page = body_text(reply).await;
        assert!(
            page.contains("name=\"a.a_contactpersoon\" value=\"Jan\""),
            "the answer is carried along"
        );
        assert_eq!(count(&state, "answers").await, 0);
        let mut with_login = fields.to_vec();
        with_login.push(("inloggen.email", "r01@test.nl"));
        with_login.push(("inloggen.wachtwoord", PASSWORD));
        let reply = send(&state, form_post(&path, &form(&with_login), None)).await;
        assert_eq!(reply.status(), StatusCode::SEE_OTHER);
        assert!(session_cookie(&reply).is_some(), "logged in again");
        assert_eq!(count(&state, "answers").await, 1);
    })
    .await;
}
