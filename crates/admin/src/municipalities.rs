//! Municipalities and their moderators. A moderator may edit everything of the municipality;
//! a change here applies to the moderator's next request.

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::ui::{
    optional_id, render, ConfirmPage, Field, FormPage, ListPage, ListQuery, ListRow, RowAction, Section, SectionForm,
    SectionRow,
};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hp_api::{ApiError, AppState};
use hp_app::municipalities as writes;
use hp_db::listing::Listing;
use hp_db::schema::Municipalities as M;
use hp_db::{accounts, municipalities as rows};
use sea_query::IntoIden;

const BASE: &str = "/sysadmin/municipalities/";

pub async fn list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let moderators = rows::all_moderators(&mut conn).await?;
    let listing = Listing::new(M::Table, M::Id, [M::Name.into_iden()]);
    let (ids, total) = listing.page(&mut conn, &query.q, query.page()).await?;
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.extend(rows::get(&mut conn, id).await?);
    }
    let rows = found
        .into_iter()
        .map(|m| {
            let count = moderators.get(&m.id).map_or(0, Vec::len);
            ListRow { url: format!("{BASE}{}/", m.id), cells: vec![m.name, count.to_string()] }
        })
        .collect();
    render(&admin, &ListPage::paged(&admin, "Municipalities", BASE, &query, &["Name", "Moderators"], rows, total))
}

pub async fn new(admin: Sysadmin) -> Result<Response, ApiError> {
    render(
        &admin,
        &FormPage::new(
            &admin,
            "New municipality",
            format!("{BASE}new/"),
            vec![Field::new("name", "Name", "text", "").required()],
        ),
    )
}

pub async fn create(State(state): State<AppState>, admin: Sysadmin, form: CheckedForm) -> Result<Response, ApiError> {
    let name = form.get("name");
    match writes::create(&state.app, admin.superuser, &name).await {
        Ok(id) => Ok(see_other(&format!("{BASE}{id}/"))),
        Err(error) => {
            let page = FormPage::new(
                &admin,
                "New municipality",
                format!("{BASE}new/"),
                vec![Field::new("name", "Name", "text", &name).required()],
            );
            render(&admin, &page.with_errors(error)?)
        }
    }
}

async fn detail_page(state: &AppState, admin: &Sysadmin, id: i64, name: Option<String>) -> Result<FormPage, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let municipality = rows::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let moderators = rows::moderators_of(&mut conn, id).await?;
    let users = accounts::list(&mut conn).await?;
    let url = format!("{BASE}{id}/");
    let mut page = FormPage::new(
        admin,
        format!("Municipality {}", municipality.name),
        url.clone(),
        vec![Field::new("name", "Name", "text", name.unwrap_or(municipality.name)).required()],
    );
    page.delete_url = Some(format!("{url}delete/"));
    let rows = users
        .iter()
        .filter(|u| moderators.contains(&u.id))
        .map(|u| SectionRow {
            cells: vec![u.username.clone()],
            action: Some(RowAction {
                url: format!("{url}moderators/remove/"),
                label: format!("Remove {}", u.username),
                hidden: vec![("user".into(), u.id.to_string())],
            }),
        })
        .collect();
    let candidates =
        users.iter().filter(|u| !moderators.contains(&u.id)).map(|u| (u.id.to_string(), u.username.clone())).collect();
    page.sections.push(Section {
        title: "Moderators".into(),
        headers: vec!["User".into()],
        rows,
        form: Some(SectionForm {
            action: format!("{url}moderators/"),
            prefix: "moderator_".into(),
            fields: vec![Field::select("user", "Add a moderator", candidates, &[], None)],
            submit: "Add moderator".into(),
        }),
    });
    Ok(page)
}

pub async fn edit(State(state): State<AppState>, admin: Sysadmin, Path(id): Path<i64>) -> Result<Response, ApiError> {
    render(&admin, &detail_page(&state, &admin, id, None).await?)
}

pub async fn update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let name = form.get("name");
    match writes::rename(&state.app, admin.superuser, id, &name).await {
        Ok(()) => Ok(see_other(&format!("{BASE}{id}/"))),
        Err(error) => render(&admin, &detail_page(&state, &admin, id, Some(name)).await?.with_errors(error)?),
    }
}

fn user_of(form: &CheckedForm) -> Result<i64, ApiError> {
    optional_id(&form.get("user")).ok_or_else(|| ApiError::field("user", hp_domain::messages::REQUIRED))
}

pub async fn add_moderator(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    writes::add_moderator(&state.app, admin.superuser, id, user_of(&form)?).await?;
    Ok(see_other(&format!("{BASE}{id}/")))
}

pub async fn remove_moderator(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    writes::remove_moderator(&state.app, admin.superuser, id, user_of(&form)?).await?;
    Ok(see_other(&format!("{BASE}{id}/")))
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let municipality = rows::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let moderators = rows::moderators_of(&mut conn, id).await?.len();
    let mut consequences = vec![format!("removes the rights of its {moderators} moderators")];
    for (table, what) in
        [("hobbies", "hobbies"), ("locations", "locations"), ("organizers", "organizers"), ("promotions", "promotions")]
    {
        let count = hp_db::maintenance::count_referring(&mut conn, table, "municipality_id", id).await?;
        consequences.push(format!("deletes its {count} {what} (with their events and redemptions)"));
    }
    render(
        &admin,
        &ConfirmPage::new(
            &admin,
            &format!("the municipality {}", municipality.name),
            &format!("{BASE}{id}/"),
            consequences,
        ),
    )
}

pub async fn delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    writes::delete(&state.app, admin.superuser, id).await?;
    Ok(see_other(BASE))
}
