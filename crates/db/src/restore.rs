//! Loading whole tables with their ids kept (moving a Django deployment over): inserting rows
//! in batches, telling whether a database already holds data, emptying it, and moving the
//! id generators past the loaded ids.

use crate::exec::{Backend, Executes};
use crate::DbError;
use sea_query::{Alias, Expr, Query, SimpleExpr};

/// The tables that a restore fills, parents before children (the order to load them in;
/// reversed, the order to empty them in).
const TABLES: [&str; 14] = [
    "users",
    "api_tokens",
    "municipalities",
    "municipality_moderators",
    "hobby_categories",
    "hobby_audiences",
    "organizers",
    "locations",
    "hobbies",
    "hobby_category_links",
    "hobby_events",
    "hobby_next_events",
    "promotions",
    "benefits",
];

/// Tables whose ids are generated, and so need their generator moved after a load.
const TABLES_WITH_IDS: [&str; 10] = [
    "users",
    "municipalities",
    "hobby_categories",
    "hobby_audiences",
    "organizers",
    "locations",
    "hobbies",
    "hobby_events",
    "promotions",
    "benefits",
];

/// SQLite allows 32,766 bound values per statement; stay well below.
const MAX_VALUES_PER_STATEMENT: usize = 10_000;

/// Inserts `rows` (values in the order of `columns`) in as few statements as the bound-value
/// limit allows; returns how many were inserted. Rows are taken from the iterator one
/// statement at a time, so that a large table is never held as values all at once.
pub async fn insert_rows(
    ex: &mut impl Executes,
    table: &str,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<SimpleExpr>, IntoIter: Send> + Send,
) -> Result<u64, DbError> {
    let per_statement = (MAX_VALUES_PER_STATEMENT / columns.len().max(1)).max(1);
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(table)).columns(columns.iter().map(|c| Alias::new(*c)));
        for row in rows.by_ref().take(per_statement) {
            debug_assert_eq!(row.len(), columns.len(), "{table}: one value per column");
            insert.values_panic(row);
        }
        inserted += ex.execute(&insert).await?;
    }
    Ok(inserted)
}

/// Rows per table, in [`TABLES`] order.
pub async fn counts(ex: &mut impl Executes) -> Result<Vec<(&'static str, i64)>, DbError> {
    let mut counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        counts.push((table, crate::maintenance::count_rows(ex, table).await?));
    }
    Ok(counts)
}

/// Deletes every row a restore fills, children first (sessions go with their users).
pub async fn delete_all(ex: &mut impl Executes) -> Result<(), DbError> {
    for table in TABLES.iter().rev() {
        ex.execute(&Query::delete().from_table(Alias::new(*table)).to_owned()).await?;
    }
    Ok(())
}

/// Sets a column of one row (links that could not be inserted with the row itself).
pub async fn set_column(
    ex: &mut impl Executes,
    table: &str,
    id: i64,
    column: &str,
    value: SimpleExpr,
) -> Result<u64, DbError> {
    let update = Query::update()
        .table(Alias::new(table))
        .value(Alias::new(column), value)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    ex.execute(&update).await
}

/// Moves each identity past the largest loaded id, so that the next row created by the
/// service does not collide with a loaded one. Only ever forward: `setval` is not undone by a
/// rollback, so a generator moved back by a run that then fails would hand out ids of rows
/// that are still there. SQLite needs nothing (AUTOINCREMENT keeps the largest id inserted).
pub async fn advance_id_generators(ex: &mut impl Executes) -> Result<(), DbError> {
    if ex.backend() != Backend::Postgres {
        return Ok(());
    }
    for table in TABLES_WITH_IDS {
        let sequence = format!("pg_get_serial_sequence('{table}', 'id')");
        let next = format!(
            "setval({sequence}, GREATEST(COALESCE(MAX(id), 0), COALESCE(pg_sequence_last_value({sequence}), 0)) + 1, false)"
        );
        let q = Query::select().expr(Expr::cust(next)).from(Alias::new(table)).to_owned();
        ex.fetch_scalar::<i64>(&q).await?;
    }
    Ok(())
}

/// On PostgreSQL, keeps every other writer out of the restored tables until the transaction
/// ends (readers go on), so that nothing is written between the check that the target is
/// empty and the load. SQLite's write transaction excludes other writers already.
pub async fn lock_tables(ex: &mut impl Executes) -> Result<(), DbError> {
    if ex.backend() != Backend::Postgres {
        return Ok(());
    }
    ex.execute_sql(&format!("LOCK TABLE {} IN EXCLUSIVE MODE", TABLES.join(", "))).await
}
