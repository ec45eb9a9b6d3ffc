//! `promotions/`: a bare array in every version, filtered and ordered by distance.

pub(crate) mod input;
pub(crate) mod output;
pub(crate) mod query;

use super::detail::{one, ReadOne};
use super::writing::WriteResource;
use super::{to_raw_json, RenderContext};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::json;
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::resources::hobbies::place_includes;
use crate::resources::locations::output::location;
use crate::resources::organizers::output::organizer;
use crate::state::AppState;
use crate::version::ApiVersion;
use crate::views::Related;
use axum::extract::State;
use axum::response::Response;
use hp_app::promotions;
use hp_app::reading::Reading;
use hp_db::promotions::PromotionRow;
use output::promotion;
use query::promotion_query;
use serde_json::value::RawValue;

pub(crate) async fn render_json(
    ctx: &RenderContext<'_>,
    reading: &mut Reading,
    rows: &[PromotionRow],
    many: bool,
) -> Result<Box<RawValue>, ApiError> {
    let includes = place_includes(ctx.params);
    let places = promotions::places(reading, rows, includes).await?;
    let media = ctx.media();
    let items = rows
        .iter()
        .map(|row| {
            let organizer =
                Related::nested_or_id(includes.organizer, Some(row.organizer_id), &places.organizers, organizer);
            let location = Related::nested_or_id(includes.location, Some(row.location_id), &places.locations, location);
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
    let mut reading = Reading::begin(&state.app).await?;
    let query = promotion_query(&params, state.app.clock.now_local())?;
    let rows = promotions::list(&mut reading, &caller, query).await?;
    Ok(json::ok(&render_json(&ctx, &mut reading, &rows, true).await?))
}

impl ReadOne for Promotions {
    type Row = PromotionRow;

    async fn get(reading: &mut Reading, id: i64) -> Result<PromotionRow, hp_app::AppError> {
        promotions::get(reading, id).await
    }

    async fn render(
        ctx: &RenderContext<'_>,
        reading: &mut Reading,
        rows: &[PromotionRow],
        many: bool,
    ) -> Result<Box<RawValue>, ApiError> {
        render_json(ctx, reading, rows, many).await
    }
}

/// Writes of `promotions/`.
pub struct Promotions;

impl WriteResource for Promotions {
    type Input = hp_app::promotions::PromotionInput;
    type Object = hp_app::changing::Promotion;

    async fn read(
        limits: hp_app::images::ImageLimits,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        _version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read(body, mode, limits).await
    }

    super::writing::use_cases_of!(promotions);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        one::<Self>(ctx, id).await
    }
}
