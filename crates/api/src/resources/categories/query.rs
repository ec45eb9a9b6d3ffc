//! The query of the category list: `parent`, and `lang` for the names.

use crate::error::ApiError;
use crate::filters::is_integer;
use crate::openapi::operations::{param, Kind, Param};
use crate::params::QueryParams;
use hp_db::categories;
use hp_db::category_tree::CategoryTree;
use hp_domain::messages;

/// `parent=null|<id>` of the category list.
pub(crate) fn category_parent(params: &QueryParams, tree: &CategoryTree) -> Result<categories::ParentFilter, ApiError> {
    let Some(value) = params.given("parent") else {
        return Ok(categories::ParentFilter::Any);
    };
    if value == "null" {
        return Ok(categories::ParentFilter::Roots);
    }
    match value.trim().parse::<i64>().ok().filter(|_| is_integer(value.trim())) {
        Some(id) if tree.get(id).is_some() => Ok(categories::ParentFilter::ChildrenOf(id)),
        _ => Err(ApiError::field("parent", messages::FILTER_UNKNOWN_OBJECT)),
    }
}

/// The query parameters of the category list.
pub(crate) const CATEGORY_PARAMS: &[Param] =
    &[param("parent", Kind::Text, "`null` for the roots, or a category id for its children."), LANG];

/// The query parameters of one category.
pub(crate) const CATEGORY_DETAIL_PARAMS: &[Param] = &[LANG];

const LANG: Param = param("lang", Kind::Text, "Language of `name`: `fi`, `en` or `sv`.");
