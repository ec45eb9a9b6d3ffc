//! Creating, changing and deleting hobbies (api.md 4.1): price rules on the merged result
//! (quirks.md 6), creator and municipality set on create, edit rights on every change.

use super::{check_related, image_or_error, release_images, store_image, Related, Writer};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use crate::images::{read_image_field, ImageChange, ImageLimits};
use crate::version::ApiVersion;
use hp_db::hobbies::{self, HobbyFields, HobbyRow, Provenance};
use hp_db::next_event;
use hp_domain::price::{check_price_rules, PriceType};
use hp_domain::FieldErrors;

/// What a body asks to change; `None` leaves the stored value.
#[derive(Debug)]
struct HobbyChanges {
    categories: Option<Vec<i64>>,
    cover: ImageChange,
    description: Option<String>,
    location: Option<Option<i64>>,
    name: Option<String>,
    organizer: Option<Option<i64>>,
    price_type: Option<PriceType>,
    price_cents: Option<i64>,
}

async fn read(body: &Body, mode: WriteMode, version: ApiVersion, limits: ImageLimits) -> (HobbyChanges, FieldErrors) {
    let legacy = version == ApiVersion::Pre1;
    let image = read_image_field(body, "cover_image", limits).await;
    let mut reader = FieldReader::new(body, mode);
    let categories = if legacy { None } else { reader.related_list("categories") };
    let cover = image_or_error(image, &mut reader.errors);
    let description = reader.text("description", None, false, true);
    let location = reader.related("location", false, true);
    let name = reader.text("name", Some(1024), true, false);
    let organizer = reader.related("organizer", false, true);
    let (price_type, price_cents) = if legacy {
        (None, None)
    } else {
        (reader.choice("price_type", PriceType::parse), reader.amount("price_amount"))
    };
    let changes = HobbyChanges { categories, cover, description, location, name, organizer, price_type, price_cents };
    (changes, reader.errors)
}

/// Checks that related rows exist and the price rules hold for the merged result.
async fn validate(
    writer: &Writer<'_>,
    tx: &mut hp_db::Tx,
    body: &Body,
    changes: &HobbyChanges,
    current: Option<&HobbyRow>,
    mut errors: FieldErrors,
) -> Result<(), ApiError> {
    if let Some(ids) = &changes.categories {
        let tree = writer.state.categories.tree(tx).await?;
        if let Some(missing) = tree.first_unknown(ids) {
            errors.add("categories", hp_domain::messages::related_does_not_exist(&missing.to_string()));
        }
    }
    if let Some(Some(id)) = changes.location {
        check_related(tx, &mut errors, "location", Related::Location, id).await?;
    }
    if let Some(Some(id)) = changes.organizer {
        check_related(tx, &mut errors, "organizer", Related::Organizer, id).await?;
    }
    errors.into_result()?;
    let legacy = writer.version == ApiVersion::Pre1;
    if !legacy && (body.has("price_type") || body.has("price_amount")) {
        let price_type = changes.price_type.or(current.map(HobbyRow::price_type)).unwrap_or(PriceType::Free);
        let cents = changes.price_cents.or(current.map(|c| c.price_cents)).unwrap_or(0);
        check_price_rules(price_type, cents).map_err(ApiError::non_field)?;
    }
    Ok(())
}

fn merged(changes: &HobbyChanges, current: Option<&HobbyRow>, cover_image: Option<String>) -> HobbyFields {
    HobbyFields {
        name: changes.name.clone().or(current.map(|c| c.name.clone())).unwrap_or_default(),
        description: changes.description.clone().or(current.map(|c| c.description.clone())).unwrap_or_default(),
        location_id: changes.location.unwrap_or(current.and_then(|c| c.location_id)),
        organizer_id: changes.organizer.unwrap_or(current.and_then(|c| c.organizer_id)),
        price_type: changes.price_type.or(current.map(HobbyRow::price_type)).unwrap_or(PriceType::Free),
        price_cents: changes.price_cents.or(current.map(|c| c.price_cents)).unwrap_or(0),
        cover_image,
        data_source: current.map(|c| c.data_source.clone()).unwrap_or_default(),
        origin_id: current.map(|c| c.origin_id.clone()).unwrap_or_default(),
    }
}

/// Creates a hobby owned by the writer (and their first municipality); returns its id.
pub async fn create(writer: Writer<'_>, body: &Body) -> Result<i64, ApiError> {
    let (changes, errors) = read(body, WriteMode::Create, writer.version, writer.state.config.image_limits).await;
    let now = writer.state.clock.now();
    let cover_image = if errors.is_empty() {
        store_image(writer.state, &changes.cover, "hobby_images").await?.flatten()
    } else {
        None
    };
    let mut tx = writer.state.db.begin().await?;
    validate(&writer, &mut tx, body, &changes, None, errors).await?;
    let provenance =
        Provenance { created_by: Some(writer.user.id), municipality: writer.user.editor().current_municipality() };
    let id = hobbies::insert(&mut tx, &merged(&changes, None, cover_image), provenance, now).await?;
    hobbies::set_categories(&mut tx, id, changes.categories.as_deref().unwrap_or(&[])).await?;
    tx.commit().await?;
    Ok(id)
}

/// The hobby, if the writer may change it: 404 when missing, 403 when not theirs.
async fn editable(writer: &Writer<'_>, ex: &mut impl hp_db::Executes, id: i64) -> Result<HobbyRow, ApiError> {
    let current = hobbies::get(ex, id).await?.ok_or(ApiError::NotFound)?;
    if !writer.user.editor().can_edit(current.ownership()) {
        return Err(ApiError::Forbidden);
    }
    Ok(current)
}

/// PUT or PATCH. The body is read only after the rights are checked (as the original did).
pub async fn update(
    writer: Writer<'_>,
    id: i64,
    body: Result<Body, ApiError>,
    mode: WriteMode,
) -> Result<(), ApiError> {
    let now = writer.state.clock.now();
    editable(&writer, &mut writer.state.db.conn().await?, id).await?;
    let body = body?;
    let (changes, errors) = read(&body, mode, writer.version, writer.state.config.image_limits).await;
    let new_image =
        if errors.is_empty() { store_image(writer.state, &changes.cover, "hobby_images").await? } else { None };
    let mut tx = writer.state.db.begin().await?;
    let current = editable(&writer, &mut tx, id).await?;
    validate(&writer, &mut tx, &body, &changes, Some(&current), errors).await?;
    let cover_image = new_image.unwrap_or_else(|| current.cover_image.clone());
    let fields = merged(&changes, Some(&current), cover_image.clone());
    hobbies::update(&mut tx, id, &fields, now).await?;
    if let Some(categories) = &changes.categories {
        hobbies::set_categories(&mut tx, id, categories).await?;
    }
    // The listing row copies the price type and the location's point.
    next_event::refresh(&mut tx, &[id], writer.state.clock.today()).await?;
    tx.commit().await?;
    if cover_image != current.cover_image {
        release_images(writer.state, [current.cover_image]).await;
    }
    Ok(())
}

/// Deletes the hobby with its events and its own image.
pub async fn delete(writer: Writer<'_>, id: i64) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    let current = editable(&writer, &mut tx, id).await?;
    hobbies::delete(&mut tx, id).await?;
    tx.commit().await?;
    release_images(writer.state, [current.cover_image]).await;
    Ok(())
}
