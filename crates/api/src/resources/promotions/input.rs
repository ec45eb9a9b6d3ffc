//! Reading a promotion write's body (api.md 4.6); `created_by` and `municipality` are
//! read-only and not read.

use crate::body::Body;
use crate::fields::{FieldReader, WriteMode};
use crate::image_field::{image_or_error, read_image_field};
use hp_app::images::ImageLimits;
use hp_app::promotions::PromotionInput;
use hp_app::Submitted;
use hp_db::promotions::PromotionChanges;
use hp_domain::limits::MAX_DESCRIPTION_CHARS;

const MAX_COUNT: i64 = 2_147_483_647;

pub async fn read(body: &Body, mode: WriteMode, limits: ImageLimits) -> Submitted<PromotionInput> {
    let image = read_image_field(body, "cover_image", limits).await;
    let mut reader = FieldReader::new(body, mode);
    let cover = image_or_error(image, &mut reader.errors);
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
    Submitted::new(PromotionInput { changes, cover }, reader.errors)
}
