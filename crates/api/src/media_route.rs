//! `/media/<name>`: stored images with their type, an ETag and long caching (a name's bytes
//! never change: names are derived from content).

use crate::routes::not_found_page;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hp_app::images::content_type;

pub async fn serve(State(state): State<AppState>, Path(name): Path<String>, headers: HeaderMap) -> Response {
    if !hp_domain::media::is_servable_name(&name) {
        return not_found_page();
    }
    let etag = format!("\"{}\"", name.rsplit('/').next().unwrap_or(&name));
    let cache = [
        (header::ETAG, HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""))),
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    match state.app.media.get(&name).await {
        Ok(bytes) => {
            let extension = name.rsplit('.').next().unwrap_or("");
            let kind = HeaderValue::from_static(content_type(extension));
            (StatusCode::OK, cache, [(header::CONTENT_TYPE, kind)], bytes).into_response()
        }
        Err(error) if error.is_not_found() => not_found_page(),
        Err(error) => {
            tracing::error!(%error, "reading an image failed");
            (StatusCode::SERVICE_UNAVAILABLE, "image storage unavailable").into_response()
        }
    }
}
