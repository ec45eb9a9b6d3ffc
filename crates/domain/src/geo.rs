//! Points on the WGS 84 sphere: great-circle distance, the "nearest" ordering key and the
//! bounding box that prunes a distance limit, and the geometry formats the API accepts.
//!
//! Ordering is by the squared chord between unit vectors, which grows monotonically with the
//! great-circle distance, so the database needs only arithmetic (no trigonometry, no PostGIS).

use crate::messages;
use serde_json::Value;

/// Mean Earth radius used for `max_distance` (the original's spheroid-free distance).
pub const EARTH_RADIUS_M: f64 = 6_370_986.0;

/// WGS 84 longitude/latitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

/// The point as a vector on the unit sphere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitVector {
    pub x: f64,
    pub y: f64,
    pub z: f64,
}

impl Point {
    pub fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }

    pub fn unit_vector(&self) -> UnitVector {
        let (phi, lambda) = (self.lat.to_radians(), self.lon.to_radians());
        UnitVector { x: phi.cos() * lambda.cos(), y: phi.cos() * lambda.sin(), z: phi.sin() }
    }

    /// Great-circle distance in metres.
    pub fn distance_m(&self, other: &Point) -> f64 {
        let chord = self.unit_vector().chord_squared(&other.unit_vector()).sqrt();
        2.0 * (chord / 2.0).min(1.0).asin() * EARTH_RADIUS_M
    }
}

impl UnitVector {
    pub fn chord_squared(&self, other: &UnitVector) -> f64 {
        (self.x - other.x).powi(2) + (self.y - other.y).powi(2) + (self.z - other.z).powi(2)
    }
}

/// The largest squared chord of points within `km` of a centre (inclusive).
pub fn chord_squared_limit(km: f64) -> f64 {
    let angle = km * 1000.0 / EARTH_RADIUS_M;
    if angle >= std::f64::consts::PI {
        return 4.0 + 1e-9;
    }
    if angle < 0.0 {
        return -1.0;
    }
    let chord = 2.0 * (angle / 2.0).sin();
    // A hair of slack so that a point exactly at the limit is not lost to rounding.
    chord * chord * (1.0 + 1e-12) + 1e-15
}

/// A latitude/longitude box that contains every point within a distance of a centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    /// `None` when the circle reaches a pole or crosses the antimeridian.
    pub lon_range: Option<(f64, f64)>,
}

pub fn bounding_box(center: Point, km: f64) -> BoundingBox {
    const SLACK_DEG: f64 = 1e-6;
    let angle = (km.max(0.0) * 1000.0 / EARTH_RADIUS_M).to_degrees();
    let min_lat = center.lat - angle - SLACK_DEG;
    let max_lat = center.lat + angle + SLACK_DEG;
    if min_lat <= -90.0 || max_lat >= 90.0 {
        return BoundingBox { min_lat: min_lat.max(-90.0), max_lat: max_lat.min(90.0), lon_range: None };
    }
    let ratio = angle.to_radians().sin() / center.lat.to_radians().cos();
    if ratio >= 1.0 {
        return BoundingBox { min_lat, max_lat, lon_range: None };
    }
    let delta = ratio.asin().to_degrees() + SLACK_DEG;
    let (west, east) = (center.lon - delta, center.lon + delta);
    let lon_range = (west >= -180.0 && east <= 180.0).then_some((west, east));
    BoundingBox { min_lat, max_lat, lon_range }
}

/// Why a geometry in a request body was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeometryError {
    Unparseable,
    NotAPoint,
    OutOfRange,
    /// EWKT or EWKB in another spatial reference system than WGS 84.
    OtherSrid,
}

/// The spatial reference system of every stored point: WGS 84 longitude/latitude.
pub const WGS84_SRID: u32 = 4326;

impl GeometryError {
    pub fn message(&self) -> &'static str {
        match self {
            GeometryError::Unparseable => messages::GEOMETRY_UNPARSEABLE,
            GeometryError::NotAPoint => messages::GEOMETRY_NOT_POINT,
            GeometryError::OtherSrid => messages::SRID_NOT_WGS84,
            GeometryError::OutOfRange => {
                "Coordinates must be a longitude within -180 and 180 and a latitude within -90 and 90."
            }
        }
    }
}

