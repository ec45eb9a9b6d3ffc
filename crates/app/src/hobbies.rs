//! Reading, creating, changing and deleting hobbies (api.md 4.1): price rules on the merged result
//! (quirks.md 6), creator and municipality set on create, edit rights on every change. An
//! edit writes only the fields its input names.

use crate::changing::{lock_for_change, Hobby};
use crate::images::ImageChange;
use crate::listing::listable_through;
use crate::reading::{found, unique, PlaceIncludes, Places, Reading};
use crate::related::{check_related, Related};
use crate::stored_images::{release_images, store_image};
use crate::{App, AppError, Submitted, User};
use hp_db::category_tree::CategoryTree;
use hp_db::hobbies::{self, HobbyChanges, HobbyFields, HobbyFilter, HobbyRow, Provenance};
use hp_db::{next_event, Tx};
use hp_domain::price::{check_price_rules, PriceType};
use hp_domain::FieldErrors;
use std::sync::Arc;

const IMAGE_FOLDER: &str = "hobby_images";

/// A hobby as a write gives it: the changed columns, the categories, the image.
#[derive(Debug)]
pub struct HobbyInput {
    pub changes: HobbyChanges,
    pub categories: Option<Vec<i64>>,
    pub cover: ImageChange,
    /// Whether the input names the price (type or amount), so that the price rules are
    /// checked on the merged result.
    pub names_price: bool,
}

/// Checks that related rows exist and the price rules hold for the merged result.
async fn validate(
    app: &App,
    tx: &mut Tx,
    input: &HobbyInput,
    current: Option<&HobbyRow>,
    mut errors: FieldErrors,
) -> Result<(), AppError> {
    if let Some(ids) = &input.categories {
        let tree = app.categories.tree(tx).await?;
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
    if input.names_price {
        let price_type = changes.price_type.or(current.map(HobbyRow::price_type)).unwrap_or(PriceType::Free);
        let cents = changes.price_cents.or(current.map(|c| c.price_cents)).unwrap_or(0);
        check_price_rules(price_type, cents).map_err(AppError::non_field)?;
    }
    Ok(())
}

/// A new hobby's fields: what the input gives, defaults for the rest.
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

/// Creates a hobby owned by the user (and their first municipality); its id.
pub async fn create(app: &App, user: &User, submitted: Submitted<HobbyInput>) -> Result<i64, AppError> {
    let Submitted { input, errors } = submitted;
    let now = app.clock.now();
    let image = store_image(app, &input.cover, IMAGE_FOLDER, errors.is_empty()).await?;
    let cover_image = image.column.clone().flatten();
    image
        .or_release(app, async {
            let mut tx = app.db.begin().await?;
            validate(app, &mut tx, &input, None, errors).await?;
            let provenance =
                Provenance { created_by: Some(user.id), municipality: user.editor().current_municipality() };
            let id = hobbies::insert(&mut tx, &new_fields(&input.changes, cover_image), provenance, now).await?;
            hobbies::set_categories(&mut tx, id, input.categories.as_deref().unwrap_or(&[])).await?;
            tx.commit().await?;
            Ok(id)
        })
        .await
}

/// PUT or PATCH, after the edge checked [`crate::changing::may_change`].
pub async fn update(app: &App, user: &User, id: i64, submitted: Submitted<HobbyInput>) -> Result<(), AppError> {
    let Submitted { mut input, errors } = submitted;
    let now = app.clock.now();
    let image = store_image(app, &input.cover, IMAGE_FOLDER, errors.is_empty()).await?;
    input.changes.cover_image = image.column.clone();
    let replaced = image
        .or_release(app, async {
            let mut tx = app.db.begin().await?;
            let current = lock_for_change::<Hobby>(user, &mut tx, id).await?;
            validate(app, &mut tx, &input, Some(&current), errors).await?;
            hobbies::apply(&mut tx, &current, &input.changes, now).await?;
            if let Some(categories) = &input.categories {
                hobbies::set_categories(&mut tx, id, categories).await?;
            }
            // The listing row copies the price type and the location's point.
            if input.changes.price_type.is_some() || input.changes.location_id.is_some() {
                next_event::refresh(&mut tx, &[id], app.clock.today()).await?;
            }
            tx.commit().await?;
            Ok(current.cover_image)
        })
        .await?;
    if input.changes.cover_image.as_ref().is_some_and(|new| *new != replaced) {
        release_images(app, [replaced]).await;
    }
    Ok(())
}

/// Deletes the hobby with its events and its own image.
pub async fn delete(app: &App, user: &User, id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let current = lock_for_change::<Hobby>(user, &mut tx, id).await?;
    hobbies::delete(&mut tx, id).await?;
    tx.commit().await?;
    release_images(app, [current.cover_image]).await;
    Ok(())
}

// Reads.

/// What answers about hobbies need besides the rows: the category tree and the places
/// they nest.
#[derive(Debug)]
pub struct HobbyBundle {
    pub tree: Arc<CategoryTree>,
    pub places: Places,
}

listable_through!(hobbies, HobbyFilter, HobbyRow);

pub async fn get(reading: &mut Reading, id: i64) -> Result<HobbyRow, AppError> {
    found(hobbies::get(reading.conn(), id).await?)
}

/// The bundle of the hobbies, with the places `includes` asks for.
pub async fn bundle(
    reading: &mut Reading,
    rows: &[HobbyRow],
    includes: PlaceIncludes,
) -> Result<HobbyBundle, AppError> {
    let places = Places::load(
        reading,
        includes,
        rows.iter().filter_map(|r| r.location_id),
        rows.iter().filter_map(|r| r.organizer_id),
    )
    .await?;
    Ok(HobbyBundle { tree: reading.tree().await?, places })
}

/// Hobbies with both their places, read in one query (for answers that nest whole hobbies).
pub async fn with_places(reading: &mut Reading, ids: &[i64]) -> Result<(Vec<HobbyRow>, HobbyBundle), AppError> {
    let rows = hobbies::get_many_with_places(reading.conn(), &unique(ids.iter().copied())).await?;
    let places = Places {
        locations: rows.iter().filter_map(|r| r.location()).map(|l| (l.id, l)).collect(),
        organizers: rows.iter().filter_map(|r| r.organizer()).map(|o| (o.id, o)).collect(),
    };
    let bundle = HobbyBundle { tree: reading.tree().await?, places };
    Ok((rows.into_iter().map(|r| r.hobby).collect(), bundle))
}
