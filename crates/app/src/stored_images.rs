//! Storing the image a write brings and releasing the ones it replaces. Names derive from
//! the content, so the same bytes are stored once however many objects use them, a failing
//! write never removes a file another row uses, and a file is deleted only when no row
//! references it any more.

use crate::images::ImageChange;
use crate::media::MediaError;
use crate::{App, AppError};
use hp_db::maintenance;
use std::future::Future;

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
        app: &App,
        write: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let result = write.await;
        if result.is_err() {
            release_images(app, [self.new_file]).await;
        }
        result
    }
}

fn unavailable(error: MediaError) -> AppError {
    tracing::error!(%error, "storing an image failed");
    AppError::Unavailable("image storage".into())
}

/// Stores a new image before the row is written (outside the transaction: the upload may
/// be slow); nothing when the input had errors, which the write will report.
pub(crate) async fn store_image(
    app: &App,
    change: &ImageChange,
    folder: &str,
    input_is_valid: bool,
) -> Result<StoredImage, AppError> {
    match change {
        _ if !input_is_valid => Ok(StoredImage::KEEP),
        ImageChange::Keep => Ok(StoredImage::KEEP),
        ImageChange::Remove => Ok(StoredImage { column: Some(None), new_file: None }),
        ImageChange::Store(image) => {
            let name = image.name(folder);
            let new_file = if app.media.exists(&name).await.map_err(unavailable)? {
                None
            } else {
                app.media.put(&name, image.bytes.clone().into()).await.map_err(unavailable)?;
                Some(name.clone())
            };
            Ok(StoredImage { column: Some(Some(name)), new_file })
        }
    }
}

/// After a commit: deletes the files among `names` that no row references any more.
pub async fn release_images(app: &App, names: impl IntoIterator<Item = Option<String>>) {
    for name in names.into_iter().flatten().filter(|n| !n.is_empty()) {
        let in_use = match app.db.conn().await {
            Ok(mut conn) => maintenance::image_in_use(&mut conn, &name).await,
            Err(error) => Err(error),
        };
        match in_use {
            Ok(false) => {
                if let Err(error) = app.media.delete(&name).await {
                    tracing::warn!(%error, name, "could not delete a replaced image; media clean will");
                }
            }
            Ok(true) => {}
            Err(error) => tracing::warn!(%error, name, "could not check an image's use; media clean will"),
        }
    }
}
