//! Hobbies with their events: the list with search, and forms that write through
//! `hp_app::hobbies` and `hp_app::events`, read with the API's body readers (the same
//! rules and messages as the API).

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::ui::{
    render, ConfirmPage, Field, FormPage, ListPage, ListQuery, ListRow, RowAction, Section, SectionForm, SectionRow,
};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hp_api::body::Body;
use hp_api::fields::WriteMode;
use hp_api::{inputs, ApiError, AppState};
use hp_app::hobbies::HobbyInput;
use hp_app::images::ImageLimits;
use hp_app::{AppError, Submitted};
use hp_db::listing::{in_listed_order, Listing};
use hp_db::schema::Hobbies as H;
use hp_db::{events, hobbies, locations, organizers};
use sea_query::IntoIden;
use std::collections::HashMap;

const HOBBIES: &str = "/sysadmin/hobbies/";

pub async fn list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let texts = [H::Name.into_iden(), H::DataSource.into_iden()];
    let (ids, total) = Listing::new(H::Table, H::Id, texts).page(&mut conn, &query.q, query.page()).await?;
    let hobbies = in_listed_order(&ids, hobbies::get_many(&mut conn, &ids).await?, |row| row.id);
    let place_ids: Vec<i64> = hobbies.iter().filter_map(|h| h.location_id).collect();
    let places: HashMap<i64, String> =
        locations::get_many(&mut conn, &place_ids).await?.into_iter().map(|l| (l.id, l.name)).collect();
    let rows = hobbies
        .into_iter()
        .map(|h| {
            let place = h.location_id.and_then(|id| places.get(&id).cloned()).unwrap_or_default();
            ListRow {
                url: format!("{HOBBIES}{}/", h.id),
                cells: vec![h.name, place, h.municipality_name.unwrap_or_default(), h.price_type, h.data_source],
            }
        })
        .collect();
    render(
        &admin,
        &ListPage::paged(
            &admin,
            "Hobbies",
            HOBBIES,
            &query,
            &["Name", "Location", "Municipality", "Price", "Source"],
            rows,
            total,
        ),
    )
}

struct HobbyValues {
    name: String,
    description: String,
    location: String,
    organizer: String,
    categories: Vec<String>,
    price_type: String,
    price_amount: String,
}

async fn hobby_fields(state: &AppState, v: &HobbyValues) -> Result<Vec<Field>, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let places = locations::list(&mut conn, None).await?.into_iter().map(|l| (l.id.to_string(), l.name)).collect();
    let organizers = organizers::list(&mut conn, None).await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect();
    let tree = state.app.categories.tree(&mut conn).await?;
    let categories = tree
        .rows()
        .iter()
        .map(|c| {
            (c.id.to_string(), format!("{}{}", "— ".repeat(c.level as usize), c.name_fi.clone().unwrap_or_default()))
        })
        .collect();
    let prices =
        ["free", "annual", "seasonal", "one_time", "paid"].map(|p| (p.to_owned(), p.replace('_', " "))).to_vec();
    let mut category_field = Field::select("categories", "Categories", categories, &v.categories, None);
    category_field.kind = "multiselect";
    Ok(vec![
        Field::new("name", "Name", "text", &v.name).required(),
        Field::new("description", "Description", "textarea", &v.description),
        Field::select("location", "Location", places, std::slice::from_ref(&v.location), Some("(none)")),
        Field::select("organizer", "Organizer", organizers, std::slice::from_ref(&v.organizer), Some("(none)")),
        category_field,
        Field::select("price_type", "Price type", prices, std::slice::from_ref(&v.price_type), None),
        Field::new("price_amount", "Price (euros)", "text", &v.price_amount),
    ])
}

fn hobby_values(form: &CheckedForm) -> HobbyValues {
    HobbyValues {
        name: form.get("name"),
        description: form.get("description"),
        location: form.get("location"),
        organizer: form.get("organizer"),
        categories: form.all("categories"),
        price_type: form.get("price_type"),
        price_amount: form.get("price_amount"),
    }
}

/// The input of a hobby form, read as the API reads a form post. The form's own habits
/// first: a blank price is free, a decimal comma is a point, and no category selected means
/// no categories (a form sends nothing for an empty selection).
async fn hobby_input(v: &HobbyValues, mode: WriteMode, limits: ImageLimits) -> Submitted<HobbyInput> {
    let amount = if v.price_amount.is_empty() { "0".to_owned() } else { v.price_amount.replace(',', ".") };
    let price_type = if v.price_type.is_empty() { "free" } else { v.price_type.as_str() };
    let mut pairs = vec![
        ("name", v.name.as_str()),
        ("description", v.description.as_str()),
        ("location", v.location.as_str()),
        ("organizer", v.organizer.as_str()),
        ("price_type", price_type),
        ("price_amount", amount.as_str()),
    ];
    pairs.extend(v.categories.iter().map(|c| ("categories", c.as_str())));
    let mut submitted = inputs::hobby(&Body::from_pairs(pairs), mode, limits).await;
    submitted.input.categories.get_or_insert_with(Vec::new);
    submitted
}

pub async fn new(State(state): State<AppState>, admin: Sysadmin) -> Result<Response, ApiError> {
    let values = HobbyValues {
        name: String::new(),
        description: String::new(),
        location: String::new(),
        organizer: String::new(),
        categories: Vec::new(),
        price_type: "free".into(),
        price_amount: String::new(),
    };
    render(&admin, &FormPage::new(&admin, "New hobby", format!("{HOBBIES}new/"), hobby_fields(&state, &values).await?))
}

