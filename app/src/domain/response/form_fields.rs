//! The names of the section form's fields, written once for everyone who reads or writes
//! them: the page (`components::question`, `pages::fill::section`, re-exported there), its
//! script, `read_section_form`, and the server crate's save without JavaScript.

/// The prefixes of the fields of an answer (`a.KEY`, a matrix's `a.KEY.ROW`), of its
/// onbekend / n.v.t. choice (`s.KEY`) and of the version of the stored answer that the form
/// was made from (`v.KEY`). Each ends at the name's first dot, where `read_section_form`
/// splits it.
pub const ANSWER_PREFIX: &str = "a.";
pub const SPECIAL_PREFIX: &str = "s.";
pub const VERSION_PREFIX: &str = "v.";

pub fn answer_name(key: &str) -> String {
    format!("{ANSWER_PREFIX}{key}")
}

pub fn cell_name(key: &str, row: &str) -> String {
    format!("{}.{row}", answer_name(key))
}

pub fn special_name(key: &str) -> String {
    format!("{SPECIAL_PREFIX}{key}")
}

pub fn version_name(key: &str) -> String {
    format!("{VERSION_PREFIX}{key}")
}

/// Whether `name` is one of the fields of an answer (a value, a special choice, a version).
pub fn is_answer_field(name: &str) -> bool {
    [ANSWER_PREFIX, SPECIAL_PREFIX, VERSION_PREFIX]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// The field of a conflict panel's buttons, valued `KEY:mijn` (keep my answer) or
/// `KEY:ander` (take the colleague's).
pub const CONFLICT_FIELD: &str = "conflict";
pub const KEEP_MINE: &str = "mijn";
/// The field of a taken-over answer's "Klopt nog" button, valued with the item's key: the
/// form is saved and that answer confirmed unchanged.
pub const CONFIRM_FIELD: &str = "bevestig";
/// The field of the check page's box that confirms every taken-over answer at submitting
/// (the argument of `api::responses::submit_response` of the same name).
pub const CONFIRM_TAKEN_OVER_FIELD: &str = "confirm_taken_over";
/// The field of the form's submit buttons, and the value that goes on to the next section.
pub const ACTION_FIELD: &str = "actie";
pub const ACTION_NEXT: &str = "volgende";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_as_the_form_posts_them() {
        assert_eq!(answer_name("aantal"), "a.aantal");
        assert_eq!(cell_name("tabel", "r1"), "a.tabel.r1");
        assert_eq!(special_name("leeg"), "s.leeg");
        assert_eq!(version_name("aantal"), "v.aantal");
        assert!(is_answer_field("v.aantal") && is_answer_field("s.leeg"));
        assert!(!is_answer_field(CONFLICT_FIELD) && !is_answer_field("inloggen.email"));
    }
}
