//! The data version and the change feed (migration `0004_changes`): what the response cache
//! checks its answers against, and the numbered latest change of each public object.
//!
//! Both are kept by triggers, so that no write path (API, sysadmin UI, importers, jobs) can
//! forget them. The feed's order is the change number. On SQLite, with its one writer, the
//! trigger numbers a change as it is written, which is commit order. On PostgreSQL
//! transactions commit in another order than they write, so the trigger leaves the number
//! empty and [`number_committed`] gives numbers to committed changes one batch at a time
//! under an advisory lock: every number it gives is larger than every number visible before,
//! so a reader that has seen the feed up to a number can never be passed by a later commit.

use crate::exec::{Backend, Db, Executes};
use crate::schema::{Changes as C, DataVersion as V};
use crate::DbError;
use chrono::{DateTime, Utc};
use sea_query::{Alias, Expr, Func, Order, Query};

/// A number that changes with every committed write to public data (the sum of the shards).
/// Equal numbers read at two moments mean that no such write committed between them.
pub async fn data_version(ex: &mut impl Executes) -> Result<i64, DbError> {
    let sum = Func::cast_as(
        Func::coalesce([Func::sum(Expr::col(V::Version)).into(), Expr::val(0).into()]),
        Alias::new("BIGINT"),
    );
    ex.fetch_scalar(&Query::select().expr(sum).from(V::Table).to_owned()).await
}

/// The latest change of one object.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    pub kind: String,
    pub object_id: i64,
    pub change_no: i64,
    pub deleted: bool,
    pub changed_at: DateTime<Utc>,
}

/// Any advisory-lock key no other part of the service uses: the feed's numbering.
const NUMBERING_LOCK: i64 = 0x6870_6368_616e_6765;

/// Numbers the committed changes that have no number yet (PostgreSQL; on SQLite every
/// change is numbered when written). Rows a writer holds right now are skipped, not waited
/// for: that writer leaves them unnumbered again and a later call numbers them, so numbering
/// never blocks a write nor deadlocks with one.
pub async fn number_committed(db: &Db) -> Result<(), DbError> {
    if db.backend() == Backend::Sqlite {
        return Ok(());
    }
    let pending = Query::select()
        .expr(Expr::exists(
            Query::select().expr(Expr::val(1)).from(C::Table).and_where(Expr::col(C::ChangeNo).is_null()).to_owned(),
        ))
        .to_owned();
    if !db.fetch_scalar::<bool>(&pending).await? {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    tx.execute_sql(&format!("SELECT pg_advisory_xact_lock({NUMBERING_LOCK})")).await?;
    tx.execute_sql(
        "WITH pending AS (SELECT kind, object_id FROM changes WHERE change_no IS NULL \
         ORDER BY changed_at, kind, object_id FOR UPDATE SKIP LOCKED) \
         UPDATE changes SET change_no = nextval('change_numbers') FROM pending \
         WHERE changes.kind = pending.kind AND changes.object_id = pending.object_id",
    )
    .await?;
    tx.commit().await
}

/// The numbered changes after `since`, of `kinds` (all when empty), in feed order.
pub async fn after(ex: &mut impl Executes, since: i64, kinds: &[&str], limit: u64) -> Result<Vec<ChangeRow>, DbError> {
    let mut q = Query::select()
        .columns([C::Kind, C::ObjectId, C::ChangeNo, C::Deleted, C::ChangedAt])
        .from(C::Table)
        .and_where(Expr::col(C::ChangeNo).gt(since))
        .order_by(C::ChangeNo, Order::Asc)
        .limit(limit)
        .to_owned();
    if !kinds.is_empty() {
        q.and_where(Expr::col(C::Kind).is_in(kinds.iter().copied()));
    }
    ex.fetch_all(&q).await
}

/// Deletes the tombstones of objects deleted before `before`; returns how many.
pub async fn expire_tombstones(db: &Db, before: DateTime<Utc>) -> Result<u64, DbError> {
    let mut tx = db.begin().await?;
    let deleted = tx
        .execute(
            &Query::delete()
                .from_table(C::Table)
                .and_where(Expr::col(C::Deleted).eq(true))
                .and_where(Expr::col(C::ChangedAt).lt(before))
                .to_owned(),
        )
        .await?;
    tx.commit().await?;
    Ok(deleted)
}
