//! Creating, changing and deleting promotions (api.md 4.6): the creator is recorded and edit
//! rights are required (quirks.md 12); `created_by` and `municipality` are read-only;
//! `used_count` stays writable for those who may edit, but no edit takes it below the
//! redemptions stored. An edit writes only the fields its body names.

use super::{check_related, release_images, store_image, Related, StoredImage, Writer};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use crate::images::{read_image_field, ImageChange, ImageLimits};
use hp_db::promotions::{self, PromotionChanges, PromotionFields, PromotionRow};
use hp_db::{Executes, Tx};
use hp_domain::limits::MAX_DESCRIPTION_CHARS;
use hp_domain::FieldErrors;

const MAX_COUNT: i64 = 2_147_483_647;

async fn read(body: &Body, mode: WriteMode, limits: ImageLimits) -> (PromotionChanges, ImageChange, FieldErrors) {
    let image = read_image_field(body, "cover_image", limits).await;
    let mut reader = FieldReader::new(body, mode);
    let cover = super::image_or_error(image, &mut reader.errors);
    let changes = PromotionChanges {
        name: reader.text("name", Some(1024), true, false),
        description: reader.text("description", Some(MAX_DESCRIPTION_CHARS), true, false),
        start_date: reader.date("start_date", true),
        start_time: reader.time("start_time", true),
        end_date: reader.date("end_date", true),
        end_time: reader.time("end_time", true),
        cover_image: None,
        available_count: reader.integer("available_count", Some(0), Some(MAX_COUNT), true),
        used_count: reader.integer("used_count", Some(0), Some(MAX_COUNT), false),
        organizer_id: reader.related("organizer", true, false).flatten(),
        location_id: reader.related("location", true, false).flatten(),
    };
    (changes, cover, reader.errors)
}

async fn check(tx: &mut Tx, changes: &PromotionChanges, mut errors: FieldErrors) -> Result<(), ApiError> {
    if let Some(id) = changes.organizer_id {
        check_related(tx, &mut errors, "organizer", Related::Organizer, id).await?;
    }
    if let Some(id) = changes.location_id {
        check_related(tx, &mut errors, "location", Related::Location, id).await?;
    }
    errors.into_result().map_err(ApiError::from)
}

/// A new promotion's fields; `None` if a required one is missing (validation reports it).
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

pub async fn create(writer: Writer<'_>, body: &Body) -> Result<i64, ApiError> {
    let (changes, cover, errors) = read(body, WriteMode::Create, writer.state.config.image_limits).await;
    let image = match errors.is_empty() {
        true => store_image(writer.state, &cover, "promo_images").await?,
        false => StoredImage::KEEP,
    };
    let cover_image = image.column.clone().flatten();
    image
        .or_release(writer.state, async {
            let mut tx = writer.state.db.begin().await?;
            check(&mut tx, &changes, errors).await?;
            let fields = new_fields(&changes, cover_image)
                .ok_or_else(|| ApiError::Internal("validated promotion incomplete".into()))?;
            let municipality = writer.user.editor().current_municipality();
            let id = promotions::insert(&mut tx, &fields, Some(writer.user.id), municipality, writer.state.clock.now())
                .await?;
            tx.commit().await?;
            Ok(id)
        })
        .await
}

async fn editable(writer: &Writer<'_>, ex: &mut impl Executes, id: i64) -> Result<PromotionRow, ApiError> {
    let current = promotions::get(ex, id).await?.ok_or(ApiError::NotFound)?;
    if !writer.user.editor().can_edit(current.ownership()) {
        return Err(ApiError::Forbidden);
    }
    Ok(current)
}

/// The promotion locked for an edit in the transaction, if the writer may change it.
async fn locked_editable(writer: &Writer<'_>, tx: &mut Tx, id: i64) -> Result<PromotionRow, ApiError> {
    if !promotions::lock(tx, id).await? {
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
    editable(&writer, &mut writer.state.db.conn().await?, id).await?;
    let body = body?;
    let (mut changes, cover, errors) = read(&body, mode, writer.state.config.image_limits).await;
    let image = match errors.is_empty() {
        true => store_image(writer.state, &cover, "promo_images").await?,
        false => StoredImage::KEEP,
    };
    changes.cover_image = image.column.clone();
    let replaced = image
        .or_release(writer.state, async {
            let mut tx = writer.state.db.begin().await?;
            let current = locked_editable(&writer, &mut tx, id).await?;
            check(&mut tx, &changes, errors).await?;
            promotions::apply(&mut tx, &current, &changes, writer.state.clock.now()).await?;
            tx.commit().await?;
            Ok(current.cover_image)
        })
        .await?;
    if changes.cover_image.as_ref().is_some_and(|new| *new != replaced) {
        release_images(writer.state, [replaced]).await;
    }
    Ok(())
}

pub async fn delete(writer: Writer<'_>, id: i64) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    let current = locked_editable(&writer, &mut tx, id).await?;
    promotions::delete(&mut tx, id).await?;
    tx.commit().await?;
    release_images(writer.state, [current.cover_image]).await;
    Ok(())
}
