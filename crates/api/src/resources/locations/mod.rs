//! `locations/`: visibility as for organizers; GeoJSON coordinates, `lat`/`lon` in pre1.

pub(crate) mod input;
pub(crate) mod output;

use super::parse_id;
use super::writing::WriteResource;
use super::RenderContext;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::json;
use crate::state::AppState;
use crate::version::ApiVersion;
use axum::extract::{Path, State};
use axum::response::Response;
use hp_db::locations::{self, LocationRow};
use output::versioned_location;
use serde_json::value::RawValue;

/// The location if the caller may see it.
pub(crate) async fn visible(state: &AppState, caller: &Caller, id: i64) -> Result<LocationRow, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let row = locations::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    if caller.user().is_some() && !caller.can_edit(row.ownership()) {
        return Err(ApiError::NotFound);
    }
    Ok(row)
}

pub async fn list(State(state): State<AppState>, version: ApiVersion, caller: Caller) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let rows = locations::list(&mut conn, caller.edit_scope()).await?;
    Ok(json::ok(&rows.iter().map(|r| versioned_location(r, version)).collect::<Vec<_>>()))
}

pub async fn detail(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let row = visible(&state, &caller, parse_id(&id)?).await?;
    Ok(json::ok(&versioned_location(&row, version)))
}

/// Writes of `locations/`.
pub struct Locations;

impl WriteResource for Locations {
    type Input = hp_app::locations::LocationInput;
    type Object = hp_app::changing::Location;

    async fn read(
        _state: &AppState,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read_versioned(body, mode, version)
    }

    super::writing::use_cases_of!(locations);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        let row = visible(ctx.state, ctx.caller, id).await?;
        super::to_raw_json(vec![versioned_location(&row, ctx.version)], false)
    }
}
