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
use hp_app::locations;
use output::versioned_location;
use serde_json::value::RawValue;

pub async fn list(State(state): State<AppState>, version: ApiVersion, caller: Caller) -> Result<Response, ApiError> {
    let rows = locations::list(&state.app, &caller).await?;
    Ok(json::ok(&rows.iter().map(|r| versioned_location(r, version)).collect::<Vec<_>>()))
}

pub async fn detail(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let row = locations::get(&state.app, &caller, parse_id(&id)?).await?;
    Ok(json::ok(&versioned_location(&row, version)))
}

/// Writes of `locations/`.
pub struct Locations;

impl WriteResource for Locations {
    type Input = hp_app::locations::LocationInput;
    type Object = hp_app::changing::Location;

    async fn read(
        _limits: hp_app::images::ImageLimits,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read_versioned(body, mode, version)
    }

    super::writing::use_cases_of!(locations);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        let row = locations::get(&ctx.state.app, ctx.caller, id).await?;
        super::to_raw_json(vec![versioned_location(&row, ctx.version)], false)
    }
}
