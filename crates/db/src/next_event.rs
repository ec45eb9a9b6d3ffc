//! Keeps `hobby_next_events` current: for each hobby, its event with the earliest start among
//! those not ended before today (rule A, quirks.md 4; ties go to the earlier start time, then
//! the lower id), with copies of the event's dates, the hobby's price type and its location's
//! point for the event list. The rule lives only here, as SQL: one statement chooses for all
//! hobbies, where a rule in memory would need every hobby's events loaded.
//!
//! Recompute with [`refresh`] whenever a hobby's events, the hobby or its location change
//! (the write paths do), and with [`refresh_all`] once a day for the passage of time.

use crate::exec::Executes;
use crate::schema::{Hobbies as H, HobbyEvents as E, HobbyNextEvents as N, Locations as L};
use crate::DbError;
use chrono::NaiveDate;
use sea_query::{Expr, Order, Query, SimpleExpr};
use std::collections::HashMap;

/// The id of each hobby's next event (correlated on `hobbies.id`).
fn next_event_of_hobby(today: NaiveDate) -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(
            Query::select()
                .column((E::Table, E::Id))
                .from(E::Table)
                .and_where(Expr::col((E::Table, E::HobbyId)).equals((H::Table, H::Id)))
                .and_where(Expr::col((E::Table, E::EndDate)).gte(today))
                .order_by((E::Table, E::StartDate), Order::Asc)
                .order_by((E::Table, E::StartTime), Order::Asc)
                .order_by((E::Table, E::Id), Order::Asc)
                .limit(1)
                .to_owned()
                .into_sub_query_statement(),
        ),
    )
}

const COLUMNS: [N; 14] = [
    N::HobbyId,
    N::EventId,
    N::StartDate,
    N::StartTime,
    N::EndDate,
    N::EndTime,
    N::StartWeekday,
    N::DataSource,
    N::PriceType,
    N::Lat,
    N::Lon,
    N::UnitX,
    N::UnitY,
    N::UnitZ,
];

#[derive(sqlx::FromRow)]
struct Choice {
    hobby_id: i64,
    event_id: Option<i64>,
}

/// Each hobby's next event now (`event_id` null when it has none).
async fn choose(ex: &mut impl Executes, hobby_ids: Option<&[i64]>, today: NaiveDate) -> Result<Vec<Choice>, DbError> {
    let mut q = Query::select();
    q.expr_as(Expr::col((H::Table, H::Id)), sea_query::Alias::new("hobby_id"))
        .expr_as(next_event_of_hobby(today), sea_query::Alias::new("event_id"))
        .from(H::Table);
    if let Some(ids) = hobby_ids {
        q.and_where(Expr::col((H::Table, H::Id)).is_in(ids.to_vec()));
    }
    ex.fetch_all(&q).await
}

/// Writes the listing rows of these events (each a hobby's chosen next event).
async fn insert_rows(ex: &mut impl Executes, event_ids: &[i64]) -> Result<(), DbError> {
    for chunk in event_ids.chunks(1000) {
        let rows = Query::select()
            .column((H::Table, H::Id))
            .column((E::Table, E::Id))
            .columns(
                [E::StartDate, E::StartTime, E::EndDate, E::EndTime, E::StartWeekday, E::DataSource]
                    .map(|c| (E::Table, c)),
            )
            .column((H::Table, H::PriceType))
            .columns([L::Lat, L::Lon, L::UnitX, L::UnitY, L::UnitZ].map(|c| (L::Table, c)))
            .from(E::Table)
            .inner_join(H::Table, Expr::col((H::Table, H::Id)).equals((E::Table, E::HobbyId)))
            .left_join(L::Table, Expr::col((L::Table, L::Id)).equals((H::Table, H::LocationId)))
            .and_where(Expr::col((E::Table, E::Id)).is_in(chunk.to_vec()))
            .to_owned();
        let insert =
            Query::insert().into_table(N::Table).columns(COLUMNS).select_from(rows).expect("columns match").to_owned();
        ex.execute(&insert).await?;
    }
    Ok(())
}

/// Serialises concurrent recomputations of the same hobbies (PostgreSQL; SQLite has one
/// writer). Without it two transactions adding events to one hobby each delete and insert
/// its listing row and collide on its key, or each choose without the other's events.
/// `FOR NO KEY UPDATE` does not conflict with the key-share locks the event inserts' foreign
/// keys already hold, and ids in order keep several-hobby refreshes free of deadlocks.
async fn lock_hobbies(ex: &mut impl Executes, hobby_ids: &[i64]) -> Result<(), DbError> {
    let q = Query::select()
        .column(H::Id)
        .from(H::Table)
        .and_where(Expr::col(H::Id).is_in(hobby_ids.to_vec()))
        .order_by(H::Id, Order::Asc)
        .lock(sea_query::LockType::NoKeyUpdate)
        .to_owned();
    let _: Vec<i64> = ex.fetch_column(&q).await?;
    Ok(())
}

/// Recomputes the next event of the given hobbies.
pub async fn refresh(ex: &mut impl Executes, hobby_ids: &[i64], today: NaiveDate) -> Result<(), DbError> {
    let mut sorted = hobby_ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for chunk in sorted.chunks(1000) {
        lock_hobbies(ex, chunk).await?;
        let delete =
            Query::delete().from_table(N::Table).and_where(Expr::col(N::HobbyId).is_in(chunk.to_vec())).to_owned();
        ex.execute(&delete).await?;
        let events: Vec<i64> = choose(ex, Some(chunk), today).await?.into_iter().filter_map(|c| c.event_id).collect();
        insert_rows(ex, &events).await?;
    }
    Ok(())
}

/// Recomputes the next events of the hobbies at a location (its point changed).
pub async fn refresh_at_location(ex: &mut impl Executes, location_id: i64, today: NaiveDate) -> Result<(), DbError> {
    let q = Query::select().column(H::Id).from(H::Table).and_where(Expr::col(H::LocationId).eq(location_id)).to_owned();
    let hobby_ids: Vec<i64> = ex.fetch_column(&q).await?;
    refresh(ex, &hobby_ids, today).await
}

async fn snapshot(ex: &mut impl Executes) -> Result<HashMap<i64, i64>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Pair {
        hobby_id: i64,
        event_id: i64,
    }
    let q = Query::select().columns([N::HobbyId, N::EventId]).from(N::Table).to_owned();
    let pairs: Vec<Pair> = ex.fetch_all(&q).await?;
    Ok(pairs.into_iter().map(|p| (p.hobby_id, p.event_id)).collect())
}

/// Recomputes the next event of every hobby, rewriting only the hobbies whose next event
/// changed (rewriting all of them left PostgreSQL with a table of dead rows that slowed
/// every list until vacuumed); returns how many changed.
pub async fn refresh_all(ex: &mut impl Executes, today: NaiveDate) -> Result<u64, DbError> {
    let current = snapshot(ex).await?;
    let changed: Vec<i64> = choose(ex, None, today)
        .await?
        .into_iter()
        .filter(|choice| current.get(&choice.hobby_id).copied() != choice.event_id)
        .map(|choice| choice.hobby_id)
        .collect();
    refresh(ex, &changed, today).await?;
    Ok(changed.len() as u64)
}

/// Rebuilds every hobby's listing row, also those whose next event did not change (to
/// repair copies after changes made outside the service).
pub async fn rebuild_all(ex: &mut impl Executes, today: NaiveDate) -> Result<u64, DbError> {
    let all: Vec<i64> = choose(ex, None, today).await?.into_iter().map(|c| c.hobby_id).collect();
    refresh(ex, &all, today).await?;
    Ok(all.len() as u64)
}
