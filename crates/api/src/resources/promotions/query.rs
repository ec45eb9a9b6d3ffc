//! The query of the promotion list (api.md 4.6): the filter and the parameters it reads.

use crate::error::ApiError;
use crate::filters::{
    check_numeric, editable_only, read_ordering_keys, read_search, resolve_ordering, HOBBY_ORDERINGS,
};
use crate::openapi::operations::{
    param, Kind, Param, EDITABLE_ONLY, EXCLUDE_PAST_EVENTS, MAX_DISTANCE, NEAR_LATITUDE, NEAR_LONGITUDE, SEARCH,
};
use crate::params::QueryParams;
use hp_app::listing::ListQuery;
use hp_db::promotions::PromotionFilter;
use hp_domain::FieldErrors;

pub(crate) fn promotion_query(
    params: &QueryParams,
    now: chrono::NaiveDateTime,
) -> Result<ListQuery<PromotionFilter>, ApiError> {
    let mut errors = FieldErrors::new();
    let keys = read_ordering_keys(params, HOBBY_ORDERINGS, &mut errors);
    for name in ["near_latitude", "near_longitude"] {
        check_numeric(params, name, &mut errors);
    }
    let search_terms = read_search(params, &mut errors);
    errors.into_result()?;
    let ordering = resolve_ordering(params, keys)?;
    let filter = PromotionFilter {
        not_ended_before: (params.flag("exclude_past_events") == Some(true)).then_some(now),
        usable_only: params.flag("usable_only") == Some(true),
        editable: None,
        search_terms,
        ordering,
    };
    Ok(ListQuery { filter, editable_only: editable_only(params) })
}

/// The query parameters of the promotion list.
pub(crate) const PROMOTION_PARAMS: &[Param] = &[
    EXCLUDE_PAST_EVENTS,
    param("usable_only", Kind::Boolean, "Only promotions with redemptions left and not ended."),
    EDITABLE_ONLY,
    SEARCH,
    param("ordering", Kind::Text, "`nearest` or `-nearest`."),
    NEAR_LATITUDE,
    NEAR_LONGITUDE,
    MAX_DISTANCE,
];
