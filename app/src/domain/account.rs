//! Rules for accounts: how e-mail addresses compare and what a password must be.
//!
//! The password rules follow NIST SP 800-63B: a minimum length, a generous maximum, no
//! composition rules, and a refusal of commonly used passwords (the list lives on the server).

/// The shortest password we accept.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// The longest password we accept; long enough for passphrases and password managers.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// E-mail addresses longer than this can't be delivered (RFC 5321).
pub const EMAIL_MAX_CHARS: usize = 254;
/// Display names longer than this don't fit the header and are surely a mistake.
pub const NAME_MAX_CHARS: usize = 100;

/// E-mail addresses are unique regardless of case and surrounding spaces.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks a new password against the length rules and the list of common passwords.
/// Returns every problem as a Dutch message for the person choosing it.
pub fn check_new_password(
    password: &str,
    email: &str,
    is_common: impl Fn(&str) -> bool,
) -> Result<(), Vec<String>> {
    let chars = password.chars().count();
    let mut problems = Vec::new();
    if chars < PASSWORD_MIN_CHARS {
        problems.push(format!(
            "Het wachtwoord moet minstens {PASSWORD_MIN_CHARS} tekens lang zijn (nu {chars})."
        ));
    }
    if chars > PASSWORD_MAX_CHARS {
        problems.push(format!(
            "Het wachtwoord mag hoogstens {PASSWORD_MAX_CHARS} tekens lang zijn (nu {chars})."
        ));
    }
    let lowered = password.to_lowercase();
    if is_common(&lowered) {
        problems.push(
            "Dit wachtwoord komt voor in lijsten van veelgebruikte wachtwoorden. Kies een ander."
                .to_string(),
        );
    }
    if !email.is_empty() && lowered.trim() == normalize_email(email) {
        problems.push("Het wachtwoord mag niet gelijk zijn aan het e-mailadres.".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Failed attempts allowed before back-off starts, per account and per client address.
pub const FREE_ATTEMPTS_PER_ACCOUNT: u32 = 5;
pub const FREE_ATTEMPTS_PER_ADDRESS: u32 = 20;
/// Failures older than this are forgotten.
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;
/// The longest wait back-off imposes: slow, never a permanent lockout.
pub const MAX_BACKOFF_SECS: i64 = 5 * 60;

/// How long to wait after the most recent failure before another attempt is allowed:
/// nothing for the first `free_attempts` failures, then 2, 4, 8, ... seconds, capped.
pub fn login_backoff_secs(recent_failures: u32, free_attempts: u32) -> i64 {
    if recent_failures < free_attempts {
        return 0;
    }
    let doublings = (recent_failures - free_attempts).min(16);
    (2_i64 << doublings).min(MAX_BACKOFF_SECS)
}

/// A user as the admin's user list shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: super::role::Role,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub active: bool,
    /// UTC milliseconds since 1970.
    pub created_at: i64,
    /// False for an invited account whose owner has not chosen a password yet.
    pub has_password: bool,
    /// The last successful login, UTC milliseconds.
    pub last_login_at: Option<i64>,
    /// Signs in with a second factor.
    pub two_factor: bool,
    /// A coordinator's regions in other programmes (filled in where shown).
    #[serde(default)]
    pub other_regions: Vec<super::access::ProgrammeRegion>,
    /// The regions a reviewer advises (filled in where shown).
    #[serde(default)]
    pub advised_regions: Vec<super::access::ProgrammeRegion>,
}

/// One of a user's active sessions, as "Mijn account" lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionSummary {
    /// Names the session in the form that ends it (the stored hash, not the cookie value).
    pub reference: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Browser and system, in words ("Firefox op Windows").
    pub device: String,
    pub client_address: String,
    /// The session of this very request.
    pub current: bool,
}

/// A person-readable name for a browser's user agent: enough to recognise one's own device.
pub fn describe_user_agent(user_agent: &str) -> String {
    if user_agent.trim().is_empty() {
        return "Onbekend apparaat".to_string();
    }
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map_or("een onbekende browser", |(_, name)| name);
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map_or("een onbekend systeem", |(_, name)| name);
    format!("{browser} op {system}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_agents_in_words() {
        assert_eq!(
            super::describe_user_agent(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
            ),
            "Firefox op Windows"
        );
        assert_eq!(
            super::describe_user_agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"),
            "Chrome op Linux"
        );
        assert_eq!(super::describe_user_agent(""), "Onbekend apparaat");
    }

    use super::*;

    fn never_common(_: &str) -> bool {
        false
    }

    #[test]
    fn emails_compare_without_case_or_spaces() {
        assert_eq!(
            normalize_email("  An.De.Vries@Assen.NL "),
            "an.de.vries@assen.nl"
        );
    }

    #[test]
    fn password_length_bounds_count_characters_not_bytes() {
        let table = [
            ("elf tekens!", false),
            ("twaalf tekns", true),
            ("ëëëëëëëëëëëë", true),
            (&"x".repeat(128), true),
            (&"x".repeat(129), false),
        ];
        for (password, accepted) in table {
            assert_eq!(
                check_new_password(password, "", never_common).is_ok(),
                accepted,
                "{password:?}"
            );
        }
    }

    #[test]
    fn common_passwords_are_refused_case_insensitively() {
        let list = ["welkom123456"];
        let is_common = |p: &str| list.contains(&p);
        let problems = check_new_password("Welkom123456", "", is_common).unwrap_err();
        assert!(problems[0].contains("veelgebruikte"));
    }

    #[test]
    fn no_composition_rules() {
        assert!(check_new_password("alleen kleine letters hier", "", never_common).is_ok());
    }

    #[test]
    fn password_equal_to_email_is_refused() {
        let problems =
            check_new_password("piet@assen.nl", "Piet@Assen.nl", never_common).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("e-mailadres")));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let problems = check_new_password("kort", "", |_| true).unwrap_err();
        assert_eq!(problems.len(), 2);
    }
}

#[cfg(test)]
mod backoff_tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(login_backoff_secs(0, 5), 0);
        assert_eq!(login_backoff_secs(4, 5), 0);
        assert_eq!(login_backoff_secs(5, 5), 2);
        assert_eq!(login_backoff_secs(6, 5), 4);
        assert_eq!(login_backoff_secs(9, 5), 32);
        assert_eq!(login_backoff_secs(40, 5), MAX_BACKOFF_SECS);
        assert_eq!(login_backoff_secs(u32::MAX, 5), MAX_BACKOFF_SECS);
    }
}
