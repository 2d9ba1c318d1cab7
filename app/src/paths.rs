//! The platform's addresses, built in one place. Every link, redirect, form action and mail
//! names its page through these, so an address changes here and in its route (`app.rs` for
//! pages, `server/src/lib.rs` for plain handlers) and nowhere else. The values put into them
//! are ids, codes and keys the platform made itself; text from users goes through
//! `domain::link` first.

pub const HOME: &str = "/";
pub const LOGIN: &str = "/login";
pub const LOGIN_CODE: &str = "/login/code";
pub const LOGOUT: &str = "/logout";
pub const FORGOT_PASSWORD: &str = "/wachtwoord-vergeten";
pub const CHOOSE_PASSWORD: &str = "/wachtwoord-kiezen";
pub const ACCOUNT: &str = "/mijn-account";
pub const TWO_FACTOR_SETUP: &str = "/tweestapsverificatie";
pub const RECOVERY_CODES: &str = "/tweestapsverificatie/herstelcodes";

pub const ACCESSIBILITY: &str = "/toegankelijkheid";
pub const PRIVACY: &str = "/privacy";
pub const HELP: &str = "/help";
pub const CONTACT: &str = "/contact";

pub const REGIONS: &str = "/regios";
pub const FILL_START: &str = "/invullen";
pub const REVIEW: &str = "/beoordelen";
pub const NATIONAL: &str = "/landelijk";

pub const ADMIN: &str = "/beheer";
pub const USERS: &str = "/beheer/gebruikers";
pub const AUDIT: &str = "/beheer/audit";
pub const AUDIT_EXPORT: &str = "/beheer/audit/export.csv";
pub const ROUNDS: &str = "/beheer/metingen";
pub const REGIONS_ADMIN: &str = "/beheer/regios";
pub const OUTBOX: &str = "/beheer/uitgaande-mail";
pub const QUESTIONNAIRES: &str = "/beheer/vragenlijsten";
pub const QUESTIONNAIRE_UPLOAD: &str = "/beheer/vragenlijsten/laden";

pub const DASHBOARD: &str = "/dashboard";
pub const OPEN_DATA: &str = "/open-data";
pub const OPEN_DATA_INDEX: &str = "/open-data/index.json";
pub const SECURITY_TXT: &str = "/.well-known/security.txt";

/// A region's own page.
pub fn region(code: &str) -> String {
    format!("/regio/{code}")
}

/// A response's task list.
pub fn response(id: &str) -> String {
    format!("/vragenlijst/{id}")
}

/// One section of a response.
pub fn section(response_id: &str, section_key: &str) -> String {
    format!("/vragenlijst/{response_id}/sectie/{section_key}")
}

/// One item on its section page.
pub fn item(response_id: &str, section_key: &str, item_key: &str) -> String {
    at_item(&section(response_id, section_key), item_key)
}

/// `path` (a page without a fragment) scrolled to one item, whose id there is `vraag-KEY`
/// (`components::question::question_id`).
pub fn at_item(path: &str, item_key: &str) -> String {
    format!("{path}#vraag-{item_key}")
}

/// Where a section's form posts without JavaScript.
pub fn section_save(response_id: &str, section_key: &str) -> String {
    format!("/vragenlijst/{response_id}/sectie/{section_key}/opslaan")
}

pub fn check_answers(response_id: &str) -> String {
    format!("/vragenlijst/{response_id}/controleren")
}

pub fn print(response_id: &str) -> String {
    format!("/vragenlijst/{response_id}/afdrukken")
}

pub fn progress(response_id: &str) -> String {
    format!("/vragenlijst/{response_id}/voortgang")
}

/// A response's review page (for coordinators: the reviewer's decisions and comments).
pub fn response_review(response_id: &str) -> String {
    format!("/vragenlijst/{response_id}/beoordelen")
}

/// A response's open points (the reviewer's drill-down), each linking to the review page.
pub fn response_findings(response_id: &str) -> String {
    format!("/vragenlijst/{response_id}/openstaand")
}

/// One comment thread on a response's review page.
pub fn comment(response_id: &str, thread_id: &str) -> String {
    format!("/vragenlijst/{response_id}/beoordelen#opmerking-{thread_id}")
}

/// The completeness overview of a round.
pub fn review_round(round_id: &str) -> String {
    format!("/beoordelen/{round_id}")
}

/// The national picture of a round.
pub fn national_round(round_id: &str) -> String {
    format!("/landelijk/{round_id}")
}

/// One export file of a round (`file`: `Format::url_name`).
pub fn export(round_id: &str, file: &str) -> String {
    format!("/landelijk/{round_id}/export/{file}")
}

/// A round's admin page.
pub fn round(round_id: &str) -> String {
    format!("/beheer/metingen/{round_id}")
}

pub fn publish(round_id: &str) -> String {
    format!("/beheer/metingen/{round_id}/publiceren")
}

