//! Municipalities and their moderators.

use crate::exec::Executes;
use crate::schema::{Municipalities as M, MunicipalityModerators as MM};
use crate::DbError;
use chrono::{DateTime, Utc};
use sea_query::{Expr, OnConflict, Order, Query};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MunicipalityRow {
    pub id: i64,
    pub name: String,
}

pub async fn list(ex: &mut impl Executes) -> Result<Vec<MunicipalityRow>, DbError> {
    let q = Query::select().columns([M::Id, M::Name]).from(M::Table).order_by(M::Id, Order::Asc).to_owned();
    ex.fetch_all(&q).await
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<MunicipalityRow>, DbError> {
    let q = Query::select().columns([M::Id, M::Name]).from(M::Table).and_where(Expr::col(M::Id).eq(id)).to_owned();
    ex.fetch_optional(&q).await
}

pub async fn insert(ex: &mut impl Executes, name: &str, now: DateTime<Utc>) -> Result<i64, DbError> {
    insert_from(ex, name, "", now).await
}

/// A municipality made by a loader (`data_source` names it, e.g. the demo data set).
pub async fn insert_from(
    ex: &mut impl Executes,
    name: &str,
    data_source: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let q = Query::insert()
        .into_table(M::Table)
        .columns([M::Name, M::DataSource, M::CreatedAt, M::UpdatedAt])
        .values_panic([name.into(), data_source.into(), now.into(), now.into()])
        .returning_col(M::Id)
        .to_owned();
    ex.fetch_scalar(&q).await
}

pub async fn rename(ex: &mut impl Executes, id: i64, name: &str, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::update()
        .table(M::Table)
        .value(M::Name, name)
        .value(M::UpdatedAt, now)
        .and_where(Expr::col(M::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

pub async fn delete(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(M::Table).and_where(Expr::col(M::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

/// Makes the user a moderator; returns false when they already were.
pub async fn add_moderator(ex: &mut impl Executes, municipality_id: i64, user_id: i64) -> Result<bool, DbError> {
    let q = Query::insert()
        .into_table(MM::Table)
        .columns([MM::MunicipalityId, MM::UserId])
        .values_panic([municipality_id.into(), user_id.into()])
        .on_conflict(OnConflict::columns([MM::MunicipalityId, MM::UserId]).do_nothing().to_owned())
        .to_owned();
    Ok(ex.execute(&q).await? == 1)
}

/// Removes a moderator; returns false when they were not one.
pub async fn remove_moderator(ex: &mut impl Executes, municipality_id: i64, user_id: i64) -> Result<bool, DbError> {
    let q = Query::delete()
        .from_table(MM::Table)
        .and_where(Expr::col(MM::MunicipalityId).eq(municipality_id))
        .and_where(Expr::col(MM::UserId).eq(user_id))
        .to_owned();
    Ok(ex.execute(&q).await? == 1)
}

/// Ids of the municipalities a user moderates, lowest first.
pub async fn moderated_by(ex: &mut impl Executes, user_id: i64) -> Result<Vec<i64>, DbError> {
    let q = Query::select()
        .column(MM::MunicipalityId)
        .from(MM::Table)
        .and_where(Expr::col(MM::UserId).eq(user_id))
        .order_by(MM::MunicipalityId, Order::Asc)
        .to_owned();
    ex.fetch_column(&q).await
}

/// User ids of a municipality's moderators.
pub async fn moderators_of(ex: &mut impl Executes, municipality_id: i64) -> Result<Vec<i64>, DbError> {
    let q = Query::select()
        .column(MM::UserId)
        .from(MM::Table)
        .and_where(Expr::col(MM::MunicipalityId).eq(municipality_id))
        .order_by(MM::UserId, Order::Asc)
        .to_owned();
    ex.fetch_column(&q).await
}

/// Every municipality's moderators (user ids, lowest first) in one query, for lists.
pub async fn all_moderators(ex: &mut impl Executes) -> Result<std::collections::HashMap<i64, Vec<i64>>, DbError> {
    let q = Query::select()
        .columns([MM::MunicipalityId, MM::UserId])
        .from(MM::Table)
        .order_by(MM::MunicipalityId, Order::Asc)
        .order_by(MM::UserId, Order::Asc)
        .to_owned();
    let pairs: Vec<(i64, i64)> = ex.fetch_all(&q).await?;
    let mut by_municipality: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (municipality, user) in pairs {
        by_municipality.entry(municipality).or_default().push(user);
    }
    Ok(by_municipality)
}
