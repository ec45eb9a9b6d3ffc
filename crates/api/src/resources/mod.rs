//! One module per resource; each exposes its handlers, the routes wire them per version.

pub mod benefits;
pub mod categories;
pub mod changes;
pub mod detail;
pub mod events;
pub mod hobbies;
pub mod locations;
pub mod organizers;
pub mod promotions;
pub mod root;
pub mod writing;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::state::AppState;
use crate::version::ApiVersion;
use crate::views::MediaUrls;
use serde::Serialize;
use serde_json::value::RawValue;

/// What rendering a response depends on besides the rows.
pub struct RenderContext<'a> {
    pub state: &'a AppState,
    pub version: ApiVersion,
    pub caller: &'a Caller,
    pub origin: &'a RequestOrigin,
    pub params: &'a QueryParams,
}

impl RenderContext<'_> {
    pub fn media(&self) -> MediaUrls {
        MediaUrls { base: self.state.config.media_public_base_url.clone().unwrap_or_else(|| self.origin.url("/media")) }
    }
}

/// The id of a detail URL: anything that is not an integer is simply not found.
pub fn parse_id(raw: &str) -> Result<i64, ApiError> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::NotFound);
    }
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// Serializes rendered items: the array when `many`, else the first item alone.
pub fn to_raw_json<T: Serialize>(items: Vec<T>, many: bool) -> Result<Box<RawValue>, ApiError> {
    let json =
        if many { serde_json::value::to_raw_value(&items) } else { serde_json::value::to_raw_value(&items.first()) };
    json.map_err(|e| ApiError::Internal(e.to_string()))
}
