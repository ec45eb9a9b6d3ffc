//! Reading, creating, changing and deleting hobby events (api.md 4.3): weekly copies in the same
//! transaction, edit rights on the hobby (quirks.md 11), the hobby's next event recomputed on
//! every change.

use crate::changing::{lock_for_change, may_change, Event, Hobby};
use crate::listing::listable_through;
use crate::reading::{found, Reading};
use crate::related::{check_related, Related};
use crate::{App, AppError, Submitted, User};
use chrono::{NaiveDate, NaiveTime};
use hp_db::events::{self, EventChanges, EventFields, EventFilter, EventRow};
use hp_db::{next_event, Tx};
use hp_domain::recurrence::weekly_copies;
use hp_domain::{messages, FieldErrors};

/// An event as a write gives it; `None` keeps (or on create: is missing).
#[derive(Debug, Default)]
pub struct EventInput {
    pub end_date: Option<NaiveDate>,
    pub end_time: Option<NaiveTime>,
    pub hobby: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub start_time: Option<NaiveTime>,
    pub data_source: Option<String>,
    /// On create: also make `recurrency_count` weekly copies.
    pub is_recurrent: bool,
    pub recurrency_count: i64,
}

fn fields(input: &EventInput, current: Option<&EventRow>) -> Option<EventFields> {
    Some(EventFields {
        hobby_id: input.hobby.or(current.map(|c| c.hobby_id))?,
        start_date: input.start_date.or(current.map(|c| c.start_date))?,
        start_time: input.start_time.or(current.map(|c| c.start_time))?,
        end_date: input.end_date.or(current.map(|c| c.end_date))?,
        end_time: input.end_time.or(current.map(|c| c.end_time))?,
        data_source: input.data_source.clone().or(current.map(|c| c.data_source.clone())).unwrap_or_default(),
        origin_id: String::new(),
        recurrence_start_event_id: None,
    })
}

async fn hobby_must_exist(tx: &mut Tx, input: &EventInput, mut errors: FieldErrors) -> Result<(), AppError> {
    if let Some(hobby) = input.hobby {
        check_related(tx, &mut errors, "hobby", Related::Hobby, hobby).await?;
    }
    errors.into_result().map_err(AppError::from)
}

/// Creates the event and, when recurrent, its weekly copies; the base event's id.
pub async fn create(app: &App, user: &User, submitted: Submitted<EventInput>) -> Result<i64, AppError> {
    let Submitted { input, errors } = submitted;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    hobby_must_exist(&mut tx, &input, errors).await?;
    let base = fields(&input, None).ok_or_else(|| AppError::incomplete("event"))?;
    let copies = if input.is_recurrent {
        weekly_copies(base.start_date, base.end_date, input.recurrency_count)
            .ok_or_else(|| AppError::field("recurrency_count", messages::RECURRENCE_PAST_YEAR_9999))?
    } else {
        Vec::new()
    };
    may_change::<Hobby>(user, &mut tx, base.hobby_id).await?;
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
    next_event::refresh(&mut tx, &[base.hobby_id], app.clock.today()).await?;
    tx.commit().await?;
    Ok(id)
}

/// PUT or PATCH: rights on the event's hobby, and on the new hobby if it moves. Only the
/// fields the input names are written.
pub async fn update(app: &App, user: &User, id: i64, submitted: Submitted<EventInput>) -> Result<(), AppError> {
    let Submitted { input, errors } = submitted;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let current = lock_for_change::<Event>(user, &mut tx, id).await?;
    hobby_must_exist(&mut tx, &input, errors).await?;
    let moved_to = input.hobby.filter(|hobby| *hobby != current.hobby_id);
    if let Some(hobby) = moved_to {
        may_change::<Hobby>(user, &mut tx, hobby).await?;
    }
    let changes = EventChanges {
        hobby_id: input.hobby,
        start_date: input.start_date,
        start_time: input.start_time,
        end_date: input.end_date,
        end_time: input.end_time,
        data_source: input.data_source,
    };
    events::apply(&mut tx, id, &changes, now).await?;
    // The old hobby first, so that the event is never the next event of two hobbies.
    let today = app.clock.today();
    next_event::refresh(&mut tx, &[current.hobby_id], today).await?;
    if let Some(hobby) = moved_to {
        next_event::refresh(&mut tx, &[hobby], today).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete(app: &App, user: &User, id: i64) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let current = lock_for_change::<Event>(user, &mut tx, id).await?;
    events::delete(&mut tx, id).await?;
    next_event::refresh(&mut tx, &[current.hobby_id], app.clock.today()).await?;
    tx.commit().await?;
    Ok(())
}

// Reads.

listable_through!(events, EventFilter, EventRow);

pub async fn get(reading: &mut Reading, id: i64) -> Result<EventRow, AppError> {
    found(events::get(reading.conn(), id).await?)
}