/// Reads `coordinates` from a body: a GeoJSON object, or a string holding GeoJSON, WKT,
/// EWKT or hex (E)WKB. `null` and `""` mean "no point".
pub fn parse_geometry(value: &Value) -> Result<Option<Point>, GeometryError> {
    let point = match value {
        Value::Null => return Ok(None),
        Value::Object(_) => parse_geojson(value)?,
        Value::String(text) => {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            parse_geometry_text(text)?
        }
        _ => return Err(GeometryError::Unparseable),
    };
    let in_range = (-180.0..=180.0).contains(&point.lon) && (-90.0..=90.0).contains(&point.lat);
    if !in_range {
        return Err(GeometryError::OutOfRange);
    }
    Ok(Some(point))
}

fn parse_geometry_text(text: &str) -> Result<Point, GeometryError> {
    if text.starts_with('{') {
        let value: Value = serde_json::from_str(text).map_err(|_| GeometryError::Unparseable)?;
        return parse_geojson(&value);
    }
    let without_srid = match text.split_once(';') {
        Some((srid, rest)) if srid.trim().to_ascii_uppercase().starts_with("SRID=") => {
            // Points are stored as WGS 84; another system's numbers would land elsewhere.
            if srid.trim()[5..].trim() != WGS84_SRID.to_string() {
                return Err(GeometryError::OtherSrid);
            }
            rest.trim()
        }
        _ => text,
    };
    if without_srid.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !without_srid.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return parse_wkt(without_srid);
    }
    parse_hex_wkb(text)
}

fn parse_geojson(value: &Value) -> Result<Point, GeometryError> {
    let object = value.as_object().ok_or(GeometryError::Unparseable)?;
    match object.get("type").and_then(Value::as_str) {
        Some("Point") => {}
        Some(_) => return Err(GeometryError::NotAPoint),
        None => return Err(GeometryError::Unparseable),
    }
    let coordinates = object.get("coordinates").and_then(Value::as_array).ok_or(GeometryError::Unparseable)?;
    match coordinates.as_slice() {
        [lon, lat, ..] => Ok(Point::new(
            lon.as_f64().ok_or(GeometryError::Unparseable)?,
            lat.as_f64().ok_or(GeometryError::Unparseable)?,
        )),
        _ => Err(GeometryError::Unparseable),
    }
}

fn parse_wkt(text: &str) -> Result<Point, GeometryError> {
    let open = text.find('(').ok_or(GeometryError::Unparseable)?;
    let kind = text[..open].trim().to_ascii_uppercase();
    if kind != "POINT" {
        return if ["LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"]
            .contains(&kind.as_str())
        {
            Err(GeometryError::NotAPoint)
        } else {
            Err(GeometryError::Unparseable)
        };
    }
    let inner = text[open + 1..].trim_end().strip_suffix(')').ok_or(GeometryError::Unparseable)?;
    let numbers: Vec<f64> = inner
        .split_whitespace()
        .map(|n| n.parse::<f64>().map_err(|_| GeometryError::Unparseable))
        .collect::<Result<_, _>>()?;
    match numbers.as_slice() {
        [lon, lat] | [lon, lat, _] => Ok(Point::new(*lon, *lat)),
        _ => Err(GeometryError::Unparseable),
    }
}

