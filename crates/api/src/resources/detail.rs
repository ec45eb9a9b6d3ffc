//! One object of a resource that is read within a [`Reading`] and rendered with what its
//! includes need (hobbies, hobby events, promotions): their detail endpoint and the answer
//! of a write, written once.

use super::{parse_id, RenderContext};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::json;
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::state::AppState;
use crate::version::ApiVersion;
use axum::extract::{Path, State};
use axum::response::Response;
use hp_app::reading::Reading;
use hp_app::AppError;
use serde_json::value::RawValue;
use std::future::Future;

/// A resource whose objects are read and rendered this way.
pub trait ReadOne: Send + Sync + 'static {
    type Row: Send + Sync;

    fn get(reading: &mut Reading, id: i64) -> impl Future<Output = Result<Self::Row, AppError>> + Send;

    /// The rows as the answer shows them: the array when `many`, else the first alone.
    fn render(
        ctx: &RenderContext<'_>,
        reading: &mut Reading,
        rows: &[Self::Row],
        many: bool,
    ) -> impl Future<Output = Result<Box<RawValue>, ApiError>> + Send;
}

/// One object as its detail (and a write) answers it.
pub async fn one<R: ReadOne>(ctx: &RenderContext<'_>, id: i64) -> Result<Box<RawValue>, ApiError> {
    let mut reading = Reading::begin(&ctx.state.app).await?;
    let row = R::get(&mut reading, id).await?;
    R::render(ctx, &mut reading, std::slice::from_ref(&row), false).await
}

/// `GET <resource>/<id>/`.
pub async fn detail<R: ReadOne>(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    params: QueryParams,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let ctx = RenderContext { state: &state, version, caller: &caller, origin: &origin, params: &params };
    Ok(json::ok(&one::<R>(&ctx, id).await?))
}
