//! Creating, changing and deleting locations (api.md 4.5): GeoJSON (or WKT, EWKT, hex WKB)
//! points, at least one of name, city or coordinates (quirks.md 7), optional geocoding of
//! new locations without a `coordinates` key, invisible (404) to users who may not edit them.

use super::{refuse_if_others_depend, Writer};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use crate::geocoding::address_query;
use crate::version::ApiVersion;
use hp_db::dependents::Place;
use hp_db::locations::{self, LocationChanges, LocationFields, LocationRow};
use hp_db::{next_event, Executes, Tx};
use hp_domain::geo::parse_geometry;
use hp_domain::{messages, FieldErrors};

fn read(body: &Body, mode: WriteMode, version: ApiVersion) -> (LocationChanges, FieldErrors) {
    let mut reader = FieldReader::new(body, mode);
    let mut changes = LocationChanges {
        name: reader.text("name", Some(256), false, true),
        address: reader.text("address", Some(256), false, true),
        zip_code: reader.text("zip_code", Some(5), false, true),
        city: reader.text("city", Some(64), false, true),
        point: None,
    };
    // pre1 shows lat/lon and cannot write a point.
    if version != ApiVersion::Pre1 {
        if let Some(value) = reader.raw("coordinates") {
            match parse_geometry(value) {
                Ok(point) => changes.point = Some(point),
                Err(error) => reader.errors.add("coordinates", error.message()),
            }
        }
    }
    (changes, reader.errors)
}

/// The location an edit leaves: the changes over what is stored (or the defaults).
fn merged(changes: &LocationChanges, current: Option<&LocationRow>) -> LocationFields {
    let text = |new: &Option<String>, old: Option<&String>| new.clone().or(old.cloned()).unwrap_or_default();
    LocationFields {
        name: text(&changes.name, current.map(|c| &c.name)),
        address: text(&changes.address, current.map(|c| &c.address)),
        zip_code: text(&changes.zip_code, current.map(|c| &c.zip_code)),
        city: text(&changes.city, current.map(|c| &c.city)),
        point: changes.point.unwrap_or(current.and_then(LocationRow::point)),
        data_source: current.map(|c| c.data_source.clone()).unwrap_or_default(),
        origin_id: current.map(|c| c.origin_id.clone()).unwrap_or_default(),
    }
}

/// A location must say where it is somehow (the model's rule, applied by the API too).
fn check_somewhere(fields: &LocationFields) -> Result<(), ApiError> {
    if fields.name.is_empty() && fields.city.is_empty() && fields.point.is_none() {
        return Err(ApiError::non_field(messages::LOCATION_NEEDS_SOMETHING));
    }
    Ok(())
}

pub async fn create(writer: Writer<'_>, body: &Body) -> Result<i64, ApiError> {
    let (changes, errors) = read(body, WriteMode::Create, writer.version);
    errors.into_result()?;
    let mut fields = merged(&changes, None);
    // Geocode only when the body has no `coordinates` key at all (null counts as given).
    if let (Some(geocoder), false) = (&writer.state.geocoder, body.has("coordinates")) {
        let raw = |name: &str| body.get(name).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let query = address_query(&raw("address"), &raw("zip_code"), &raw("city"));
        let point = geocoder
            .locate(&query)
            .await
            .ok_or_else(|| ApiError::InvalidList(vec![messages::GEOCODING_FAILED.into()]))?;
        fields.point = Some(point);
    }
    check_somewhere(&fields)?;
    let mut tx = writer.state.db.begin().await?;
    let municipality = writer.user.editor().current_municipality();
    let id = locations::insert(&mut tx, &fields, Some(writer.user.id), municipality, writer.state.clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

async fn editable(writer: &Writer<'_>, ex: &mut impl Executes, id: i64) -> Result<LocationRow, ApiError> {
    locations::get(ex, id).await?.filter(|row| writer.user.editor().can_edit(row.ownership())).ok_or(ApiError::NotFound)
}

/// The location locked for an edit in the transaction, if the writer may change it.
async fn locked_editable(writer: &Writer<'_>, tx: &mut Tx, id: i64) -> Result<LocationRow, ApiError> {
    if !locations::lock(tx, id).await? {
        return Err(ApiError::NotFound);
    }
    editable(writer, tx, id).await
}

pub async fn update(
    writer: Writer<'_>,
    id: i64,
    body: Result<Body, ApiError>,
    mode: WriteMode,
) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    let current = locked_editable(&writer, &mut tx, id).await?;
    let (changes, errors) = read(&body?, mode, writer.version);
    errors.into_result()?;
    check_somewhere(&merged(&changes, Some(&current)))?;
    locations::apply(&mut tx, id, &changes, writer.state.clock.now()).await?;
    if changes.point.is_some_and(|point| point != current.point()) {
        // Hobbies here are listed by this point.
        next_event::refresh_at_location(&mut tx, id, writer.state.clock.today()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes the location with the hobbies and promotions there (the schema's cascade), unless
/// some of those are other users' that the writer may not edit (409).
pub async fn delete(writer: Writer<'_>, id: i64) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    locked_editable(&writer, &mut tx, id).await?;
    refuse_if_others_depend(&writer, &mut tx, Place::Location(id)).await?;
    locations::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}
