//! Admins manage regions (add on `/beheer/regios`; rename, retire and reinstate on the
//! region's page) and the division of gemeenten over them (`/beheer/regios`). Every change
//! redirects back with a notice, so the forms work without JavaScript.

use crate::domain::programme::Programme;
use crate::domain::region::{Gemeente, Region};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the admin's regions page shows: every programme's regions (retired ones too) and the
/// division of its gemeenten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionsAdmin {
    pub programmes: Vec<Programme>,
    pub regions: Vec<Region>,
    pub gemeenten: Vec<Gemeente>,
}

#[server(endpoint = "regions/admin")]
pub async fn get_regions_admin() -> Result<RegionsAdmin, AppError> {
    use crate::services::{gemeenten, regions, request};
    let state = request::state()?;
    request::require_admin(&state).await?;
    Ok(RegionsAdmin {
        programmes: crate::services::programmes::list(&state.pool).await?,
        regions: regions::list(&state.pool).await?,
        gemeenten: gemeenten::all(&state.pool).await?,
    })
}

/// Adds a programme (code, name, the short name of its mark and the mark's colour); its
/// questionnaires, regions and rounds follow from the files and forms that name it.
#[server(endpoint = "programmes/add")]
pub async fn add_programme(
    new_programme: String,
    programme_name: String,
    short_name: String,
    colour: String,
) -> Result<(), AppError> {
    use crate::services::{programmes, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    // The add-region form on the same page has a field `programme` of its own.
    programmes::add(
        &state.pool,
        &request::actor(&admin),
        &new_programme,
        &programme_name,
        &short_name,
        &colour,
    )
    .await
    .map_err(|error| error.rename_field("programme", "new_programme"))?;
    redirect_to(crate::paths::REGIONS_ADMIN, "programma-toegevoegd");
    Ok(())
}

/// Adds a region to a programme (NAD when the form names none); it takes part in rounds set up
/// from now on.
#[server(endpoint = "regions/add")]
pub async fn add_region(
    code: String,
    name: String,
    lead_gemeente: String,
    programme: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::programme::DEFAULT_PROGRAMME;
    use crate::services::{regions, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let region = regions::add(
        &state.pool,
        &request::actor(&admin),
        programme.as_deref().unwrap_or(DEFAULT_PROGRAMME),
        &code,
        &name,
        &lead_gemeente,
    )
    .await?;
    redirect_to(&crate::paths::region(&region.code), "toegevoegd");
    Ok(())
}

/// Gives a region another name or centrumgemeente.
#[server(endpoint = "regions/rename")]
pub async fn rename_region(
    code: String,
    name: String,
    lead_gemeente: String,
) -> Result<(), AppError> {
    use crate::services::{regions, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let changed = regions::rename(
        &state.pool,
        &request::actor(&admin),
        &code,
        &name,
        &lead_gemeente,
    )
    .await?;
    let notice = if changed { "hernoemd" } else { "ongewijzigd" };
    redirect_to(&crate::paths::region(&code), notice);
    Ok(())
}

/// Retires a region, with a reason.
#[server(endpoint = "regions/retire")]
pub async fn retire_region(code: String, retire_reason: String) -> Result<(), AppError> {
    use crate::services::{regions, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    regions::retire(&state.pool, &request::actor(&admin), &code, &retire_reason).await?;
    redirect_to(&crate::paths::region(&code), "opgeheven");
    Ok(())
}

/// Takes a retired region into use again.
#[server(endpoint = "regions/reinstate")]
pub async fn reinstate_region(code: String) -> Result<(), AppError> {
    use crate::services::{regions, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    regions::reinstate(&state.pool, &request::actor(&admin), &code).await?;
    redirect_to(&crate::paths::region(&code), "heringevoerd");
    Ok(())
}

/// Moves a gemeente to another region, from the next round on.
#[server(endpoint = "gemeenten/move")]
pub async fn move_gemeente(gemeente_code: String, region_code: String) -> Result<(), AppError> {
    use crate::services::{gemeenten, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    gemeenten::move_to(
        &state.pool,
        &request::actor(&admin),
        &gemeente_code,
        &region_code,
    )
    .await?;
    redirect_to(crate::paths::REGIONS_ADMIN, "verplaatst");
    Ok(())
}

/// Adds a gemeente to a region, from the next round on.
#[server(endpoint = "gemeenten/add")]
pub async fn add_gemeente(
    new_gemeente_code: String,
    new_gemeente_name: String,
    new_gemeente_region: String,
) -> Result<(), AppError> {
    use crate::services::{gemeenten, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    gemeenten::add(
        &state.pool,
        &request::actor(&admin),
        &new_gemeente_code,
        &new_gemeente_name,
        &new_gemeente_region,
    )
    .await?;
    redirect_to(crate::paths::REGIONS_ADMIN, "gemeente-toegevoegd");
    Ok(())
}

/// Removes a gemeente from a programme's division, from the next round on. The form names
/// it as `PROGRAMME/CODE` (a bare code is NAD's).
#[server(endpoint = "gemeenten/remove")]
pub async fn remove_gemeente(removed_gemeente: String) -> Result<(), AppError> {
    use crate::domain::programme::DEFAULT_PROGRAMME;
    use crate::services::{gemeenten, request};
    let state = request::state()?;
    let admin = request::require_admin(&state).await?;
    let (programme, code) = removed_gemeente
        .split_once('/')
        .unwrap_or((DEFAULT_PROGRAMME, &removed_gemeente));
    gemeenten::remove(&state.pool, &request::actor(&admin), programme, code).await?;
    redirect_to(crate::paths::REGIONS_ADMIN, "gemeente-verwijderd");
    Ok(())
}

/// Goes to `path` with `notice`.
#[cfg(feature = "ssr")]
fn redirect_to(path: &str, notice: &str) {
    leptos_axum::redirect(&crate::paths::with_notice(path, notice));
}
