//! The shape of an organizer (the same in every version).

use hp_db::organizers::OrganizerRow;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct OrganizerOut<'a> {
    id: i64,
    name: &'a str,
}

pub fn organizer(row: &OrganizerRow) -> OrganizerOut<'_> {
    OrganizerOut { id: row.id, name: &row.name }
}
