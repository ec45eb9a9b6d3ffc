//! Reading a hobby write's body (api.md 4.1). Before v1 (pre1) a hobby had no categories
//! and no price: those fields are not read.

use crate::body::Body;
use crate::fields::{FieldReader, WriteMode};
use crate::image_field::{image_or_error, read_image_field};
use crate::version::ApiVersion;
use hp_app::hobbies::HobbyInput;
use hp_app::images::ImageLimits;
use hp_app::Submitted;
use hp_db::hobbies::HobbyChanges;
use hp_domain::limits::MAX_DESCRIPTION_CHARS;
use hp_domain::price::PriceType;

/// A body of the current versions (v1 and later) and of the sysadmin UI's form.
pub async fn read(body: &Body, mode: WriteMode, limits: ImageLimits) -> Submitted<HobbyInput> {
    read_fields(body, mode, limits, false).await
}

/// A body of the API version of the time, or of the current ones.
pub(crate) async fn read_versioned(
    body: &Body,
    mode: WriteMode,
    version: ApiVersion,
    limits: ImageLimits,
) -> Submitted<HobbyInput> {
    read_fields(body, mode, limits, version == ApiVersion::Pre1).await
}

async fn read_fields(body: &Body, mode: WriteMode, limits: ImageLimits, legacy: bool) -> Submitted<HobbyInput> {
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
        (reader.choice("price_type", &PriceType::NAMES, PriceType::parse), reader.amount("price_amount"))
    };
    let names_price = !legacy && (body.has("price_type") || body.has("price_amount"));
    let changes =
        HobbyChanges { name, description, location_id, organizer_id, price_type, price_cents, cover_image: None };
    Submitted::new(HobbyInput { changes, categories, cover, names_price }, reader.errors)
}
