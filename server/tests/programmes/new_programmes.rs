//! Admins add a programme; bad input changes nothing.

use super::*;

#[tokio::test]
async fn admins_add_a_programme_and_bad_input_changes_nothing() {
    on_every_database(|state| async move {
        seed(&state).await;
        let admin = login(&state, "admin@test.nl").await;
        let add =
            |code: &'static str, name: &'static str, short: &'static str, colour: &'static str| {
                let (state, admin) = (state.clone(), admin.clone());
                async move {
                    post(
                        &state,
                        "/api/programmes/add",
                        &[
                            ("new_programme", code),
                            ("programme_name", name),
                            ("short_name", short),
                            ("colour", colour),
                        ],
                        &admin,
                    )
                    .await
                }
            };
        for (code, name, short, colour, message) in [
            ("BT", "Beschermd Thuis", "BT", "#5b2a86", "kleine letter"),
            (
                "regio",
                "Regio",
                "RG",
                "#5b2a86",
                "al in gebruik in de adressen",
            ),
            ("nad", "Nog een NAD", "NAD", "#154273", "bestaat al"),
            ("bt", "", "BT", "#5b2a86", "De naam van het programma"),
            (
                "bt",
                "Beschermd Thuis",
                "BESCHERMDTHUIS",
                "#5b2a86",
                "korte naam",
            ),
            ("bt", "Beschermd Thuis", "BT", "paars", "geen #rrggbb"),
            ("bt", "Beschermd Thuis", "BT", "#ffff00", "kleur"),
        ] {
            let (status, body) = add(code, name, short, colour).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{code} {colour}: {body}"
            );
            assert!(
                body.contains("new_programme") && body.contains(message),
                "{code}: {body}"
            );
        }
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM programmes")
            .fetch_one(&state.pool)
            .await
            .unwrap();
        assert_eq!(stored, 1, "only NAD");
        let (status, body) = add("bt", " Beschermd Thuis ", "BT", "#5b2a86").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let listed = programmes::list(&state.pool).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(
            (listed[1].code.as_str(), listed[1].name.as_str()),
            ("bt", "Beschermd Thuis")
        );
        let audited: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE kind = 'programme_added'")
                .fetch_one(&state.pool)
                .await
                .unwrap();
        assert_eq!(audited, 1);
        // Its mark's colour is in the stylesheet at once; the page lists it.
        let css = body_text(send(&state, get("/huisstijl.css", None)).await).await;
        assert!(css.contains(".programme-mark--bt"), "{css}");
        let page = body_text(send(&state, get("/beheer/regios", Some(&admin))).await).await;
        assert!(
            page.contains("Beschermd Thuis (code bt)") && page.contains("Programma toevoegen"),
            "{page}"
        );
    })
    .await;
}
