//! The one error type of the platform, shared by browser and server.
//!
//! Messages are Dutch because they reach the user. Internal failures are logged once, where
//! they are converted (`AppError::internal`), with the request's id; the user sees only a
//! generic message and that id to quote.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Field name and its Dutch messages, in the order the fields appear on the form, so an
/// error summary can list and link them.
pub type FieldErrors = Vec<(String, Vec<String>)>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("U bent niet (meer) ingelogd. Log opnieuw in.")]
    Unauthorized,
    #[error("U hebt geen toegang tot deze gegevens.")]
    Forbidden,
    #[error("Deze pagina of dit gegeven bestaat niet.")]
    NotFound,
    #[error("Controleer de invoer.")]
    Validation(FieldErrors),
    /// Someone else changed the same thing first.
    #[error("{0}")]
    Conflict(String),
    /// Too many failed attempts: try again later.
    #[error("{0}")]
    TooManyRequests(String),
    /// The request itself is malformed (wrong types, too large, unknown fields).
    #[error("{0}")]
    BadRequest(String),
    /// The server is too busy to do this now (every password check slot is taken): try
    /// again in a few seconds.
    #[error("{0}")]
    Busy(String),
    /// Something failed on our side. Holds the request's id, under which the cause is in the
    /// server's log (empty when the failure happened in the browser).
    #[error("Er ging iets mis aan onze kant. Probeer het later opnieuw.{}", quote_reference(.0))]
    Internal(String),
}

/// The sentence that gives the user the id to quote to the helpdesk.
fn quote_reference(reference: &str) -> String {
    if reference.is_empty() {
        String::new()
    } else {
        format!(" Noem bij vragen aan de helpdesk het kenmerk {reference}.")
    }
}

impl AppError {
    /// A validation error on a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![(field.to_string(), vec![message.into()])])
    }

    /// The same error with the messages of field `from` under the name `to`, for a form whose
    /// fields are named differently from the service's.
    pub fn rename_field(self, from: &str, to: &str) -> Self {
        match self {
            AppError::Validation(fields) => AppError::Validation(
                fields
                    .into_iter()
                    .map(|(name, messages)| {
                        (if name == from { to.to_string() } else { name }, messages)
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    /// The HTTP status that goes with this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::BadRequest(_) => 400,
            AppError::Busy(_) => 503,
            AppError::Internal(_) => 500,
        }
    }

    /// Messages for one field, if any.
    pub fn messages_for(&self, field: &str) -> Vec<String> {
        match self {
            AppError::Validation(fields) => fields
                .iter()
                .filter(|(name, _)| name == field)
                .flat_map(|(_, messages)| messages.clone())
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                AppError::BadRequest("Het verzoek is ongeldig of onvolledig.".to_string())
            }
            ServerFnErrorErr::Request(_) => AppError::BadRequest(
                "De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw."
                    .to_string(),
            ),
            _ => AppError::Internal(String::new()),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// A failure on our side: logs `what` failed and its `cause` here, once, with the
    /// request's id and the place in the code, and gives the user only that id.
    #[track_caller]
    pub fn internal(what: &str, cause: impl std::fmt::Display) -> Self {
        let request_id = crate::request_id::current();
        let at = std::panic::Location::caller();
        tracing::error!(request_id = %request_id, %cause, %at, "{what}");
        AppError::Internal(request_id)
    }
}

/// Database failures are logged with their details and reach the user as `Internal`.
#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(error: sqlx::Error) -> Self {
        AppError::internal("database error", error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::field("email", "x").status(), 422);
    }

    #[test]
    fn messages_per_field() {
        let error = AppError::Validation(vec![
            ("email".into(), vec!["a".into()]),
            ("name".into(), vec!["b".into(), "c".into()]),
        ]);
        assert_eq!(error.messages_for("name"), vec!["b", "c"]);
        assert!(error.messages_for("role").is_empty());
    }

    #[test]
    fn internal_errors_show_only_the_reference() {
        let message = AppError::Internal("3f2a9c1d7e04".into()).to_string();
        assert_eq!(
            message,
            "Er ging iets mis aan onze kant. Probeer het later opnieuw. \
             Noem bij vragen aan de helpdesk het kenmerk 3f2a9c1d7e04."
        );
        assert_eq!(AppError::Internal(String::new()).status(), 500);
        assert!(!AppError::Internal(String::new())
            .to_string()
            .contains("kenmerk"));
    }

    #[test]
    fn malformed_requests_are_bad_requests_not_internal_errors() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into()));
        assert_eq!(error.status(), 400);
    }
}
