//! Hobby events: the list (one next event per hobby unless a hobby is named), single events,
//! and their writes.

use crate::conditions::{all_terms_in, hobby_in_categories, order_by_distance};
use crate::exec::Executes;
use crate::hobbies::{apply_proximity, hobby_conditions};
use crate::query::{EditScope, OrderKey, Ordering, Page, TextSearch};
use crate::schema::{Hobbies as H, HobbyEvents as E};
use crate::DbError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use hp_domain::price::PriceType;
use hp_domain::time::iso_weekday;
use sea_query::{Cond, Expr, Order, Query, SelectStatement};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub hobby_id: i64,
    pub start_date: NaiveDate,
    pub start_time: NaiveTime,
    pub end_date: NaiveDate,
    pub end_time: NaiveTime,
    pub start_weekday: i64,
    pub data_source: String,
    pub origin_id: String,
    pub recurrence_start_event_id: Option<i64>,
}

/// Filters of the hobby-event list (api.md 4.3); all of them intersect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// All events of this hobby; without it, only each hobby's next event.
    pub hobby: Option<i64>,
    pub category_ids: Option<Vec<i64>>,
    pub price_type: Option<PriceType>,
    pub editable: Option<EditScope>,
    pub start_date_from: Option<NaiveDate>,
    pub start_date_to: Option<NaiveDate>,
    pub start_time_from: Option<NaiveTime>,
    pub start_time_to: Option<NaiveTime>,
    pub weekdays: Vec<i64>,
    /// Drop events that ended before this local moment (`exclude_past_events`).
    pub not_ended_before: Option<NaiveDateTime>,
    pub search: Option<TextSearch>,
    pub ordering: Ordering,
}

const COLUMNS: [E; 10] = [
    E::Id,
    E::HobbyId,
    E::StartDate,
    E::StartTime,
    E::EndDate,
    E::EndTime,
    E::StartWeekday,
    E::DataSource,
    E::OriginId,
    E::RecurrenceStartEventId,
];

fn select_columns(q: &mut SelectStatement) {
    q.columns(COLUMNS.map(|c| (E::Table, c)));
}

fn filtered(filter: &EventFilter) -> SelectStatement {
    let mut q = Query::select();
    q.from(E::Table);
    match filter.hobby {
        Some(hobby) => {
            q.inner_join(H::Table, Expr::col((H::Table, H::Id)).equals((E::Table, E::HobbyId)))
                .and_where(Expr::col((E::Table, E::HobbyId)).eq(hobby));
        }
        None => {
            q.inner_join(H::Table, Expr::col((H::Table, H::NextEventId)).equals((E::Table, E::Id)));
        }
    }
    let mut cond = hobby_conditions(&filter.category_ids, filter.price_type, filter.editable);
    let col = |c: E| Expr::col((E::Table, c));
    if let Some(from) = filter.start_date_from {
        cond = cond.add(col(E::StartDate).gte(from));
    }
    if let Some(to) = filter.start_date_to {
        cond = cond.add(col(E::StartDate).lte(to));
    }
    if let Some(from) = filter.start_time_from {
        cond = cond.add(col(E::StartTime).gte(from));
    }
    if let Some(to) = filter.start_time_to {
        cond = cond.add(col(E::StartTime).lte(to));
    }
    if !filter.weekdays.is_empty() {
        cond = cond.add(col(E::StartWeekday).is_in(filter.weekdays.clone()));
    }
    if let Some(now) = filter.not_ended_before {
        cond = cond.add(
            Cond::any()
                .add(col(E::EndDate).gt(now.date()))
                .add(Cond::all().add(col(E::EndDate).eq(now.date())).add(col(E::EndTime).gte(now.time()))),
        );
    }
    if let Some(search) = &filter.search {
        let mut either = Cond::any().add(all_terms_in((H::Table, H::SearchText), &search.terms));
        if !search.category_ids.is_empty() {
            either = either.add(hobby_in_categories(&search.category_ids));
        }
        cond = cond.add(either);
    }
    q.cond_where(cond);
    apply_proximity(&mut q, &filter.ordering);
    q
}

