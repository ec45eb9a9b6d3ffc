//! `hobbies/`: the list (paged in v1) and single hobbies.

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
use crate::state::AppState;
use crate::version::ApiVersion;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use hp_app::hobbies;
use hp_app::listing;
use hp_app::reading::{PlaceIncludes, Reading};
use hp_db::hobbies::HobbyRow;
use output::HobbyRenderer;
use query::hobby_query;
use serde_json::value::RawValue;

/// The places an answer about hobbies nests, as `include` asks.
pub(crate) fn place_includes(params: &QueryParams) -> PlaceIncludes {
    PlaceIncludes { location: params.includes("location_detail"), organizer: params.includes("organizer_detail") }
}

/// Renders hobbies with what their includes need.
pub(crate) async fn render_json(
    ctx: &RenderContext<'_>,
    reading: &mut Reading,
    rows: &[HobbyRow],
    many: bool,
) -> Result<Box<RawValue>, ApiError> {
    let includes = place_includes(ctx.params);
    let bundle = hobbies::bundle(reading, rows, includes).await?;
    let media = ctx.media();
    let renderer = HobbyRenderer { bundle: &bundle, version: ctx.version, includes, media: &media, caller: ctx.caller };
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
    let mut reading = Reading::begin(&state.app).await?;
    let tree = reading.tree().await?;
    let query = hobby_query(&params, &tree)?;
    let listed = listing::list(&mut reading, &caller, query, window(&ctx)?).await?;
    let results = render_json(&ctx, &mut reading, &listed.rows, true).await?;
    Ok(list_answer(&ctx, uri.path(), listed.page, results))
}

impl ReadOne for Hobbies {
    type Row = HobbyRow;

    async fn get(reading: &mut Reading, id: i64) -> Result<HobbyRow, hp_app::AppError> {
        hobbies::get(reading, id).await
    }

    async fn render(
        ctx: &RenderContext<'_>,
        reading: &mut Reading,
        rows: &[HobbyRow],
        many: bool,
    ) -> Result<Box<RawValue>, ApiError> {
        render_json(ctx, reading, rows, many).await
    }
}

/// Writes of `hobbies/`.
pub struct Hobbies;

impl WriteResource for Hobbies {
    type Input = hp_app::hobbies::HobbyInput;
    type Object = hp_app::changing::Hobby;

    async fn read(
        limits: hp_app::images::ImageLimits,
        body: &crate::body::Body,
        mode: crate::fields::WriteMode,
        version: ApiVersion,
    ) -> hp_app::Submitted<Self::Input> {
        input::read_versioned(body, mode, version, limits).await
    }

    super::writing::use_cases_of!(hobbies);

    async fn render(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
        one::<Self>(ctx, id).await
    }
}
