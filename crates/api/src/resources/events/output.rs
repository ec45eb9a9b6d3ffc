//! The shape of a hobby event, its hobby nested on `include=hobby_detail`.

use crate::resources::hobbies::output::VersionedHobby;
use crate::views::Related;
use hp_db::events::EventRow;
use hp_domain::time::{format_date, format_time};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct EventOut<'a> {
    end_date: String,
    end_time: String,
    hobby: Related<VersionedHobby<'a>>,
    id: i64,
    start_date: String,
    start_time: String,
    start_weekday: i64,
    data_source: &'a str,
}

pub fn event<'a>(row: &'a EventRow, hobby: Related<VersionedHobby<'a>>) -> EventOut<'a> {
    EventOut {
        end_date: format_date(row.end_date),
        end_time: format_time(row.end_time),
        hobby,
        id: row.id,
        start_date: format_date(row.start_date),
        start_time: format_time(row.start_time),
        start_weekday: row.start_weekday,
        data_source: &row.data_source,
    }
}
