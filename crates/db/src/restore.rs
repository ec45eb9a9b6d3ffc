//! Loading whole tables with their ids kept (moving a Django deployment over): inserting rows
//! in batches, telling whether a database already holds data, emptying it, and moving the
//! id generators past the loaded ids.

use crate::exec::{Backend, Executes};
use crate::schema::{
    ApiTokens, Benefits, Hobbies, HobbyCategoryLinks, HobbyEvents, HobbyNextEvents, Locations, Municipalities,
    MunicipalityModerators, Organizers, Promotions, TreeColumns, TreeTable, Users,
};
use crate::DbError;
use sea_query::{DynIden, Expr, IntoIden, Query, SimpleExpr};

/// The tables that a restore fills, parents before children (the order to load them in;
/// reversed, the order to empty them in), each with its id column when its ids are
/// generated (and so need their generator moved after a load).
fn tables() -> [(DynIden, Option<DynIden>); 14] {
    let generated = |table: DynIden, id: DynIden| (table, Some(id));
    [
        generated(Users::Table.into_iden(), Users::Id.into_iden()),
        (ApiTokens::Table.into_iden(), None),
        generated(Municipalities::Table.into_iden(), Municipalities::Id.into_iden()),
        (MunicipalityModerators::Table.into_iden(), None),
        generated(TreeTable::Categories.into_iden(), TreeColumns::Id.into_iden()),
        generated(TreeTable::Audiences.into_iden(), TreeColumns::Id.into_iden()),
        generated(Organizers::Table.into_iden(), Organizers::Id.into_iden()),
        generated(Locations::Table.into_iden(), Locations::Id.into_iden()),
        generated(Hobbies::Table.into_iden(), Hobbies::Id.into_iden()),
        (HobbyCategoryLinks::Table.into_iden(), None),
        generated(HobbyEvents::Table.into_iden(), HobbyEvents::Id.into_iden()),
        (HobbyNextEvents::Table.into_iden(), None),
        generated(Promotions::Table.into_iden(), Promotions::Id.into_iden()),
        generated(Benefits::Table.into_iden(), Benefits::Id.into_iden()),
    ]
}

/// SQLite allows 32,766 bound values per statement; stay well below.
const MAX_VALUES_PER_STATEMENT: usize = 10_000;

/// Inserts `rows` (values in the order of `columns`) in as few statements as the bound-value
/// limit allows; returns how many were inserted. Rows are taken from the iterator one
/// statement at a time, so that a large table is never held as values all at once.
pub async fn insert_rows<C: IntoIden + Copy + Send + Sync + 'static>(
    ex: &mut impl Executes,
    table: impl IntoIden + 'static,
    columns: &[C],
    rows: impl IntoIterator<Item = Vec<SimpleExpr>, IntoIter: Send> + Send,
) -> Result<u64, DbError> {
    let table = table.into_iden();
    let per_statement = (MAX_VALUES_PER_STATEMENT / columns.len().max(1)).max(1);
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut insert = Query::insert();
        insert.into_table(table.clone()).columns(columns.iter().copied());
        for row in rows.by_ref().take(per_statement) {
            debug_assert_eq!(row.len(), columns.len(), "{}: one value per column", table.to_string());
            insert.values_panic(row);
        }
        inserted += ex.execute(&insert).await?;
    }
    Ok(inserted)
}

/// Rows per table, in load order.
pub async fn counts(ex: &mut impl Executes) -> Result<Vec<(String, i64)>, DbError> {
    let mut counts = Vec::new();
    for (table, _) in tables() {
        let count = crate::maintenance::count_rows(ex, table.clone()).await?;
        counts.push((table.to_string(), count));
    }
    Ok(counts)
}

/// Deletes every row a restore fills, children first (sessions go with their users).
pub async fn delete_all(ex: &mut impl Executes) -> Result<(), DbError> {
    for (table, _) in tables().into_iter().rev() {
        ex.execute(&Query::delete().from_table(table).to_owned()).await?;
    }
    Ok(())
}

/// Sets a column of the row whose `id_column` is `id` (links that could not be inserted
/// with the row itself).
pub async fn set_column(
    ex: &mut impl Executes,
    table: impl IntoIden + 'static,
    (id_column, id): (impl IntoIden + 'static, i64),
    column: impl IntoIden + 'static,
    value: SimpleExpr,
) -> Result<u64, DbError> {
    let update = Query::update().table(table).value(column, value).and_where(Expr::col(id_column).eq(id)).to_owned();
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
    for (table, id) in tables().into_iter().filter_map(|(table, id)| Some((table, id?))) {
        let (name, id) = (table.to_string(), id.to_string());
        let sequence = format!("pg_get_serial_sequence('{name}', '{id}')");
        let next = format!(
            "setval({sequence}, GREATEST(COALESCE(MAX({id}), 0), COALESCE(pg_sequence_last_value({sequence}), 0)) + 1, false)"
        );
        let q = Query::select().expr(Expr::cust(next)).from(table).to_owned();
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
    let names: Vec<String> = tables().iter().map(|(table, _)| table.to_string()).collect();
    ex.execute_sql(&format!("LOCK TABLE {} IN EXCLUSIVE MODE", names.join(", "))).await
}
