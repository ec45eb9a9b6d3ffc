//! Creating, changing and deleting promotions (api.md 4.6): the creator is recorded and edit
//! rights are required (quirks.md 12); `created_by` and `municipality` are read-only;
//! `used_count` stays writable for those who may edit.

use super::{check_related, release_images, store_image, Related, Writer};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use crate::images::{read_image_field, ImageChange, ImageLimits};
use chrono::{NaiveDate, NaiveTime};
use hp_db::promotions::{self, PromotionFields, PromotionRow};
use hp_db::{Executes, Tx};
use hp_domain::FieldErrors;

const MAX_COUNT: i64 = 2_147_483_647;

#[derive(Debug)]
struct PromotionChanges {
    cover: ImageChange,
    name: Option<String>,
    description: Option<String>,
    start_date: Option<NaiveDate>,
    start_time: Option<NaiveTime>,
    end_date: Option<NaiveDate>,
    end_time: Option<NaiveTime>,
    available_count: Option<i64>,
    used_count: Option<i64>,
    organizer: Option<i64>,
    location: Option<i64>,
}

async fn read(body: &Body, mode: WriteMode, limits: ImageLimits) -> (PromotionChanges, FieldErrors) {
    let image = read_image_field(body, "cover_image", limits).await;
    let mut reader = FieldReader::new(body, mode);
    let cover = super::image_or_error(image, &mut reader.errors);
    let changes = PromotionChanges {
        cover,
        name: reader.text("name", Some(1024), true, false),
        description: reader.text("description", None, true, false),
        start_date: reader.date("start_date", true),
        start_time: reader.time("start_time", true),
        end_date: reader.date("end_date", true),
        end_time: reader.time("end_time", true),
        available_count: reader.integer("available_count", Some(0), Some(MAX_COUNT), true),
        used_count: reader.integer("used_count", Some(0), Some(MAX_COUNT), false),
        organizer: reader.related("organizer", true, false).flatten(),
        location: reader.related("location", true, false).flatten(),
    };
    (changes, reader.errors)
}

async fn check(tx: &mut Tx, changes: &PromotionChanges, mut errors: FieldErrors) -> Result<(), ApiError> {
    if let Some(id) = changes.organizer {
        check_related(tx, &mut errors, "organizer", Related::Organizer, id).await?;
    }
    if let Some(id) = changes.location {
        check_related(tx, &mut errors, "location", Related::Location, id).await?;
    }
    errors.into_result().map_err(ApiError::from)
}

fn merged(
    changes: &PromotionChanges,
    current: Option<&PromotionRow>,
    cover_image: Option<String>,
) -> Option<PromotionFields> {
    Some(PromotionFields {
        name: changes.name.clone().or(current.map(|c| c.name.clone()))?,
        description: changes.description.clone().or(current.map(|c| c.description.clone()))?,
        start_date: changes.start_date.or(current.map(|c| c.start_date))?,
        start_time: changes.start_time.or(current.map(|c| c.start_time))?,
        end_date: changes.end_date.or(current.map(|c| c.end_date))?,
        end_time: changes.end_time.or(current.map(|c| c.end_time))?,
        cover_image,
        organizer_id: changes.organizer.or(current.map(|c| c.organizer_id))?,
        location_id: changes.location.or(current.map(|c| c.location_id))?,
        available_count: changes.available_count.or(current.map(|c| c.available_count))?,
        used_count: changes.used_count.or(current.map(|c| c.used_count)).unwrap_or(0),
    })
}

fn incomplete() -> ApiError {
    ApiError::Internal("validated promotion incomplete".into())
}

pub async fn create(writer: Writer<'_>, body: &Body) -> Result<i64, ApiError> {
    let (changes, errors) = read(body, WriteMode::Create, writer.state.config.image_limits).await;
    let cover_image = if errors.is_empty() {
        store_image(writer.state, &changes.cover, "promo_images").await?.flatten()
    } else {
        None
    };
    let mut tx = writer.state.db.begin().await?;
    check(&mut tx, &changes, errors).await?;
    let fields = merged(&changes, None, cover_image).ok_or_else(incomplete)?;
    let municipality = writer.user.editor().current_municipality();
    let id = promotions::insert(&mut tx, &fields, Some(writer.user.id), municipality, writer.state.clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

async fn editable(writer: &Writer<'_>, ex: &mut impl Executes, id: i64) -> Result<PromotionRow, ApiError> {
    let current = promotions::get(ex, id).await?.ok_or(ApiError::NotFound)?;
    if !writer.user.editor().can_edit(current.ownership()) {
        return Err(ApiError::Forbidden);
    }
    Ok(current)
}

pub async fn update(
    writer: Writer<'_>,
    id: i64,
    body: Result<Body, ApiError>,
    mode: WriteMode,
) -> Result<(), ApiError> {
    editable(&writer, &mut writer.state.db.conn().await?, id).await?;
    let body = body?;
    let (changes, errors) = read(&body, mode, writer.state.config.image_limits).await;
    let new_image =
        if errors.is_empty() { store_image(writer.state, &changes.cover, "promo_images").await? } else { None };
    let mut tx = writer.state.db.begin().await?;
    let current = editable(&writer, &mut tx, id).await?;
    check(&mut tx, &changes, errors).await?;
    let cover_image = new_image.unwrap_or_else(|| current.cover_image.clone());
    let fields = merged(&changes, Some(&current), cover_image.clone()).ok_or_else(incomplete)?;
    promotions::update(&mut tx, id, &fields, writer.state.clock.now()).await?;
    tx.commit().await?;
    if cover_image != current.cover_image {
        release_images(writer.state, [current.cover_image]).await;
    }
    Ok(())
}

pub async fn delete(writer: Writer<'_>, id: i64) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    let current = editable(&writer, &mut tx, id).await?;
    promotions::delete(&mut tx, id).await?;
    tx.commit().await?;
    release_images(writer.state, [current.cover_image]).await;
    Ok(())
}
