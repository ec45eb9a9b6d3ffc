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
use hp_db::organizers::{self, OrganizerRow};
use output::organizer;
use serde_json::value::RawValue;

/// The organizer if the caller may see it.
pub(crate) async fn visible(state: &AppState, caller: &Caller, id: i64) -> Result<OrganizerRow, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let row = organizers::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    if caller.user().is_some() && !caller.can_edit(row.ownership()) {
        return Err(ApiError::NotFound);
    }
    Ok(row)
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let rows = organizers::list(&mut conn, caller.edit_scope()).await?;
    Ok(json::ok(&rows.iter().map(organizer).collect::<Vec<_>>()))
}

pub async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let row = visible(&state, &caller, parse_id(&id)?).await?;
    Ok(json::ok(&organizer(&row)))
}

/// Writes of `organizers/`.
pub struct Organizers;

impl WriteResource for Organizers {
    type Input = hp_app::organizers::OrganizerInput;
    type Object = hp_app::changing::Organizer;

    async fn read(
        _state: &AppState,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        _version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read(body, mode)
    }

    super::writing::use_cases_of!(organizers);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        let row = visible(ctx.state, ctx.caller, id).await?;
        super::to_raw_json(vec![organizer(&row)], false)
    }
}
