//! Creating, changing and deleting hobbies (api.md 4.1): price rules on the merged result
//! (quirks.md 6), creator and municipality set on create, edit rights on every change. An
//! edit writes only the fields its body names.

use super::{check_related, image_or_error, release_images, store_image, Related, StoredImage, Writer};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use crate::images::{read_image_field, ImageChange, ImageLimits};
use crate::version::ApiVersion;
use hp_db::hobbies::{self, HobbyChanges, HobbyFields, HobbyRow, Provenance};
use hp_db::next_event;
use hp_domain::limits::MAX_DESCRIPTION_CHARS;
use hp_domain::price::{check_price_rules, PriceType};
use hp_domain::FieldErrors;

/// What a body asks for: the changed columns, the categories, the image.
#[derive(Debug)]
struct HobbyBody {
    changes: HobbyChanges,
    categories: Option<Vec<i64>>,
    cover: ImageChange,
}

async fn read(body: &Body, mode: WriteMode, version: ApiVersion, limits: ImageLimits) -> (HobbyBody, FieldErrors) {
    let legacy = version == ApiVersion::Pre1;
    let image = read_image_field(body, "cover_image", limits).await;
    let mut reader = FieldReader::new(body, mode);
    let categories = if legacy { None } else { reader.related_list("categories") };
    let cover = image_or_error(image, &mut reader.errors);
    let description = reader.text("description", Some(MAX_DESCRIPTION_CHARS), false, true);
    let location_id = reader.related("location", false, true);
    let name = reader.text("name", Some(1024), true, false);
    let organizer_id = reader.related("organizer", false, true);
    let (price_type, price_cents) = if legacy {
        (None, None)
    } else {
        (reader.choice("price_type", PriceType::parse), reader.amount("price_amount"))
    };
    let changes =
        HobbyChanges { name, description, location_id, organizer_id, price_type, price_cents, cover_image: None };
    (HobbyBody { changes, categories, cover }, reader.errors)
}

/// Checks that related rows exist and the price rules hold for the merged result.
async fn validate(
    writer: &Writer<'_>,
    tx: &mut hp_db::Tx,
    body: &Body,
    input: &HobbyBody,
    current: Option<&HobbyRow>,
    mut errors: FieldErrors,
) -> Result<(), ApiError> {
    if let Some(ids) = &input.categories {
        let tree = writer.state.categories.tree(tx).await?;
        if let Some(missing) = tree.first_unknown(ids) {
            errors.add("categories", hp_domain::messages::related_does_not_exist(&missing.to_string()));
        }
    }
    let changes = &input.changes;
    if let Some(Some(id)) = changes.location_id {
        check_related(tx, &mut errors, "location", Related::Location, id).await?;
    }
    if let Some(Some(id)) = changes.organizer_id {
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

/// A new hobby's fields: what the body gives, defaults for the rest.
fn new_fields(changes: &HobbyChanges, cover_image: Option<String>) -> HobbyFields {
    HobbyFields {
        name: changes.name.clone().unwrap_or_default(),
        description: changes.description.clone().unwrap_or_default(),
        location_id: changes.location_id.flatten(),
        organizer_id: changes.organizer_id.flatten(),
        price_type: changes.price_type.unwrap_or(PriceType::Free),
        price_cents: changes.price_cents.unwrap_or(0),
        cover_image,
        data_source: String::new(),
        origin_id: String::new(),
    }
}

/// Creates a hobby owned by the writer (and their first municipality); returns its id.
pub async fn create(writer: Writer<'_>, body: &Body) -> Result<i64, ApiError> {
    let (input, errors) = read(body, WriteMode::Create, writer.version, writer.state.config.image_limits).await;
    let now = writer.state.clock.now();
    let image = match errors.is_empty() {
        true => store_image(writer.state, &input.cover, "hobby_images").await?,
        false => StoredImage::KEEP,
    };
    let cover_image = image.column.clone().flatten();
    image
        .or_release(writer.state, async {
            let mut tx = writer.state.db.begin().await?;
            validate(&writer, &mut tx, body, &input, None, errors).await?;
            let provenance = Provenance {
                created_by: Some(writer.user.id),
                municipality: writer.user.editor().current_municipality(),
            };
            let id = hobbies::insert(&mut tx, &new_fields(&input.changes, cover_image), provenance, now).await?;
            hobbies::set_categories(&mut tx, id, input.categories.as_deref().unwrap_or(&[])).await?;
            tx.commit().await?;
            Ok(id)
        })
        .await
}

/// The hobby, if the writer may change it: 404 when missing, 403 when not theirs.
async fn editable(writer: &Writer<'_>, ex: &mut impl hp_db::Executes, id: i64) -> Result<HobbyRow, ApiError> {
    let current = hobbies::get(ex, id).await?.ok_or(ApiError::NotFound)?;
    if !writer.user.editor().can_edit(current.ownership()) {
        return Err(ApiError::Forbidden);
    }
    Ok(current)
}

/// The hobby locked for an edit in the transaction, if the writer may change it.
async fn locked_editable(writer: &Writer<'_>, tx: &mut hp_db::Tx, id: i64) -> Result<HobbyRow, ApiError> {
    if !hobbies::lock(tx, id).await? {
        return Err(ApiError::NotFound);
    }
    editable(writer, tx, id).await
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
    let (mut input, errors) = read(&body, mode, writer.version, writer.state.config.image_limits).await;
    let image = match errors.is_empty() {
        true => store_image(writer.state, &input.cover, "hobby_images").await?,
        false => StoredImage::KEEP,
    };
    input.changes.cover_image = image.column.clone();
    let replaced = image
        .or_release(writer.state, async {
            let mut tx = writer.state.db.begin().await?;
            let current = locked_editable(&writer, &mut tx, id).await?;
            validate(&writer, &mut tx, &body, &input, Some(&current), errors).await?;
            hobbies::apply(&mut tx, &current, &input.changes, now).await?;
            if let Some(categories) = &input.categories {
                hobbies::set_categories(&mut tx, id, categories).await?;
            }
            // The listing row copies the price type and the location's point.
            if input.changes.price_type.is_some() || input.changes.location_id.is_some() {
                next_event::refresh(&mut tx, &[id], writer.state.clock.today()).await?;
            }
            tx.commit().await?;
            Ok(current.cover_image)
        })
        .await?;
    if input.changes.cover_image.as_ref().is_some_and(|new| *new != replaced) {
        release_images(writer.state, [replaced]).await;
    }
    Ok(())
}

/// Deletes the hobby with its events and its own image.
pub async fn delete(writer: Writer<'_>, id: i64) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    let current = locked_editable(&writer, &mut tx, id).await?;
    hobbies::delete(&mut tx, id).await?;
    tx.commit().await?;
    release_images(writer.state, [current.cover_image]).await;
    Ok(())
}
