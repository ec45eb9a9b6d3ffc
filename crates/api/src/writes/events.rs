//! Creating, changing and deleting hobby events (api.md 4.3): weekly copies in the same
//! transaction, edit rights on the hobby (quirks.md 11), the hobby's next event recomputed on
//! every change.

use super::{check_related, Related, Writer};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use chrono::{NaiveDate, NaiveTime};
use hp_db::events::{self, EventChanges as EventEdit, EventFields, EventRow};
use hp_db::{hobbies, next_event, Executes, Tx};
use hp_domain::recurrence::{weekly_copies, MAX_RECURRENCY_COUNT};
use hp_domain::{messages, FieldErrors};

#[derive(Debug)]
struct EventChanges {
    end_date: Option<NaiveDate>,
    end_time: Option<NaiveTime>,
    hobby: Option<i64>,
    start_date: Option<NaiveDate>,
    start_time: Option<NaiveTime>,
    data_source: Option<String>,
    is_recurrent: bool,
    recurrency_count: i64,
}

fn read(body: &Body, mode: WriteMode) -> (EventChanges, FieldErrors) {
    let mut reader = FieldReader::new(body, mode);
    let end_date = reader.date("end_date", true);
    let end_time = reader.time("end_time", true);
    let hobby = reader.related("hobby", true, false).flatten();
    let start_date = reader.date("start_date", true);
    let start_time = reader.time("start_time", true);
    let data_source = reader.text("data_source", Some(256), false, true);
    let is_recurrent = reader.boolean("is_recurrent").unwrap_or(false);
    let recurrency_count = reader.integer("recurrency_count", Some(0), Some(MAX_RECURRENCY_COUNT), false).unwrap_or(0);
    let changes =
        EventChanges { end_date, end_time, hobby, start_date, start_time, data_source, is_recurrent, recurrency_count };
    (changes, reader.errors)
}

/// The hobby's edit rights decide who may touch its events.
async fn require_hobby_rights(writer: &Writer<'_>, ex: &mut impl Executes, hobby_id: i64) -> Result<(), ApiError> {
    let hobby = hobbies::get(ex, hobby_id).await?.ok_or(ApiError::NotFound)?;
    if writer.user.editor().can_edit(hobby.ownership()) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

fn fields(changes: &EventChanges, current: Option<&EventRow>) -> Option<EventFields> {
    Some(EventFields {
        hobby_id: changes.hobby.or(current.map(|c| c.hobby_id))?,
        start_date: changes.start_date.or(current.map(|c| c.start_date))?,
        start_time: changes.start_time.or(current.map(|c| c.start_time))?,
        end_date: changes.end_date.or(current.map(|c| c.end_date))?,
        end_time: changes.end_time.or(current.map(|c| c.end_time))?,
        data_source: changes.data_source.clone().or(current.map(|c| c.data_source.clone())).unwrap_or_default(),
        origin_id: String::new(),
        recurrence_start_event_id: None,
    })
}

async fn hobby_must_exist(tx: &mut Tx, changes: &EventChanges, mut errors: FieldErrors) -> Result<(), ApiError> {
    if let Some(hobby) = changes.hobby {
        check_related(tx, &mut errors, "hobby", Related::Hobby, hobby).await?;
    }
    errors.into_result().map_err(ApiError::from)
}

/// Creates the event and, when recurrent, its weekly copies; returns the base event's id.
pub async fn create(writer: Writer<'_>, body: &Body) -> Result<i64, ApiError> {
    let (changes, errors) = read(body, WriteMode::Create);
    let now = writer.state.clock.now();
    let mut tx = writer.state.db.begin().await?;
    hobby_must_exist(&mut tx, &changes, errors).await?;
    let base = fields(&changes, None).ok_or_else(|| ApiError::Internal("validated event incomplete".into()))?;
    let copies = if changes.is_recurrent {
        weekly_copies(base.start_date, base.end_date, changes.recurrency_count)
            .ok_or_else(|| ApiError::field("recurrency_count", messages::RECURRENCE_PAST_YEAR_9999))?
    } else {
        Vec::new()
    };
    require_hobby_rights(&writer, &mut tx, base.hobby_id).await?;
    let id = events::insert(&mut tx, &base, now).await?;
    let copies: Vec<EventFields> = copies
        .into_iter()
        .map(|(start_date, end_date)| EventFields {
            start_date,
            end_date,
            recurrence_start_event_id: Some(id),
            ..base.clone()
        })
        .collect();
    events::insert_many(&mut tx, &copies, now).await?;
    next_event::refresh(&mut tx, &[base.hobby_id], writer.state.clock.today()).await?;
    tx.commit().await?;
    Ok(id)
}

/// PUT or PATCH: rights on the event's hobby, and on the new hobby if it moves. Only the
/// fields the body names are written.
pub async fn update(
    writer: Writer<'_>,
    id: i64,
    body: Result<Body, ApiError>,
    mode: WriteMode,
) -> Result<(), ApiError> {
    let now = writer.state.clock.now();
    let mut tx = writer.state.db.begin().await?;
    if !events::lock(&mut tx, id).await? {
        return Err(ApiError::NotFound);
    }
    let current = events::get(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    require_hobby_rights(&writer, &mut tx, current.hobby_id).await?;
    let (changes, errors) = read(&body?, mode);
    hobby_must_exist(&mut tx, &changes, errors).await?;
    let moved_to = changes.hobby.filter(|hobby| *hobby != current.hobby_id);
    if let Some(hobby) = moved_to {
        require_hobby_rights(&writer, &mut tx, hobby).await?;
    }
    let edit = EventEdit {
        hobby_id: changes.hobby,
        start_date: changes.start_date,
        start_time: changes.start_time,
        end_date: changes.end_date,
        end_time: changes.end_time,
        data_source: changes.data_source,
    };
    events::apply(&mut tx, id, &edit, now).await?;
    // The old hobby first, so that the event is never the next event of two hobbies.
    let today = writer.state.clock.today();
    next_event::refresh(&mut tx, &[current.hobby_id], today).await?;
    if let Some(hobby) = moved_to {
        next_event::refresh(&mut tx, &[hobby], today).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete(writer: Writer<'_>, id: i64) -> Result<(), ApiError> {
    let mut tx = writer.state.db.begin().await?;
    if !events::lock(&mut tx, id).await? {
        return Err(ApiError::NotFound);
    }
    let current = events::get(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    require_hobby_rights(&writer, &mut tx, current.hobby_id).await?;
    events::delete(&mut tx, id).await?;
    next_event::refresh(&mut tx, &[current.hobby_id], writer.state.clock.today()).await?;
    tx.commit().await?;
    Ok(())
}
