//! Promotions: the list with its filters, single promotions, writes, and redemption.

use crate::conditions::{all_terms_in, editable_by, PointColumns};
use crate::exec::Executes;
use crate::partial_update::{set_searchable_texts, SearchableColumns, SetNamed};
use crate::query::{EditScope, OrderKey, Ordering};
use crate::schema::{Benefits, Locations, Promotions as P};
use crate::DbError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use hp_domain::search::searchable_text;
use sea_query::{Cond, Expr, Order, Query, SelectStatement};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PromotionRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub start_date: NaiveDate,
    pub start_time: NaiveTime,
    pub end_date: NaiveDate,
    pub end_time: NaiveTime,
    pub cover_image: Option<String>,
    pub municipality_id: Option<i64>,
    pub organizer_id: i64,
    pub location_id: i64,
    pub available_count: i64,
    pub used_count: i64,
    pub created_by_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PromotionRow {
    pub fn ownership(&self) -> hp_domain::permissions::Ownership {
        hp_domain::permissions::Ownership { created_by: self.created_by_id, municipality: self.municipality_id }
    }
}

/// Filters of the promotion list (api.md 4.6); all of them intersect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PromotionFilter {
    pub not_ended_before: Option<NaiveDateTime>,
    pub usable_only: bool,
    pub editable: Option<EditScope>,
    pub search_terms: Vec<String>,
    pub ordering: Ordering,
}

const COLUMNS: [P; 16] = [
    P::Id,
    P::Name,
    P::Description,
    P::StartDate,
    P::StartTime,
    P::EndDate,
    P::EndTime,
    P::CoverImage,
    P::MunicipalityId,
    P::OrganizerId,
    P::LocationId,
    P::AvailableCount,
    P::UsedCount,
    P::CreatedById,
    P::CreatedAt,
    P::UpdatedAt,
];

fn select() -> SelectStatement {
    Query::select().columns(COLUMNS.map(|c| (P::Table, c))).from(P::Table).to_owned()
}

pub async fn list(ex: &mut impl Executes, filter: &PromotionFilter) -> Result<Vec<PromotionRow>, DbError> {
    let mut q = select();
    let col = |c: P| Expr::col((P::Table, c));
    let mut cond = Cond::all();
    if let Some(now) = filter.not_ended_before {
        cond = cond.add(
            Cond::any()
                .add(col(P::EndDate).gt(now.date()))
                .add(Cond::all().add(col(P::EndDate).eq(now.date())).add(col(P::EndTime).gte(now.time()))),
        );
    }
    if filter.usable_only {
        cond = cond.add(col(P::AvailableCount).gt(col(P::UsedCount)));
    }
    if let Some(editable) =
        filter.editable.and_then(|s| editable_by(s, (P::Table, P::CreatedById), (P::Table, P::MunicipalityId)))
    {
        cond = cond.add(editable);
    }
    if !filter.search_terms.is_empty() {
        cond = cond.add(all_terms_in((P::Table, P::SearchText), &filter.search_terms));
    }
    q.cond_where(cond);
    if let Some(proximity) = &filter.ordering.proximity {
        q.left_join(Locations::Table, Expr::col((Locations::Table, Locations::Id)).equals((P::Table, P::LocationId)));
        let points = PointColumns::of(Locations::Table);
        if let Some(limit) = points.within_limit(proximity) {
            q.cond_where(limit);
        }
        for key in &filter.ordering.keys {
            if let OrderKey::Distance { descending } = key {
                points.order_by_distance(&mut q, proximity.origin, *descending);
            }
        }
    }
    q.order_by((P::Table, P::Id), Order::Asc);
    ex.fetch_all(&q).await
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<PromotionRow>, DbError> {
    let q = select().and_where(Expr::col((P::Table, P::Id)).eq(id)).to_owned();
    ex.fetch_optional(&q).await
}

/// The stored fields of a promotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionFields {
    pub name: String,
    pub description: String,
    pub start_date: NaiveDate,
    pub start_time: NaiveTime,
    pub end_date: NaiveDate,
    pub end_time: NaiveTime,
    pub cover_image: Option<String>,
    pub organizer_id: i64,
    pub location_id: i64,
    pub available_count: i64,
    pub used_count: i64,
}

const INSERT_COLUMNS: [P; 16] = [
    P::Name,
    P::Description,
    P::StartDate,
    P::StartTime,
    P::EndDate,
    P::EndTime,
    P::CoverImage,
    P::MunicipalityId,
    P::OrganizerId,
    P::LocationId,
    P::AvailableCount,
    P::UsedCount,
    P::CreatedById,
    P::SearchText,
    P::CreatedAt,
    P::UpdatedAt,
];

fn insert_values(
    f: &PromotionFields,
    created_by: Option<i64>,
    municipality: Option<i64>,
    now: DateTime<Utc>,
) -> Vec<sea_query::SimpleExpr> {
    vec![
        f.name.clone().into(),
        f.description.clone().into(),
        f.start_date.into(),
        f.start_time.into(),
        f.end_date.into(),
        f.end_time.into(),
        f.cover_image.clone().into(),
        municipality.into(),
        f.organizer_id.into(),
        f.location_id.into(),
        f.available_count.into(),
        f.used_count.into(),
        created_by.into(),
        searchable_text([f.name.as_str(), f.description.as_str()]).into(),
        now.into(),
        now.into(),
    ]
}