pub async fn create(State(state): State<AppState>, admin: Sysadmin, form: CheckedForm) -> Result<Response, ApiError> {
    let values = hobby_values(&form);
    let input = hobby_input(&values, WriteMode::Create, state.config.image_limits).await;
    match hp_app::hobbies::create(&state.app, &admin.user, input).await {
        Ok(id) => Ok(see_other(&format!("{HOBBIES}{id}/"))),
        Err(error) => {
            let page =
                FormPage::new(&admin, "New hobby", format!("{HOBBIES}new/"), hobby_fields(&state, &values).await?);
            render(&admin, &page.with_errors(error)?)
        }
    }
}

async fn hobby_page(
    state: &AppState,
    admin: &Sysadmin,
    id: i64,
    values: &HobbyValues,
    event_errors: Option<ApiError>,
) -> Result<FormPage, ApiError> {
    let url = format!("{HOBBIES}{id}/");
    let mut page =
        FormPage::new(admin, format!("Hobby {}", values.name), url.clone(), hobby_fields(state, values).await?);
    page.delete_url = Some(format!("{url}delete/"));
    let rows = events::of_hobby(&mut state.app.db.conn().await?, id)
        .await?
        .into_iter()
        .map(|e| SectionRow {
            cells: vec![
                e.start_date.to_string(),
                e.start_time.format("%H:%M").to_string(),
                e.end_date.to_string(),
                e.end_time.format("%H:%M").to_string(),
            ],
            action: Some(RowAction {
                url: format!("{url}events/{}/delete/", e.id),
                label: format!("Delete the event of {}", e.start_date),
                hidden: Vec::new(),
            }),
        })
        .collect();
    let mut fields = vec![
        Field::new("start_date", "Start date", "date", ""),
        Field::new("start_time", "Start time", "time", ""),
        Field::new("end_date", "End date", "date", ""),
        Field::new("end_time", "End time", "time", ""),
    ];
    if let Some(ApiError::Invalid(errors)) = event_errors {
        for (name, messages) in errors.fields() {
            if let Some(field) = fields.iter_mut().find(|f| f.name == name) {
                field.errors.extend(messages.iter().cloned());
            } else {
                page.non_field_errors.extend(messages.iter().cloned());
            }
        }
    }
    page.sections.push(Section {
        title: "Events".into(),
        headers: ["Start date", "Start time", "End date", "End time"].map(String::from).to_vec(),
        rows,
        form: Some(SectionForm {
            action: format!("{url}events/"),
            prefix: "event_".into(),
            fields,
            submit: "Add event".into(),
        }),
    });
    Ok(page)
}

async fn stored_values(state: &AppState, id: i64) -> Result<HobbyValues, ApiError> {
    let h = hobbies::get(&mut state.app.db.conn().await?, id).await?.ok_or(ApiError::NotFound)?;
    Ok(HobbyValues {
        categories: h.category_ids().iter().map(|c| c.to_string()).collect(),
        name: h.name,
        description: h.description,
        location: h.location_id.map(|l| l.to_string()).unwrap_or_default(),
        organizer: h.organizer_id.map(|o| o.to_string()).unwrap_or_default(),
        price_amount: hp_domain::price::format_cents(h.price_cents),
        price_type: h.price_type,
    })
}

pub async fn edit(State(state): State<AppState>, admin: Sysadmin, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let values = stored_values(&state, id).await?;
    render(&admin, &hobby_page(&state, &admin, id, &values, None).await?)
}

pub async fn update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let values = hobby_values(&form);
    let input = hobby_input(&values, WriteMode::Replace, state.config.image_limits).await;
    match hp_app::hobbies::update(&state.app, &admin.user, id, input).await {
        Ok(()) => Ok(see_other(&format!("{HOBBIES}{id}/"))),
        Err(error) => render(&admin, &hobby_page(&state, &admin, id, &values, None).await?.with_errors(error)?),
    }
}

pub async fn event_create(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let mut body = form.body(&["start_date", "start_time", "end_date", "end_time"]);
    body.insert_text("hobby", &id.to_string());
    match hp_app::events::create(&state.app, &admin.user, inputs::event(&body, WriteMode::Create)).await {
        Ok(_) => Ok(see_other(&format!("{HOBBIES}{id}/"))),
        Err(AppError::Invalid(errors)) => {
            let error = ApiError::Invalid(errors);
            let values = stored_values(&state, id).await?;
            render(&admin, &hobby_page(&state, &admin, id, &values, Some(error)).await?)
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn event_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path((hobby, event)): Path<(i64, i64)>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    hp_app::events::delete(&state.app, &admin.user, event).await?;
    Ok(see_other(&format!("{HOBBIES}{hobby}/")))
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let row = hobbies::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let events = hp_db::maintenance::count_referring(
        &mut conn,
        hp_db::schema::HobbyEvents::Table,
        hp_db::schema::HobbyEvents::HobbyId,
        id,
    )
    .await?;
    render(
        &admin,
        &ConfirmPage::new(
            &admin,
            &format!("the hobby {}", row.name),
            &format!("{HOBBIES}{id}/"),
            vec![format!("deletes its {events} events")],
        ),
    )
}

pub async fn delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    hp_app::hobbies::delete(&state.app, &admin.user, id).await?;
    Ok(see_other(HOBBIES))
}
