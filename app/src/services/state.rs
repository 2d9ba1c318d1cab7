//! What every request needs: the database pool and the configuration, made once at start.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::AnyPool;
use std::sync::Arc;

/// Settings that change how sessions, cookies and client addresses behave.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark the session cookie `Secure` and give it the `__Host-` prefix (behind HTTPS).
    pub secure_cookies: bool,
    /// A session ends after this long without a request.
    pub session_idle_secs: i64,
    /// A session ends this long after login, however active.
    pub session_absolute_secs: i64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see `client_address`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where mail goes, who sends it, and the address in its links.
    pub mail: super::mail::MailSettings,
    /// The operator's own texts of the information pages (`NAD_CONTENT_DIR`), if any.
    pub content_dir: Option<std::path::PathBuf>,
    /// The platform's name, colours and logo, and the open data's licence.
    pub branding: crate::domain::branding::Branding,
    /// The logo file served at `branding::LOGO_PATH` (SVG or PNG), if any.
    pub logo_file: Option<std::path::PathBuf>,
    /// The operator's theme (`NAD_THEME_CSS`), checked at start, served after the brand colours.
    pub theme_css: Option<String>,
}

/// OWASP ASVS level 2 (3.3.1, 3.3.2): 30 minutes idle, 12 hours absolute.
pub const DEFAULT_SESSION_IDLE_SECS: i64 = 30 * 60;
pub const DEFAULT_SESSION_ABSOLUTE_SECS: i64 = 12 * 60 * 60;

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            session_idle_secs: DEFAULT_SESSION_IDLE_SECS,
            session_absolute_secs: DEFAULT_SESSION_ABSOLUTE_SECS,
            trusted_proxies: Vec::new(),
            mail: super::mail::MailSettings::default(),
            content_dir: None,
            branding: crate::domain::branding::Branding::default(),
            logo_file: None,
            theme_css: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: AnyPool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// Parsed questionnaire versions, filled on first use.
    pub questionnaires: Arc<super::questionnaires::Cache>,
    /// Each response's completeness figures, kept while its answers do not change.
    pub counts: Arc<super::counts::Cache>,
    /// The most recently used responses' answers and evaluation, kept while unchanged.
    pub snapshots: Arc<super::snapshots::Cache>,
    /// Each round's national tally, kept while its responses do not change.
    pub tallies: Arc<super::national::TallyCache>,
    /// Every publication, read once and dropped when an edition is added.
    pub publications: Arc<super::publications::Cache>,
    /// The open data files made so far (editions never change).
    pub open_data: Arc<super::open_data::Cache>,
    /// On SQLite, answer saves wait their turn here rather than in SQLite's busy handler,
    /// which sleeps in growing steps (1, 2, 5, 10 ms…) and so makes the slowest saves slow.
    /// `None` on PostgreSQL, where saves lock only their own response's row.
    pub sqlite_writes: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl AppState {
    /// A parsed questionnaire version, kept in `questionnaires` after its first use.
    pub async fn questionnaire_version(
        &self,
        identifier: &str,
        version: &str,
    ) -> Result<Arc<super::questionnaires::LoadedVersion>, crate::error::AppError> {
        self.questionnaires
            .get(&self.pool, identifier, version)
            .await
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
