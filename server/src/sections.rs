//! `POST /vragenlijst/{id}/sectie/{section}/opslaan`: a whole section posted by the form,
//! the way it is saved without JavaScript. It reads the form into answers and calls the same
//! service as the browser's autosave (`responses::save`), then returns to the section, where
//! invalid input is shown with its problems and conflicts with both answers.
//!
//! When the session ended while the coordinator was typing, nothing is lost: the answer is a
//! login form that carries every posted field along, and posting it logs in and saves.

use app::domain::access::SignedInUser;
use app::domain::html::escape;
use app::domain::questionnaire::model::Section;
use app::domain::response::form_fields::{
    is_answer_field, ACTION_FIELD, ACTION_NEXT, CONFIRM_FIELD, CONFLICT_FIELD, KEEP_MINE,
};
use app::domain::response::{
    read_section_form, AnswerInput, SaveOutcome, MAX_ANSWERS_PER_SAVE, MAX_RAW_CHARS,
};
use app::error::AppError;
use app::paths;
use app::services::client_address::ClientAddress;
use app::services::state::AppState;
use app::services::{responses, sessions, two_factor};
use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

const LOGIN_EMAIL: &str = "inloggen.email";
const LOGIN_PASSWORD: &str = "inloggen.wachtwoord";
const LOGIN_CODE: &str = "inloggen.code";

/// A small page of its own, for the rare answers that are not the section page itself.
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} – NAD-monitor</title></head><body><main>\
         <h1>{}</h1>{body}</main></body></html>",
        escape(title),
        escape(title)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// At most this much of a posted section is carried along by the login form: far more than a
/// section's answers (each at most `MAX_RAW_CHARS`), far less than the 3 MB a body may hold,
/// so the page never echoes megabytes back.
const MAX_CARRIED_BYTES: usize = 256 * 1024;
const MAX_CARRIED_FIELDS: usize = 4 * MAX_ANSWERS_PER_SAVE;

/// The fields of the section form itself: answers (`a.`), special answers (`s.`), versions
/// (`v.`), a conflict or "Klopt nog" button and where to go next. Anything else is not
/// carried along.
fn is_form_field(name: &str) -> bool {
    is_answer_field(name) || name == CONFLICT_FIELD || name == CONFIRM_FIELD || name == ACTION_FIELD
}

/// The posted fields the login form carries along, or `None` when they are more than a
/// section can hold.
fn carried_fields(fields: &[(String, String)]) -> Option<Vec<&(String, String)>> {
    let carried: Vec<&(String, String)> = fields
        .iter()
        .filter(|(name, _)| is_form_field(name))
        .collect();
    let bytes: usize = carried.iter().map(|(n, v)| n.len() + v.len()).sum();
    let too_long = carried
        .iter()
        .any(|(_, value)| value.chars().count() > MAX_RAW_CHARS);
    (carried.len() <= MAX_CARRIED_FIELDS && bytes <= MAX_CARRIED_BYTES && !too_long)
        .then_some(carried)
}

