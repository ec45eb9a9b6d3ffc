//! Reading, creating, changing and deleting promotions (api.md 4.6): the creator is recorded and edit
//! rights are required (quirks.md 12); `used_count` stays writable for those who may edit,
//! but no edit takes it below the redemptions stored. An edit writes only the fields its
//! input names.

use crate::changing::{lock_for_change, Promotion};
use crate::images::ImageChange;
use crate::listing::{ListQuery, Restrictable};
use crate::reading::{found, PlaceIncludes, Places, Reading};
use crate::related::{check_related, Related};
use crate::stored_images::{release_images, store_image};
use crate::{Actor, App, AppError, Submitted, User};
use hp_db::promotions::{self, PromotionChanges, PromotionFields, PromotionFilter, PromotionRow};
use hp_db::{EditScope, Tx};
use hp_domain::FieldErrors;

const IMAGE_FOLDER: &str = "promo_images";

/// A promotion as a write gives it.
#[derive(Debug)]
pub struct PromotionInput {
    pub changes: PromotionChanges,
    pub cover: ImageChange,
}

async fn check(tx: &mut Tx, changes: &PromotionChanges, mut errors: FieldErrors) -> Result<(), AppError> {
    if let Some(id) = changes.organizer_id {
        check_related(tx, &mut errors, "organizer", Related::Organizer, id).await?;
    }
    if let Some(id) = changes.location_id {
        check_related(tx, &mut errors, "location", Related::Location, id).await?;
    }
    errors.into_result().map_err(AppError::from)
}

/// A new promotion's fields; `None` if a required one is missing (reading reports it).
fn new_fields(changes: &PromotionChanges, cover_image: Option<String>) -> Option<PromotionFields> {
    Some(PromotionFields {
        name: changes.name.clone()?,
        description: changes.description.clone()?,
        start_date: changes.start_date?,
        start_time: changes.start_time?,
        end_date: changes.end_date?,
        end_time: changes.end_time?,
        cover_image,
        organizer_id: changes.organizer_id?,
        location_id: changes.location_id?,
        available_count: changes.available_count?,
        used_count: changes.used_count.unwrap_or(0),
    })
}

pub async fn create(app: &App, user: &User, submitted: Submitted<PromotionInput>) -> Result<i64, AppError> {
    let Submitted { input, errors } = submitted;
    let image = store_image(app, &input.cover, IMAGE_FOLDER, errors.is_empty()).await?;
    let cover_image = image.column.clone().flatten();
    image
        .or_release(app, async {
            let mut tx = app.db.begin().await?;
            check(&mut tx, &input.changes, errors).await?;
            let fields = new_fields(&input.changes, cover_image).ok_or_else(|| AppError::incomplete("promotion"))?;
            let municipality = user.editor().current_municipality();
            let id = promotions::insert(&mut tx, &fields, Some(user.id), municipality, app.clock.now()).await?;
            tx.commit().await?;
            Ok(id)
        })
        .await
}

/// PUT or PATCH, after the edge checked [`crate::changing::may_change`].
pub async fn update(app: &App, user: &User, id: i64, submitted: Submitted<PromotionInput>) -> Result<(), AppError> {
    let Submitted { input, errors } = submitted;
    let PromotionInput { mut changes, cover } = input;
    let image = store_image(app, &cover, IMAGE_FOLDER, errors.is_empty()).await?;
    changes.cover_image = image.column.clone();
    let replaced = image
        .or_release(app, async {
            let mut tx = app.db.begin().await?;
            let current = lock_for_change::<Promotion>(user, &mut tx, id).await?;
            check(&mut tx, &changes, errors).await?;
            promotions::apply(&mut tx, &current, &changes, app.clock.now()).await?;
            tx.commit().await?;
            Ok(current.cover_image)
        })
        .await?;
    if changes.cover_image.as_ref().is_some_and(|new| *new != replaced) {
        release_images(app, [replaced]).await;
    }
    Ok(())
}

pub async fn delete(app: &App, user: &User, id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let current = lock_for_change::<Promotion>(user, &mut tx, id).await?;
    promotions::delete(&mut tx, id).await?;
    tx.commit().await?;
    release_images(app, [current.cover_image]).await;
    Ok(())
}

// Reads.

/// The promotions the actor may see under the query, in its order (never paged).
pub async fn list(
    reading: &mut Reading,
    actor: &Actor,
    query: ListQuery<PromotionFilter>,
) -> Result<Vec<PromotionRow>, AppError> {
    match query.for_actor(actor) {
        Some(filter) => Ok(promotions::list(reading.conn(), &filter).await?),
        None => Ok(Vec::new()),
    }
}

pub async fn get(reading: &mut Reading, id: i64) -> Result<PromotionRow, AppError> {
    found(promotions::get(reading.conn(), id).await?)
}

/// The places of the promotions that `includes` asks to nest.
pub async fn places(reading: &mut Reading, rows: &[PromotionRow], includes: PlaceIncludes) -> Result<Places, AppError> {
    Places::load(reading, includes, rows.iter().map(|r| r.location_id), rows.iter().map(|r| r.organizer_id)).await
}

impl Restrictable for PromotionFilter {
    fn restrict_to(&mut self, scope: EditScope) {
        self.editable = Some(scope);
    }
}
