//! The write endpoints of every resource, once: POST on lists, PUT/PATCH/DELETE on details.
//! Each resource says how it writes (the `writes` service) and how it shows one object.

use super::{parse_id, RenderContext};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::WriteMode;
use crate::json;
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::state::AppState;
use crate::version::ApiVersion;
use crate::writes::Writer;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::value::RawValue;
use std::future::Future;

/// A resource that can be written.
pub trait WriteResource: Send + Sync + 'static {
    fn create(writer: Writer<'_>, body: &Body) -> impl Future<Output = Result<i64, ApiError>> + Send;

    fn update(
        writer: Writer<'_>,
        id: i64,
        body: Result<Body, ApiError>,
        mode: WriteMode,
    ) -> impl Future<Output = Result<(), ApiError>> + Send;

    fn delete(writer: Writer<'_>, id: i64) -> impl Future<Output = Result<(), ApiError>> + Send;

    /// One object as the write answers it.
    fn render(ctx: &RenderContext<'_>, id: i64) -> impl Future<Output = Result<Box<RawValue>, ApiError>> + Send;
}

/// The `create`, `update` and `delete` of a [`WriteResource`] impl, forwarded to the
/// resource's module under `crate::writes` (which owns its rules).
macro_rules! forward_writes {
    ($module:ident) => {
        async fn create(
            writer: crate::writes::Writer<'_>,
            body: &crate::body::Body,
        ) -> Result<i64, crate::error::ApiError> {
            crate::writes::$module::create(writer, body).await
        }

        async fn update(
            writer: crate::writes::Writer<'_>,
            id: i64,
            body: Result<crate::body::Body, crate::error::ApiError>,
            mode: crate::fields::WriteMode,
        ) -> Result<(), crate::error::ApiError> {
            crate::writes::$module::update(writer, id, body, mode).await
        }

        async fn delete(writer: crate::writes::Writer<'_>, id: i64) -> Result<(), crate::error::ApiError> {
            crate::writes::$module::delete(writer, id).await
        }
    };
}
pub(crate) use forward_writes;

fn writer<'a>(state: &'a AppState, caller: &'a Caller, version: ApiVersion) -> Result<Writer<'a>, ApiError> {
    Ok(Writer { state, user: caller.require_user()?, version })
}

async fn answer<R: WriteResource>(
    state: &AppState,
    version: ApiVersion,
    caller: &Caller,
    origin: &RequestOrigin,
    id: i64,
    status: StatusCode,
) -> Result<Response, ApiError> {
    // An `include` does not change a write or its answer (quirks.md 22).
    let params = QueryParams::default();
    let ctx = RenderContext { state, version, caller, origin, params: &params };
    Ok(json::json_response(status, &R::render(&ctx, id).await?))
}

pub async fn create<R: WriteResource>(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    body: Result<Body, ApiError>,
) -> Result<Response, ApiError> {
    let writer = writer(&state, &caller, version)?;
    let id = R::create(writer, &body?).await?;
    answer::<R>(&state, version, &caller, &origin, id, StatusCode::CREATED).await
}

async fn update<R: WriteResource>(
    state: AppState,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    id: String,
    body: Result<Body, ApiError>,
    mode: WriteMode,
) -> Result<Response, ApiError> {
    let writer = writer(&state, &caller, version)?;
    let id = parse_id(&id)?;
    R::update(writer, id, body, mode).await?;
    answer::<R>(&state, version, &caller, &origin, id, StatusCode::OK).await
}

pub async fn replace<R: WriteResource>(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    Path(id): Path<String>,
    body: Result<Body, ApiError>,
) -> Result<Response, ApiError> {
    update::<R>(state, version, caller, origin, id, body, WriteMode::Replace).await
}

pub async fn patch<R: WriteResource>(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    Path(id): Path<String>,
    body: Result<Body, ApiError>,
) -> Result<Response, ApiError> {
    update::<R>(state, version, caller, origin, id, body, WriteMode::Patch).await
}

pub async fn delete<R: WriteResource>(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let writer = writer(&state, &caller, version)?;
    R::delete(writer, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