/// The login form that carries the posted section along.
fn login_again(action: &str, fields: &[(String, String)], problem: Option<&str>) -> Response {
    let (carried, too_much) = match carried_fields(fields) {
        Some(carried) => (
            carried
                .into_iter()
                .map(|(name, value)| {
                    format!(
                        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                        escape(name),
                        escape(value)
                    )
                })
                .collect::<String>(),
            false,
        ),
        None => (String::new(), true),
    };
    let problem = problem
        .map(|p| format!("<p role=\"alert\"><strong>{}</strong></p>", escape(p)))
        .unwrap_or_default();
    if too_much {
        return page(
            StatusCode::UNAUTHORIZED,
            "Log opnieuw in om op te slaan",
            &format!(
                "<p role=\"alert\"><strong>U was niet meer ingelogd, en wat u verstuurde is meer \
                 dan een sectie kan bevatten; het is niet opgeslagen.</strong> Ga met de \
                 terugknop van uw browser terug naar het formulier (uw invoer staat er nog), \
                 log in via <a href=\"{}\">de inlogpagina</a> in een ander tabblad en druk \
                 daarna opnieuw op Opslaan.</p>{problem}",
                paths::LOGIN
            ),
        );
    }
    page(
        StatusCode::UNAUTHORIZED,
        "Log opnieuw in om op te slaan",
        &format!(
            "<p>U was niet meer ingelogd toen u op Opslaan drukte. Uw antwoorden zijn niet \
             verloren: log hieronder opnieuw in en ze worden meteen opgeslagen.</p>{problem}\
             <form method=\"post\" action=\"{}\">{carried}\
             <p><label for=\"e\">E-mailadres</label><br>\
             <input id=\"e\" name=\"{LOGIN_EMAIL}\" type=\"email\" autocomplete=\"username\" required></p>\
             <p><label for=\"w\">Wachtwoord</label><br>\
             <input id=\"w\" name=\"{LOGIN_PASSWORD}\" type=\"password\" autocomplete=\"current-password\" required></p>\
             <p><label for=\"c\">Code uit uw authenticator-app</label><br>\
             <span id=\"c-hint\">Alleen als u tweestapsverificatie gebruikt.</span><br>\
             <input id=\"c\" name=\"{LOGIN_CODE}\" type=\"text\" inputmode=\"numeric\" \
             autocomplete=\"one-time-code\" maxlength=\"20\" aria-describedby=\"c-hint\"></p>\
             <p><button type=\"submit\">Inloggen en opslaan</button></p></form>",
            escape(action)
        ),
    )
}

fn problem_page(status: StatusCode, back: &str, problems: &[String]) -> Response {
    let list: String = problems
        .iter()
        .map(|p| format!("<li>{}</li>", escape(p)))
        .collect();
    page(
        status,
        "Uw antwoorden zijn niet opgeslagen",
        &format!(
            "<ul>{list}</ul><p>Er is niets gewijzigd. Ga met de terugknop van uw browser terug \
             naar het formulier (uw invoer staat er nog), of <a href=\"{}\">open de sectie opnieuw</a>.</p>",
            escape(back)
        ),
    )
}

pub async fn save_section(
    State(state): State<AppState>,
    Path((id, section)): Path<(String, String)>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let client = client.map(|Extension(ClientAddress(address))| address);
    let back = paths::section(&id, &section);
    let action = paths::section_save(&id, &section);
    let (user, new_cookie) = match signed_in(&state, &headers, client, &fields).await {
        Ok(signed_in) => signed_in,
        Err(problem) => return login_again(&action, &fields, problem.as_deref()),
    };
    let version = match responses::readable(&state, &user, &id).await {
        Ok((_, version)) => version,
        Err(error) => return fail(&back, error),
    };
    let sections = &version.questionnaire.sections;
    let Some(position) = sections.iter().position(|s| s.key == section) else {
        return fail(&back, AppError::NotFound);
    };
    let resolving = conflict_choice(&fields);
    let inputs = match section_inputs(&sections[position], &fields, resolving.as_ref()) {
        Ok(inputs) => inputs,
        Err(problems) => return problem_page(StatusCode::BAD_REQUEST, &back, &problems),
    };
    let confirming = field(&fields, CONFIRM_FIELD);
    match save_and_resolve(&state, &user, &id, inputs, resolving).await {
        Ok(outcomes) => {
            let location = match confirming {
                // "Klopt nog": the answers are saved, then that one is confirmed.
                Some(key) => match confirm(&state, &user, &id, &back, key).await {
                    Ok(location) => location,
                    Err(error) => return fail(&back, error),
                },
                None => {
                    let next = sections.get(position + 1).map(|next| next.key.as_str());
                    where_next(&id, &back, next, &outcomes, &fields)
                }
            };
            see_other(&location, new_cookie)
        }
        Err(error) => fail(&back, error),
    }
}

/// The value of the posted field `name`, if any.
fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value.as_str())
}

/// Confirms the taken-over answer to `key` and says where the page goes: back to it, with
/// the notice.
async fn confirm(
    state: &AppState,
    user: &SignedInUser,
    id: &str,
    back: &str,
    key: &str,
) -> Result<String, AppError> {
    let confirming = responses::Confirming::Item(key);
    let confirmed = responses::confirm_prefilled(state, user, id, confirming).await?;
    let notice = paths::with_notice(back, &format!("bevestigd-{confirmed}"));
    Ok(paths::at_item(&notice, key))
}

