//! `hobbyevents/`: the list (one next event per hobby unless `hobby=` is given; paged in v1)
//! and single events.

pub(crate) mod input;
pub(crate) mod output;
pub(crate) mod query;

use super::writing::WriteResource;
use super::{parse_id, to_raw_json, RenderContext};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::filters::Filtered;
use crate::json;
use crate::loaders::{hobby_bundle_with_places, unique};
use crate::origin::RequestOrigin;
use crate::pagination::{versioned_list, PagedList};
use crate::params::QueryParams;
use crate::resources::hobbies::output::HobbyRenderer;
use crate::state::AppState;
use crate::version::ApiVersion;
use crate::views::Related;
use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use hp_db::category_tree::CategoryTree;
use hp_db::events::{self, EventFilter, EventRow};
use hp_db::hobbies::{self, HobbyRow};
use hp_db::{Conn, DbError, Page};
use output::event;
use query::event_filter;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::Arc;

/// Renders events; `include=hobby_detail` nests each hobby, whose location and organizer are
/// always nested in pre2/v1 and nested in pre1 only when their own includes ask.
pub(crate) async fn render_json(
    ctx: &RenderContext<'_>,
    conn: &mut Conn,
    tree: Arc<CategoryTree>,
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
    let bundle = hobby_bundle_with_places(tree, &detailed);
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
    let mut conn = state.app.db.conn().await?;
    let tree = state.app.categories.tree(&mut conn).await?;
    let filter = match event_filter(&params, &caller, &mut conn, &tree, state.app.clock.now_local()).await? {
        Filtered::Filter(filter) => Some(filter),
        Filtered::Empty => None,
    };
    versioned_list(&ctx, &mut conn, tree, filter, uri.path()).await
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
    let mut conn = state.app.db.conn().await?;
    let row = events::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let tree = state.app.categories.tree(&mut conn).await?;
    Ok(json::ok(&render_json(&ctx, &mut conn, tree, std::slice::from_ref(&row), false).await?))
}

impl PagedList for EventFilter {
    type Row = EventRow;

    async fn all(&self, conn: &mut Conn) -> Result<Vec<EventRow>, DbError> {
        events::list(conn, self).await
    }

    async fn count(&self, conn: &mut Conn) -> Result<u64, DbError> {
        Ok(events::count(conn, self).await? as u64)
    }

    async fn page(&self, conn: &mut Conn, page: Page) -> Result<(Vec<EventRow>, u64), DbError> {
        events::page(conn, self, page).await
    }

    async fn render(
        ctx: &RenderContext<'_>,
        conn: &mut Conn,
        tree: Arc<CategoryTree>,
        rows: &[EventRow],
    ) -> Result<Box<RawValue>, ApiError> {
        render_json(ctx, conn, tree, rows, true).await
    }
}

/// Writes of `hobbyevents/`.
pub struct HobbyEvents;

impl WriteResource for HobbyEvents {
    type Input = hp_app::events::EventInput;
    type Object = hp_app::changing::Event;

    async fn read(
        _state: &AppState,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        _version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read(body, mode)
    }

    super::writing::use_cases_of!(events);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        let mut conn = ctx.state.app.db.conn().await?;
        let row = events::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
        let tree = ctx.state.app.categories.tree(&mut conn).await?;
        render_json(ctx, &mut conn, tree, std::slice::from_ref(&row), false).await
    }
}
