//! Whole-table operations for operators (demo reloads, imports that replace data).

use crate::exec::Executes;
use crate::schema::{Benefits, Hobbies, HobbyEvents, Locations, Municipalities, Organizers, Promotions};
use crate::DbError;
use sea_query::{IntoTableRef, Query, TableRef};

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
