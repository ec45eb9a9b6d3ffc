//! The hobby category tree and the audience tree (same shape, see [`TreeTable`]).
//!
//! Rows store `parent_id`; `tree_id`, `level`, `tree_position`, `subtree_end` and the
//! inherited cover image are derived by `hp_domain::category_tree` and rewritten by
//! [`relayout`] in the same transaction as every change of the tree. A subtree is the range of
//! positions from a category to its `subtree_end`, which is how filters test "this category
//! or a descendant".

use crate::exec::Executes;
use crate::schema::{CacheVersions, TreeColumns as C, TreeTable};
use crate::DbError;
use chrono::{DateTime, Utc};
use hp_domain::category_tree::{layout, TreeNode};
use hp_domain::search::searchable_text;
use sea_query::{Expr, Order, Query, SelectStatement};
use std::collections::HashMap;

/// One category (or audience) as the API shows it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub name_fi: Option<String>,
    pub name_en: Option<String>,
    pub name_sv: Option<String>,
    pub parent_id: Option<i64>,
    pub tree_id: i64,
    pub level: i64,
    pub tree_position: i64,
    pub cover_image: Option<String>,
    pub subtree_end: i64,
    /// Own image, else the nearest ancestor's: what a hobby here falls back to.
    pub effective_cover_image: Option<String>,
    pub effective_cover_position: Option<i64>,
    pub search_text: String,
    pub data_source: String,
    pub origin_id: String,
}

impl CategoryRow {
    /// "The name": `name_fi`, or `""` when it is null or empty.
    pub fn name(&self) -> &str {
        self.name_fi.as_deref().unwrap_or("")
    }
}

/// Which categories a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentFilter {
    Any,
    Roots,
    ChildrenOf(i64),
}

fn select_rows(table: TreeTable) -> SelectStatement {
    let mut q = Query::select();
    q.from(table).columns([
        C::Id,
        C::NameFi,
        C::NameEn,
        C::NameSv,
        C::ParentId,
        C::TreeId,
        C::Level,
        C::TreePosition,
        C::SubtreeEnd,
        C::DataSource,
        C::OriginId,
    ]);
    match table {
        TreeTable::Categories => {
            q.columns([C::CoverImage, C::EffectiveCoverImage, C::EffectiveCoverPosition, C::SearchText])
        }
        TreeTable::Audiences => q
            .expr_as(Expr::cust("NULL"), C::CoverImage)
            .expr_as(Expr::cust("NULL"), C::EffectiveCoverImage)
            .expr_as(Expr::cust("NULL"), C::EffectiveCoverPosition)
            .expr_as(Expr::val(""), C::SearchText),
    };
    q.order_by(C::TreePosition, Order::Asc).order_by(C::Id, Order::Asc);
    q
}

/// The list in tree order (pre-order, siblings by name).
pub async fn list(ex: &mut impl Executes, table: TreeTable, parent: ParentFilter) -> Result<Vec<CategoryRow>, DbError> {
    let mut q = select_rows(table);
    match parent {
        ParentFilter::Any => {}
        ParentFilter::Roots => {
            q.and_where(Expr::col(C::ParentId).is_null());
        }
        ParentFilter::ChildrenOf(id) => {
            q.and_where(Expr::col(C::ParentId).eq(id));
        }
    }
    ex.fetch_all(&q).await
}

pub async fn get(ex: &mut impl Executes, table: TreeTable, id: i64) -> Result<Option<CategoryRow>, DbError> {
    let mut q = select_rows(table);
    q.and_where(Expr::col(C::Id).eq(id));
    ex.fetch_optional(&q).await
}

/// A new category or audience.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewTreeNode {
    pub name_fi: Option<String>,
    pub name_en: Option<String>,
    pub name_sv: Option<String>,
    pub parent_id: Option<i64>,
    pub data_source: String,
    pub origin_id: String,
}

/// What the `search` filter matches a category by: its names in every language.
pub fn search_text(name_fi: &Option<String>, name_en: &Option<String>, name_sv: &Option<String>) -> String {
    searchable_text([name_fi, name_en, name_sv].into_iter().map(|n| n.as_deref().unwrap_or("")))
}

