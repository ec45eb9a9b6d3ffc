//! The query of the hobby event list (api.md 4.3): the filter and the parameters it reads.

use crate::error::ApiError;
use crate::filters::{
    check_numeric, editable_only, read_categories, read_date, read_hobby, read_ordering_keys, read_price_type,
    read_search, read_time, read_weekdays, resolve_ordering, EVENT_ORDERINGS,
};
use crate::openapi::operations::{
    self as doc, param, Kind, Param, CATEGORY, EDITABLE_ONLY, EXCLUDE_PAST_EVENTS, MAX_DISTANCE, NEAR_LATITUDE,
    NEAR_LONGITUDE, PRICE_TYPE, SEARCH,
};
use crate::params::QueryParams;
use hp_app::listing::ListQuery;
use hp_app::reading::Reading;
use hp_db::events::EventFilter;
use hp_db::TextSearch;
use hp_domain::FieldErrors;

pub(crate) async fn event_query(
    params: &QueryParams,
    reading: &mut Reading,
    now: chrono::NaiveDateTime,
) -> Result<ListQuery<EventFilter>, ApiError> {
    let mut errors = FieldErrors::new();
    let hobby = read_hobby(params, reading, &mut errors).await?;
    let tree = reading.tree().await?;
    let categories = read_categories(params, &tree, &mut errors);
    let start_date_from = read_date(params, "start_date_from", &mut errors);
    let start_date_to = read_date(params, "start_date_to", &mut errors);
    let start_time_from = read_time(params, "start_time_from", &mut errors);
    let start_time_to = read_time(params, "start_time_to", &mut errors);
    let weekdays = read_weekdays(params, &mut errors);
    let keys = read_ordering_keys(params, EVENT_ORDERINGS, &mut errors);
    for name in ["near_latitude", "near_longitude"] {
        check_numeric(params, name, &mut errors);
    }
    let terms = read_search(params, &mut errors);
    errors.into_result()?;
    let ordering = resolve_ordering(params, keys)?;
    let search = (!terms.is_empty()).then(|| TextSearch { categories: tree.matching_any_term(&terms), terms });
    let filter = EventFilter {
        hobby,
        categories,
        price_type: read_price_type(params),
        editable: None,
        start_date_from,
        start_date_to,
        start_time_from,
        start_time_to,
        weekdays,
        not_ended_before: (params.flag("exclude_past_events") == Some(true)).then_some(now),
        search,
        ordering,
    };
    Ok(ListQuery { filter, editable_only: editable_only(params) })
}

/// The query parameters of the hobby event list.
pub(crate) const EVENT_PARAMS: &[Param] = &[
    param("hobby", Kind::Integer, "All events of this hobby (not only its next)."),
    CATEGORY,
    PRICE_TYPE,
    EDITABLE_ONLY,
    param("start_date_from", Kind::Date, "Starts on or after (YYYY-MM-DD)."),
    param("start_date_to", Kind::Date, "Starts on or before."),
    param("start_time_from", Kind::Time, "Starts at or after (HH:MM)."),
    param("start_time_to", Kind::Time, "Starts at or before."),
    doc::repeated("start_weekday", Kind::Integer, "ISO weekday 1 (Monday) … 7; several: any of them."),
    EXCLUDE_PAST_EVENTS,
    SEARCH,
    doc::repeated("ordering", Kind::Text, "`nearest`, `start_date` (each may be negated with `-`), comma-combinable."),
    NEAR_LATITUDE,
    NEAR_LONGITUDE,
    MAX_DISTANCE,
];
