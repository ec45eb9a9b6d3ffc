//! Hobby events: the list (one next event per hobby unless a hobby is named), single events,
//! and their writes.
//!
//! Without `hobby`, the list runs on `hobby_next_events`, one narrow row per listed hobby; with
//! it, on the hobby's own events. Filters are written once against either source.

use crate::conditions::{all_terms_in, editable_by, hobby_in_categories, PointColumns};
use crate::exec::Executes;
use crate::partial_update::SetNamed;
use crate::query::{CategorySubtrees, EditScope, OrderKey, Ordering, Page, TextSearch};
use crate::schema::{Hobbies as H, HobbyEvents as E, HobbyNextEvents as N, Locations as L};
use crate::DbError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use hp_domain::price::PriceType;
use hp_domain::time::iso_weekday;
use sea_query::{Alias, Cond, DynIden, Expr, IntoIden, Order, Query, SelectStatement};

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
}

/// Filters of the hobby-event list (api.md 4.3); all of them intersect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// All events of this hobby; without it, only each hobby's next event.
    pub hobby: Option<i64>,
    pub categories: Option<CategorySubtrees>,
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

/// Which table the list reads and how its columns are named there.
struct Source {
    table: DynIden,
    id: DynIden,
    next_events: bool,
}

impl Source {
    fn of(filter: &EventFilter) -> Source {
        if filter.hobby.is_some() {
            Source { table: E::Table.into_iden(), id: E::Id.into_iden(), next_events: false }
        } else {
            Source { table: N::Table.into_iden(), id: N::EventId.into_iden(), next_events: true }
        }
    }

    fn col(&self, column: impl IntoIden) -> Expr {
        Expr::col((self.table.clone(), column.into_iden()))
    }

    fn id(&self) -> Expr {
        Expr::col((self.table.clone(), self.id.clone()))
    }

    /// Where the hobby's point is: copied into the next-event row, or the hobby's location.
    fn points(&self) -> PointColumns {
        if self.next_events {
            PointColumns::of(N::Table)
        } else {
            PointColumns::of(L::Table)
        }
    }
}

fn needs_hobby_join(filter: &EventFilter, source: &Source) -> bool {
    !source.next_events || filter.editable.is_some() || filter.search.is_some()
}

fn filtered(filter: &EventFilter, source: &Source) -> SelectStatement {
    let mut q = Query::select();
    q.from(source.table.clone());
    let hobby_id = (source.table.clone(), E::HobbyId.into_iden());
    if needs_hobby_join(filter, source) {
        q.inner_join(H::Table, Expr::col((H::Table, H::Id)).equals(hobby_id.clone()));
    }
    if !source.next_events && filter.ordering.proximity.is_some() {
        q.left_join(L::Table, Expr::col((L::Table, L::Id)).equals((H::Table, H::LocationId)));
    }
    let mut cond = Cond::all();
    if let Some(hobby) = filter.hobby {
        cond = cond.add(Expr::col((E::Table, E::HobbyId)).eq(hobby));
    }
    if let Some(price_type) = filter.price_type {
        let column = if source.next_events { source.col(N::PriceType) } else { Expr::col((H::Table, H::PriceType)) };
        cond = cond.add(column.eq(price_type.as_str()));
    }
    if let Some(editable) =
        filter.editable.and_then(|s| editable_by(s, (H::Table, H::CreatedById), (H::Table, H::MunicipalityId)))
    {
        cond = cond.add(editable);
    }
    if let Some(from) = filter.start_date_from {
        cond = cond.add(source.col(E::StartDate).gte(from));
    }
    if let Some(to) = filter.start_date_to {
        cond = cond.add(source.col(E::StartDate).lte(to));
    }
    if let Some(from) = filter.start_time_from {
        cond = cond.add(source.col(E::StartTime).gte(from));
    }
    if let Some(to) = filter.start_time_to {
        cond = cond.add(source.col(E::StartTime).lte(to));
    }
    if !filter.weekdays.is_empty() {
        cond = cond.add(source.col(E::StartWeekday).is_in(filter.weekdays.clone()));
    }
    if let Some(now) = filter.not_ended_before {
        cond =
            cond.add(Cond::any().add(source.col(E::EndDate).gt(now.date())).add(
                Cond::all().add(source.col(E::EndDate).eq(now.date())).add(source.col(E::EndTime).gte(now.time())),
            ));
    }
    // Set lookups after the cheap column comparisons.
    if let Some(subtrees) = &filter.categories {
        cond = cond.add(hobby_in_categories(hobby_id.clone(), subtrees));
    }
    if let Some(search) = &filter.search {
        let mut either = Cond::any().add(all_terms_in((H::Table, H::SearchText), &search.terms));
        if !search.categories.is_empty() {
            either = either.add(hobby_in_categories(hobby_id, &search.categories));
        }
        cond = cond.add(either);
    }
    if let Some(limit) = filter.ordering.proximity.as_ref().and_then(|p| source.points().within_limit(p)) {
        cond = cond.add(limit);
    }
    q.cond_where(cond);
    q
}