pub async fn insert(
    ex: &mut impl Executes,
    fields: &PromotionFields,
    created_by: Option<i64>,
    municipality: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let q = Query::insert()
        .into_table(P::Table)
        .columns(INSERT_COLUMNS)
        .values_panic(insert_values(fields, created_by, municipality, now))
        .returning_col(P::Id)
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// Inserts many promotions (bulk loads, no owner), marked with the loader's `data_source`.
pub async fn insert_many(
    ex: &mut impl Executes,
    rows: &[(PromotionFields, Option<i64>)],
    data_source: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let mut q = Query::insert();
    q.into_table(P::Table).columns(INSERT_COLUMNS.into_iter().chain([P::DataSource]));
    for (fields, municipality) in rows {
        let mut values = insert_values(fields, None, *municipality, now);
        values.push(data_source.into());
        q.values_panic(values);
    }
    ex.execute(&q).await
}

pub async fn update(ex: &mut impl Executes, id: i64, f: &PromotionFields, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::update()
        .table(P::Table)
        .value(P::Name, f.name.clone())
        .value(P::Description, f.description.clone())
        .value(P::StartDate, f.start_date)
        .value(P::StartTime, f.start_time)
        .value(P::EndDate, f.end_date)
        .value(P::EndTime, f.end_time)
        .value(P::CoverImage, f.cover_image.clone())
        .value(P::OrganizerId, f.organizer_id)
        .value(P::LocationId, f.location_id)
        .value(P::AvailableCount, f.available_count)
        .value(P::UsedCount, f.used_count)
        .value(P::SearchText, searchable_text([f.name.as_str(), f.description.as_str()]))
        .value(P::UpdatedAt, now)
        .and_where(Expr::col(P::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

/// What an edit changes; `None` leaves the stored value, so that edits of different fields
/// never undo each other (nor a redemption made meanwhile).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromotionChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub start_time: Option<NaiveTime>,
    pub end_date: Option<NaiveDate>,
    pub end_time: Option<NaiveTime>,
    pub cover_image: Option<Option<String>>,
    pub organizer_id: Option<i64>,
    pub location_id: Option<i64>,
    pub available_count: Option<i64>,
    /// Editors may correct the count, but never below the redemptions stored: the web UI
    /// echoes the count it read minutes earlier in every PUT.
    pub used_count: Option<i64>,
}

/// Locks the promotion for an edit in this transaction ([`crate::locks`]): redemptions wait
/// until the edit commits, and those committed before are counted by [`apply`]. Whether it
/// exists.
pub async fn lock(ex: &mut impl Executes, id: i64) -> Result<bool, DbError> {
    crate::locks::lock_row(ex, P::Table, P::Id, id).await
}

/// The redemptions stored for the promotion of the row being updated.
fn redemptions_stored(id: i64) -> sea_query::SimpleExpr {
    sea_query::SimpleExpr::SubQuery(
        None,
        Box::new(
            Query::select()
                .expr(Expr::col(Benefits::Id).count())
                .from(Benefits::Table)
                .and_where(Expr::col(Benefits::PromotionId).eq(id))
                .to_owned()
                .into_sub_query_statement(),
        ),
    )
}

/// Applies an edit to `current`, the promotion as read after [`lock`] in this transaction.
/// A `used_count` is stored as the greater of it and the redemptions stored, in the same
/// statement.
pub async fn apply(
    ex: &mut impl Executes,
    current: &PromotionRow,
    changes: &PromotionChanges,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let mut q = Query::update();
    q.table(P::Table).value(P::UpdatedAt, now).and_where(Expr::col(P::Id).eq(current.id));
    let columns = SearchableColumns { name: P::Name, description: P::Description, search_text: P::SearchText };
    let named = [&changes.name, &changes.description];
    set_searchable_texts(&mut q, columns, named, [&current.name, &current.description]);
    q.set_named(P::StartDate, changes.start_date)
        .set_named(P::EndDate, changes.end_date)
        .set_named(P::StartTime, changes.start_time)
        .set_named(P::EndTime, changes.end_time)
        .set_named(P::OrganizerId, changes.organizer_id)
        .set_named(P::LocationId, changes.location_id)
        .set_named(P::AvailableCount, changes.available_count)
        .set_named(P::CoverImage, changes.cover_image.clone());
    if let Some(used) = changes.used_count {
        q.value(P::UsedCount, sea_query::Func::greatest([Expr::val(used).into(), redemptions_stored(current.id)]));
    }
    ex.execute(&q).await
}

pub async fn delete(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(P::Table).and_where(Expr::col(P::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

/// Takes one redemption if any is left: one conditional UPDATE, never read-then-write.
/// Returns whether a redemption was taken.
pub async fn take_redemption(ex: &mut impl Executes, id: i64) -> Result<bool, DbError> {
    let q = Query::update()
        .table(P::Table)
        .value(P::UsedCount, Expr::col(P::UsedCount).add(1))
        .and_where(Expr::col(P::Id).eq(id))
        .and_where(Expr::col(P::UsedCount).lt(Expr::col(P::AvailableCount)))
        .to_owned();
    Ok(ex.execute(&q).await? == 1)
}

pub async fn exists(ex: &mut impl Executes, id: i64) -> Result<bool, DbError> {
    let q = Query::select().expr(Expr::col(P::Id).count()).from(P::Table).and_where(Expr::col(P::Id).eq(id)).to_owned();
    Ok(ex.fetch_scalar::<i64>(&q).await? > 0)
}
