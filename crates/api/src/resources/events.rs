//! `hobbyevents/`: the list (one next event per hobby unless `hobby=` is given; paged in v1)
//! and single events.

use super::{parse_id, to_raw_json, RenderContext};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::filters::{event_filter, Filtered};
use crate::json;
use crate::loaders::{hobby_bundle, hobby_bundle_with_places, unique};
use crate::origin::RequestOrigin;
use crate::pagination::{envelope, PageRequest};
use crate::params::QueryParams;
use crate::state::AppState;
use crate::version::ApiVersion;
use crate::views::{event, HobbyRenderer, Related};
use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use hp_db::events::{self, EventRow};
use hp_db::hobbies::{self, HobbyRow};
use hp_db::Conn;
use serde_json::value::RawValue;
use std::collections::HashMap;

/// Renders events; `include=hobby_detail` nests each hobby, whose location and organizer are
/// always nested in pre2/v1 and nested in pre1 only when their own includes ask.
pub(crate) async fn render_json(
    ctx: &RenderContext<'_>,
    conn: &mut Conn,
    rows: &[EventRow],
    many: bool,
) -> Result<Box<RawValue>, ApiError> {
    if !ctx.params.includes("hobby_detail") {
        return to_raw_json(rows.iter().map(|row| event(row, Related::Id(Some(row.hobby_id)))).collect(), many);
    }
    let (nest_location, nest_organizer) = match ctx.version {
        ApiVersion::Pre1 => (ctx.params.includes("location_detail"), ctx.params.includes("organizer_detail")),
        _ => (true, true),
    };
    let detailed = hobbies::get_many_with_places(conn, &unique(rows.iter().map(|r| r.hobby_id))).await?;
    let bundle = if nest_location || nest_organizer {
        hobby_bundle_with_places(conn, &detailed).await?
    } else {
        let refs: Vec<&HobbyRow> = detailed.iter().map(|d| &d.hobby).collect();
        hobby_bundle(conn, &refs, false, false).await?
    };
    let media = ctx.media();
    let renderer = HobbyRenderer {
        bundle: &bundle,
        version: ctx.version,
        nest_location,
        nest_organizer,
        media: &media,
        caller: ctx.caller,
    };
    let by_id: HashMap<i64, &HobbyRow> = detailed.iter().map(|d| (d.hobby.id, &d.hobby)).collect();
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
    let mut conn = state.db.conn().await?;
    let filter = match event_filter(&params, &caller, &mut conn, state.clock.now_local()).await? {
        Filtered::Filter(filter) => Some(filter),
        Filtered::Empty => None,
    };
    if !version.paginates() {
        let rows = match &filter {
            Some(filter) => events::list(&mut conn, filter, None).await?,
            None => Vec::new(),
        };
        return Ok(json::ok(&render_json(&ctx, &mut conn, &rows, true).await?));
    }
    let page_request = PageRequest::from_params(&params)?;
    let count = match &filter {
        Some(filter) => events::count(&mut conn, filter).await? as u64,
        None => 0,
    };
    let (number, window) = page_request.resolve(count)?;
    let rows = match &filter {
        Some(filter) if count > 0 => events::list(&mut conn, filter, Some(window)).await?,
        _ => Vec::new(),
    };
    let results = render_json(&ctx, &mut conn, &rows, true).await?;
    Ok(json::ok(&envelope(&origin, uri.path(), &params, number, page_request.size, count, results)))
}

pub async fn detail(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    params: QueryParams,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let ctx = RenderContext { state: &state, version, caller: &caller, origin: &origin, params: &params };
    let mut conn = state.db.conn().await?;
    let row = events::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    Ok(json::ok(&render_json(&ctx, &mut conn, std::slice::from_ref(&row), false).await?))
}
