//! What locations and organizers share in the sysadmin UI: deleting either takes the hobbies
//! (with their events) and the promotions there with it, and the confirmation says so.

use crate::gate::Sysadmin;
use crate::ui::{render, ConfirmPage};
use axum::response::Response;
use hp_api::ApiError;
use hp_db::maintenance::count_referring;
use hp_db::schema::{Hobbies, Promotions};
use hp_db::Conn;

/// Which kind of place, by the columns that point at it.
#[derive(Clone, Copy)]
pub enum Place {
    Location,
    Organizer,
}

/// The confirmation page of deleting the place `name` (`id`), edited at `back`.
pub async fn confirm_delete(
    admin: &Sysadmin,
    conn: &mut Conn,
    place: Place,
    id: i64,
    name: &str,
    back: &str,
) -> Result<Response, ApiError> {
    let (hobbies, promotions, what) = match place {
        Place::Location => (
            count_referring(conn, Hobbies::Table, Hobbies::LocationId, id).await?,
            count_referring(conn, Promotions::Table, Promotions::LocationId, id).await?,
            "location",
        ),
        Place::Organizer => (
            count_referring(conn, Hobbies::Table, Hobbies::OrganizerId, id).await?,
            count_referring(conn, Promotions::Table, Promotions::OrganizerId, id).await?,
            "organizer",
        ),
    };
    let consequences = vec![
        format!("deletes its {hobbies} hobbies with their events"),
        format!("deletes its {promotions} promotions"),
    ];
    render(admin, &ConfirmPage::new(admin, &format!("the {what} {name}"), back, consequences))
}
