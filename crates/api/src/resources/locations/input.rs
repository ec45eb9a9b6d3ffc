//! Reading a location write's body (api.md 4.5): `coordinates` as GeoJSON, WKT, EWKT or hex
//! WKB. Before v1 (pre1) a location showed `lat`/`lon` and could not write a point.

use crate::body::Body;
use crate::fields::{FieldReader, WriteMode};
use crate::read_log::FieldKind;
use crate::version::ApiVersion;
use hp_app::locations::LocationInput;
use hp_app::Submitted;
use hp_db::locations::LocationChanges;
use hp_domain::geo::parse_geometry;

/// A body of the current versions (v1 and later) and of the sysadmin UI's form.
pub fn read(body: &Body, mode: WriteMode) -> Submitted<LocationInput> {
    read_fields(body, mode, true)
}

/// A body of the API version of the time, or of the current ones.
pub(crate) fn read_versioned(body: &Body, mode: WriteMode, version: ApiVersion) -> Submitted<LocationInput> {
    read_fields(body, mode, version != ApiVersion::Pre1)
}

fn read_fields(body: &Body, mode: WriteMode, with_point: bool) -> Submitted<LocationInput> {
    let mut reader = FieldReader::new(body, mode);
    let mut changes = LocationChanges {
        name: reader.text("name", Some(256), false, true),
        address: reader.text("address", Some(256), false, true),
        zip_code: reader.text("zip_code", Some(5), false, true),
        city: reader.text("city", Some(64), false, true),
        point: None,
    };
    if with_point {
        if let Some(value) = reader.raw("coordinates", FieldKind::Point, true) {
            match parse_geometry(value) {
                Ok(point) => changes.point = Some(point),
                Err(error) => reader.errors.add("coordinates", error.message()),
            }
        }
    }
    // A new location is geocoded only when the body has no `coordinates` key at all (null
    // counts as given); a pre1 body cannot carry them, so it always is (api.md 4.5).
    let geocode = mode == WriteMode::Create && !(with_point && body.has("coordinates"));
    Submitted::new(LocationInput { changes, geocode }, reader.errors)
}
