//! Health checks: `/monitor/` (the original's path) checks the database and the image
//! store and answers 200 when both work, 503 naming what failed otherwise; `/healthz` says
//! only that the process answers (liveness, no dependency touched).

use crate::params::QueryParams;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Map, Value};
use std::time::Duration;

/// A dependency that does not answer within this counts as failing: a health check must
/// answer before the load balancer's own timeout.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);
const WORKING: &str = "working";

#[derive(Debug, PartialEq, Eq)]
enum Representation {
    Html,
    Json,
}

/// HTML unless `?format=json` or the `Accept` header prefers JSON; `None` when it accepts
/// neither.
fn representation(format: Option<&str>, accept: Option<&str>) -> Option<Representation> {
    if format == Some("json") {
        return Some(Representation::Json);
    }
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Some(Representation::Html);
    };
    let mut ranges: Vec<(f32, &str)> = accept
        .split(',')
        .map(|range| {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (quality, media)
        })
        .filter(|(quality, _)| *quality > 0.0)
        .collect();
    // Stable: equal qualities keep the header's order.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.into_iter().find_map(|(_, media)| match media {
        "text/html" | "text/*" | "*/*" => Some(Representation::Html),
        "application/json" | "application/*" => Some(Representation::Json),
        _ => None,
    })
}

async fn check<E: std::fmt::Display>(probe: impl std::future::Future<Output = Result<(), E>>) -> String {
    match tokio::time::timeout(CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => WORKING.to_owned(),
        Ok(Err(error)) => error.to_string(),
        Err(_) => format!("no answer within {} s", CHECK_TIMEOUT.as_secs()),
    }
}

/// `GET /monitor/`.
pub async fn monitor(State(state): State<AppState>, params: QueryParams, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let Some(representation) = representation(params.last("format"), accept) else {
        return (
            StatusCode::NOT_ACCEPTABLE,
            [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))],
            "Not Acceptable: Supported content types: text/html, application/json",
        )
            .into_response();
    };
    let (database, storage) = tokio::join!(check(state.app.db.execute_raw("SELECT 1")), check(state.app.media.check()));
    let mut results = Map::new();
    // The original also checked its cache; this service keeps only per-process caches,
    // which cannot be unreachable.
    results.insert("CacheBackend".into(), json!(WORKING));
    results.insert("DatabaseBackend".into(), json!(database));
    results.insert("DefaultFileStorageHealthCheck".into(), json!(storage));
    let healthy = results.values().all(|v| v == WORKING);
    if !healthy {
        tracing::warn!(?results, "health check failed");
    }
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let mut response = match representation {
        Representation::Json => (status, axum::Json(Value::Object(results))).into_response(),
        Representation::Html => (status, Html(html_page(&results))).into_response(),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache, no-store, must-revalidate, max-age=0"));
    response
}

fn html_page(results: &Map<String, Value>) -> String {
    let rows: String = results
        .iter()
        .map(|(name, value)| {
            let text = value.as_str().unwrap_or_default();
            format!("<tr><td>{}</td><td>{}</td></tr>", escape(name), escape(text))
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>System status</title></head>\
         <body><h1>System status</h1><table><tr><th>Service</th><th>Status</th></tr>{rows}</table></body></html>\n"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `GET /healthz`: the process answers.
pub async fn alive() -> Response {
    ([(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))], axum::Json(json!({"status": "alive"})))
        .into_response()
}
