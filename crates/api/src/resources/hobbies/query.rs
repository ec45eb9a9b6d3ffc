//! The query of the hobby list (api.md 4.1): the filter and the parameters it reads.

use crate::error::ApiError;
use crate::filters::{
    check_numeric, editable_only, read_categories, read_ordering_keys, read_price_type, resolve_ordering,
    HOBBY_ORDERINGS,
};
use crate::openapi::operations::{
    param, Kind, Param, CATEGORY, EDITABLE_ONLY, MAX_DISTANCE, NEAR_LATITUDE, NEAR_LONGITUDE, PRICE_TYPE,
};
use crate::params::QueryParams;
use hp_app::listing::ListQuery;
use hp_db::category_tree::CategoryTree;
use hp_db::hobbies::HobbyFilter;
use hp_domain::FieldErrors;

pub(crate) fn hobby_query(params: &QueryParams, tree: &CategoryTree) -> Result<ListQuery<HobbyFilter>, ApiError> {
    let mut errors = FieldErrors::new();
    let categories = read_categories(params, tree, &mut errors);
    let keys = read_ordering_keys(params, HOBBY_ORDERINGS, &mut errors);
    for name in ["near_latitude", "near_longitude", "max_distance"] {
        check_numeric(params, name, &mut errors);
    }
    errors.into_result()?;
    let ordering = resolve_ordering(params, keys)?;
    let filter = HobbyFilter { categories, price_type: read_price_type(params), editable: None, ordering };
    Ok(ListQuery { filter, editable_only: editable_only(params) })
}

/// The query parameters of the hobby list, as the filter above reads them (the API
/// description documents exactly these).
pub(crate) const HOBBY_PARAMS: &[Param] = &[
    CATEGORY,
    PRICE_TYPE,
    EDITABLE_ONLY,
    param("ordering", Kind::Text, "`nearest` or `-nearest`."),
    NEAR_LATITUDE,
    NEAR_LONGITUDE,
    MAX_DISTANCE,
];
