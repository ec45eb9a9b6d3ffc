//! Whole-table operations for operators (demo reloads, imports that replace data).

use crate::exec::Executes;
use crate::schema::{
    Hobbies, Locations, Municipalities, MunicipalityModerators, Organizers, Promotions, TreeColumns, TreeTable,
};
use crate::DbError;
use sea_query::{DynIden, Expr, IntoIden, IntoTableRef, Query, SimpleExpr, TableRef};

/// Hobbies that a loader (`data_source`) made.
pub async fn count_from_source(ex: &mut impl Executes, data_source: &str) -> Result<i64, DbError> {
    let q = Query::select()
        .expr(Expr::col(Hobbies::Id).count())
        .from(Hobbies::Table)
        .and_where(Expr::col(Hobbies::DataSource).eq(data_source))
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// No row of `referrer` refers (by `column`) to the row `id` of the statement's table.
fn unreferenced_by(referrer: impl IntoTableRef, column: impl IntoIden + 'static, id: (DynIden, DynIden)) -> SimpleExpr {
    Expr::exists(Query::select().expr(Expr::val(1)).from(referrer).and_where(Expr::col(column).equals(id)).to_owned())
        .not()
}

/// Deletes what a loader (`data_source`, e.g. the demo data set) made: its promotions and
/// hobbies (with their events), then its locations, organizers and municipalities that
/// nothing left uses (another user's hobby at a demo location keeps it, and a municipality
/// with moderators stays).
pub async fn delete_from_source(ex: &mut impl Executes, data_source: &str) -> Result<(), DbError> {
    let from = |table: DynIden, source: DynIden| {
        Query::delete().from_table(table).and_where(Expr::col(source).eq(data_source)).to_owned()
    };
    ex.execute(&from(Promotions::Table.into_iden(), Promotions::DataSource.into_iden())).await?;
    ex.execute(&from(Hobbies::Table.into_iden(), Hobbies::DataSource.into_iden())).await?;
    for (table, id, source, hobby_column, promotion_column) in [
        (
            Locations::Table.into_iden(),
            Locations::Id.into_iden(),
            Locations::DataSource.into_iden(),
            Hobbies::LocationId,
            Promotions::LocationId,
        ),
        (
            Organizers::Table.into_iden(),
            Organizers::Id.into_iden(),
            Organizers::DataSource.into_iden(),
            Hobbies::OrganizerId,
            Promotions::OrganizerId,
        ),
    ] {
        let mut q = from(table.clone(), source);
        q.and_where(unreferenced_by(Hobbies::Table, hobby_column, (table.clone(), id.clone())))
            .and_where(unreferenced_by(Promotions::Table, promotion_column, (table, id)));
        ex.execute(&q).await?;
    }
    let municipality = (Municipalities::Table.into_iden(), Municipalities::Id.into_iden());
    let mut q = from(Municipalities::Table.into_iden(), Municipalities::DataSource.into_iden());
    q.and_where(unreferenced_by(
        MunicipalityModerators::Table,
        MunicipalityModerators::MunicipalityId,
        municipality.clone(),
    ));
    for (table, column) in [
        (Hobbies::Table.into_iden(), Hobbies::MunicipalityId.into_iden()),
        (Locations::Table.into_iden(), Locations::MunicipalityId.into_iden()),
        (Organizers::Table.into_iden(), Organizers::MunicipalityId.into_iden()),
        (Promotions::Table.into_iden(), Promotions::MunicipalityId.into_iden()),
    ] {
        q.and_where(unreferenced_by(table, column, municipality.clone()));
    }
    ex.execute(&q).await?;
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
pub async fn count_referring(
    ex: &mut impl Executes,
    table: impl IntoTableRef + 'static,
    column: impl IntoIden + 'static,
    id: i64,
) -> Result<i64, DbError> {
    let q = Query::select()
        .expr(Expr::col(sea_query::Asterisk).count())
        .from(table)
        .and_where(Expr::col(column).eq(id))
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// Rows in a table (the sysadmin dashboard).
pub async fn count_rows(ex: &mut impl Executes, table: impl IntoTableRef + 'static) -> Result<i64, DbError> {
    let q = Query::select().expr(Expr::col(sea_query::Asterisk).count()).from(table).to_owned();
    ex.fetch_scalar(&q).await
}
