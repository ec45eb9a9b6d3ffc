//! Benefits: the immutable log of promotion redemptions.

use crate::exec::Executes;
use crate::schema::Benefits as B;
use crate::DbError;
use chrono::{DateTime, Utc};
use sea_query::{Expr, Order, Query, SelectStatement};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BenefitRow {
    pub id: i64,
    pub promotion_id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn select() -> SelectStatement {
    Query::select().columns([B::Id, B::PromotionId, B::CreatedAt, B::UpdatedAt]).from(B::Table).to_owned()
}

pub async fn list(ex: &mut impl Executes) -> Result<Vec<BenefitRow>, DbError> {
    let q = select().order_by(B::Id, Order::Asc).to_owned();
    ex.fetch_all(&q).await
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<BenefitRow>, DbError> {
    let q = select().and_where(Expr::col(B::Id).eq(id)).to_owned();
    ex.fetch_optional(&q).await
}

/// Records a redemption; the caller has taken it with `promotions::take_redemption` in the
/// same transaction.
pub async fn insert(ex: &mut impl Executes, promotion_id: i64, now: DateTime<Utc>) -> Result<BenefitRow, DbError> {
    let q = Query::insert()
        .into_table(B::Table)
        .columns([B::PromotionId, B::CreatedAt, B::UpdatedAt])
        .values_panic([promotion_id.into(), now.into(), now.into()])
        .returning(Query::returning().columns([B::Id, B::PromotionId, B::CreatedAt, B::UpdatedAt]))
        .to_owned();
    Ok(ex.fetch_all(&q).await?.remove(0))
}
