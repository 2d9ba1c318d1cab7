//! Measurement rounds: reviewers and admins read them, only admins change them. Every change
//! redirects back to the round's page with a notice, so the forms work without JavaScript.

use crate::domain::round::{RoundDetail, RoundSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// Every round, newest first.
#[server(endpoint = "rounds")]
pub async fn list_rounds() -> Result<Vec<RoundSummary>, AppError> {
    use crate::services::{request, rounds};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    let mut list = rounds::list(&state.pool).await?;
    list.retain(|round| round.state.visible_to(user.role));
    Ok(list)
}

/// One round with its participating regions and their responses, for the admin's round page.
#[server(endpoint = "round")]
pub async fn get_round(id: String) -> Result<RoundDetail, AppError> {
    use crate::services::{request, rounds};
    let state = request::state()?;
    request::require_admin(&state).await?;
    rounds::find(&state.pool, &id).await
}

/// Sets up a round in concept; the admin opens it when it is ready.
#[server(endpoint = "rounds/create")]
pub async fn create_round(
    name: String,
    questionnaire: String,
    opens_at: String,
    deadline: String,
    compared_round_id: Option<String>,
    /// The participating regions' codes (the form's checked boxes); none is an error.
    regions: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::domain::round::RoundState;
    use crate::services::{request, rounds};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let Some((identifier, version)) = questionnaire.split_once('/') else {
        return Err(AppError::field(
            "questionnaire",
            "Kies de vragenlijstversie van deze meting.",
        ));
    };
    let opens = day_start("opens_at", &opens_at)?;
    let closes = day_end("deadline", &deadline)?;
    let regions = of_questionnaires_programme(&state.pool, identifier, version, regions).await?;
    let id = rounds::create(
        &state.pool,
        &request::actor(&admin),
        rounds::NewRound {
            name,
            questionnaire_id: identifier.to_string(),
            questionnaire_version: version.to_string(),
            state: RoundState::Concept,
            opens_at: opens,
            deadline: closes,
            compared_round_id,
            region_codes: Some(regions),
        },
    )
    .await?;
    back_to_round(&id, "aangemaakt");
    Ok(())
}

/// The form lists every programme's regions, checked; the questionnaire decides which
/// programme's take part. The checked regions of other programmes are left out; unknown codes
/// stay, for `rounds::create` to refuse.
#[cfg(feature = "ssr")]
async fn of_questionnaires_programme(
    pool: &sqlx::AnyPool,
    identifier: &str,
    version: &str,
    checked: Option<Vec<String>>,
) -> Result<Vec<String>, AppError> {
    use crate::services::{questionnaires, regions};
    let checked = checked.unwrap_or_default();
    let Some(programme) = questionnaires::programme_of(pool, identifier, version).await? else {
        return Ok(checked);
    };
    let all = regions::list(pool).await?;
    Ok(checked
        .into_iter()
        .filter(|code| {
            all.iter()
                .find(|region| &region.code == code)
                .is_none_or(|region| region.programme_code == programme)
        })
        .collect())
}

/// Moves a round to its next state (open, closed, published, or open again), with the
/// admin's reason (`state_reason`: required to open a closed round again, optional otherwise).
#[server(endpoint = "rounds/state")]
pub async fn change_round_state(
    round_id: String,
    state: String,
    state_reason: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::round::RoundState;
    use crate::services::{request, rounds};
    let app = request::state()?;
    let admin = request::require_admin(&app).await?;
    let target: RoundState = state.parse().map_err(AppError::BadRequest)?;
    if target == RoundState::Published {
        // Publishing freezes what becomes public; without conclusions when asked this way
        // (the publish page, with its preview, is the usual way).
        crate::services::publications::publish(&app, &request::actor(&admin), &round_id, "")
            .await?;
    } else {
        rounds::change_state_with_reason(
            &app.pool,
            &app.config.mail,
            &request::actor(&admin),
            &round_id,
            target,
            state_reason.as_deref().unwrap_or_default(),
        )
        .await
        .map_err(|error| error.rename_field("reason", "state_reason"))?;
    }
    back_to_round(&round_id, target.code());
    Ok(())
}

/// Changes a round's name, opening date and deadline. The fields have names of their own, as
/// the form shares a page with the deadline form of one region.
#[server(endpoint = "rounds/update")]
pub async fn update_round(
    round_id: String,
    round_name: String,
    round_opens_at: String,
    round_deadline: String,
) -> Result<(), AppError> {
    use crate::services::{request, rounds};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let opens_at = day_start("round_opens_at", &round_opens_at)?;
    let deadline = day_end("round_deadline", &round_deadline)?;
    let change = rounds::DetailsChange {
        name: round_name,
        opens_at,
        deadline,
    };
    let changed = rounds::update_details(&state.pool, &request::actor(&admin), &round_id, change)
        .await
        .map_err(|error| {
            error
                .rename_field("name", "round_name")
                .rename_field("opens_at", "round_opens_at")
                .rename_field("deadline", "round_deadline")
        })?;
    back_to_round(&round_id, if changed { "gewijzigd" } else { "ongewijzigd" });
    Ok(())
}

/// Chooses the earlier round a round is compared with (empty: none).
#[server(endpoint = "rounds/comparison")]
pub async fn set_round_comparison(
    round_id: String,
    compared_round_id: String,
) -> Result<(), AppError> {
    use crate::services::{request, rounds};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    rounds::set_compared(
        &state.pool,
        &request::actor(&admin),
        &round_id,
        Some(&compared_round_id),
    )
    .await?;
    back_to_round(&round_id, "vergelijking");
    Ok(())
}

/// Gives one region a later deadline, with a reason.
#[server(endpoint = "rounds/deadline")]
pub async fn extend_region_deadline(
    round_id: String,
    region_code: String,
    deadline: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::services::{request, rounds};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let closes = day_end("deadline", &deadline)?;
    rounds::extend_deadline(
        &state.pool,
        &request::actor(&admin),
        &round_id,
        &region_code,
        closes,
        &reason,
    )
    .await?;
    back_to_round(&round_id, "deadline");
    Ok(())
}

/// Opens one region's submitted response again, with a reason. Its fields have names of their
/// own, as the form shares a page with the deadline form.
#[server(endpoint = "rounds/reopen")]
pub async fn reopen_region_response(
    round_id: String,
    reopen_region: String,
    reopen_reason: String,
) -> Result<(), AppError> {
    use crate::services::{request, rounds};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    rounds::reopen_response(
        &state.pool,
        &request::actor(&admin),
        &round_id,
        &reopen_region,
        &reopen_reason,
    )
    .await
    .map_err(|error| {
        error
            .rename_field("region_code", "reopen_region")
            .rename_field("reason", "reopen_reason")
    })?;
    back_to_round(&round_id, "heropend");
    Ok(())
}

/// Returns to the round's admin page with `notice`.
#[cfg(feature = "ssr")]
fn back_to_round(round_id: &str, notice: &str) {
    use crate::paths;
    leptos_axum::redirect(&paths::with_notice(&paths::round(round_id), notice));
}

/// The first moment of a date typed in a form field named `field`.
#[cfg(feature = "ssr")]
fn day_start(field: &str, text: &str) -> Result<i64, AppError> {
    crate::domain::round::day_start(text).map_err(|message| AppError::field(field, message))
}

/// The last moment of a date typed in a form field named `field`: a deadline lasts all day.
#[cfg(feature = "ssr")]
fn day_end(field: &str, text: &str) -> Result<i64, AppError> {
    crate::domain::round::day_end(text).map_err(|message| AppError::field(field, message))
}
