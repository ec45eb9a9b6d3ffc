//! Reading, creating, changing and deleting organizers (api.md 4.4). Those a user may not edit are
//! invisible to them: "not found", not "forbidden".

use crate::changing::{lock_for_change, visible_place, Organizer};
use crate::related::refuse_if_others_depend;
use crate::{Actor, App, AppError, Submitted, User};
use hp_db::dependents::Place;
use hp_db::organizers::{self, OrganizerFields, OrganizerRow};

/// An organizer as a write gives it; `None` keeps (or on create defaults) the field.
#[derive(Debug, Default)]
pub struct OrganizerInput {
    pub name: Option<String>,
}

/// Creates an organizer owned by the user (and their first municipality); its id.
pub async fn create(app: &App, user: &User, submitted: Submitted<OrganizerInput>) -> Result<i64, AppError> {
    let input = submitted.into_checked()?;
    let mut tx = app.db.begin().await?;
    let fields = OrganizerFields { name: input.name.unwrap_or_default(), ..Default::default() };
    let municipality = user.editor().current_municipality();
    let id = organizers::insert(&mut tx, &fields, Some(user.id), municipality, app.clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(app: &App, user: &User, id: i64, submitted: Submitted<OrganizerInput>) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    lock_for_change::<Organizer>(user, &mut tx, id).await?;
    if let Some(name) = submitted.into_checked()?.name {
        organizers::rename(&mut tx, id, &name, app.clock.now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes the organizer with its hobbies and promotions (the schema's cascade), unless some
/// of those are other users' that the user may not edit (a conflict).
pub async fn delete(app: &App, user: &User, id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    lock_for_change::<Organizer>(user, &mut tx, id).await?;
    refuse_if_others_depend(user, &mut tx, Place::Organizer(id)).await?;
    organizers::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

// Reads.

/// The organizers the actor sees: every one for anonymous callers, else those they may edit.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<OrganizerRow>, AppError> {
    Ok(organizers::list(&mut app.db.conn().await?, actor.edit_scope()).await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<OrganizerRow, AppError> {
    visible_place::<Organizer>(app, actor, id).await
}
