//! Accounts people manage themselves: choosing a password through an invitation or reset
//! link, asking for a reset link, and "Mijn account" (details, password, sessions).

use crate::domain::account::SessionSummary;
use crate::domain::role::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the page behind a link shows before the password is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    /// An invitation (first password) rather than a reset.
    pub invitation: bool,
    pub email: String,
    pub display_name: String,
}

/// The account behind an invitation or reset link, or why the link can't be used. Needs no
/// login: the link is the proof.
#[server(endpoint = "account/link")]
pub async fn inspect_link(token: String) -> Result<LinkView, AppError> {
    use crate::services::{account_links, request};
    let state = request::state()?;
    let holder = account_links::inspect(&state.pool, &token).await?;
    Ok(LinkView {
        invitation: holder.purpose() == account_links::Purpose::Invitation,
        email: holder.email,
        display_name: holder.display_name,
    })
}

/// Sets the password chosen through a link; every session of the account ends, and the
/// person logs in with the new password.
#[server(endpoint = "account/choose_password")]
pub async fn choose_password(token: String, password: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::{account_links, request};
    let state = request::state()?;
    account_links::choose_password(&state.pool, &state.config.mail, &token, password).await?;
    leptos_axum::redirect(&paths::with_query(paths::LOGIN, "wachtwoord=gekozen"));
    Ok(())
}

/// "Wachtwoord vergeten?": always the same answer, whether the address has an account or not.
#[server(endpoint = "account/forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::paths;
    use crate::services::{account_links, request};
    let state = request::state()?;
    account_links::request_reset(
        &state.pool,
        &state.config.mail,
        &email,
        request::client_address(),
    )
    .await?;
    leptos_axum::redirect(&paths::with_query(paths::FORGOT_PASSWORD, "verstuurd=1"));
    Ok(())
}

/// "Mijn account": who the user is and where they are logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub region_name: Option<String>,
    pub last_login_at: Option<i64>,
    pub sessions: Vec<SessionSummary>,
    /// The optional notices of this role: (kind, what it is, wanted).
    pub notices: Vec<(String, String, bool)>,
    pub two_factor: TwoFactorStatus,
}

/// Two-factor sign-in as "Mijn account" shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    /// Since when it is on, if it is.
    pub enabled_at: Option<i64>,
    /// Required for this role (admins and reviewers): it can be replaced, not switched off.
    pub required: bool,
    pub recovery_codes_left: i64,
}

#[server(endpoint = "account")]
pub async fn my_account() -> Result<AccountView, AppError> {
    use crate::domain::notice::optional_kinds_for;
    use crate::services::{notices, request, sessions, two_factor, users};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let summary = users::find(&state.pool, &user.id).await?;
    let opted_out = notices::opted_out(&state.pool, &user.id).await?;
    let two_factor = TwoFactorStatus {
        enabled_at: two_factor::enabled_at(&state.pool, &user.id).await?,
        required: crate::services::auth::two_factor_required(user.role),
        recovery_codes_left: two_factor::recovery_codes_left(&state.pool, &user.id).await?,
    };
    let notices = optional_kinds_for(user.role)
        .into_iter()
        .map(|(kind, label)| {
            let wanted = !opted_out.iter().any(|out| out == kind);
            (kind.to_string(), label.to_string(), wanted)
        })
        .collect();
    let sessions = sessions::list_for_user(
        &state.pool,
        &state.config,
        &user.id,
        request::session_token().as_deref(),
    )
    .await?;
    Ok(AccountView {
        display_name: summary.display_name,
        email: summary.email,
        role: summary.role,
        region_name: summary.region_name,
        last_login_at: summary.last_login_at,
        sessions,
        notices,
        two_factor,
    })
}

/// Which optional notices the user wants (the checked boxes; none checked: none).
#[server(endpoint = "account/notices")]
pub async fn set_notices(wanted: Option<Vec<String>>) -> Result<(), AppError> {
    use crate::services::{notices, request};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    notices::set_wanted(&state.pool, &user.id, &wanted.unwrap_or_default()).await?;
    back_to_account("berichten");
    Ok(())
}

/// Changes one's own password: the current one is required (with the login back-off); every
/// other session ends and a mail says it happened.
#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::services::{request, users};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let keep = request::session_token().ok_or(AppError::Unauthorized)?;
    users::change_own_password(
        &state.pool,
        &state.config.mail,
        &user,
        &keep,
        &current_password,
        new_password,
        request::client_address(),
    )
    .await?;
    back_to_account("wachtwoord");
    Ok(())
}

/// Ends one of the user's own sessions (`session` is a reference from the list), or with
/// `session = "anderen"` every session but this one.
#[server(endpoint = "account/end_session")]
pub async fn end_session(session: String) -> Result<(), AppError> {
    use crate::services::{request, sessions};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let current = request::session_token().ok_or(AppError::Unauthorized)?;
    if session == "anderen" {
        sessions::end_others(&state.pool, &user.id, &current).await?;
        back_to_account("anderen");
    } else if sessions::end_own(&state.pool, &user.id, &session).await? {
        back_to_account("sessie");
    } else {
        return Err(AppError::BadRequest(
            "Deze sessie bestaat niet (meer). Misschien was ze al beëindigd.".to_string(),
        ));
    }
    Ok(())
}

/// Returns to the account page with `notice`.
#[cfg(feature = "ssr")]
fn back_to_account(notice: &str) {
    use crate::paths;
    leptos_axum::redirect(&paths::with_notice(paths::ACCOUNT, notice));
}
