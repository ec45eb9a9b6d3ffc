//! `organizers/`: anonymous callers see all (by name); signed-in users only those they may
//! edit, and others' are "not found" to them (quirks.md 16, kept for the web UI).

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
use hp_app::organizers;
use output::organizer;
use serde_json::value::RawValue;

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let rows = organizers::list(&state.app, &caller).await?;
    Ok(json::ok(&rows.iter().map(organizer).collect::<Vec<_>>()))
}

pub async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let row = organizers::get(&state.app, &caller, parse_id(&id)?).await?;
    Ok(json::ok(&organizer(&row)))
}

/// Writes of `organizers/`.
pub struct Organizers;

impl WriteResource for Organizers {
    type Input = hp_app::organizers::OrganizerInput;
    type Object = hp_app::changing::Organizer;

    async fn read(
        _limits: hp_app::images::ImageLimits,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        _version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read(body, mode)
    }

    super::writing::use_cases_of!(organizers);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        let row = organizers::get(&ctx.state.app, ctx.caller, id).await?;
        super::to_raw_json(vec![organizer(&row)], false)
    }
}
