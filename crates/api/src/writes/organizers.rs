//! Creating, changing and deleting organizers (api.md 4.4). Those a user may not edit are
//! invisible to them: 404, not 403.

use super::{refuse_if_others_depend, Writer};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use hp_db::dependents::Place;
use hp_db::organizers::{self, OrganizerFields, OrganizerRow};
use hp_db::{Executes, Tx};

fn read(body: &Body, mode: WriteMode) -> Result<Option<String>, ApiError> {
    let mut reader = FieldReader::new(body, mode);
    let name = reader.text("name", Some(256), true, false);
    reader.finish()?;
    Ok(name)
}

pub async fn create(writer: Writer<'_>, body: &Body) -> Result<i64, ApiError> {
    let name = read(body, WriteMode::Create)?.unwrap_or_default();
    let mut tx = writer.state.db.begin().await?;
    let fields = OrganizerFields { name, ..Default::default() };
    let municipality = writer.user.editor().current_municipality();
    let id = organizers::insert(&mut tx, &fields, Some(writer.user.id), municipality, writer.state.clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

async fn editable(writer: &Writer<'_>, ex: &mut impl Executes, id: i64) -> Result<OrganizerRow, ApiError> {
    organizers::get(ex, id)
        .await?
        .filter(|row| writer.user.editor().can_edit(row.ownership()))
        .ok_or(ApiError::NotFound)
}

/// The organizer locked for an edit in the transaction, if the writer may change it.
async fn locked_editable(writer: &Writer<'_>, tx: &mut Tx, id: i64) -> Result<OrganizerRow, ApiError> {
    if !organizers::lock(tx, id).await? {
        return Err(ApiError::NotFound);
    }
    editable(writer, tx, id).await
}

pub async fn update(
    writer: Writer<'_>,
    id: i64,
    body: Result<Body, ApiError>,
    mode: WriteMode,
) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    locked_editable(&writer, &mut tx, id).await?;
    if let Some(name) = read(&body?, mode)? {
        organizers::rename(&mut tx, id, &name, writer.state.clock.now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes the organizer with its hobbies and promotions (the schema's cascade), unless some
/// of those are other users' that the writer may not edit (409).
pub async fn delete(writer: Writer<'_>, id: i64) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    locked_editable(&writer, &mut tx, id).await?;
    refuse_if_others_depend(&writer, &mut tx, Place::Organizer(id)).await?;
    organizers::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}
