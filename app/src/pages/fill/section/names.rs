//! The ids, classes, attributes and field names that the section form's HTML (`section.rs`)
//! and its script (`client/`, `session.rs`, `definition.rs`) share, each written once. A
//! question's own ids and input names are `components::question`'s.

/// The section's form.
pub const FORM_CLASS: &str = "section-form";
/// The box above the form that holds the error summary (and the script's warnings).
pub const SUMMARY_BOX_ATTRIBUTE: &str = "data-foutoverzicht";
/// The error summary's heading.
pub const SUMMARY_TITLE_ID: &str = "fouten-titel";
/// The page's save status.
pub const PAGE_STATUS_CLASS: &str = "page-save-status";
/// Where the script announces, politely, a blocking rule or warning that appeared.
pub const RULES_ANNOUNCER_ID: &str = "regelmeldingen";
/// A question's save status.
pub const FIELD_STATUS_CLASS: &str = "field-status";
/// The tag of an answer taken over from the compared round and not confirmed yet, and the
/// block around it with its "Klopt nog" button.
pub const PREFILLED_CLASS: &str = "tag--prefilled";
pub const PREFILLED_BLOCK_CLASS: &str = "prefilled";
/// A conflict panel; its value is the question's key.
pub const CONFLICT_ATTRIBUTE: &str = "data-conflict";
// The conflict buttons' field (`KEY:mijn` or `KEY:ander`), the submit buttons' field with
// the value that goes on to the next section, and the field with the version of a question's
// stored answer that the form was made from: the server reads them too, so they are the
// domain's.
pub use crate::domain::response::form_fields::{
    version_name, ACTION_FIELD, ACTION_NEXT, CONFIRM_FIELD, CONFLICT_FIELD,
};

/// When the session ends without activity; its attribute holds the idle limit in seconds.
pub const SESSION_END_ID: &str = "sessie-einde";
pub const SESSION_SECONDS_ATTRIBUTE: &str = "data-sessie-seconden";
/// The warning shortly before the end, its text and its button that keeps the session alive.
pub const SESSION_WARNING_ID: &str = "sessie-waarschuwing";
pub const SESSION_WARNING_TEXT_ID: &str = "sessie-waarschuwing-tekst";
pub const SESSION_EXTEND_ID: &str = "sessie-verlengen";
/// The panel to log in again in place, and its fields.
pub const LOGIN_AGAIN_ID: &str = "opnieuw-inloggen-blok";
pub const LOGIN_AGAIN_EMAIL_ID: &str = "opnieuw-email";
pub const LOGIN_AGAIN_PASSWORD_ID: &str = "opnieuw-wachtwoord";
pub const LOGIN_AGAIN_CODE_ID: &str = "opnieuw-code";