/// Inserts a node; call [`relayout`] before the transaction ends.
pub async fn insert(
    ex: &mut impl Executes,
    table: TreeTable,
    node: &NewTreeNode,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let mut q = Query::insert();
    q.into_table(table);
    let mut columns = vec![C::Name, C::NameFi, C::NameEn, C::NameSv, C::ParentId, C::DataSource, C::OriginId];
    let mut values: Vec<sea_query::SimpleExpr> = vec![
        node.name_fi.clone().unwrap_or_default().into(),
        node.name_fi.clone().into(),
        node.name_en.clone().into(),
        node.name_sv.clone().into(),
        node.parent_id.into(),
        node.data_source.clone().into(),
        node.origin_id.clone().into(),
    ];
    if table == TreeTable::Categories {
        columns.extend([C::SearchText, C::CreatedAt, C::UpdatedAt]);
        values.extend([search_text(&node.name_fi, &node.name_en, &node.name_sv).into(), now.into(), now.into()]);
    }
    q.columns(columns).values_panic(values).returning_col(C::Id);
    ex.fetch_scalar(&q).await
}

/// Changes the names of a node; call [`relayout`] afterwards (siblings are ordered by name).
pub async fn rename(
    ex: &mut impl Executes,
    table: TreeTable,
    id: i64,
    names: (&Option<String>, &Option<String>, &Option<String>),
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let (fi, en, sv) = names;
    let mut q = Query::update();
    q.table(table)
        .value(C::Name, fi.clone().unwrap_or_default())
        .value(C::NameFi, fi.clone())
        .value(C::NameEn, en.clone())
        .value(C::NameSv, sv.clone())
        .and_where(Expr::col(C::Id).eq(id));
    if table == TreeTable::Categories {
        q.value(C::SearchText, search_text(fi, en, sv)).value(C::UpdatedAt, now);
    }
    ex.execute(&q).await
}

