//! The national picture of a round, for reviewers and admins.

use crate::domain::national::NationalPicture;
use crate::error::AppError;
use leptos::prelude::*;

/// Per item, how the regions that submitted answered, beside the compared round; `section`
/// empty for every section. `compared_with` picks another earlier round to compare with
/// (such as the same round a year earlier); empty or absent for the round's own.
#[server(endpoint = "national")]
pub async fn get_national_picture(
    round_id: String,
    section: String,
    compared_with: Option<String>,
) -> Result<NationalPicture, AppError> {
    use crate::services::{national, request};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    let section = Some(section.as_str()).filter(|s| !s.is_empty());
    national::picture_compared_with(&state, &user, &round_id, section, compared_with.as_deref())
        .await
}
