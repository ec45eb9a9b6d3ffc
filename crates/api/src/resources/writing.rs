//! The write endpoints of every resource, once: POST on lists, PUT/PATCH/DELETE on details.
//! Each resource says how it reads a body into its typed input, which use cases of
//! `hp_app` write it, whose rights an edit needs, and how it shows one object.

use super::{parse_id, RenderContext};
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::WriteMode;
use crate::json;
use crate::openapi::bodies::{describe_reader, read_at_once};
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::read_log::FieldDoc;
use crate::state::AppState;
use crate::version::ApiVersion;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hp_app::changing::{may_change, Changeable};
use hp_app::{App, AppError, Submitted, User};
use serde_json::value::RawValue;
use std::future::Future;

/// A resource that can be written.
pub trait WriteResource: Send + Sync + 'static {
    type Input: Send;
    /// Whose edit rights a change needs.
    type Object: Changeable;

    /// The typed input of a body, with the errors found reading it.
    fn read(
        limits: hp_app::images::ImageLimits,
        body: &Body,
        mode: WriteMode,
        version: ApiVersion,
    ) -> impl Future<Output = Submitted<Self::Input>> + Send;

    fn create(
        app: &App,
        user: &User,
        input: Submitted<Self::Input>,
    ) -> impl Future<Output = Result<i64, AppError>> + Send;

    fn update(
        app: &App,
        user: &User,
        id: i64,
        input: Submitted<Self::Input>,
    ) -> impl Future<Output = Result<(), AppError>> + Send;

    fn delete(app: &App, user: &User, id: i64) -> impl Future<Output = Result<(), AppError>> + Send;

    /// One object as the write answers it.
    fn render(ctx: &RenderContext<'_>, id: i64) -> impl Future<Output = Result<Box<RawValue>, ApiError>> + Send;
}

/// The body fields `R` reads in a version, as its reader describes them: what the API
/// description documents of its writes.
pub(crate) fn described_input<R: WriteResource>(version: ApiVersion) -> Vec<FieldDoc> {
    describe_reader(|body| {
        read_at_once(R::read(hp_app::images::ImageLimits::default(), body, WriteMode::Create, version));
    })
}

/// The `create`, `update` and `delete` of a [`WriteResource`] impl: the use cases of the
/// resource's module in `hp_app`.
macro_rules! use_cases_of {
    ($module:ident) => {
        async fn create(
            app: &hp_app::App,
            user: &hp_app::User,
            input: hp_app::Submitted<Self::Input>,
        ) -> Result<i64, hp_app::AppError> {
            hp_app::$module::create(app, user, input).await
        }

        async fn update(
            app: &hp_app::App,
            user: &hp_app::User,
            id: i64,
            input: hp_app::Submitted<Self::Input>,
        ) -> Result<(), hp_app::AppError> {
            hp_app::$module::update(app, user, id, input).await
        }

        async fn delete(app: &hp_app::App, user: &hp_app::User, id: i64) -> Result<(), hp_app::AppError> {
            hp_app::$module::delete(app, user, id).await
        }
    };
}
pub(crate) use use_cases_of;

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
    let user = caller.require_user()?;
    let input = R::read(state.config.image_limits, &body?, WriteMode::Create, version).await;
    let id = R::create(&state.app, user, input).await?;
    answer::<R>(&state, version, &caller, &origin, id, StatusCode::CREATED).await
}

/// PUT or PATCH. The body is read only after the rights are checked (as the original did).
async fn update<R: WriteResource>(
    state: AppState,
    version: ApiVersion,
    caller: Caller,
    origin: RequestOrigin,
    id: String,
    body: Result<Body, ApiError>,
    mode: WriteMode,
) -> Result<Response, ApiError> {
    let user = caller.require_user()?;
    let id = parse_id(&id)?;
    may_change::<R::Object>(user, &mut state.app.db.conn().await?, id).await?;
    let input = R::read(state.config.image_limits, &body?, mode, version).await;
    R::update(&state.app, user, id, input).await?;
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
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let user = caller.require_user()?;
    R::delete(&state.app, user, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
