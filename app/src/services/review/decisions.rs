//! Sending a response back, approving it with the reviewer's password, and voiding an
//! approval: each checked against `domain::review` and recorded in the audit log.

use super::*;

/// Sends a response back to the region's coordinators with a reason: a submitted one
/// (`ReviewAction::Return`) or an approved one, voiding the approval (`ReviewAction::Reopen`).
pub async fn send_back(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    action: ReviewAction,
    reason: &str,
) -> Result<(), AppError> {
    if action == ReviewAction::Approve {
        return Err(AppError::internal(
            "an approval reached the path for returns",
            "act_with_reason",
        ));
    }
    let reason = check_reason(reason).map_err(|message| AppError::field("reason", message))?;
    act(state, user, response_id, action, Some(&reason)).await
}

/// Approves a submitted response. The reviewer signs, as on paper: with a current code of
/// their second factor, or without one with their password. A wrong one approves nothing and
/// is recorded.
pub async fn approve(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> Result<(), AppError> {
    let (response, _) = reviewable(state, user, response_id).await?;
    let with_code = crate::services::two_factor::is_enabled(&state.pool, &user.id).await?;
    let what = if with_code {
        "de code"
    } else {
        "uw wachtwoord"
    };
    if password.is_empty() {
        return Err(AppError::field(
            "password",
            format!("Vul {what} in om de goedkeuring te ondertekenen."),
        ));
    }
    let wrong = if with_code {
        "De code klopt niet. De vragenlijst is niet goedgekeurd."
    } else {
        "Het wachtwoord klopt niet. De vragenlijst is niet goedgekeurd."
    };
    if password.len() > 1024 {
        return Err(AppError::field("password", wrong));
    }
    // The same back-off as logging in: signing is no way around it.
    let signed = if with_code {
        crate::services::two_factor::check_code(&state.pool, user, password, client).await?
    } else {
        crate::services::auth::confirm_password(&state.pool, user, password, client).await?
    };
    if !signed {
        audit::record(
            &state.pool,
            &actor(user),
            Event {
                kind: "approval_failed",
                region_code: Some(&response.region_code),
                subject: Some(&response.id),
                details: json!({
                    "round": response.round.name,
                    "why": if with_code { "wrong code" } else { "wrong password" },
                }),
            },
        )
        .await?;
        return Err(AppError::field("password", wrong));
    }
    act(state, user, response_id, ReviewAction::Approve, None).await
}

/// A response a reviewer or admin may act on, with its questionnaire version. Coordinators
/// are refused before anything else.
pub(super) async fn reviewable(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
) -> Result<(Response, std::sync::Arc<LoadedVersion>), AppError> {
    if !matches!(user.role, Role::Reviewer | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    responses::readable(state, user, response_id).await
}

/// Four eyes: a region adviser who submitted a response does not approve it too.
async fn refuse_own_submission(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
) -> Result<(), AppError> {
    let submitted_by: Option<String> =
        sqlx::query_scalar("SELECT submitted_by FROM responses WHERE id = $1")
            .bind(response_id)
            .fetch_optional(&state.pool)
            .await?
            .flatten();
    if submitted_by.as_deref() == Some(user.id.as_str()) {
        return Err(AppError::Conflict(
            "U hebt deze vragenlijst zelf ingediend, als regioadviseur. Een andere beoordelaar keurt haar goed."
                .to_string(),
        ));
    }
    Ok(())
}

pub(super) async fn act(
    state: &AppState,
    user: &SignedInUser,
    response_id: &str,
    action: ReviewAction,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let (response, version) = reviewable(state, user, response_id).await?;
    let target = check_action(user.role, response.status, response.round.state, action)
        .map_err(AppError::Conflict)?;
    if action == ReviewAction::Approve {
        refuse_own_submission(state, user, &response.id).await?;
    }
    let now = now_ms();
    let mut tx = state.pool.begin().await?;
    let query = match action {
        // The submission stays in the audit log; the response shows the return instead.
        ReviewAction::Return | ReviewAction::Reopen => sqlx::query(
            "UPDATE responses SET status = $1, returned_at = $2, returned_by = $3, \
             return_reason = $4, submitted_at = NULL, submitted_by = NULL, approved_at = NULL, \
             approved_by = NULL, agreed_with = NULL, agreed_on = NULL \
             WHERE id = $5 AND status = $6",
        )
        .bind(target.as_str())
        .bind(now)
        .bind(&user.id)
        .bind(reason)
        .bind(&response.id)
        .bind(response.status.as_str()),
        ReviewAction::Approve => sqlx::query(
            "UPDATE responses SET status = $1, approved_at = $2, approved_by = $3 \
             WHERE id = $4 AND status = $5",
        )
        .bind(target.as_str())
        .bind(now)
        .bind(&user.id)
        .bind(&response.id)
        .bind(response.status.as_str()),
    };
    let changed = query.execute(&mut *tx).await?.rows_affected();
    if changed != 1 {
        return Err(AppError::Conflict(
            "De status van deze vragenlijst is net gewijzigd. Laad de pagina opnieuw.".to_string(),
        ));
    }
    audit::record(
        &mut *tx,
        &actor(user),
        Event {
            kind: action.audit_kind(),
            region_code: Some(&response.region_code),
            subject: Some(&response.id),
            details: json!({
                "round": response.round.name,
                "from": response.status.as_str(),
                "to": target.as_str(),
                "reason": reason,
            }),
        },
    )
    .await?;
    let mail = &state.config.mail;
    match action {
        ReviewAction::Return | ReviewAction::Reopen => {
            let question = |key: &str| question_label(&version, key);
            notices::response_returned(
                &mut tx,
                mail,
                &response,
                reason.unwrap_or_default(),
                question,
            )
            .await?
        }
        ReviewAction::Approve => notices::response_approved(&mut tx, mail, &response).await?,
    }
    tx.commit().await?;
    Ok(())
}
