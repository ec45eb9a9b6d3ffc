//! The HTTP service: the API router with the request-level middleware around it, and
//! serving it with graceful shutdown.

use axum::extract::Request;
use axum::Router;
use hp_api::AppState;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Everything the service answers.
pub fn router(state: AppState) -> Router {
    hp_api::router(state).layer(CompressionLayer::new()).layer(TraceLayer::new_for_http())
}

/// Serves until `shutdown` completes; requests in flight finish first.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Format suffixes are rewritten before routing, so the router sees the plain path.
    let service = router(state).map_request(|request: Request| hp_api::rewrite_format_suffix(request));
    axum::serve(listener, axum::ServiceExt::<Request>::into_make_service(service))
        .with_graceful_shutdown(shutdown)
        .await
}
