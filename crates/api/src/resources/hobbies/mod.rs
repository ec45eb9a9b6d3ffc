//! `hobbies/`: the list (paged in v1) and single hobbies.

pub(crate) mod input;
pub(crate) mod output;
pub(crate) mod query;

use super::writing::WriteResource;
use super::{parse_id, to_raw_json, RenderContext};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::filters::Filtered;
use crate::json;
use crate::loaders::hobby_bundle;
use crate::origin::RequestOrigin;
use crate::pagination::{versioned_list, PagedList};
use crate::params::QueryParams;
use crate::state::AppState;
use crate::version::ApiVersion;
use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use hp_db::category_tree::CategoryTree;
use hp_db::hobbies::{self, HobbyFilter, HobbyRow};
use hp_db::{Conn, DbError, Page};
use output::HobbyRenderer;
use query::hobby_filter;
use serde_json::value::RawValue;
use std::sync::Arc;

/// Renders hobbies with what their includes need.
pub(crate) async fn render_json(
    ctx: &RenderContext<'_>,
    conn: &mut Conn,
    tree: Arc<CategoryTree>,
    rows: &[HobbyRow],
    many: bool,
) -> Result<Box<RawValue>, ApiError> {
    let nest_location = ctx.params.includes("location_detail");
    let nest_organizer = ctx.params.includes("organizer_detail");
    let refs: Vec<&HobbyRow> = rows.iter().collect();
    let bundle = hobby_bundle(conn, tree, &refs, nest_location, nest_organizer).await?;
    let media = ctx.media();
    let renderer = HobbyRenderer {
        bundle: &bundle,
        version: ctx.version,
        nest_location,
        nest_organizer,
        media: &media,
        caller: ctx.caller,
    };
    to_raw_json(rows.iter().map(|row| renderer.render(row)).collect(), many)
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
    let filter = match hobby_filter(&params, &caller, &tree)? {
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
    let row = hobbies::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let tree = state.app.categories.tree(&mut conn).await?;
    Ok(json::ok(&render_json(&ctx, &mut conn, tree, std::slice::from_ref(&row), false).await?))
}

impl PagedList for HobbyFilter {
    type Row = HobbyRow;

    async fn all(&self, conn: &mut Conn) -> Result<Vec<HobbyRow>, DbError> {
        hobbies::list(conn, self).await
    }

    async fn count(&self, conn: &mut Conn) -> Result<u64, DbError> {
        Ok(hobbies::count(conn, self).await? as u64)
    }

    async fn page(&self, conn: &mut Conn, page: Page) -> Result<(Vec<HobbyRow>, u64), DbError> {
        hobbies::page(conn, self, page).await
    }

    async fn render(
        ctx: &RenderContext<'_>,
        conn: &mut Conn,
        tree: Arc<CategoryTree>,
        rows: &[HobbyRow],
    ) -> Result<Box<RawValue>, ApiError> {
        render_json(ctx, conn, tree, rows, true).await
    }
}

/// Writes of `hobbies/`.
pub struct Hobbies;

impl WriteResource for Hobbies {
    type Input = hp_app::hobbies::HobbyInput;
    type Object = hp_app::changing::Hobby;

    async fn read(
        state: &AppState,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read_versioned(body, mode, version, state.config.image_limits).await
    }

    super::writing::use_cases_of!(hobbies);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        let mut conn = ctx.state.app.db.conn().await?;
        let row = hobbies::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
        let tree = ctx.state.app.categories.tree(&mut conn).await?;
        render_json(ctx, &mut conn, tree, std::slice::from_ref(&row), false).await
    }
}