fn parse_hex_wkb(text: &str) -> Result<Point, GeometryError> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(GeometryError::Unparseable);
    }
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| GeometryError::Unparseable))
        .collect::<Result<_, _>>()?;
    let little_endian = match bytes.first() {
        Some(1) => true,
        Some(0) => false,
        _ => return Err(GeometryError::Unparseable),
    };
    let read_u32 = |at: usize| -> Result<u32, GeometryError> {
        let chunk: [u8; 4] = bytes.get(at..at + 4).ok_or(GeometryError::Unparseable)?.try_into().expect("4 bytes");
        Ok(if little_endian { u32::from_le_bytes(chunk) } else { u32::from_be_bytes(chunk) })
    };
    let read_f64 = |at: usize| -> Result<f64, GeometryError> {
        let chunk: [u8; 8] = bytes.get(at..at + 8).ok_or(GeometryError::Unparseable)?.try_into().expect("8 bytes");
        Ok(if little_endian { f64::from_le_bytes(chunk) } else { f64::from_be_bytes(chunk) })
    };
    let kind = read_u32(1)?;
    let has_srid = kind & 0x2000_0000 != 0;
    if kind & 0xFFFF != 1 {
        return Err(GeometryError::NotAPoint);
    }
    if has_srid && read_u32(5)? != WGS84_SRID {
        return Err(GeometryError::OtherSrid);
    }
    let offset = if has_srid { 9 } else { 5 };
    Ok(Point::new(read_f64(offset)?, read_f64(offset + 8)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TAMPERE: Point = Point { lon: 23.762713, lat: 61.500986 };
    const YLOJARVI: Point = Point { lon: 23.764732, lat: 61.859539 };
    const ORIVESI: Point = Point { lon: 24.289451, lat: 61.661839 };
    const SASTAMALA: Point = Point { lon: 22.995811, lat: 61.503266 };

    #[test]
    fn great_circle_orders_orivesi_before_ylojarvi() {
        let d = |p: Point| TAMPERE.distance_m(&p) / 1000.0;
        assert!((d(ORIVESI) - 33.0).abs() < 1.0, "{}", d(ORIVESI));
        assert!((d(YLOJARVI) - 40.0).abs() < 1.0);
        assert!(d(ORIVESI) < d(YLOJARVI) && d(YLOJARVI) < d(SASTAMALA));
        let limit = chord_squared_limit(35.0);
        let center = TAMPERE.unit_vector();
        assert!(center.chord_squared(&ORIVESI.unit_vector()) <= limit);
        assert!(center.chord_squared(&YLOJARVI.unit_vector()) > limit);
    }

    #[test]
    fn bounding_box_contains_the_circle() {
        let bbox = bounding_box(TAMPERE, 35.0);
        let (west, east) = bbox.lon_range.unwrap();
        assert!(ORIVESI.lon > west && ORIVESI.lon < east && ORIVESI.lat < bbox.max_lat);
        assert!(YLOJARVI.lat > bbox.max_lat);
        assert_eq!(bounding_box(Point::new(0.0, 89.9), 100.0).lon_range, None);
    }

    #[test]
    fn geometry_inputs() {
        let p = |v: Value| parse_geometry(&v);
        assert_eq!(
            p(json!({"type": "Point", "coordinates": [23.7906, 61.4946]})),
            Ok(Some(Point::new(23.7906, 61.4946)))
        );
        assert_eq!(p(json!("POINT(24.94 60.17)")), Ok(Some(Point::new(24.94, 60.17))));
        assert_eq!(p(json!("SRID=4326;POINT (24.94 60.17)")), Ok(Some(Point::new(24.94, 60.17))));
        assert_eq!(p(json!("0101000000000000000000F03F0000000000000040")), Ok(Some(Point::new(1.0, 2.0))));
        assert_eq!(p(json!(r#"{"type":"Point","coordinates":[1,1]}"#)), Ok(Some(Point::new(1.0, 1.0))));
        assert_eq!(p(json!(null)), Ok(None));
        assert_eq!(p(json!("")), Ok(None));
        assert_eq!(p(json!("garbage")), Err(GeometryError::Unparseable));
        assert_eq!(p(json!(42)), Err(GeometryError::Unparseable));
        assert_eq!(
            p(json!({"type": "LineString", "coordinates": [[24.0, 60.0], [25.0, 61.0]]})),
            Err(GeometryError::NotAPoint)
        );
        assert_eq!(p(json!("LINESTRING(0 0, 1 1)")), Err(GeometryError::NotAPoint));
        assert_eq!(p(json!({"type": "Point", "coordinates": [200.0, 1.0]})), Err(GeometryError::OutOfRange));
        assert_eq!(p(json!("SRID=99999;POINT(24.94 60.17)")), Err(GeometryError::OtherSrid));
        assert_eq!(p(json!("srid=4326;POINT(24.94 60.17)")), Ok(Some(Point::new(24.94, 60.17))));
        let ewkb = |srid: &str| json!(format!("0101000020{srid}000000000000F03F0000000000000040"));
        assert_eq!(p(ewkb("E6100000")), Ok(Some(Point::new(1.0, 2.0))));
        assert_eq!(p(ewkb("FB0B0000")), Err(GeometryError::OtherSrid));
    }
}
