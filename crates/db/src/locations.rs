//! Locations: public list by name, the authenticated "my locations" list, writes.

use crate::conditions::editable_by;
use crate::exec::Executes;
use crate::partial_update::SetNamed;
use crate::query::EditScope;
use crate::schema::Locations as L;
use crate::DbError;
use chrono::{DateTime, Utc};
use hp_domain::geo::Point;
use sea_query::{Expr, Order, Query, SelectStatement};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LocationRow {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub zip_code: String,
    pub city: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub municipality_id: Option<i64>,
    pub created_by_id: Option<i64>,
    pub data_source: String,
    pub origin_id: String,
}

impl LocationRow {
    pub fn point(&self) -> Option<Point> {
        Some(Point::new(self.lon?, self.lat?))
    }

    pub fn ownership(&self) -> hp_domain::permissions::Ownership {
        hp_domain::permissions::Ownership { created_by: self.created_by_id, municipality: self.municipality_id }
    }
}

fn select() -> SelectStatement {
    Query::select()
        .columns([
            L::Id,
            L::Name,
            L::Address,
            L::ZipCode,
            L::City,
            L::Lat,
            L::Lon,
            L::MunicipalityId,
            L::CreatedById,
            L::DataSource,
            L::OriginId,
        ])
        .from(L::Table)
        .to_owned()
}

/// All locations by name, or only those the scope may edit.
pub async fn list(ex: &mut impl Executes, scope: Option<EditScope>) -> Result<Vec<LocationRow>, DbError> {
    let mut q = select();
    if let Some(cond) = scope.and_then(|s| editable_by(s, L::CreatedById, L::MunicipalityId)) {
        q.cond_where(cond);
    }
    q.order_by(L::Name, Order::Asc).order_by(L::Id, Order::Asc);
    ex.fetch_all(&q).await
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<LocationRow>, DbError> {
    let q = select().and_where(Expr::col(L::Id).eq(id)).to_owned();
    ex.fetch_optional(&q).await
}

pub async fn get_many(ex: &mut impl Executes, ids: &[i64]) -> Result<Vec<LocationRow>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let q = select().and_where(Expr::col(L::Id).is_in(ids.to_vec())).to_owned();
    ex.fetch_all(&q).await
}

/// The stored fields of a location.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LocationFields {
    pub name: String,
    pub address: String,
    pub zip_code: String,
    pub city: String,
    pub point: Option<Point>,
    pub data_source: String,
    pub origin_id: String,
}

fn point_values(point: Option<Point>) -> [(L, sea_query::SimpleExpr); 5] {
    let unit = point.map(|p| p.unit_vector());
    [
        (L::Lat, point.map(|p| p.lat).into()),
        (L::Lon, point.map(|p| p.lon).into()),
        (L::UnitX, unit.map(|u| u.x).into()),
        (L::UnitY, unit.map(|u| u.y).into()),
        (L::UnitZ, unit.map(|u| u.z).into()),
    ]
}

const INSERT_COLUMNS: [L; 15] = [
    L::Name,
    L::Address,
    L::ZipCode,
    L::City,
    L::Lat,
    L::Lon,
    L::UnitX,
    L::UnitY,
    L::UnitZ,
    L::MunicipalityId,
    L::CreatedById,
    L::DataSource,
    L::OriginId,
    L::CreatedAt,
    L::UpdatedAt,
];

fn insert_values(
    f: &LocationFields,
    created_by: Option<i64>,
    municipality: Option<i64>,
    now: DateTime<Utc>,
) -> Vec<sea_query::SimpleExpr> {
    let mut values: Vec<sea_query::SimpleExpr> =
        vec![f.name.clone().into(), f.address.clone().into(), f.zip_code.clone().into(), f.city.clone().into()];
    values.extend(point_values(f.point).into_iter().map(|(_, v)| v));
    values.extend([
        municipality.into(),
        created_by.into(),
        f.data_source.clone().into(),
        f.origin_id.clone().into(),
        now.into(),
        now.into(),
    ]);
    values
}

pub async fn insert(
    ex: &mut impl Executes,
    fields: &LocationFields,
    created_by: Option<i64>,
    municipality: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let q = Query::insert()
        .into_table(L::Table)
        .columns(INSERT_COLUMNS)
        .values_panic(insert_values(fields, created_by, municipality, now))
        .returning_col(L::Id)
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// Inserts many locations (bulk loads, no owner); returns their ids in order.
pub async fn insert_many(
    ex: &mut impl Executes,
    rows: &[(LocationFields, Option<i64>)],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, DbError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::insert();
    q.into_table(L::Table).columns(INSERT_COLUMNS).returning_col(L::Id);
    for (fields, municipality) in rows {
        q.values_panic(insert_values(fields, None, *municipality, now));
    }
    let mut ids: Vec<i64> = ex.fetch_column(&q).await?;
    ids.sort_unstable();
    Ok(ids)
}

pub async fn update(ex: &mut impl Executes, id: i64, f: &LocationFields, now: DateTime<Utc>) -> Result<u64, DbError> {
    let mut q = Query::update();
    q.table(L::Table)
        .value(L::Name, f.name.clone())
        .value(L::Address, f.address.clone())
        .value(L::ZipCode, f.zip_code.clone())
        .value(L::City, f.city.clone())
        .value(L::DataSource, f.data_source.clone())
        .value(L::OriginId, f.origin_id.clone())
        .value(L::UpdatedAt, now)
        .and_where(Expr::col(L::Id).eq(id));
    for (column, value) in point_values(f.point) {
        q.value(column, value);
    }
    ex.execute(&q).await
}

/// What an edit changes; `None` leaves the stored value. `point: Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocationChanges {
    pub name: Option<String>,
    pub address: Option<String>,
    pub zip_code: Option<String>,
    pub city: Option<String>,
    pub point: Option<Option<Point>>,
}

/// Locks the location for an edit in this transaction ([`crate::locks`]); whether it exists.
pub async fn lock(ex: &mut impl Executes, id: i64) -> Result<bool, DbError> {
    crate::locks::lock_row(ex, L::Table, L::Id, id).await
}

/// Applies an edit (the unit vector columns follow the point).
pub async fn apply(
    ex: &mut impl Executes,
    id: i64,
    changes: &LocationChanges,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    let mut q = Query::update();
    q.table(L::Table).value(L::UpdatedAt, now).and_where(Expr::col(L::Id).eq(id));
    q.set_named(L::Name, changes.name.clone())
        .set_named(L::Address, changes.address.clone())
        .set_named(L::ZipCode, changes.zip_code.clone())
        .set_named(L::City, changes.city.clone());
    if let Some(point) = changes.point {
        for (column, value) in point_values(point) {
            q.value(column, value);
        }
    }
    ex.execute(&q).await
}

pub async fn delete(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(L::Table).and_where(Expr::col(L::Id).eq(id)).to_owned();
    ex.execute(&q).await
}
