//! Reading a hobby event write's body (api.md 4.3).

use crate::body::Body;
use crate::fields::{FieldReader, WriteMode};
use hp_app::events::EventInput;
use hp_app::Submitted;
use hp_domain::recurrence::MAX_RECURRENCY_COUNT;

pub fn read(body: &Body, mode: WriteMode) -> Submitted<EventInput> {
    let mut reader = FieldReader::new(body, mode);
    let input = EventInput {
        end_date: reader.date("end_date", true),
        end_time: reader.time("end_time", true),
        hobby: reader.related("hobby", true, false).flatten(),
        start_date: reader.date("start_date", true),
        start_time: reader.time("start_time", true),
        data_source: reader.text("data_source", Some(256), false, true),
        is_recurrent: reader.boolean("is_recurrent").unwrap_or(false),
        recurrency_count: reader.integer("recurrency_count", Some(0), Some(MAX_RECURRENCY_COUNT), false).unwrap_or(0),
    };
    Submitted::new(input, reader.errors)
}
