//! The scheme and host a request was made to, for the absolute URLs in responses
//! (pagination links, image URLs, the API root). A proxy's `X-Forwarded-Proto` and
//! `X-Forwarded-Host` are honoured.

use axum::extract::FromRequestParts;
use axum::http::header::HOST;
use axum::http::request::Parts;
use std::convert::Infallible;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestOrigin {
    pub scheme: &'static str,
    pub host: String,
}

impl RequestOrigin {
    /// `scheme://host` without a trailing slash.
    pub fn base(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}://{}{}", self.scheme, self.host, path)
    }
}

fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').next().unwrap_or("").trim())
        .filter(|v| !v.is_empty())
}

/// Characters a host header may hold; anything else is replaced, so that a forged header
/// cannot inject markup or a different URL into responses.
fn sanitize_host(host: &str) -> String {
    let clean: String = host.chars().filter(|c| c.is_ascii_alphanumeric() || "-.:[]_".contains(*c)).collect();
    if clean.is_empty() {
        "localhost".into()
    } else {
        clean
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestOrigin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let scheme = match header(parts, "x-forwarded-proto") {
            Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
            Some(_) => "http",
            None if parts.uri.scheme_str() == Some("https") => "https",
            None => "http",
        };
        let host = header(parts, "x-forwarded-host")
            .or_else(|| parts.headers.get(HOST).and_then(|v| v.to_str().ok()))
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        Ok(RequestOrigin { scheme, host: sanitize_host(host) })
    }
}
