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
use hp_db::dependents::{self, Place};
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

/// Refuses to delete a place whose cascade would take hobbies or promotions the writer may
/// not edit (quirks.md 26); with rights on all of them the delete goes ahead.
pub(crate) async fn refuse_if_others_depend(writer: &Writer<'_>, tx: &mut Tx, place: Place) -> Result<(), ApiError> {
    let others = dependents::others_content(tx, place, writer.user.edit_scope()).await?;
    if others.is_empty() {
        return Ok(());
    }
    let name = match place {
        Place::Location(_) => "location",
        Place::Organizer(_) => "organizer",
    };
    Err(ApiError::Conflict(messages::place_used_by_others(name, others.hobbies, others.promotions)))
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

/// What storing a write's image did: the new value of the image column (`None` keeps the
/// current one), and the file the write brought, if it was not stored before.
pub(crate) struct StoredImage {
    pub column: Option<Option<String>>,
    new_file: Option<String>,
}

impl StoredImage {
    pub(crate) const KEEP: StoredImage = StoredImage { column: None, new_file: None };

    /// Runs the rest of the write; if it fails, the file it brought is removed again (unless
    /// a row references it by now), so that a refused write leaves no file behind.
    pub(crate) async fn or_release<T>(
        self,
        state: &AppState,
        write: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let result = write.await;
        if result.is_err() {
            release_images(state, [self.new_file]).await;
        }
        result
    }
}

/// Stores a new image before the row is written (outside the transaction: the upload may
/// be slow). The name is derived from the content, so bytes stored already are not uploaded
/// again (and never removed by a failing write).
pub(crate) async fn store_image(state: &AppState, change: &ImageChange, folder: &str) -> Result<StoredImage, ApiError> {
    let unavailable = |error: crate::media::MediaError| {
        tracing::error!(%error, "storing an image failed");
        ApiError::Unavailable("image storage".into())
    };
    match change {
        ImageChange::Keep => Ok(StoredImage::KEEP),
        ImageChange::Remove => Ok(StoredImage { column: Some(None), new_file: None }),
        ImageChange::Store(image) => {
            let name = image.name(folder);
            let new_file = if state.media.exists(&name).await.map_err(unavailable)? {
                None
            } else {
                state.media.put(&name, image.bytes.clone().into()).await.map_err(unavailable)?;
                Some(name.clone())
            };
            Ok(StoredImage { column: Some(Some(name)), new_file })
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
