//! Every change to the catalogue, as one code path for the API and the sysadmin UI: read and
//! validate a body, check edit rights, write in one transaction, keep derived data (next
//! events, images) in step. Handlers render the result; the admin UI shows the errors.

pub mod accounts;
pub mod benefits;
pub mod categories;
pub mod events;
pub mod hobbies;
pub mod locations;
pub mod municipalities;
pub mod organizers;
pub mod promotions;

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::images::ImageChange;
use crate::state::AppState;
use crate::version::ApiVersion;
use hp_db::{hobbies as hobby_rows, locations as location_rows, maintenance, organizers as organizer_rows, Tx};
use hp_domain::{messages, FieldErrors};

/// Who writes, and in which API version's shape.
#[derive(Clone, Copy)]
pub struct Writer<'a> {
    pub state: &'a AppState,
    pub user: &'a AuthUser,
    pub version: ApiVersion,
}

/// Kinds of related rows a body may point at.
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
) -> Result<(), ApiError> {
    let exists = match kind {
        Related::Location => location_rows::get(tx, id).await?.is_some(),
        Related::Organizer => organizer_rows::get(tx, id).await?.is_some(),
        Related::Hobby => hobby_rows::exists(tx, id).await?,
        Related::Promotion => hp_db::promotions::exists(tx, id).await?,
    };
    if !exists {
        errors.add(field, messages::related_does_not_exist(&id.to_string()));
    }
    Ok(())
}

/// Stores a new image before the row is written (outside the transaction: the upload may
/// be slow). Returns the new value of the image column, `None` to keep the current one. If
/// the write then fails, the file is unreferenced and `media clean` removes it.
pub(crate) async fn store_image(
    state: &AppState,
    change: &ImageChange,
    folder: &str,
) -> Result<Option<Option<String>>, ApiError> {
    match change {
        ImageChange::Keep => Ok(None),
        ImageChange::Remove => Ok(Some(None)),
        ImageChange::Store(image) => {
            let name = image.name(folder);
            state.media.put(&name, image.bytes.clone().into()).await.map_err(|e| {
                tracing::error!(error = %e, "storing an image failed");
                ApiError::Unavailable("image storage".into())
            })?;
            Ok(Some(Some(name)))
        }
    }
}

/// After a commit: deletes the files among `names` that no row references any more (names
/// are content-derived, so another object may use the same file).
pub(crate) async fn release_images(state: &AppState, names: impl IntoIterator<Item = Option<String>>) {
    for name in names.into_iter().flatten().filter(|n| !n.is_empty()) {
        let in_use = match state.db.conn().await {
            Ok(mut conn) => maintenance::image_in_use(&mut conn, &name).await,
            Err(error) => Err(error),
        };
        match in_use {
            Ok(false) => {
                if let Err(error) = state.media.delete(&name).await {
                    tracing::warn!(%error, name, "could not delete a replaced image; media clean will");
                }
            }
            Ok(true) => {}
            Err(error) => tracing::warn!(%error, name, "could not check an image's use; media clean will"),
        }
    }
}

/// Adds an image field's error, if any, and returns the change (Keep on error).
pub(crate) fn image_or_error(result: Result<ImageChange, String>, errors: &mut FieldErrors) -> ImageChange {
    result.unwrap_or_else(|message| {
        errors.add("cover_image", message);
        ImageChange::Keep
    })
}
