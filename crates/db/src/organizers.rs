//! Organizers: public list by name, the authenticated "my organizers" list, writes.

use crate::conditions::editable_by;
use crate::exec::Executes;
use crate::query::EditScope;
use crate::schema::Organizers as O;
use crate::DbError;
use chrono::{DateTime, Utc};
use sea_query::{Expr, Order, Query, SelectStatement};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganizerRow {
    pub id: i64,
    pub name: String,
    pub municipality_id: Option<i64>,
    pub created_by_id: Option<i64>,
    pub data_source: String,
    pub origin_id: String,
}

impl OrganizerRow {
    pub fn ownership(&self) -> hp_domain::permissions::Ownership {
        hp_domain::permissions::Ownership { created_by: self.created_by_id, municipality: self.municipality_id }
    }
}

fn select() -> SelectStatement {
    Query::select()
        .columns([O::Id, O::Name, O::MunicipalityId, O::CreatedById, O::DataSource, O::OriginId])
        .from(O::Table)
        .to_owned()
}

/// All organizers by name, or only those the scope may edit.
pub async fn list(ex: &mut impl Executes, scope: Option<EditScope>) -> Result<Vec<OrganizerRow>, DbError> {
    let mut q = select();
    if let Some(cond) = scope.and_then(|s| editable_by(s, O::CreatedById, O::MunicipalityId)) {
        q.cond_where(cond);
    }
    q.order_by(O::Name, Order::Asc).order_by(O::Id, Order::Asc);
    ex.fetch_all(&q).await
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<OrganizerRow>, DbError> {
    let q = select().and_where(Expr::col(O::Id).eq(id)).to_owned();
    ex.fetch_optional(&q).await
}

pub async fn get_many(ex: &mut impl Executes, ids: &[i64]) -> Result<Vec<OrganizerRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let q = select().and_where(Expr::col(O::Id).is_in(ids.to_vec())).to_owned();
    ex.fetch_all(&q).await
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrganizerFields {
    pub name: String,
    pub data_source: String,
    pub origin_id: String,
}

const INSERT_COLUMNS: [O; 7] =
    [O::Name, O::MunicipalityId, O::CreatedById, O::DataSource, O::OriginId, O::CreatedAt, O::UpdatedAt];

fn insert_values(
    f: &OrganizerFields,
    created_by: Option<i64>,
    municipality: Option<i64>,
    now: DateTime<Utc>,
) -> Vec<sea_query::SimpleExpr> {
    vec![
        f.name.clone().into(),
        municipality.into(),
        created_by.into(),
        f.data_source.clone().into(),
        f.origin_id.clone().into(),
        now.into(),
        now.into(),
    ]
}

pub async fn insert(
    ex: &mut impl Executes,
    fields: &OrganizerFields,
    created_by: Option<i64>,
    municipality: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let q = Query::insert()
        .into_table(O::Table)
        .columns(INSERT_COLUMNS)
        .values_panic(insert_values(fields, created_by, municipality, now))
        .returning_col(O::Id)
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// Inserts many organizers (bulk loads, no owner); returns their ids in order.
pub async fn insert_many(
    ex: &mut impl Executes,
    rows: &[(OrganizerFields, Option<i64>)],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, DbError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::insert();
    q.into_table(O::Table).columns(INSERT_COLUMNS).returning_col(O::Id);
    for (fields, municipality) in rows {
        q.values_panic(insert_values(fields, None, *municipality, now));
    }
    let mut ids: Vec<i64> = ex.fetch_column(&q).await?;
    ids.sort_unstable();
    Ok(ids)
}

pub async fn update(ex: &mut impl Executes, id: i64, f: &OrganizerFields, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::update()
        .table(O::Table)
        .value(O::Name, f.name.clone())
        .value(O::DataSource, f.data_source.clone())
        .value(O::OriginId, f.origin_id.clone())
        .value(O::UpdatedAt, now)
        .and_where(Expr::col(O::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

/// Locks the organizer for an edit in this transaction ([`crate::locks`]); whether it exists.
pub async fn lock(ex: &mut impl Executes, id: i64) -> Result<bool, DbError> {
    crate::locks::lock_row(ex, O::Table, O::Id, id).await
}

/// Renames an organizer (its only editable field).
pub async fn rename(ex: &mut impl Executes, id: i64, name: &str, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::update()
        .table(O::Table)
        .value(O::Name, name)
        .value(O::UpdatedAt, now)
        .and_where(Expr::col(O::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

pub async fn delete(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(O::Table).and_where(Expr::col(O::Id).eq(id)).to_owned();
    ex.execute(&q).await
}
