//! Loading an object for a change, once for every resource: missing is "not found"; one the
//! user may not change is "forbidden" for hobbies, events and promotions, but "not found" for
//! organizers and locations, which are invisible to users who may not edit them (api.md 4.4,
//! 4.5; quirks.md 16). An event's rights are its hobby's (quirks.md 11).

use crate::{Actor, App, AppError, User};
use hp_db::{events, hobbies, locations, organizers, promotions, DbError, Executes, Tx};
use hp_domain::permissions::Ownership;
use std::future::Future;

/// What a user without rights is told about an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Forbidden,
    NotFound,
}

/// A resource whose objects only those with edit rights change.
pub trait Changeable {
    type Row: Send;
    const REFUSAL: Refusal;

    /// The object and who owns it, as far as rights are concerned.
    fn load(
        ex: &mut impl Executes,
        id: i64,
    ) -> impl Future<Output = Result<Option<(Self::Row, Ownership)>, DbError>> + Send;

    /// Locks the object's row for the rest of the transaction; false when it is missing.
    fn lock(tx: &mut Tx, id: i64) -> impl Future<Output = Result<bool, DbError>> + Send;
}

/// The object, if the user may change it, without a lock: the check an edge makes before it
/// reads a body (the original refused before it validated).
pub async fn may_change<C: Changeable>(user: &User, ex: &mut impl Executes, id: i64) -> Result<C::Row, AppError> {
    let (row, ownership) = C::load(ex, id).await?.ok_or(AppError::NotFound)?;
    if user.can_edit(ownership) {
        return Ok(row);
    }
    Err(match C::REFUSAL {
        Refusal::Forbidden => AppError::Forbidden,
        Refusal::NotFound => AppError::NotFound,
    })
}

/// The object locked for the change in the transaction, if the user may change it.
pub async fn lock_for_change<C: Changeable>(user: &User, tx: &mut Tx, id: i64) -> Result<C::Row, AppError> {
    if !C::lock(tx, id).await? {
        return Err(AppError::NotFound);
    }
    may_change::<C>(user, tx, id).await
}

/// An organizer or a location as a reader sees it: anonymous callers see every one, a
/// signed-in user only those they may change, and the others are "not found" to them
/// (quirks.md 16, kept for the web UI).
pub async fn visible_place<C: Changeable>(app: &App, actor: &Actor, id: i64) -> Result<C::Row, AppError> {
    let mut conn = app.db.conn().await?;
    let (row, ownership) = C::load(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    match actor.user() {
        Some(user) if !user.can_edit(ownership) => Err(AppError::NotFound),
        _ => Ok(row),
    }
}

pub struct Hobby;
pub struct Event;
pub struct Promotion;
pub struct Organizer;
pub struct Location;

impl Changeable for Hobby {
    type Row = hobbies::HobbyRow;
    const REFUSAL: Refusal = Refusal::Forbidden;

    async fn load(ex: &mut impl Executes, id: i64) -> Result<Option<(Self::Row, Ownership)>, DbError> {
        Ok(hobbies::get(ex, id).await?.map(|row| {
            let ownership = row.ownership();
            (row, ownership)
        }))
    }

    async fn lock(tx: &mut Tx, id: i64) -> Result<bool, DbError> {
        hobbies::lock(tx, id).await
    }
}

impl Changeable for Event {
    type Row = events::EventRow;
    const REFUSAL: Refusal = Refusal::Forbidden;

    async fn load(ex: &mut impl Executes, id: i64) -> Result<Option<(Self::Row, Ownership)>, DbError> {
        let Some(event) = events::get(ex, id).await? else { return Ok(None) };
        Ok(hobbies::get(ex, event.hobby_id).await?.map(|hobby| (event, hobby.ownership())))
    }

    async fn lock(tx: &mut Tx, id: i64) -> Result<bool, DbError> {
        events::lock(tx, id).await
    }
}

impl Changeable for Promotion {
    type Row = promotions::PromotionRow;
    const REFUSAL: Refusal = Refusal::Forbidden;

    async fn load(ex: &mut impl Executes, id: i64) -> Result<Option<(Self::Row, Ownership)>, DbError> {
        Ok(promotions::get(ex, id).await?.map(|row| {
            let ownership = row.ownership();
            (row, ownership)
        }))
    }

    async fn lock(tx: &mut Tx, id: i64) -> Result<bool, DbError> {
        promotions::lock(tx, id).await
    }
}

impl Changeable for Organizer {
    type Row = organizers::OrganizerRow;
    const REFUSAL: Refusal = Refusal::NotFound;

    async fn load(ex: &mut impl Executes, id: i64) -> Result<Option<(Self::Row, Ownership)>, DbError> {
        Ok(organizers::get(ex, id).await?.map(|row| {
            let ownership = row.ownership();
            (row, ownership)
        }))
    }

    async fn lock(tx: &mut Tx, id: i64) -> Result<bool, DbError> {
        organizers::lock(tx, id).await
    }
}

impl Changeable for Location {
    type Row = locations::LocationRow;
    const REFUSAL: Refusal = Refusal::NotFound;

    async fn load(ex: &mut impl Executes, id: i64) -> Result<Option<(Self::Row, Ownership)>, DbError> {
        Ok(locations::get(ex, id).await?.map(|row| {
            let ownership = row.ownership();
            (row, ownership)
        }))
    }

    async fn lock(tx: &mut Tx, id: i64) -> Result<bool, DbError> {
        locations::lock(tx, id).await
    }
}
