//! `hobbyevents/`: the list (one next event per hobby unless `hobby=` is given; paged in v1)
//! and single events.

pub(crate) mod input;
pub(crate) mod output;
pub(crate) mod query;

use super::detail::{one, ReadOne};
use super::writing::WriteResource;
use super::{to_raw_json, RenderContext};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::origin::RequestOrigin;
use crate::pagination::{list_answer, window};
use crate::params::QueryParams;
use crate::resources::hobbies::output::HobbyRenderer;
use crate::resources::hobbies::place_includes;
use crate::state::AppState;
use crate::version::ApiVersion;
use crate::views::Related;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use hp_app::reading::{PlaceIncludes, Reading};
use hp_app::{events, hobbies, listing};
use hp_db::events::EventRow;
use hp_db::hobbies::HobbyRow;
use output::event;
use query::event_query;
use serde_json::value::RawValue;
use std::collections::HashMap;

/// Renders events; `include=hobby_detail` nests each hobby, whose location and organizer are
/// always nested in pre2/v1 and nested in pre1 only when their own includes ask.
pub(crate) async fn render_json(
    ctx: &RenderContext<'_>,
    reading: &mut Reading,
    rows: &[EventRow],
    many: bool,
) -> Result<Box<RawValue>, ApiError> {
    if !ctx.params.includes("hobby_detail") {
        return to_raw_json(rows.iter().map(|row| event(row, Related::Id(Some(row.hobby_id)))).collect(), many);
    }
    let includes = match ctx.version {
        ApiVersion::Pre1 => place_includes(ctx.params),
        _ => PlaceIncludes { location: true, organizer: true },
    };
    let hobby_ids: Vec<i64> = rows.iter().map(|r| r.hobby_id).collect();
    let (detailed, bundle) = hobbies::with_places(reading, &hobby_ids).await?;
    let media = ctx.media();
    let renderer = HobbyRenderer { bundle: &bundle, version: ctx.version, includes, media: &media, caller: ctx.caller };
    let by_id: HashMap<i64, &HobbyRow> = detailed.iter().map(|hobby| (hobby.id, hobby)).collect();
    let items = rows
        .iter()
        .map(|row| event(row, Related::Nested(by_id.get(&row.hobby_id).map(|hobby| renderer.render(hobby)))))
        .collect();
    to_raw_json(items, many)
}

pub async fn list(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    params: QueryParams,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, ApiError> {
    let ctx = RenderContext { state: &state, version, caller: &caller, origin: &origin, params: &params };
    let mut reading = Reading::begin(&state.app).await?;
    let query = event_query(&params, &mut reading, state.app.clock.now_local()).await?;
    let listed = listing::list(&mut reading, &caller, query, window(&ctx)?).await?;
    let results = render_json(&ctx, &mut reading, &listed.rows, true).await?;
    Ok(list_answer(&ctx, uri.path(), listed.page, results))
}

impl ReadOne for HobbyEvents {
    type Row = EventRow;

    async fn get(reading: &mut Reading, id: i64) -> Result<EventRow, hp_app::AppError> {
        events::get(reading, id).await
    }

    async fn render(
        ctx: &RenderContext<'_>,
        reading: &mut Reading,
        rows: &[EventRow],
        many: bool,
    ) -> Result<Box<RawValue>, ApiError> {
        render_json(ctx, reading, rows, many).await
    }
}

/// Writes of `hobbyevents/`.
pub struct HobbyEvents;

impl WriteResource for HobbyEvents {
    type Input = hp_app::events::EventInput;
    type Object = hp_app::changing::Event;

    async fn read(
        _limits: hp_app::images::ImageLimits,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        _version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read(body, mode)
    }

    super::writing::use_cases_of!(events);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        one::<Self>(ctx, id).await
    }
}
