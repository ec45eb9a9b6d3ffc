//! Row locks of edits. On PostgreSQL an edit locks the row it changes before it reads it, so
//! that whatever it computes from the stored values (a derived column, a check on the merged
//! result, a counter's lower bound) sees every edit committed before it, and no other edit of
//! the row commits in between. SQLite runs one writer at a time (`BEGIN IMMEDIATE`), so there
//! the statement's lock clause is left out.
//!
//! `FOR NO KEY UPDATE` does not conflict with the key-share locks that inserts referencing
//! the row (an event of a hobby, a benefit of a promotion) take for their foreign keys.

use crate::exec::Executes;
use crate::DbError;
use sea_query::{Expr, IntoColumnRef, IntoIden, LockType, Query};

/// Locks the row `id` of `table` for the rest of the transaction; whether it exists.
pub(crate) async fn lock_row(
    ex: &mut impl Executes,
    table: impl IntoIden + 'static,
    id_column: impl IntoColumnRef + Clone + 'static,
    id: i64,
) -> Result<bool, DbError> {
    let q = Query::select()
        .column(id_column.clone())
        .from(table)
        .and_where(Expr::col(id_column).eq(id))
        .lock(LockType::NoKeyUpdate)
        .to_owned();
    Ok(ex.fetch_optional::<(i64,)>(&q).await?.is_some())
}
