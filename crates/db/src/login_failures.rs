//! Failed sign-ins, counted per (folded) username and client address in a window that starts
//! with the first failure, in the database so that every replica counts the same attempts.
//! The counter changes only in one conditional upsert; the policy of what to refuse is the
//! API's.

use crate::exec::Executes;
use crate::schema::LoginFailures as F;
use crate::DbError;
use chrono::{DateTime, Duration, Utc};
use hp_domain::sign_in_limits::FailureCounts;
use sea_query::{Alias, Expr, Func, OnConflict, Query, SimpleExpr};

fn sum_of_failures() -> SimpleExpr {
    Func::cast_as(Func::coalesce([Func::sum(Expr::col(F::Failures)).into(), Expr::val(0).into()]), Alias::new("BIGINT"))
        .into()
}

/// The failures within `window` before `now`.
pub async fn counts(
    ex: &mut impl Executes,
    username: &str,
    client: &str,
    now: DateTime<Utc>,
    window: Duration,
) -> Result<FailureCounts, DbError> {
    let since = now - window;
    let pair = Query::select()
        .columns([F::Failures, F::WindowStart])
        .from(F::Table)
        .and_where(Expr::col(F::Username).eq(username))
        .and_where(Expr::col(F::Client).eq(client))
        .and_where(Expr::col(F::WindowStart).gt(since))
        .to_owned();
    let (username_and_client, window_start) = match ex.fetch_optional::<(i64, DateTime<Utc>)>(&pair).await? {
        Some((failures, start)) => (failures, Some(start)),
        None => (0, None),
    };
    let total = |column: F, value: &str| {
        Query::select()
            .expr(sum_of_failures())
            .from(F::Table)
            .and_where(Expr::col(column).eq(value))
            .and_where(Expr::col(F::WindowStart).gt(since))
            .to_owned()
    };
    let username_total = ex.fetch_scalar(&total(F::Username, username)).await?;
    let client_total = ex.fetch_scalar(&total(F::Client, client)).await?;
    Ok(FailureCounts { username_and_client, window_start, username: username_total, client: client_total })
}

/// Counts an attempt of this username from this client before its password is checked, if
/// fewer than `limit` are counted in the window: one conditional upsert (a new window starts
/// when the stored one has ended), so that parallel attempts can never exceed the limit.
/// Whether the attempt was counted. A successful sign-in then [`clear`]s the count, so what
/// stays counted are failures. Rows of ended windows are deleted on the way.
pub async fn take_attempt(
    ex: &mut impl Executes,
    username: &str,
    client: &str,
    now: DateTime<Utc>,
    window: Duration,
    limit: i64,
) -> Result<bool, DbError> {
    let since = now - window;
    let forget = Query::delete().from_table(F::Table).and_where(Expr::col(F::WindowStart).lte(since)).to_owned();
    ex.execute(&forget).await?;
    let stored = |column: F| Expr::col((F::Table, column));
    let upsert = Query::insert()
        .into_table(F::Table)
        .columns([F::Username, F::Client, F::WindowStart, F::Failures])
        .values_panic([username.into(), client.into(), now.into(), 1.into()])
        .on_conflict(
            OnConflict::columns([F::Username, F::Client])
                .value(F::Failures, stored(F::Failures).add(1))
                .action_and_where(stored(F::Failures).lt(limit))
                .to_owned(),
        )
        .to_owned();
    Ok(ex.execute(&upsert).await? == 1)
}

/// A successful sign-in forgets the failures of that username from that client.
pub async fn clear(ex: &mut impl Executes, username: &str, client: &str) -> Result<(), DbError> {
    let q = Query::delete()
        .from_table(F::Table)
        .and_where(Expr::col(F::Username).eq(username))
        .and_where(Expr::col(F::Client).eq(client))
        .to_owned();
    ex.execute(&q).await?;
    Ok(())
}
