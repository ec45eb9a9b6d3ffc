//! Whole-table operations for operators (demo reloads, imports that replace data).

use crate::exec::Executes;
use crate::schema::{
    Benefits, Hobbies, HobbyEvents, Locations, Municipalities, Organizers, Promotions, TreeColumns, TreeTable,
};
use crate::DbError;
use sea_query::{Expr, IntoTableRef, Query, TableRef};

/// Deletes the catalogue — benefits, promotions, events, hobbies, locations, organizers and
/// municipalities — keeping users, tokens and the category and audience trees.
pub async fn delete_catalogue(ex: &mut impl Executes) -> Result<(), DbError> {
    let tables: [TableRef; 7] = [
        Benefits::Table.into_table_ref(),
        Promotions::Table.into_table_ref(),
        Hobbies::Table.into_table_ref(),
        HobbyEvents::Table.into_table_ref(),
        Locations::Table.into_table_ref(),
        Organizers::Table.into_table_ref(),
        Municipalities::Table.into_table_ref(),
    ];
    for table in tables {
        ex.execute(&Query::delete().from_table(table).to_owned()).await?;
    }
    Ok(())
}

/// Whether any row references the stored image.
pub async fn image_in_use(ex: &mut impl Executes, name: &str) -> Result<bool, DbError> {
    for (table, column) in image_columns() {
        let q = Query::select()
            .expr(Expr::col(column.clone()).count())
            .from(table)
            .and_where(Expr::col(column).eq(name))
            .to_owned();
        if ex.fetch_scalar::<i64>(&q).await? > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Every image name some row references.
pub async fn referenced_images(ex: &mut impl Executes) -> Result<std::collections::HashSet<String>, DbError> {
    let mut names = std::collections::HashSet::new();
    for (table, column) in image_columns() {
        let q =
            Query::select().column(column.clone()).from(table).and_where(Expr::col(column).is_not_null()).to_owned();
        let found: Vec<String> = ex.fetch_column(&q).await?;
        names.extend(found.into_iter().filter(|n| !n.is_empty()));
    }
    Ok(names)
}

/// The columns that hold image names.
fn image_columns() -> [(TableRef, sea_query::DynIden); 3] {
    use sea_query::IntoIden;
    [
        (Hobbies::Table.into_table_ref(), Hobbies::CoverImage.into_iden()),
        (Promotions::Table.into_table_ref(), Promotions::CoverImage.into_iden()),
        (TreeTable::Categories.into_table_ref(), TreeColumns::CoverImage.into_iden()),
    ]
}

/// How many rows of `table` refer to `id` through `column` (what a cascading delete takes
/// with it, for confirmations).
pub async fn count_referring(ex: &mut impl Executes, table: &str, column: &str, id: i64) -> Result<i64, DbError> {
    let q = Query::select()
        .expr(Expr::col(sea_query::Asterisk).count())
        .from(sea_query::Alias::new(table))
        .and_where(Expr::col(sea_query::Alias::new(column)).eq(id))
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// Rows in a table (the sysadmin dashboard).
pub async fn count_rows(ex: &mut impl Executes, table: &str) -> Result<i64, DbError> {
    let q = Query::select().expr(Expr::col(sea_query::Asterisk).count()).from(sea_query::Alias::new(table)).to_owned();
    ex.fetch_scalar(&q).await
}
