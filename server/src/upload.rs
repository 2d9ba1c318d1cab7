//! `POST /beheer/vragenlijsten/laden`: an admin uploads a definition file. A plain multipart
//! form post, so it works without JavaScript; it answers with a redirect to the list (loaded)
//! or to the page that lists every problem (refused, nothing stored).

use app::paths;
use app::services::audit::Actor;
use app::services::questionnaires::{self, ImportOutcome};
use app::services::sessions;
use app::services::state::AppState;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn refuse(status: StatusCode, message: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

pub async fn upload_questionnaire(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let actor = match admin(&state, &headers).await {
        Ok(actor) => actor,
        Err(refused) => return refused,
    };
    let file = match posted_file(multipart).await {
        Ok(file) => file,
        Err(refused) => return refused,
    };
    let Some((file_name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return see_other(&paths::with_notice(paths::QUESTIONNAIRES, "geen-bestand"));
    };
    let file_name = base_name(&file_name);
    let outcome = match std::str::from_utf8(&bytes) {
        Ok(source) => {
            questionnaires::import(
                &state.pool,
                &state.questionnaires,
                &actor,
                &file_name,
                source,
            )
            .await
        }
        Err(_) => Err(vec![format!(
            "{file_name}: het bestand is geen UTF-8-tekst"
        )]),
    };
    match outcome {
        Ok(ImportOutcome::Stored {
            identifier,
            version,
            ..
        }) => see_other(&paths::questionnaire_loaded(&identifier, &version)),
        Ok(ImportOutcome::AlreadyStored { .. }) => {
            see_other(&paths::with_notice(paths::QUESTIONNAIRES, "al-geladen"))
        }
        Err(problems) => {
            match questionnaires::record_attempt(&state.pool, &actor, &file_name, &problems).await {
                Ok(id) => see_other(&paths::import_attempt(&id)),
                Err(_) => refuse(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
                ),
            }
        }
    }
}

/// The signed-in admin behind the request, as the audit log names them; others are refused.
async fn admin(state: &AppState, headers: &HeaderMap) -> Result<Actor, Response> {
    let user = sessions::user_of_request(&state.pool, &state.config, headers).await;
    let Some(user) = user else {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            "U bent niet (meer) ingelogd. Log opnieuw in.",
        ));
    };
    if !user.is_admin() {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "Alleen beheerders laden vragenlijsten.",
        ));
    }
    Ok(Actor::User {
        id: user.id.clone(),
        email: user.email.clone(),
    })
}

/// The form's file field `bestand`, with its name, if it was posted.
async fn posted_file(mut multipart: Multipart) -> Result<Option<(String, Bytes)>, Response> {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("bestand") => {
                let name = field.file_name().unwrap_or("vragenlijst.toml").to_string();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes)),
                    Err(_) => {
                        return Err(refuse(
                            StatusCode::BAD_REQUEST,
                            "Het bestand kon niet worden gelezen. Probeer het opnieuw.",
                        ))
                    }
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(file),
            Err(_) => {
                return Err(refuse(
                    StatusCode::BAD_REQUEST,
                    "Het formulier kon niet worden gelezen. Probeer het opnieuw.",
                ))
            }
        }
    }
}

/// Only the base name: a path in the file name says nothing and must not end up in logs.
fn base_name(file_name: &str) -> String {
    file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("vragenlijst.toml")
        .chars()
        .take(120)
        .collect()
}