fn apply_ordering(q: &mut SelectStatement, ordering: &Ordering) {
    if ordering.keys.is_empty() {
        q.order_by((E::Table, E::StartDate), Order::Asc).order_by((E::Table, E::StartTime), Order::Asc);
    }
    for key in &ordering.keys {
        match (key, &ordering.proximity) {
            (OrderKey::Distance { descending }, Some(p)) => order_by_distance(q, p.origin, *descending),
            (OrderKey::Distance { .. }, None) => {}
            (OrderKey::StartDate { descending }, _) => {
                q.order_by((E::Table, E::StartDate), if *descending { Order::Desc } else { Order::Asc });
            }
        }
    }
    q.order_by((E::Table, E::Id), Order::Asc);
}

pub async fn list(ex: &mut impl Executes, filter: &EventFilter, page: Option<Page>) -> Result<Vec<EventRow>, DbError> {
    let mut q = filtered(filter);
    select_columns(&mut q);
    apply_ordering(&mut q, &filter.ordering);
    if let Some(page) = page {
        q.limit(page.limit).offset(page.offset);
    }
    ex.fetch_all(&q).await
}

pub async fn count(ex: &mut impl Executes, filter: &EventFilter) -> Result<i64, DbError> {
    let mut q = filtered(filter);
    q.expr(Expr::col((E::Table, E::Id)).count());
    ex.fetch_scalar(&q).await
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<EventRow>, DbError> {
    let mut q = Query::select();
    q.from(E::Table).and_where(Expr::col(E::Id).eq(id));
    select_columns(&mut q);
    ex.fetch_optional(&q).await
}

/// All events of a hobby in default order.
pub async fn of_hobby(ex: &mut impl Executes, hobby_id: i64) -> Result<Vec<EventRow>, DbError> {
    let mut q = Query::select();
    q.from(E::Table)
        .and_where(Expr::col(E::HobbyId).eq(hobby_id))
        .order_by(E::StartDate, Order::Asc)
        .order_by(E::StartTime, Order::Asc)
        .order_by(E::Id, Order::Asc);
    select_columns(&mut q);
    ex.fetch_all(&q).await
}

/// The stored fields of an event (the weekday is derived from `start_date`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    pub hobby_id: i64,
    pub start_date: NaiveDate,
    pub start_time: NaiveTime,
    pub end_date: NaiveDate,
    pub end_time: NaiveTime,
    pub data_source: String,
    pub origin_id: String,
    pub recurrence_start_event_id: Option<i64>,
}

const INSERT_COLUMNS: [E; 11] = [
    E::HobbyId,
    E::StartDate,
    E::StartTime,
    E::EndDate,
    E::EndTime,
    E::StartWeekday,
    E::RecurrenceStartEventId,
    E::DataSource,
    E::OriginId,
    E::CreatedAt,
    E::UpdatedAt,
];

fn insert_values(f: &EventFields, now: DateTime<Utc>) -> Vec<sea_query::SimpleExpr> {
    vec![
        f.hobby_id.into(),
        f.start_date.into(),
        f.start_time.into(),
        f.end_date.into(),
        f.end_time.into(),
        iso_weekday(f.start_date).into(),
        f.recurrence_start_event_id.into(),
        f.data_source.clone().into(),
        f.origin_id.clone().into(),
        now.into(),
        now.into(),
    ]
}

pub async fn insert(ex: &mut impl Executes, fields: &EventFields, now: DateTime<Utc>) -> Result<i64, DbError> {
    let q = Query::insert()
        .into_table(E::Table)
        .columns(INSERT_COLUMNS)
        .values_panic(insert_values(fields, now))
        .returning_col(E::Id)
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// Inserts many events in one statement (recurrence copies, bulk loads).
pub async fn insert_many(ex: &mut impl Executes, rows: &[EventFields], now: DateTime<Utc>) -> Result<u64, DbError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let mut q = Query::insert();
    q.into_table(E::Table).columns(INSERT_COLUMNS);
    for row in rows {
        q.values_panic(insert_values(row, now));
    }
    ex.execute(&q).await
}

pub async fn update(ex: &mut impl Executes, id: i64, f: &EventFields, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::update()
        .table(E::Table)
        .value(E::HobbyId, f.hobby_id)
        .value(E::StartDate, f.start_date)
        .value(E::StartTime, f.start_time)
        .value(E::EndDate, f.end_date)
        .value(E::EndTime, f.end_time)
        .value(E::StartWeekday, iso_weekday(f.start_date))
        .value(E::DataSource, f.data_source.clone())
        .value(E::OriginId, f.origin_id.clone())
        .value(E::UpdatedAt, now)
        .and_where(Expr::col(E::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

pub async fn delete(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(E::Table).and_where(Expr::col(E::Id).eq(id)).to_owned();
    ex.execute(&q).await
}
