//! `promotions/`: a bare array in every version, filtered and ordered by distance.

pub(crate) mod input;
pub(crate) mod output;
pub(crate) mod query;

use super::writing::WriteResource;
use super::{parse_id, to_raw_json, RenderContext};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::filters::Filtered;
use crate::json;
use crate::loaders::unique;
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::resources::locations::output::location;
use crate::resources::organizers::output::organizer;
use crate::state::AppState;
use crate::version::ApiVersion;
use crate::views::Related;
use axum::extract::{Path, State};
use axum::response::Response;
use hp_db::promotions::{self, PromotionRow};
use hp_db::{locations, organizers, Conn};
use output::promotion;
use query::promotion_filter;
use serde_json::value::RawValue;
use std::collections::HashMap;

pub(crate) async fn render_json(
    ctx: &RenderContext<'_>,
    conn: &mut Conn,
    rows: &[PromotionRow],
    many: bool,
) -> Result<Box<RawValue>, ApiError> {
    let nest_location = ctx.params.includes("location_detail");
    let nest_organizer = ctx.params.includes("organizer_detail");
    let location_rows = if nest_location {
        locations::get_many(conn, &unique(rows.iter().map(|r| r.location_id))).await?
    } else {
        Vec::new()
    };
    let organizer_rows = if nest_organizer {
        organizers::get_many(conn, &unique(rows.iter().map(|r| r.organizer_id))).await?
    } else {
        Vec::new()
    };
    let locations_by_id: HashMap<i64, _> = location_rows.iter().map(|l| (l.id, l)).collect();
    let organizers_by_id: HashMap<i64, _> = organizer_rows.iter().map(|o| (o.id, o)).collect();
    let media = ctx.media();
    let items = rows
        .iter()
        .map(|row| {
            let organizer = if nest_organizer {
                Related::Nested(organizers_by_id.get(&row.organizer_id).map(|o| organizer(o)))
            } else {
                Related::Id(Some(row.organizer_id))
            };
            let location = if nest_location {
                Related::Nested(locations_by_id.get(&row.location_id).map(|l| location(l)))
            } else {
                Related::Id(Some(row.location_id))
            };
            promotion(row, &media, organizer, location)
        })
        .collect();
    to_raw_json(items, many)
}

pub async fn list(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    params: QueryParams,
) -> Result<Response, ApiError> {
    let ctx = RenderContext { state: &state, version, caller: &caller, origin: &origin, params: &params };
    let mut conn = state.app.db.conn().await?;
    let rows = match promotion_filter(&params, &caller, state.app.clock.now_local())? {
        Filtered::Filter(filter) => promotions::list(&mut conn, &filter).await?,
        Filtered::Empty => Vec::new(),
    };
    Ok(json::ok(&render_json(&ctx, &mut conn, &rows, true).await?))
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
    let row = promotions::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    Ok(json::ok(&render_json(&ctx, &mut conn, std::slice::from_ref(&row), false).await?))
}

/// Writes of `promotions/`.
pub struct Promotions;

impl WriteResource for Promotions {
    type Input = hp_app::promotions::PromotionInput;
    type Object = hp_app::changing::Promotion;

    async fn read(
        state: &AppState,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        _version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read(body, mode, state.config.image_limits).await
    }

    super::writing::use_cases_of!(promotions);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        let mut conn = ctx.state.app.db.conn().await?;
        let row = promotions::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
        render_json(ctx, &mut conn, std::slice::from_ref(&row), false).await
    }
}
