//! The shapes every resource's answers share: image URLs, related objects as ids or
//! nested, GeoJSON points. Each resource's own shapes are in `resources/<resource>/output.rs`.

use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// Where stored images are served from: `…/media` of this service or a public bucket.
#[derive(Debug, Clone)]
pub struct MediaUrls {
    pub base: String,
}

impl MediaUrls {
    pub fn url(&self, path: Option<&str>) -> Option<String> {
        path.filter(|p| !p.is_empty()).map(|p| format!("{}/{}", self.base, p))
    }
}

/// A foreign key: the id, or the related object when an `include` asks for it.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Related<T> {
    Id(Option<i64>),
    Nested(Option<T>),
}

impl<T> Related<T> {
    /// The row `id` points at, rendered, when the answer nests it; else the id.
    pub fn nested_or_id<'a, R>(
        nest: bool,
        id: Option<i64>,
        loaded: &'a HashMap<i64, R>,
        render: impl FnOnce(&'a R) -> T,
    ) -> Self {
        if nest {
            Related::Nested(id.and_then(|id| loaded.get(&id)).map(render))
        } else {
            Related::Id(id)
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"type": "Point", "coordinates": [24.9384, 60.1699]}))]
pub struct GeoPoint {
    /// Always `Point`.
    #[serde(rename = "type")]
    kind: &'static str,
    /// `[longitude, latitude]` (WGS 84).
    coordinates: [f64; 2],
}

pub fn geo_point(lon: Option<f64>, lat: Option<f64>) -> Option<GeoPoint> {
    Some(GeoPoint { kind: "Point", coordinates: [lon?, lat?] })
}