fn select_columns(q: &mut SelectStatement, source: &Source) {
    q.expr_as(source.id(), Alias::new("id"));
    for column in [E::HobbyId, E::StartDate, E::StartTime, E::EndDate, E::EndTime, E::StartWeekday, E::DataSource] {
        q.expr(source.col(column));
    }
}

fn apply_ordering(q: &mut SelectStatement, ordering: &Ordering, source: &Source) {
    if ordering.keys.is_empty() {
        q.order_by_expr(source.col(E::StartDate).into(), Order::Asc)
            .order_by_expr(source.col(E::StartTime).into(), Order::Asc);
    }
    for key in &ordering.keys {
        match (key, &ordering.proximity) {
            (OrderKey::Distance { descending }, Some(p)) => source.points().order_by_distance(q, p.origin, *descending),
            (OrderKey::Distance { .. }, None) => {}
            (OrderKey::StartDate { descending }, _) => {
                q.order_by_expr(source.col(E::StartDate).into(), if *descending { Order::Desc } else { Order::Asc });
            }
        }
    }
    q.order_by_expr(source.id().into(), Order::Asc);
}

/// Radii (km) tried, nearest first, before ordering the whole list by distance.
const SEARCH_RADII_KM: [f64; 4] = [3.0, 12.0, 50.0, 200.0];

/// The whole list (no paging).
pub async fn list(ex: &mut impl Executes, filter: &EventFilter) -> Result<Vec<EventRow>, DbError> {
    let source = Source::of(filter);
    let mut q = filtered(filter, &source);
    select_columns(&mut q, &source);
    apply_ordering(&mut q, &filter.ordering, &source);
    ex.fetch_all(&q).await
}

#[derive(sqlx::FromRow)]
struct CountedEventRow {
    #[sqlx(flatten)]
    event: EventRow,
    total_count: i64,
}

