//! A kept answer and the conditional-GET rules: strong ETags from the body, `Last-Modified`,
//! and 304 for `If-None-Match` (or, without it, `If-Modified-Since`).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// An answer of 200 as it was sent, and what it is valid for.
pub struct Kept {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub etag: String,
    pub last_modified: SystemTime,
    /// The data version read before the answer was made.
    pub version: i64,
    /// The clock's minute it was made in: answers that depend on "now" (past events, usable
    /// promotions, next events) can change when it passes.
    pub minute: i64,
    /// The route it answered, for the metrics of a hit.
    pub route: Option<crate::metrics::MatchedRoute>,
}

/// A strong ETag: the same bytes give the same tag on every replica, other bytes another.
pub fn strong_etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// The validators a request sent.
#[derive(Default)]
pub struct Conditions {
    if_none_match: Option<String>,
    if_modified_since: Option<SystemTime>,
}

impl Conditions {
    pub fn of(headers: &HeaderMap) -> Self {
        Self {
            if_none_match: headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned),
            if_modified_since: headers
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| httpdate::parse_http_date(v).ok()),
        }
    }

    /// Whether the request's `If-None-Match` names this tag: how a fresh answer, which has
    /// no date of its own yet, is compared.
    pub fn names_tag(&self, etag: &str) -> bool {
        self.if_none_match.as_deref().is_some_and(|tags| Self::listed(tags, etag))
    }

    fn listed(tags: &str, etag: &str) -> bool {
        tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
    }

    /// Whether the client's copy is current (RFC 9110 13.1.2–3: `If-None-Match` wins, and it
    /// compares weakly).
    pub fn still_current(&self, etag: &str, last_modified: SystemTime) -> bool {
        match (&self.if_none_match, self.if_modified_since) {
            (Some(tags), _) => Self::listed(tags, etag),
            (None, Some(since)) => truncate_to_seconds(last_modified) <= since,
            (None, None) => false,
        }
    }
}

fn truncate_to_seconds(time: SystemTime) -> SystemTime {
    let seconds = time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(seconds)
}

/// The headers of a 200 that a 304 repeats (RFC 9110 15.4.5), the body's own left out.
const NOT_REPEATED_BY_304: [header::HeaderName; 3] =
    [header::CONTENT_LENGTH, header::CONTENT_TYPE, header::CONTENT_ENCODING];

impl Kept {
    /// The answer to a request with these validators: the kept 200, or 304.
    pub fn answer(&self, conditions: &Conditions) -> Response {
        if conditions.still_current(&self.etag, self.last_modified) {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            if let Some(route) = &self.route {
                response.extensions_mut().insert(route.clone());
            }
            let headers = response.headers_mut();
            for (name, value) in &self.headers {
                if !NOT_REPEATED_BY_304.contains(name) {
                    headers.append(name, value.clone());
                }
            }
            return response;
        }
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.headers_mut() = self.headers.clone();
        if let Some(route) = &self.route {
            response.extensions_mut().insert(route.clone());
        }
        response
    }
}

pub fn http_date(time: SystemTime) -> HeaderValue {
    HeaderValue::from_str(&httpdate::fmt_http_date(time)).unwrap_or(HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::{strong_etag, Conditions};
    use axum::http::HeaderMap;
    use std::time::{Duration, SystemTime};

    fn conditions(name: &'static str, value: &str) -> Conditions {
        let mut headers = HeaderMap::new();
        headers.insert(name, value.parse().unwrap());
        Conditions::of(&headers)
    }

    #[test]
    fn validators_compare_as_rfc_9110_says() {
        let etag = strong_etag(b"[1]");
        assert_eq!(etag.len(), 34);
        assert_ne!(etag, strong_etag(b"[2]"));
        let modified = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_500);
        assert!(conditions("if-none-match", &format!("\"x\", W/{etag}")).still_current(&etag, modified));
        assert!(conditions("if-none-match", "*").still_current(&etag, modified));
        assert!(!conditions("if-none-match", "\"x\"").still_current(&etag, modified));
        let at = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        assert!(conditions("if-modified-since", &at).still_current(&etag, modified));
        let before = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(1_699_999_999));
        assert!(!conditions("if-modified-since", &before).still_current(&etag, modified));
        assert!(!Conditions::default().still_current(&etag, modified));
    }
}
