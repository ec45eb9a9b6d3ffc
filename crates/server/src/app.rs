//! The HTTP service: the API router with the request-level middleware around it (request
//! ids, access log, timeouts, body limit, compression), and serving it with graceful
//! shutdown.

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use hp_api::AppState;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::Config;

/// Limits of requests and connections.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    pub connections: crate::connections::ConnectionLimits,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            connections: crate::connections::ConnectionLimits::default(),
        }
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The span of one request: method, path (never the query, headers or body, where
/// credentials travel) and the request id the client sent or we made.
fn request_span(request: &Request) -> tracing::Span {
    let id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("");
    tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
}

/// A handler that panicked: a seat belt, since no input may reach a panic. The answer is the
/// plain 500 page with the request's `X-Request-Id` (set by the layers outside), and the
/// panic is logged in the request's span, so the two can be matched.
fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a handler panicked");
    hp_api::ApiError::Internal("panic".into()).into_response()
}

/// Everything the service answers.
pub fn router(state: AppState, options: ServeOptions) -> Router {
    router_with(state, options, |routes| routes)
}

/// Everything the service answers, and `extra` routes (tests), behind the same layers.
pub fn router_with(
    state: AppState,
    options: ServeOptions,
    extra: impl FnOnce(hp_api::RouteTable) -> hp_api::RouteTable,
) -> Router {
    hp_api::router_with(state, |routes| extra(hp_admin::routes(routes)))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(DefaultBodyLimit::max(options.max_body_bytes))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, options.request_timeout))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The application state of the HTTP service for a configuration.
pub fn state(config: &Config, db: hp_db::Db, clock: hp_domain::time::Clock) -> anyhow::Result<AppState> {
    let mut jwt = hp_api::auth::jwt::JwtSettings::new(&config.jwt.jwt_secret(&config.data)?);
    jwt.access_lifetime = chrono::Duration::seconds(config.jwt_access_lifetime_seconds);
    jwt.refresh_lifetime = chrono::Duration::seconds(config.jwt_refresh_lifetime_seconds);
    let mut state = AppState::new(db, clock, config.api_config(), jwt, config.media_store()?);
    if let Some(geocoder) = config.geocoding.geocoder() {
        state = state.with_geocoder(geocoder);
    }
    Ok(state)
}

/// The application the administration commands call: nothing they do signs a token,
/// serves a request or geocodes, so it needs neither a JWT key nor the serving settings.
pub fn command_app(
    db: hp_db::Db,
    clock: hp_domain::time::Clock,
    media: hp_app::media::MediaStore,
    image_limits: hp_app::images::ImageLimits,
) -> hp_app::App {
    let settings = hp_app::AppSettings { image_limits, ..hp_app::AppSettings::default() };
    hp_app::App::new(db, clock, media, settings)
}

/// Serves until `shutdown` completes; then stops accepting connections and lets requests
/// in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_router(listener, router(state, options), options, shutdown).await
}

/// Serves a router made by [`router`] or [`router_with`].
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Format suffixes are rewritten before routing, so the router sees the plain path.
    let service = router.map_request(|request: Request| hp_api::rewrite_format_suffix(request));
    let (listener, stopped) = crate::shutdown::draining(listener, shutdown)?;
    let mut limits = options.connections;
    limits.shutdown_grace = options.request_timeout;
    crate::connections::serve(listener, service, limits, stopped).await
}
