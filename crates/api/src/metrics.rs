//! Prometheus metrics of one server process: requests by matched route, method and status,
//! their latency, database pool usage, redemptions and import runs; rendered as Prometheus
//! text at `/metrics` (optionally behind a bearer token).

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::time::Instant;
use subtle::ConstantTimeEq;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ImportLabels {
    source: String,
    outcome: &'static str,
}

/// The route label of requests that matched no route (redirects, 404s): one label value
/// instead of one per probed path.
const UNMATCHED: &str = "unmatched";

fn latency_histogram() -> Histogram {
    // 1 ms … ~16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    redemptions: Family<OutcomeLabels, Counter>,
    import_runs: Family<ImportLabels, Counter>,
    pool_open: Gauge,
    pool_idle: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("harrastuspassi");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let redemptions = Family::<OutcomeLabels, Counter>::default();
        let import_runs = Family::<ImportLabels, Counter>::default();
        let pool_open = Gauge::default();
        let pool_idle = Gauge::default();
        registry.register("http_requests", "HTTP requests by matched route, method and status", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time from request to response head, by matched route and method",
            latency.clone(),
        );
        registry.register("redemptions", "Promotion redemptions by outcome (redeemed, used_up)", redemptions.clone());
        registry.register("import_runs", "Importer runs by source and outcome", import_runs.clone());
        registry.register("db_pool_connections", "Open database connections", pool_open.clone());
        registry.register("db_pool_idle_connections", "Idle database connections", pool_idle.clone());
        Self { registry, requests, latency, redemptions, import_runs, pool_open, pool_idle }
    }

    fn observe_request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels { route: route.to_owned(), method: method.to_owned(), status })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route: route.to_owned(), method: method.to_owned() })
            .observe(seconds);
    }

    /// A redemption: taken, or refused because the promotion was used up.
    pub fn redemption(&self, redeemed: bool) {
        let outcome = if redeemed { "redeemed" } else { "used_up" };
        self.redemptions.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    /// An importer run in this process (scheduled imports).
    pub fn import_run(&self, source: &str, succeeded: bool) {
        let outcome = if succeeded { "succeeded" } else { "failed" };
        self.import_runs.get_or_create(&ImportLabels { source: source.to_owned(), outcome }).inc();
    }

    /// The Prometheus text exposition, with the pool figures read now.
    pub fn render(&self, pool: (u32, usize)) -> String {
        self.pool_open.set(i64::from(pool.0));
        self.pool_idle.set(pool.1 as i64);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }
}

/// The route a request matched, handed from inside the router to [`record`] outside it.
#[derive(Clone)]
pub(crate) struct MatchedRoute(MatchedPath);

/// Route layer: remembers the matched route template on the response.
pub async fn tag_route(request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(matched) = matched {
        response.extensions_mut().insert(MatchedRoute(matched));
    }
    response
}

/// Outer layer: counts and times every request by the route it matched.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // Only the standard methods get their own label: made-up ones would each add series.
    let method = match request.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m.to_owned(),
        _ => "OTHER".to_owned(),
    };
    let response = next.run(request).await;
    let route = response.extensions().get::<MatchedRoute>().map(|m| m.0.as_str()).unwrap_or(UNMATCHED);
    state.metrics.observe_request(route, &method, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`: the Prometheus text; with a configured token only for `Bearer <token>`.
pub async fn serve(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(expected) = state.config.metrics_token.as_deref() {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))])
                .into_response();
        }
    }
    let text = state.metrics.render(state.app.db.pool_usage());
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"))], text)
        .into_response()
}
