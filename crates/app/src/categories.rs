//! The category tree as everyone reads it, and the category and audience trees as
//! sysadmins change them (the command line and the
//! sysadmin UI): names in fi/en/sv, moving under another parent (never under itself or a
//! descendant), deleting with the subtree, a category's cover image. Errors are field
//! errors for the form.

use crate::{App, AppError, Superuser};
use hp_db::categories::{self, NewTreeNode};
use hp_db::category_tree::CategoryTree;
use hp_db::schema::TreeTable;
use hp_db::Tx;
use hp_domain::limits::MAX_TREE_DEPTH;
use hp_domain::FieldErrors;
use std::sync::Arc;

/// What a form gives for a category.
#[derive(Debug, Clone, Default)]
pub struct CategoryForm {
    pub name_fi: String,
    pub name_en: String,
    pub name_sv: String,
    pub parent: Option<i64>,
}

const MAX_NAME: usize = 256;

/// The category tree as it is now (cached while the stored tree does not change).
pub async fn tree(app: &App) -> Result<Arc<CategoryTree>, AppError> {
    Ok(app.categories.tree(&mut app.db.conn().await?).await?)
}

fn clean(name: &str) -> Option<String> {
    Some(name.trim().to_owned()).filter(|n| !n.is_empty())
}

fn check_names(form: &CategoryForm, errors: &mut FieldErrors) {
    if clean(&form.name_fi).is_none() {
        errors.add("name_fi", hp_domain::messages::REQUIRED);
    }
    for (field, name) in [("name_fi", &form.name_fi), ("name_en", &form.name_en), ("name_sv", &form.name_sv)] {
        if name.trim().chars().count() > MAX_NAME {
            errors.add(field, format!("Varmista, että tässä kentässä on enintään {MAX_NAME} merkkiä."));
        }
    }
}

/// The parent must exist, must not be the node itself or inside its subtree, and the subtree
/// must stay within [`MAX_TREE_DEPTH`] levels under it.
async fn check_parent(
    tx: &mut Tx,
    table: TreeTable,
    parent: Option<i64>,
    moving: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    let Some(parent) = parent else { return Ok(()) };
    let Some(row) = categories::get(tx, table, parent).await? else {
        errors.add("parent", "No such category.");
        return Ok(());
    };
    let mut height = 0;
    if let Some(id) = moving {
        if let Some(moving) = categories::get(tx, table, id).await? {
            let subtree = moving.tree_position..=moving.subtree_end;
            if row.id == id || subtree.contains(&row.tree_position) {
                errors.add("parent", "A category cannot be moved under itself or its descendant.");
                return Ok(());
            }
            let rows = categories::list(tx, table, categories::ParentFilter::Any).await?;
            let deepest = rows.iter().filter(|r| subtree.contains(&r.tree_position)).map(|r| r.level).max();
            height = deepest.unwrap_or(moving.level) - moving.level;
        }
    }
    if row.level + 1 + height >= MAX_TREE_DEPTH {
        errors.add("parent", format!("A tree may have at most {MAX_TREE_DEPTH} levels."));
    }
    Ok(())
}

/// Creates a category; its id.
pub async fn create(app: &App, _: Superuser, table: TreeTable, form: &CategoryForm) -> Result<i64, AppError> {
    let mut errors = FieldErrors::new();
    check_names(form, &mut errors);
    let mut tx = app.db.begin().await?;
    categories::lock_tree(&mut tx, table).await?;
    check_parent(&mut tx, table, form.parent, None, &mut errors).await?;
    errors.into_result()?;
    let node = NewTreeNode {
        name_fi: clean(&form.name_fi),
        name_en: clean(&form.name_en),
        name_sv: clean(&form.name_sv),
        parent_id: form.parent,
        ..Default::default()
    };
    let id = categories::insert(&mut tx, table, &node, app.clock.now()).await?;
    categories::relayout(&mut tx, table).await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames and moves a category.
pub async fn update(app: &App, _: Superuser, table: TreeTable, id: i64, form: &CategoryForm) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    check_names(form, &mut errors);
    let mut tx = app.db.begin().await?;
    categories::lock_tree(&mut tx, table).await?;
    categories::get(&mut tx, table, id).await?.ok_or(AppError::NotFound)?;
    check_parent(&mut tx, table, form.parent, Some(id), &mut errors).await?;
    errors.into_result()?;
    let names = (clean(&form.name_fi), clean(&form.name_en), clean(&form.name_sv));
    categories::rename(&mut tx, table, id, (&names.0, &names.1, &names.2), app.clock.now()).await?;
    categories::set_parent(&mut tx, table, id, form.parent).await?;
    categories::relayout(&mut tx, table).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a category with its subtree.
pub async fn delete(app: &App, _: Superuser, table: TreeTable, id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    categories::lock_tree(&mut tx, table).await?;
    let images = referenced_images_of_subtree(&mut tx, table, id).await?;
    if categories::delete(&mut tx, table, id).await? == 0 {
        return Err(AppError::NotFound);
    }
    categories::relayout(&mut tx, table).await?;
    tx.commit().await?;
    crate::stored_images::release_images(app, images).await;
    Ok(())
}

async fn referenced_images_of_subtree(
    tx: &mut hp_db::Tx,
    table: TreeTable,
    id: i64,
) -> Result<Vec<Option<String>>, AppError> {
    let Some(root) = categories::get(tx, table, id).await? else { return Ok(Vec::new()) };
    let rows = categories::list(tx, table, categories::ParentFilter::Any).await?;
    Ok(rows
        .into_iter()
        .filter(|r| (root.tree_position..=root.subtree_end).contains(&r.tree_position))
        .map(|r| r.cover_image)
        .collect())
}

/// Sets (or with `None` removes) a category's own cover image from uploaded bytes.
pub async fn set_cover_image(app: &App, _: Superuser, id: i64, bytes: Option<Vec<u8>>) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    let current = categories::get(&mut conn, TreeTable::Categories, id).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    let name = match bytes {
        Some(bytes) => {
            let limits = app.image_limits;
            let image = crate::images::check_image_bounded(bytes, limits)
                .await
                .map_err(|message| AppError::field("cover_image", message))?;
            let name = image.name("hobbycategory_images");
            app.media.put(&name, image.bytes.into()).await.map_err(|e| AppError::Internal(e.to_string()))?;
            Some(name)
        }
        None => None,
    };
    let mut tx = app.db.begin().await?;
    categories::lock_tree(&mut tx, TreeTable::Categories).await?;
    categories::set_cover_image(&mut tx, id, name.as_deref(), app.clock.now()).await?;
    categories::relayout(&mut tx, TreeTable::Categories).await?;
    tx.commit().await?;
    if current.cover_image != name {
        crate::stored_images::release_images(app, [current.cover_image]).await;
    }
    Ok(())
}
