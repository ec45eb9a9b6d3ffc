//! The HTTP API of harrastuspassi: the versioned JSON resources under `/api/…` and
//! `/mobile-api/…` that the web UI and the mobile apps call.
//!
//! It owns routing (versions, trailing slashes, methods, CORS), request parsing (query
//! filters, bodies), authentication of API calls, the DRF-shaped errors and the response
//! shapes of every version, and the operational endpoints (health, metrics, the OpenAPI
//! description). Business rules come from `hp-domain`, storage from `hp-db`;
//! handlers are version-agnostic and shape their output per [`ApiVersion`] at the edge.

pub mod auth;
mod auth_verify;
pub mod body;
pub mod credentials;
mod error;
pub mod fields;
mod filters;
pub mod geocoding;
mod health;
pub mod images;
mod json;
pub mod jwt;
mod loaders;
mod login;
pub mod login_throttle;
pub mod media;
mod media_route;
pub mod metrics;
pub mod openapi;
mod origin;
mod pagination;
mod params;
mod resources;
mod routes;
pub mod sessions;
mod state;
mod token_endpoints;
pub mod turns;
mod version;
mod views;
pub mod writes;

pub use error::ApiError;
pub use login_throttle::LoginThrottleSettings;
pub use origin::{ClientAddress, HostPolicy, RequestOrigin, LOOPBACK_HOSTS};
pub use routes::{rewrite_format_suffix, route_paths, router, router_with, RouteTable};
pub use state::{ApiConfig, AppState};
pub use version::ApiVersion;
