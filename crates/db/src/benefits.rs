//! Benefits: the immutable log of promotion redemptions.

use crate::exec::Executes;
use crate::listing::Listing;
use crate::schema::{Benefits as B, Promotions as P};
use crate::{DbError, Page};
use chrono::{DateTime, Utc};
use sea_query::{Expr, IntoIden, Order, Query, SelectStatement};

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

/// One page of the log, newest first; with a search, of the promotions whose name has it.
/// Also how many redemptions match in all.
pub async fn page_newest_first(
    ex: &mut impl Executes,
    search: &str,
    page: Page,
) -> Result<(Vec<BenefitRow>, u64), DbError> {
    let promotions = Listing::new(P::Table, P::Id, [P::Name.into_iden()]);
    let mut matching = Query::select().from(B::Table).to_owned();
    if !search.trim().is_empty() {
        matching.and_where(Expr::col(B::PromotionId).in_subquery(promotions.matching_ids(search)));
    }
    let count = matching.clone().expr(Expr::col(sea_query::Asterisk).count()).to_owned();
    let total: i64 = ex.fetch_scalar(&count).await?;
    let rows = matching
        .columns([B::Id, B::PromotionId, B::CreatedAt, B::UpdatedAt])
        .order_by(B::Id, Order::Desc)
        .limit(page.limit)
        .offset(page.offset)
        .to_owned();
    Ok((ex.fetch_all(&rows).await?, total.max(0) as u64))
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
