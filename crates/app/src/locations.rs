//! Reading, creating, changing and deleting locations (api.md 4.5): at least one of name, city or
//! coordinates (quirks.md 7), optional geocoding of new locations given without coordinates,
//! invisible ("not found") to users who may not edit them.

use crate::changing::{lock_for_change, visible_place, Location};
use crate::geocoding::address_query;
use crate::related::refuse_if_others_depend;
use crate::{Actor, App, AppError, Submitted, User};
use hp_db::dependents::Place;
use hp_db::locations::{self, LocationChanges, LocationFields, LocationRow};
use hp_db::next_event;
use hp_domain::messages;

/// A location as a write gives it. `changes.point` is `Some(None)` for "no coordinates";
/// `geocode` asks for the point of the address when the input names no coordinates at all.
#[derive(Debug, Default)]
pub struct LocationInput {
    pub changes: LocationChanges,
    pub geocode: bool,
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
fn check_somewhere(fields: &LocationFields) -> Result<(), AppError> {
    if fields.name.is_empty() && fields.city.is_empty() && fields.point.is_none() {
        return Err(AppError::non_field(messages::LOCATION_NEEDS_SOMETHING));
    }
    Ok(())
}

/// Creates a location owned by the user; its id. Geocoding, when configured and asked for,
/// happens before the transaction (the geocoder may be slow).
pub async fn create(app: &App, user: &User, submitted: Submitted<LocationInput>) -> Result<i64, AppError> {
    let input = submitted.into_checked()?;
    let mut fields = merged(&input.changes, None);
    if let (Some(geocoder), true) = (&app.geocoder, input.geocode) {
        let query = address_query(&fields.address, &fields.zip_code, &fields.city);
        let point = geocoder
            .locate(&query)
            .await
            .ok_or_else(|| AppError::InvalidList(vec![messages::GEOCODING_FAILED.into()]))?;
        fields.point = Some(point);
    }
    check_somewhere(&fields)?;
    let mut tx = app.db.begin().await?;
    let municipality = user.editor().current_municipality();
    let id = locations::insert(&mut tx, &fields, Some(user.id), municipality, app.clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(app: &App, user: &User, id: i64, submitted: Submitted<LocationInput>) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let current = lock_for_change::<Location>(user, &mut tx, id).await?;
    let changes = submitted.into_checked()?.changes;
    check_somewhere(&merged(&changes, Some(&current)))?;
    locations::apply(&mut tx, id, &changes, app.clock.now()).await?;
    if changes.point.is_some_and(|point| point != current.point()) {
        // Hobbies here are listed by this point.
        next_event::refresh_at_location(&mut tx, id, app.clock.today()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes the location with the hobbies and promotions there (the schema's cascade), unless
/// some of those are other users' that the user may not edit (a conflict).
pub async fn delete(app: &App, user: &User, id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    lock_for_change::<Location>(user, &mut tx, id).await?;
    refuse_if_others_depend(user, &mut tx, Place::Location(id)).await?;
    locations::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

// Reads.

/// The locations the actor sees: every one for anonymous callers, else those they may edit.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<LocationRow>, AppError> {
    Ok(locations::list(&mut app.db.conn().await?, actor.edit_scope()).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<LocationRow, AppError> {
    visible_place::<Location>(app, actor, id).await
}
