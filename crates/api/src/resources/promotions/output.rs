//! The shape of a promotion, location and organizer nested on `include`.

use crate::resources::locations::output::LocationOut;
use crate::resources::organizers::output::OrganizerOut;
use crate::views::{MediaUrls, Related};
use hp_db::promotions::PromotionRow;
use hp_domain::time::{format_date, format_time, format_timestamp};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PromotionOut<'a> {
    id: i64,
    cover_image: Option<String>,
    created_at: String,
    updated_at: String,
    name: &'a str,
    description: &'a str,
    start_date: String,
    start_time: String,
    end_date: String,
    end_time: String,
    available_count: i64,
    used_count: i64,
    municipality: Option<i64>,
    organizer: Related<OrganizerOut<'a>>,
    location: Related<LocationOut<'a>>,
    created_by: Option<i64>,
}

pub fn promotion<'a>(
    row: &'a PromotionRow,
    media: &MediaUrls,
    organizer: Related<OrganizerOut<'a>>,
    location: Related<LocationOut<'a>>,
) -> PromotionOut<'a> {
    PromotionOut {
        id: row.id,
        cover_image: media.url(row.cover_image.as_deref()),
        created_at: format_timestamp(row.created_at),
        updated_at: format_timestamp(row.updated_at),
        name: &row.name,
        description: &row.description,
        start_date: format_date(row.start_date),
        start_time: format_time(row.start_time),
        end_date: format_date(row.end_date),
        end_time: format_time(row.end_time),
        available_count: row.available_count,
        used_count: row.used_count,
        municipality: row.municipality_id,
        organizer,
        location,
        created_by: row.created_by_id,
    }
}
