//! The category tree in memory, and a per-process cache of it that is checked against the
//! stored tree version on every use, so that a change made by any process (another replica,
//! the command line) is seen at once.
//!
//! The tree answers what every list request asks of categories without another query:
//! subtrees of the `category` filter, categories matching `search` terms, a hobby's
//! categories in tree order and the cover image it falls back to.

use crate::categories::{self, CategoryRow, ParentFilter};
use crate::exec::Executes;
use crate::query::CategorySubtrees;
use crate::schema::TreeTable;
use crate::DbError;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// All categories in tree order, indexed.
#[derive(Debug, Default)]
pub struct CategoryTree {
    rows: Vec<CategoryRow>,
    by_id: HashMap<i64, usize>,
    children: HashMap<i64, Vec<usize>>,
}

impl CategoryTree {
    /// `rows` must be in tree order (as `categories::list` returns them).
    pub fn new(rows: Vec<CategoryRow>) -> Self {
        let by_id = rows.iter().enumerate().map(|(index, row)| (row.id, index)).collect();
        let mut children: HashMap<i64, Vec<usize>> = HashMap::new();
        for (index, row) in rows.iter().enumerate() {
            if let Some(parent) = row.parent_id {
                children.entry(parent).or_default().push(index);
            }
        }
        Self { rows, by_id, children }
    }

    pub fn rows(&self) -> &[CategoryRow] {
        &self.rows
    }

    pub fn get(&self, id: i64) -> Option<&CategoryRow> {
        self.by_id.get(&id).map(|index| &self.rows[*index])
    }

    /// Direct children in tree order: those one level below, so that a walk down the tree
    /// ends even where stored parents form a cycle (the layout makes its members roots).
    pub fn children(&self, id: i64) -> impl Iterator<Item = &CategoryRow> {
        let level = self.get(id).map(|row| row.level);
        self.children
            .get(&id)
            .into_iter()
            .flatten()
            .map(|index| &self.rows[*index])
            .filter(move |child| Some(child.level) == level.map(|l| l + 1))
    }

    pub fn list(&self, parent: ParentFilter) -> impl Iterator<Item = &CategoryRow> {
        self.rows.iter().filter(move |row| match parent {
            ParentFilter::Any => true,
            ParentFilter::Roots => row.parent_id.is_none(),
            ParentFilter::ChildrenOf(id) => row.parent_id == Some(id),
        })
    }

    /// The first of `ids` that is not a category.
    pub fn first_unknown(&self, ids: &[i64]) -> Option<i64> {
        ids.iter().copied().find(|id| !self.by_id.contains_key(id))
    }

    /// The categories with all their descendants.
    pub fn subtrees(&self, ids: &[i64]) -> CategorySubtrees {
        CategorySubtrees::new(
            ids.iter().filter_map(|id| self.get(*id)).map(|c| (c.tree_position, c.subtree_end)).collect(),
        )
    }

    /// Categories whose fi/en/sv name contains any of the folded terms, with descendants.
    pub fn matching_any_term(&self, terms: &[String]) -> CategorySubtrees {
        CategorySubtrees::new(
            self.rows
                .iter()
                .filter(|c| terms.iter().any(|term| c.search_text.contains(term.as_str())))
                .map(|c| (c.tree_position, c.subtree_end))
                .collect(),
        )
    }

    /// A hobby's categories in tree order (unknown ids dropped).
    pub fn in_tree_order(&self, ids: &[i64]) -> Vec<i64> {
        let mut known: Vec<&CategoryRow> = ids.iter().filter_map(|id| self.get(*id)).collect();
        known.sort_by_key(|c| c.tree_position);
        known.dedup_by_key(|c| c.id);
        known.into_iter().map(|c| c.id).collect()
    }

    /// The image a hobby in these categories shows when it has none: the last image in tree
    /// order among the categories and their ancestors (data-model.md), which is the
    /// inherited image with the greatest position.
    pub fn fallback_cover_image(&self, ids: &[i64]) -> Option<&str> {
        ids.iter()
            .filter_map(|id| self.get(*id))
            .filter_map(|c| Some((c.effective_cover_position?, c.effective_cover_image.as_deref()?)))
            .max_by_key(|(position, _)| *position)
            .map(|(_, image)| image)
    }
}

/// The tree of the last version seen by this process.
#[derive(Debug, Default)]
pub struct CategoryCache {
    current: RwLock<Option<(i64, Arc<CategoryTree>)>>,
}

impl CategoryCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The current tree: one small query to check the version, the whole tree only when it
    /// changed.
    pub async fn tree(&self, ex: &mut impl Executes) -> Result<Arc<CategoryTree>, DbError> {
        let version = categories::version(ex).await?;
        if let Some((cached, tree)) = self.current.read().unwrap_or_else(|p| p.into_inner()).as_ref() {
            if *cached == version {
                return Ok(tree.clone());
            }
        }
        let rows = categories::list(ex, TreeTable::Categories, ParentFilter::Any).await?;
        let tree = Arc::new(CategoryTree::new(rows));
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some((version, tree.clone()));
        Ok(tree)
    }
}