/// One page of the list and the length of the whole list.
pub async fn page(ex: &mut impl Executes, filter: &EventFilter, page: Page) -> Result<(Vec<EventRow>, u64), DbError> {
    let source = Source::of(filter);
    let mut q = filtered(filter, &source);
    select_columns(&mut q, &source);
    apply_ordering(&mut q, &filter.ordering, &source);
    // Nearest first over the whole list: the rows within a radius are the nearest ones when
    // there are enough of them, and the radius search uses the latitude index instead of
    // measuring every row. (With a distance limit the list is short already.)
    let nearest_first = matches!(filter.ordering.keys.first(), Some(OrderKey::Distance { descending: false }));
    if let (true, Some(proximity)) = (nearest_first, &filter.ordering.proximity) {
        if proximity.max_distance_km.is_none() {
            let wanted = page.offset + page.limit;
            for km in SEARCH_RADII_KM {
                let mut near = q.clone();
                near.cond_where(source.points().within(proximity.origin, km)).limit(wanted);
                let rows: Vec<EventRow> = ex.fetch_all(&near).await?;
                if rows.len() as u64 == wanted {
                    let total = count(ex, filter).await? as u64;
                    return Ok((rows.into_iter().skip(page.offset as usize).collect(), total));
                }
            }
        }
    }
    // The total comes with the rows (one pass over the filters instead of two).
    q.expr_as(Expr::cust("COUNT(*) OVER ()"), Alias::new("total_count")).limit(page.limit).offset(page.offset);
    let rows: Vec<CountedEventRow> = ex.fetch_all(&q).await?;
    let total = match rows.first() {
        Some(row) => row.total_count as u64,
        None if page.offset == 0 => 0,
        None => count(ex, filter).await? as u64,
    };
    Ok((rows.into_iter().map(|r| r.event).collect(), total))
}

pub async fn count(ex: &mut impl Executes, filter: &EventFilter) -> Result<i64, DbError> {
    let source = Source::of(filter);
    let mut q = filtered(filter, &source);
    q.expr(source.id().count());
    ex.fetch_scalar(&q).await
}

fn select_events() -> SelectStatement {
    Query::select()
        .columns([
            E::Id,
            E::HobbyId,
            E::StartDate,
            E::StartTime,
            E::EndDate,
            E::EndTime,
            E::StartWeekday,
            E::DataSource,
        ])
        .from(E::Table)
        .to_owned()
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<EventRow>, DbError> {
    let q = select_events().and_where(Expr::col(E::Id).eq(id)).to_owned();
    ex.fetch_optional(&q).await
}

/// All events of a hobby in default order.
pub async fn of_hobby(ex: &mut impl Executes, hobby_id: i64) -> Result<Vec<EventRow>, DbError> {
    let q = select_events()
        .and_where(Expr::col(E::HobbyId).eq(hobby_id))
        .order_by(E::StartDate, Order::Asc)
        .order_by(E::StartTime, Order::Asc)
        .order_by(E::Id, Order::Asc)
        .to_owned();
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

/// Updates an event; its `origin_id` stays as created (importers find their rows by it, and
/// an API edit of an imported event must not make it look new).
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
        .value(E::UpdatedAt, now)
        .and_where(Expr::col(E::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

/// What an edit changes; `None` leaves the stored value. The weekday follows `start_date`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventChanges {
    pub hobby_id: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub start_time: Option<NaiveTime>,
    pub end_date: Option<NaiveDate>,
    pub end_time: Option<NaiveTime>,
    pub data_source: Option<String>,
}

/// Locks the event for an edit in this transaction ([`crate::locks`]); whether it exists.
pub async fn lock(ex: &mut impl Executes, id: i64) -> Result<bool, DbError> {
    crate::locks::lock_row(ex, E::Table, E::Id, id).await
}

/// Applies an edit; its `origin_id` stays as created (see [`update`]).
pub async fn apply(
    ex: &mut impl Executes,
    id: i64,
    changes: &EventChanges,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let mut q = Query::update();
    q.table(E::Table).value(E::UpdatedAt, now).and_where(Expr::col(E::Id).eq(id));
    q.set_named(E::HobbyId, changes.hobby_id)
        .set_named(E::StartDate, changes.start_date)
        .set_named(E::StartWeekday, changes.start_date.map(iso_weekday))
        .set_named(E::EndDate, changes.end_date)
        .set_named(E::StartTime, changes.start_time)
        .set_named(E::EndTime, changes.end_time)
        .set_named(E::DataSource, changes.data_source.clone());
    ex.execute(&q).await
}

pub async fn delete(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(E::Table).and_where(Expr::col(E::Id).eq(id)).to_owned();
    ex.execute(&q).await
}
