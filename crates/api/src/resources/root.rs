//! The API root: links to every resource list, always under `/mobile-api/<version>/` as the
//! original's URL reversal produced them (quirks.md 24, Default: Original).

use crate::json;
use crate::origin::RequestOrigin;
use crate::version::ApiVersion;
use axum::response::Response;
use serde_json::{Map, Value};

pub const RESOURCES: [&str; 7] =
    ["hobbies", "hobbycategories", "hobbyevents", "organizers", "locations", "promotions", "benefits"];

pub async fn show(version: ApiVersion, origin: RequestOrigin) -> Response {
    let links: Map<String, Value> = RESOURCES
        .iter()
        .map(|r| (r.to_string(), Value::String(origin.url(&format!("/mobile-api/{}/{r}/", version.as_str())))))
        .collect();
    json::ok(&links)
}
