//! Municipalities and their moderators, as sysadmins change them (the command line and the
//! sysadmin UI). A moderator change applies to the moderator's next request.

use crate::{App, AppError, Superuser};
use hp_db::{accounts, municipalities};
use hp_domain::FieldErrors;

fn checked_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldErrors::single("name", hp_domain::messages::REQUIRED).into());
    }
    if name.chars().count() > 256 {
        return Err(FieldErrors::single("name", "A municipality's name has at most 256 characters.").into());
    }
    Ok(name.to_owned())
}

pub async fn create(app: &App, _: Superuser, name: &str) -> Result<i64, AppError> {
    let name = checked_name(name)?;
    let mut tx = app.db.begin().await?;
    let id = municipalities::insert(&mut tx, &name, app.clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename(app: &App, _: Superuser, id: i64, name: &str) -> Result<(), AppError> {
    let name = checked_name(name)?;
    let mut tx = app.db.begin().await?;
    if municipalities::rename(&mut tx, id, &name, app.clock.now()).await? == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Makes the user a moderator; false when they were one already.
pub async fn add_moderator(app: &App, _: Superuser, id: i64, user_id: i64) -> Result<bool, AppError> {
    let mut tx = app.db.begin().await?;
    municipalities::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    accounts::get(&mut tx, user_id).await?.ok_or_else(|| AppError::field("user", "No such user."))?;
    let added = municipalities::add_moderator(&mut tx, id, user_id).await?;
    tx.commit().await?;
    Ok(added)
}

/// Removes a moderator; false when the user was not one.
pub async fn remove_moderator(app: &App, _: Superuser, id: i64, user_id: i64) -> Result<bool, AppError> {
    let mut tx = app.db.begin().await?;
    let removed = municipalities::remove_moderator(&mut tx, id, user_id).await?;
    tx.commit().await?;
    Ok(removed)
}

/// Deletes a municipality with everything that belongs to it (the schema cascades).
pub async fn delete(app: &App, _: Superuser, id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    if municipalities::delete(&mut tx, id).await? == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
