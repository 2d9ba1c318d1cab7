//! `POST /beheer/vragenlijsten/laden`: an admin uploads a definition file. A plain multipart
//! form post, so it works without JavaScript. A file that passes every check is kept and the
//! answer is a redirect to its preview, where the admin stores or discards it; a refused file
//! goes to the page that lists every problem. Nothing becomes a version before the preview.

use app::domain::questionnaire::interchange::Names;
use app::paths;
use app::services::audit::Actor;
use app::services::questionnaire_files;
use app::services::questionnaires::{self, uploads, Checked};
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
    let posted = match posted_form(multipart).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let Some((file_name, bytes)) = posted.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return see_other(&paths::with_notice(paths::QUESTIONNAIRES, "geen-bestand"));
    };
    let file_name = base_name(&file_name);
    // XLSForm and REDCap files are translated into our definition first, then checked alike.
    let names_for_toml = questionnaire_files::Format::of_file(&file_name)
        == questionnaire_files::Format::Toml
        && posted.names != Names::default();
    let translated = if names_for_toml {
        Err(vec![format!(
            "{file_name}: vragenlijst, versie, titel en programma vult u alleen in bij een XLSForm- (.xlsx) of REDCap-bestand (.csv); een TOML-bestand noemt ze zelf. Laat die velden leeg."
        )])
    } else {
        questionnaire_files::definition(&file_name, &bytes, &posted.names)
    };
    let checked = match translated {
        Ok(source) => {
            questionnaires::check(&state.pool, &state.questionnaires, &file_name, &source)
                .await
                .map(|checked| (checked, source))
        }
        Err(problems) => Err(problems),
    };
    match checked {
        // Nothing is stored yet: the admin sees the preview first and stores it from there.
        Ok((Checked::New { .. }, source)) => {
            match uploads::hold(&state.pool, &actor, &file_name, &source).await {
                Ok(id) => see_other(&paths::questionnaire_upload(&id)),
                Err(_) => failed(),
            }
        }
        Ok((Checked::AlreadyStored { .. }, _)) => {
            see_other(&paths::with_notice(paths::QUESTIONNAIRES, "al-geladen"))
        }
        Err(problems) => {
            match questionnaires::record_attempt(&state.pool, &actor, &file_name, &problems).await {
                Ok(id) => see_other(&paths::import_attempt(&id)),
                Err(_) => failed(),
            }
        }
    }
}

fn failed() -> Response {
    refuse(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
    )
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

/// What the upload form posts: the file (`bestand`, with its name) and, for XLSForm and
/// REDCap files, the names a TOML file gives itself (`identifier`, `versie`, `titel`,
/// `programma`).
struct Posted {
    file: Option<(String, Bytes)>,
    names: Names,
}

/// Longest name accepted in the form's text fields; the loader checks the names themselves.
const MAX_NAME_CHARS: usize = 200;

async fn posted_form(mut multipart: Multipart) -> Result<Posted, Response> {
    let unreadable = || {
        refuse(
            StatusCode::BAD_REQUEST,
            "Het formulier kon niet worden gelezen. Probeer het opnieuw.",
        )
    };
    let mut posted = Posted {
        file: None,
        names: Names::default(),
    };
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "bestand" {
            let file_name = field.file_name().unwrap_or("vragenlijst.toml").to_string();
            let bytes = field.bytes().await.map_err(|_| {
                refuse(
                    StatusCode::BAD_REQUEST,
                    "Het bestand kon niet worden gelezen. Probeer het opnieuw.",
                )
            })?;
            posted.file = Some((file_name, bytes));
            continue;
        }
        let slot = match name.as_str() {
            "identifier" => &mut posted.names.identifier,
            "versie" => &mut posted.names.version,
            "titel" => &mut posted.names.title,
            "programma" => &mut posted.names.programme,
            _ => continue,
        };
        let value = field.text().await.map_err(|_| unreadable())?;
        if value.chars().count() > MAX_NAME_CHARS {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "Een naam, versie of titel is langer dan 200 tekens.",
            ));
        }
        let value = value.trim();
        *slot = (!value.is_empty()).then(|| value.to_string());
    }
    Ok(posted)
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
