//! HTTP caching of the API's reads: conditional GET on every read (a strong `ETag` made
//! from the body, `Last-Modified`, 304), `Cache-Control` that tells shared caches what they
//! may keep, and a response cache in this process for anonymous reads.
//!
//! A kept answer is used only while the data version it was made under is still the current
//! one ([`hp_app::data_version`]: read after the request arrived, so nothing committed before
//! a request started, on any replica, can be missing from its answer) and only within the
//! clock minute it was made in, since what "now" decides (past events, usable promotions,
//! next events) changes with the minute.

mod answer;
mod key;
mod store;

use answer::{http_date, strong_etag, Conditions, Kept};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hp_app::data_version::DataVersionProbe;
use hp_app::App;
use key::Audience;
use std::sync::Arc;
use std::time::SystemTime;
use store::Store;

/// The largest answer read into memory to tag it; the lists' page sizes keep answers far
/// below it.
const MAX_TAGGED_BODY: usize = 64 * 1024 * 1024;

const VARY: HeaderValue = HeaderValue::from_static("Origin, Accept-Language, Accept-Encoding");
const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-store");
/// Tells whether an anonymous answer came from the response cache (`hit`) or was made.
pub const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// The response cache and what checking it needs; cheap to clone.
#[derive(Clone)]
pub struct ResponseCache {
    shared: Arc<Shared>,
}

struct Shared {
    app: App,
    probe: DataVersionProbe,
    store: Store,
    public: HeaderValue,
}

impl ResponseCache {
    /// A cache of at most `bytes` (0: answers are tagged but none kept); anonymous answers
    /// say `public, max-age=<max_age_seconds>`.
    pub fn new(app: App, bytes: usize, max_age_seconds: u32) -> Self {
        let public = HeaderValue::from_str(&format!("public, max-age={max_age_seconds}")).unwrap_or(PRIVATE);
        Self { shared: Arc::new(Shared { app, probe: DataVersionProbe::new(), store: Store::new(bytes), public }) }
    }

    /// Bytes the cache keeps now.
    pub fn bytes(&self) -> usize {
        self.shared.store.bytes()
    }
}

/// The middleware: reads of the API get validators and caching headers; anonymous ones are
/// answered from the cache while that is valid.
pub async fn conditional_get(State(cache): State<ResponseCache>, request: Request, next: Next) -> Response {
    let Some(audience) = key::audience(&request) else {
        return next.run(request).await;
    };
    let conditions = Conditions::of(request.headers());
    match audience {
        Audience::Private => tagged(next.run(request).await, &conditions, PRIVATE).await.0,
        Audience::Public(key) => cache.shared.public_answer(key, &conditions, request, next).await,
    }
}

impl Shared {
    async fn public_answer(&self, key: String, conditions: &Conditions, request: Request, next: Next) -> Response {
        // A failing version query only costs the cache: the request is still answered.
        let version = match self.probe.current(&self.app.db).await {
            Ok(version) => Some(version),
            Err(error) => {
                tracing::warn!(%error, "the data version could not be read; answering without the cache");
                None
            }
        };
        let now = self.app.clock.now();
        // "Ended" means "ended before now", so an answer can change just after a whole
        // minute: answers made within (m, m + 60 s] agree.
        let minute = (now.timestamp_micros() - 1).div_euclid(60_000_000);
        let previous = self.store.get(&key);
        if let (Some(kept), Some(version)) = (&previous, version) {
            if kept.version == version && kept.minute == minute {
                return with_cache_status(kept.answer(conditions), "hit");
            }
        }
        let made = next.run(request).await;
        let (response, kept) = tagged(made, conditions, self.public.clone()).await;
        if let (Some(mut kept), Some(version)) = (kept, version) {
            // The same bytes as before: the client's copy has been current since then.
            kept.last_modified =
                previous.filter(|p| p.etag == kept.etag).map_or_else(|| SystemTime::from(now), |p| p.last_modified);
            kept.headers.insert(header::LAST_MODIFIED, http_date(kept.last_modified));
            kept.version = version;
            kept.minute = minute;
            let kept = Arc::new(kept);
            let response = kept.answer(conditions);
            self.store.put(key, kept);
            return with_cache_status(response, "miss");
        }
        // Not a 200, or the version is unknown: answered, not kept.
        with_cache_status(response, "miss")
    }
}

fn with_cache_status(mut response: Response, status: &'static str) -> Response {
    response.headers_mut().insert(X_CACHE, HeaderValue::from_static(status));
    response
}

/// A made answer with its validators and caching headers, and for a 200 what keeping it
/// takes (its version and minute still to be set). Other statuses pass as they are.
async fn tagged(response: Response, conditions: &Conditions, cache_control: HeaderValue) -> (Response, Option<Kept>) {
    if response.status() != StatusCode::OK {
        return (response, None);
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_TAGGED_BODY).await {
        Ok(body) => body,
        Err(error) => return (crate::ApiError::Internal(format!("answer body: {error}")).into_response(), None),
    };
    let etag = strong_etag(&body);
    let headers = &mut parts.headers;
    headers.insert(header::CACHE_CONTROL, cache_control);
    headers.insert(header::VARY, VARY);
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    let route = parts.extensions.get::<crate::metrics::MatchedRoute>().cloned();
    let kept = Kept {
        headers: parts.headers,
        body,
        etag,
        last_modified: SystemTime::UNIX_EPOCH,
        version: 0,
        minute: 0,
        route,
    };
    let response =
        if conditions.names_tag(&kept.etag) { kept.answer(conditions) } else { kept.answer(&Conditions::default()) };
    (response, Some(kept))
}
