//! The shape of a category: its name in the asked language, children on `include`.

use hp_db::categories::CategoryRow;
use hp_db::category_tree::CategoryTree;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CategoryOut<'a> {
    id: i64,
    name: Option<&'a str>,
    name_fi: Option<&'a str>,
    name_en: Option<&'a str>,
    name_sv: Option<&'a str>,
    tree_id: i64,
    level: i64,
    parent: Option<i64>,
    /// With `include=child_categories`: the children, recursively.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(no_recursion)]
    child_categories: Option<Vec<CategoryOut<'a>>>,
}

/// The language `name` is shown in (`lang=fi|en|sv`); `None` is the default reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameLanguage {
    Default,
    Fi,
    En,
    Sv,
}

/// A category; with the tree, its `child_categories` recursively.
pub fn category<'a>(row: &'a CategoryRow, language: NameLanguage, tree: Option<&'a CategoryTree>) -> CategoryOut<'a> {
    let name = match language {
        NameLanguage::Default => Some(row.name()),
        NameLanguage::Fi => row.name_fi.as_deref(),
        NameLanguage::En => row.name_en.as_deref(),
        NameLanguage::Sv => row.name_sv.as_deref(),
    };
    CategoryOut {
        id: row.id,
        name,
        name_fi: row.name_fi.as_deref(),
        name_en: row.name_en.as_deref(),
        name_sv: row.name_sv.as_deref(),
        tree_id: row.tree_id,
        level: row.level,
        parent: row.parent_id,
        // Nested levels always use the default name (api.md 4.2). Writes keep trees within
        // MAX_TREE_DEPTH levels; the bound here makes the recursion's depth independent of
        // what is stored.
        child_categories: tree.map(|tree| match row.level < hp_domain::limits::MAX_TREE_DEPTH {
            true => tree.children(row.id).map(|child| category(child, NameLanguage::Default, Some(tree))).collect(),
            false => Vec::new(),
        }),
    }
}