/// Moves a node under another parent (or to the roots); call [`relayout`] afterwards.
pub async fn set_parent(
    ex: &mut impl Executes,
    table: TreeTable,
    id: i64,
    parent_id: Option<i64>,
) -> Result<u64, DbError> {
    let q = Query::update().table(table).value(C::ParentId, parent_id).and_where(Expr::col(C::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

/// Sets or clears a category's own cover image; call [`relayout`] afterwards.
pub async fn set_cover_image(
    ex: &mut impl Executes,
    id: i64,
    image: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let q = Query::update()
        .table(TreeTable::Categories)
        .value(C::CoverImage, image.map(str::to_owned))
        .value(C::UpdatedAt, now)
        .and_where(Expr::col(C::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

/// Deletes a node with its subtree (the foreign key cascades); call [`relayout`] afterwards.
pub async fn delete(ex: &mut impl Executes, table: TreeTable, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(table).and_where(Expr::col(C::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

#[derive(sqlx::FromRow)]
struct StoredLayout {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    cover_image: Option<String>,
    tree_id: i64,
    level: i64,
    tree_position: i64,
    subtree_end: i64,
    effective_cover_image: Option<String>,
    effective_cover_position: Option<i64>,
}

/// The version of the category tree: it changes with every change of the tree (see
/// [`relayout`]), so that processes can keep the tree in memory and check it per request.
pub async fn version(ex: &mut impl Executes) -> Result<i64, DbError> {
    let q = Query::select()
        .column(CacheVersions::Version)
        .from(CacheVersions::Table)
        .and_where(Expr::col(CacheVersions::Name).eq(CATEGORY_CACHE))
        .to_owned();
    Ok(ex.fetch_optional::<(i64,)>(&q).await?.map(|(v,)| v).unwrap_or(0))
}

const CATEGORY_CACHE: &str = "hobby_categories";

/// The `cache_versions` row of a tree.
fn version_name(table: TreeTable) -> &'static str {
    match table {
        TreeTable::Categories => CATEGORY_CACHE,
        TreeTable::Audiences => "hobby_audiences",
    }
}

/// Takes the tree's lock for the rest of the transaction by advancing its version (a
/// conditional update of one row). A change of a tree calls this before it changes anything,
/// so that two changes never lay the tree out from each other's half (nor deadlock on its
/// rows); [`relayout`] calls it too.
pub async fn lock_tree(ex: &mut impl Executes, table: TreeTable) -> Result<(), DbError> {
    let bump = Query::update()
        .table(CacheVersions::Table)
        .value(CacheVersions::Version, Expr::col(CacheVersions::Version).add(1))
        .and_where(Expr::col(CacheVersions::Name).eq(version_name(table)))
        .to_owned();
    ex.execute(&bump).await?;
    Ok(())
}

/// Recomputes the derived tree columns and writes those that changed. Every change of a tree
/// is followed by this, in the same transaction; it also advances the tree's version.
pub async fn relayout(ex: &mut impl Executes, table: TreeTable) -> Result<(), DbError> {
    lock_tree(ex, table).await?;
    let mut q = Query::select();
    q.from(table).columns([C::Id, C::ParentId, C::Name, C::TreeId, C::Level, C::TreePosition, C::SubtreeEnd]);
    match table {
        TreeTable::Categories => {
            q.columns([C::CoverImage, C::EffectiveCoverImage, C::EffectiveCoverPosition]);
        }
        TreeTable::Audiences => {
            q.expr_as(Expr::cust("NULL"), C::CoverImage)
                .expr_as(Expr::cust("NULL"), C::EffectiveCoverImage)
                .expr_as(Expr::cust("NULL"), C::EffectiveCoverPosition);
        }
    }
    let stored: Vec<StoredLayout> = ex.fetch_all(&q).await?;
    let nodes: Vec<TreeNode> = stored
        .iter()
        .map(|s| TreeNode {
            id: s.id,
            parent_id: s.parent_id,
            name: s.name.clone(),
            cover_image: s.cover_image.clone(),
        })
        .collect();
    let by_id: HashMap<i64, &StoredLayout> = stored.iter().map(|s| (s.id, s)).collect();
    for new in layout(&nodes) {
        let old = by_id[&new.id];
        let unchanged = old.tree_id == new.tree_id
            && old.level == new.level
            && old.tree_position == new.tree_position
            && old.subtree_end == new.subtree_end
            && old.effective_cover_image == new.effective_cover_image
            && old.effective_cover_position == new.effective_cover_position;
        if unchanged {
            continue;
        }
        let mut update = Query::update();
        update
            .table(table)
            .value(C::TreeId, new.tree_id)
            .value(C::Level, new.level)
            .value(C::TreePosition, new.tree_position)
            .value(C::SubtreeEnd, new.subtree_end)
            .and_where(Expr::col(C::Id).eq(new.id));
        if table == TreeTable::Categories {
            update
                .value(C::EffectiveCoverImage, new.effective_cover_image)
                .value(C::EffectiveCoverPosition, new.effective_cover_position);
        }
        ex.execute(&update).await?;
    }
    Ok(())
}

/// The first category with this Finnish name among the roots or under `parent`.
pub async fn find_by_name(
    ex: &mut impl Executes,
    table: TreeTable,
    name_fi: &str,
    parent: Option<i64>,
) -> Result<Option<CategoryRow>, DbError> {
    let mut q = select_rows(table);
    q.and_where(Expr::col(C::NameFi).eq(name_fi));
    match parent {
        Some(id) => q.and_where(Expr::col(C::ParentId).eq(id)),
        None => q.and_where(Expr::col(C::ParentId).is_null()),
    };
    ex.fetch_optional(&q).await
}

/// Number of rows in a tree.
pub async fn count(ex: &mut impl Executes, table: TreeTable) -> Result<i64, DbError> {
    let q = Query::select().expr(Expr::col(sea_query::Asterisk).count()).from(table).to_owned();
    ex.fetch_scalar(&q).await
}
