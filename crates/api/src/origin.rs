//! Where a request came from and which address it was made to: the scheme and host for the
//! absolute URLs in responses (pagination links, image URLs, the API root), and the client's
//! address for sign-in throttling.
//!
//! Like Django's `ALLOWED_HOSTS`, only configured host names are served (others get 400), so
//! that a forged `Host` can never reach a link, a cached answer or an e-mail. A proxy's
//! `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-For` are honoured only when the
//! connection comes from one of the configured trusted proxies; from anyone else they are
//! ignored.

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::HOST;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

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

/// The address of the client: the connection's peer, or, behind a trusted proxy, the address
/// the proxies recorded in `X-Forwarded-For`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Which hosts are served and whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostPolicy {
    /// Host names as Django's `ALLOWED_HOSTS`: `api.example.fi`, `.example.fi` (the domain and
    /// its subdomains) or `*`. Empty means the loopback names only.
    pub allowed_hosts: Vec<String>,
    /// Addresses or networks (`10.0.0.0/8`) of the proxies in front of the service.
    pub trusted_proxies: Vec<IpNet>,
}

/// The names a server answers to when no allowed hosts are configured.
pub const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

impl HostPolicy {
    fn trusts(&self, address: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&address))
    }

    /// Whether a host (with or without its port) is one this service answers to.
    pub fn allows(&self, host: &str) -> bool {
        let name = host_name(host).to_ascii_lowercase();
        if self.allowed_hosts.is_empty() {
            return LOOPBACK_HOSTS.contains(&name.as_str());
        }
        self.allowed_hosts.iter().map(|allowed| allowed.trim().to_ascii_lowercase()).any(|allowed| {
            allowed == "*"
                || allowed == name
                || allowed.strip_prefix('.').is_some_and(|domain| name == domain || name.ends_with(&allowed))
        })
    }
}

/// A host without its port (`[::1]:8000` → `[::1]`).
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map(|end| &host[..=end]).unwrap_or(host);
    }
    host.rsplit_once(':').map(|(name, _)| name).unwrap_or(host)
}

fn first_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').next().unwrap_or("").trim())
        .filter(|v| !v.is_empty())
}

/// A host as a URL may hold it: letters, digits and `-.:[]_`; anything else makes it invalid.
fn valid_host(host: &str) -> bool {
    !host.is_empty() && host.len() <= 255 && host.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]_".contains(c))
}

/// What the request says about its origin, believing forwarding headers only from trusted
/// proxies. `None` host when the request names no valid one.
fn resolve(parts_uri: &axum::http::Uri, headers: &HeaderMap, peer: Option<IpAddr>, policy: &HostPolicy) -> Resolved {
    let forwarded = peer.is_some_and(|peer| policy.trusts(peer));
    let scheme = match first_value(headers, "x-forwarded-proto").filter(|_| forwarded) {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        Some(_) => "http",
        None if parts_uri.scheme_str() == Some("https") => "https",
        None => "http",
    };
    let host = first_value(headers, "x-forwarded-host")
        .filter(|_| forwarded)
        .or_else(|| headers.get(HOST).and_then(|v| v.to_str().ok()))
        .or_else(|| parts_uri.authority().map(|a| a.as_str()))
        .map(str::trim)
        .filter(|host| valid_host(host))
        .map(str::to_owned);
    let client = match (peer, forwarded) {
        (Some(peer), true) => forwarded_client(headers, policy).unwrap_or(peer),
        (Some(peer), false) => peer,
        (None, _) => IpAddr::from([0, 0, 0, 0]),
    };
    Resolved { scheme, host, client }
}

/// The nearest address in `X-Forwarded-For` that is not one of the trusted proxies (each
/// proxy appends the address it was reached from, so the entries left of it are the client's
/// claims and cannot be believed).
fn forwarded_client(headers: &HeaderMap, policy: &HostPolicy) -> Option<IpAddr> {
    let mut entries: Vec<IpAddr> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        for entry in value.to_str().ok()?.split(',') {
            entries.push(entry.trim().parse().ok()?);
        }
    }
    let nearest_untrusted = entries.iter().rev().find(|address| !policy.trusts(**address));
    nearest_untrusted.or(entries.first()).copied()
}

struct Resolved {
    scheme: &'static str,
    host: Option<String>,
    client: IpAddr,
}

/// Paths answered whatever the host: the health checks, which a load balancer may call by
/// address and whose answers hold no link.
const ANY_HOST_PATHS: [&str; 2] = ["/healthz", "/monitor/"];

fn bad_host() -> Response {
    (StatusCode::BAD_REQUEST, Html("<!doctype html>\n<title>Bad Request (400)</title><h1>Bad Request (400)</h1>\n"))
        .into_response()
}

/// Middleware: refuses hosts that are not allowed and records the origin and the client's
/// address for the handlers.
pub async fn check_host(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let policy = &state.config.hosts;
    let resolved = resolve(request.uri(), request.headers(), peer, policy);
    let host = match resolved.host {
        Some(host) if policy.allows(&host) => host,
        _ if ANY_HOST_PATHS.contains(&request.uri().path()) => "localhost".to_owned(),
        other => {
            tracing::warn!(host = other.as_deref().unwrap_or(""), "refused a request for a host that is not allowed");
            return bad_host();
        }
    };
    request.extensions_mut().insert(RequestOrigin { scheme: resolved.scheme, host });
    request.extensions_mut().insert(ClientAddress(resolved.client));
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for RequestOrigin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Set by `check_host`, which every route is behind.
        Ok(parts
            .extensions
            .get::<RequestOrigin>()
            .cloned()
            .unwrap_or_else(|| RequestOrigin { scheme: "http", host: "localhost".into() }))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ClientAddress>().copied().unwrap_or(ClientAddress(IpAddr::from([0, 0, 0, 0]))))
    }
}