/// A user's admin page.
pub fn user(user_id: &str) -> String {
    format!("/beheer/gebruikers/{user_id}")
}

/// The preview of a stored questionnaire version.
pub fn questionnaire_version(identifier: &str, version: &str) -> String {
    format!("/beheer/vragenlijsten/{identifier}/{version}")
}

/// The questionnaires page after an upload that stored a new version.
pub fn questionnaire_loaded(identifier: &str, version: &str) -> String {
    format!(
        "{}&versie={identifier}/{version}",
        with_notice(QUESTIONNAIRES, "geladen")
    )
}

/// The preview of an uploaded file, before the admin stores it.
pub fn questionnaire_upload(upload_id: &str) -> String {
    format!("/beheer/vragenlijsten/controle/{upload_id}")
}

/// The result of an upload that was refused.
pub fn import_attempt(attempt_id: &str) -> String {
    format!("/beheer/vragenlijsten/poging/{attempt_id}")
}

/// The public national page of a publication (`slug`), or of the newest with `None`.
pub fn dashboard(slug: Option<&str>) -> String {
    match slug {
        Some(slug) => format!("/dashboard/{slug}"),
        None => DASHBOARD.to_string(),
    }
}

/// What names a programme's newest publication in `dashboard` and `region_dashboard`:
/// nothing for the NAD (`/dashboard`), the programme's code for another (`/dashboard/bt`).
pub fn newest_publication(programme: &str) -> Option<&str> {
    (programme != crate::domain::programme::DEFAULT_PROGRAMME).then_some(programme)
}

/// A region's public page in a publication (`slug`), or in the newest with `None`.
pub fn region_dashboard(slug: Option<&str>, code: &str) -> String {
    match slug {
        Some(slug) => format!("/dashboard/{slug}/regio/{code}"),
        None => format!("/dashboard/regio/{code}"),
    }
}

/// One file of an edition of the open data.
pub fn open_data_file(slug: &str, edition: i64, file: &str) -> String {
    format!("/open-data/{slug}/{edition}/{file}")
}

/// Where the browser fetches a questionnaire version for the section form's script
/// (`identifier` and `version` as path segments, `hash` the file's content hash).
pub fn form_resource(identifier: &str, version: &str, hash: &str) -> String {
    format!("/vragenlijst-data/{identifier}/{version}/{hash}.bin")
}

/// `path` with a notice for the page to show (`?melding=...`, see `domain::notice`).
pub fn with_notice(path: &str, notice: &str) -> String {
    format!("{path}?melding={notice}")
}

/// `path` with the page to go on to afterwards (`?terug=...`, `target` already encoded as a
/// query value).
pub fn returning_to(path: &str, target: &str) -> String {
    format!("{path}?terug={target}")
}

/// `path` with a query string (`a=1&b=2`, already encoded), or `path` alone when it is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// One item's answers across every region of a round (the item: `?vraag=KEY`).
pub fn item_answers(round_id: &str) -> String {
    format!("/beoordelen/{round_id}/antwoorden")
}

/// The download of that table (`extension`: `csv` or `xlsx`), with the page's query.
pub fn item_answers_export(round_id: &str, extension: &str) -> String {
    format!("/beoordelen/{round_id}/antwoorden/export.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_built_as_the_routes_expect() {
        assert_eq!(item("r-1", "B", "b3"), "/vragenlijst/r-1/sectie/B#vraag-b3");
        assert_eq!(
            at_item("/vragenlijst/r-1/beoordelen?melding=opmerking", "b3"),
            "/vragenlijst/r-1/beoordelen?melding=opmerking#vraag-b3"
        );
        assert_eq!(region_dashboard(None, "R01"), "/dashboard/regio/R01");
        assert_eq!(
            region_dashboard(Some("2025-12"), "R01"),
            "/dashboard/2025-12/regio/R01"
        );
        assert_eq!(
            with_notice(&round("m-1"), "gepubliceerd"),
            "/beheer/metingen/m-1?melding=gepubliceerd"
        );
        assert_eq!(
            comment("r-1", "t-2"),
            "/vragenlijst/r-1/beoordelen#opmerking-t-2"
        );
        assert_eq!(with_query(AUDIT_EXPORT, ""), "/beheer/audit/export.csv");
        assert_eq!(
            with_query(AUDIT, "regio=R01&pagina=2"),
            "/beheer/audit?regio=R01&pagina=2"
        );
        assert_eq!(
            returning_to(LOGIN_CODE, "/beheer"),
            "/login/code?terug=/beheer"
        );
        assert_eq!(
            questionnaire_loaded("nad", "2026.1"),
            "/beheer/vragenlijsten?melding=geladen&versie=nad/2026.1"
        );
        assert_eq!(
            form_resource("nad", "2026.1", "0a1b"),
            "/vragenlijst-data/nad/2026.1/0a1b.bin"
        );
    }
}
