//! The HTTP API of harrastuspassi: the versioned JSON resources under `/api/…` and
//! `/mobile-api/…` that the web UI and the mobile apps call.
//!
//! It is the HTTP edge only: routing (versions, trailing slashes, methods, CORS), request
//! parsing (query filters, bodies into the typed inputs of `hp-app`), authentication of API
//! calls, the DRF-shaped errors and the response shapes of every version, and the
//! operational endpoints (health, metrics, the OpenAPI description). Every read and every
//! change is a use case of `hp-app` (reads through a `hp_app::reading::Reading`). Version
//! knowledge lives in the body readers and the response shapes, nowhere deeper.
//!
//! One resource is in one folder under `resources/` (e.g. `resources/hobbies/`): its
//! handlers in `mod.rs`, its query (filter and documented parameters) in `query.rs`, its
//! body reader in `input.rs`, its response shapes per version in `output.rs`. The routes
//! are registered with their documentation in `routes.rs`; request bodies are documented
//! by running the readers ([`openapi`], [`read_log`]).

pub mod auth;
pub mod body;
mod error;
pub mod fields;
mod filters;
mod health;
pub mod http_cache;
mod image_field;
mod json;
mod media_route;
pub mod metrics;
pub mod openapi;
mod origin;
mod pagination;
mod params;
pub mod read_log;
mod resources;
mod routes;
mod state;
mod version;
mod views;

/// The body readers of the current API versions, for the sysadmin UI's forms: the same
/// fields, rules and messages as a form posted to the API.
pub mod inputs {
    pub use crate::resources::events::input::read as event;
    pub use crate::resources::hobbies::input::read as hobby;
    pub use crate::resources::locations::input::read as location;
    pub use crate::resources::organizers::input::read as organizer;
    pub use crate::resources::promotions::input::read as promotion;
}

pub use auth::throttle::LoginThrottleSettings;
pub use error::ApiError;
pub use origin::{ClientAddress, HostPolicy, RequestOrigin, LOOPBACK_HOSTS};
pub use routes::{rewrite_format_suffix, route_paths, router, router_with, RouteTable};
pub use state::{ApiConfig, AppState};
pub use version::ApiVersion;
