//! Rules about rows a change points at or takes with it: related rows must exist, and a
//! place may not be deleted from under other users' content.

use crate::{AppError, User};
use hp_db::dependents::{self, Place};
use hp_db::{hobbies, locations, organizers, promotions, Tx};
use hp_domain::{messages, FieldErrors};

/// Kinds of related rows an input may point at.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Related {
    Location,
    Organizer,
    Hobby,
    Promotion,
}

/// Adds "does not exist" under `field` when the related row is missing.
pub(crate) async fn check_related(
    tx: &mut Tx,
    errors: &mut FieldErrors,
    field: &str,
    kind: Related,
    id: i64,
) -> Result<(), AppError> {
    let exists = match kind {
        Related::Location => locations::get(tx, id).await?.is_some(),
        Related::Organizer => organizers::get(tx, id).await?.is_some(),
        Related::Hobby => hobbies::exists(tx, id).await?,
        Related::Promotion => promotions::exists(tx, id).await?,
    };
    if !exists {
        errors.add(field, messages::related_does_not_exist(&id.to_string()));
    }
    Ok(())
}

/// Refuses to delete a place whose cascade would take hobbies or promotions the user may
/// not edit (quirks.md 26); with rights on all of them the delete goes ahead.
pub(crate) async fn refuse_if_others_depend(user: &User, tx: &mut Tx, place: Place) -> Result<(), AppError> {
    let others = dependents::others_content(tx, place, user.edit_scope()).await?;
    if others.is_empty() {
        return Ok(());
    }
    let name = match place {
        Place::Location(_) => "location",
        Place::Organizer(_) => "organizer",
    };
    Err(AppError::Conflict(messages::place_used_by_others(name, others.hobbies, others.promotions)))
}
