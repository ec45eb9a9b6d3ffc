//! The shapes of a location: GeoJSON `coordinates` from pre2 on, `lat`/`lon` in pre1.

use crate::version::ApiVersion;
use crate::views::{geo_point, GeoPoint};
use hp_db::locations::LocationRow;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct LocationOut<'a> {
    id: i64,
    name: &'a str,
    address: &'a str,
    zip_code: &'a str,
    city: &'a str,
    coordinates: Option<GeoPoint>,
}

#[derive(Serialize, ToSchema)]
pub struct LocationPre1Out<'a> {
    id: i64,
    name: &'a str,
    address: &'a str,
    zip_code: &'a str,
    city: &'a str,
    lat: Option<f64>,
    lon: Option<f64>,
}

pub fn location(row: &LocationRow) -> LocationOut<'_> {
    LocationOut {
        id: row.id,
        name: &row.name,
        address: &row.address,
        zip_code: &row.zip_code,
        city: &row.city,
        coordinates: geo_point(row.lon, row.lat),
    }
}

/// A location in the shape of the version: GeoJSON, or `lat`/`lon` in pre1.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum VersionedLocation<'a> {
    Standard(LocationOut<'a>),
    Pre1(LocationPre1Out<'a>),
}

pub fn versioned_location(row: &LocationRow, version: ApiVersion) -> VersionedLocation<'_> {
    match version {
        ApiVersion::Pre1 => VersionedLocation::Pre1(LocationPre1Out {
            id: row.id,
            name: &row.name,
            address: &row.address,
            zip_code: &row.zip_code,
            city: &row.city,
            lat: row.lat,
            lon: row.lon,
        }),
        _ => VersionedLocation::Standard(location(row)),
    }
}
