//! Organizers: the list with search, and forms that write through `hp_app::organizers`,
//! read with the API's body reader (the same rules and messages as the API).

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::places::{self, Place};
use crate::ui::{render, Field, FormPage, ListPage, ListQuery, ListRow};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hp_api::fields::WriteMode;
use hp_api::{inputs, ApiError, AppState};
use hp_db::listing::{in_listed_order, Listing};
use hp_db::organizers;
use hp_db::schema::Organizers as O;
use sea_query::IntoIden;

const ORGANIZERS: &str = "/sysadmin/organizers/";

pub async fn list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let listing = Listing::new(O::Table, O::Id, [O::Name.into_iden(), O::DataSource.into_iden()]);
    let (ids, total) = listing.page(&mut conn, &query.q, query.page()).await?;
    let rows = in_listed_order(&ids, organizers::get_many(&mut conn, &ids).await?, |row| row.id)
        .into_iter()
        .map(|o| ListRow { url: format!("{ORGANIZERS}{}/", o.id), cells: vec![o.name, o.data_source] })
        .collect();
    render(&admin, &ListPage::paged(&admin, "Organizers", ORGANIZERS, &query, &["Name", "Source"], rows, total))
}

fn form_page(admin: &Sysadmin, title: &str, action: String, name: &str) -> FormPage {
    FormPage::new(admin, title, action, vec![Field::new("name", "Name", "text", name).required()])
}

pub async fn new(admin: Sysadmin) -> Result<Response, ApiError> {
    render(&admin, &form_page(&admin, "New organizer", format!("{ORGANIZERS}new/"), ""))
}

pub async fn create(State(state): State<AppState>, admin: Sysadmin, form: CheckedForm) -> Result<Response, ApiError> {
    let name = form.get("name");
    match hp_app::organizers::create(
        &state.app,
        &admin.user,
        inputs::organizer(&form.body(&["name"]), WriteMode::Create),
    )
    .await
    {
        Ok(id) => Ok(see_other(&format!("{ORGANIZERS}{id}/"))),
        Err(error) => {
            render(&admin, &form_page(&admin, "New organizer", format!("{ORGANIZERS}new/"), &name).with_errors(error)?)
        }
    }
}

pub async fn edit(State(state): State<AppState>, admin: Sysadmin, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let row = organizers::get(&mut state.app.db.conn().await?, id).await?.ok_or(ApiError::NotFound)?;
    let mut page = form_page(&admin, &format!("Organizer {}", row.name), format!("{ORGANIZERS}{id}/"), &row.name);
    page.delete_url = Some(format!("{ORGANIZERS}{id}/delete/"));
    render(&admin, &page)
}

pub async fn update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let name = form.get("name");
    match hp_app::organizers::update(
        &state.app,
        &admin.user,
        id,
        inputs::organizer(&form.body(&["name"]), WriteMode::Replace),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("{ORGANIZERS}{id}/"))),
        Err(error) => {
            render(&admin, &form_page(&admin, "Organizer", format!("{ORGANIZERS}{id}/"), &name).with_errors(error)?)
        }
    }
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let row = organizers::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let back = format!("{ORGANIZERS}{id}/");
    places::confirm_delete(&admin, &mut conn, Place::Organizer, id, &row.name, &back).await
}

pub async fn delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    hp_app::organizers::delete(&state.app, &admin.user, id).await?;
    Ok(see_other(ORGANIZERS))
}
