//! Regions: the list for reviewers and admins, and one region's start page; for admins, the
//! management of regions and of the division of gemeenten over them (`regions/management.rs`).

use crate::domain::region::{Gemeente, Region};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A colleague who works on the region's questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub display_name: String,
    pub email: String,
}

/// What a region's start page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOverview {
    pub region: Region,
    pub coordinators: Vec<Colleague>,
    /// The region's advisers (regioadviseurs), who fill in with the region.
    #[serde(default)]
    pub advisers: Vec<Colleague>,
    /// The gemeenten that belong to the region now.
    pub gemeenten: Vec<Gemeente>,
    /// Whether the one asking may rename and retire the region (an admin).
    pub may_manage: bool,
}

mod management;

pub use management::*;

/// Every region; for reviewers and admins.
#[server(endpoint = "regions")]
pub async fn list_regions() -> Result<Vec<Region>, AppError> {
    use crate::services::{regions, request};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    regions::list(&state.pool).await
}

/// Every programme, NAD first: the headings of the regions page and the admin's forms.
#[server(endpoint = "programmes")]
pub async fn list_programmes() -> Result<Vec<crate::domain::programme::Programme>, AppError> {
    use crate::services::{programmes, request};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    if !user.may_view_all_regions() {
        return Err(AppError::Forbidden);
    }
    programmes::list(&state.pool).await
}

/// One region with its coordinators; a coordinator may only open their own region.
#[server(endpoint = "region")]
pub async fn get_region(code: String) -> Result<RegionOverview, AppError> {
    use crate::services::{gemeenten, regions, request, users};
    let state = request::state()?;
    let user = request::require_user(&state).await?;
    if !user.may_view_region(&code) {
        return Err(AppError::Forbidden);
    }
    let region = regions::find(&state.pool, &code).await?;
    let coordinators = users::coordinators_of(&state.pool, &code)
        .await?
        .into_iter()
        .map(|user| Colleague {
            display_name: user.display_name,
            email: user.email,
        })
        .collect();
    let advisers = users::advised_regions::advisers_of(&state.pool, &code)
        .await?
        .into_iter()
        .map(|(_, display_name, email)| Colleague {
            display_name,
            email,
        })
        .collect();
    let gemeenten = gemeenten::of_region(&state.pool, &code).await?;
    Ok(RegionOverview {
        region,
        coordinators,
        advisers,
        gemeenten,
        may_manage: user.is_admin(),
    })
}