/// The user of the request's session, or else the one the carried login fields sign in, with
/// the new session's cookie. `Err` asks for the login form again, with its problem if any.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    client: Option<std::net::IpAddr>,
    fields: &[(String, String)],
) -> Result<(SignedInUser, Option<String>), Option<String>> {
    if let Some(user) = sessions::user_of_request(&state.pool, &state.config, headers).await {
        return Ok((user, None));
    }
    let find = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let (Some(email), Some(password)) = (find(LOGIN_EMAIL), find(LOGIN_PASSWORD)) else {
        return Err(None);
    };
    // The same throttle and back-off as every other way of logging in.
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    let origin = sessions::Origin::new(client, user_agent);
    let code = find(LOGIN_CODE);
    let login = two_factor::login_in_one_step(
        &state.pool,
        &state.config.mail,
        &email,
        &password,
        code.as_deref(),
        &origin,
    );
    match login.await {
        Ok(outcome) => {
            let cookie = sessions::cookie(&outcome.token, &state.config);
            Ok((outcome.user, Some(cookie)))
        }
        Err(error) => Err(Some(login_problem(error))),
    }
}

/// What the login form says about a failed login.
fn login_problem(error: AppError) -> String {
    match error {
        // A wrong password is a validation error on a field: say what it says.
        AppError::Validation(problems) => problems
            .into_iter()
            .flat_map(|(_, messages)| messages)
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

/// The page of problems for an error of the service, with its status.
fn fail(back: &str, error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let problems = match error {
        AppError::Validation(fields) => fields
            .into_iter()
            .flat_map(|(key, messages)| {
                messages
                    .into_iter()
                    .map(move |m| format!("Vraag '{key}': {m}"))
            })
            .collect(),
        other => vec![other.to_string()],
    };
    problem_page(status, back, &problems)
}

/// The conflict button pressed, if any: the item's key and whether to keep my answer.
fn conflict_choice(fields: &[(String, String)]) -> Option<(String, bool)> {
    fields
        .iter()
        .find(|(name, _)| name == CONFLICT_FIELD)
        .and_then(|(_, value)| value.split_once(':'))
        .map(|(key, choice)| (key.to_string(), choice == KEEP_MINE))
}

/// The section's answers as posted, without the item whose conflict is being resolved.
fn section_inputs(
    section: &Section,
    fields: &[(String, String)],
    resolving: Option<&(String, bool)>,
) -> Result<Vec<AnswerInput>, Vec<String>> {
    let items: Vec<_> = section.items.iter().collect();
    // The form's own fields: login fields carried along, and a conflict button.
    let answer_fields: Vec<(String, String)> = fields
        .iter()
        .filter(|(name, _)| is_answer_field(name))
        .cloned()
        .collect();
    let mut inputs = read_section_form(&items, &answer_fields)?;
    if let Some((key, _)) = resolving {
        inputs.retain(|input| &input.key != key);
    }
    Ok(inputs)
}

/// Saves the answers (if any), then settles the conflict the button chose.
async fn save_and_resolve(
    state: &AppState,
    user: &SignedInUser,
    id: &str,
    inputs: Vec<AnswerInput>,
    resolving: Option<(String, bool)>,
) -> Result<Vec<SaveOutcome>, AppError> {
    let outcomes = if inputs.is_empty() {
        Vec::new()
    } else {
        responses::save(state, user, id, inputs).await?
    };
    if let Some((key, keep_mine)) = resolving {
        responses::resolve_conflict(state, user, id, &key, keep_mine).await?;
    }
    Ok(outcomes)
}

/// Where a saved form goes: back with a notice, or on to the `next` section (or the task
/// list after the last) when the coordinator asked for it.
fn where_next(
    id: &str,
    back: &str,
    next: Option<&str>,
    outcomes: &[SaveOutcome],
    fields: &[(String, String)],
) -> String {
    let conflict = outcomes
        .iter()
        .any(|o| matches!(o, SaveOutcome::Conflict(_)));
    let onward = fields
        .iter()
        .any(|(n, v)| n == ACTION_FIELD && v == ACTION_NEXT);
    if conflict {
        paths::with_notice(back, "conflict")
    } else if onward {
        match next {
            Some(next) => paths::section(id, next),
            None => paths::response(id),
        }
    } else {
        paths::with_notice(back, "opgeslagen")
    }
}
