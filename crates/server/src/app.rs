//! The HTTP service: the API router with the request-level middleware around it, and
//! serving it with graceful shutdown.

use crate::config::Config;
use axum::extract::{DefaultBodyLimit, Request};
use axum::Router;
use hp_api::AppState;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Everything the service answers.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    hp_api::router(state)
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// The application state for a configuration.
pub fn state(config: &Config, db: hp_db::Db, clock: hp_domain::time::Clock) -> anyhow::Result<AppState> {
    let mut jwt = hp_api::jwt::JwtSettings::new(&config.jwt_secret()?);
    jwt.access_lifetime = chrono::Duration::seconds(config.jwt_access_lifetime_seconds);
    jwt.refresh_lifetime = chrono::Duration::seconds(config.jwt_refresh_lifetime_seconds);
    let mut state = AppState::new(db, clock, config.api_config(), jwt, config.media_store()?);
    if let Some(geocoder) = config.geocoder() {
        state = state.with_geocoder(geocoder);
    }
    Ok(state)
}

/// Serves until `shutdown` completes; requests in flight finish first.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    max_body_bytes: usize,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Format suffixes are rewritten before routing, so the router sees the plain path.
    let service = router(state, max_body_bytes).map_request(|request: Request| hp_api::rewrite_format_suffix(request));
    axum::serve(listener, axum::ServiceExt::<Request>::into_make_service(service))
        .with_graceful_shutdown(shutdown)
        .await
}
