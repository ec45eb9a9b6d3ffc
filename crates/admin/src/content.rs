//! Organizers, locations and hobbies (with their events): lists with search, and forms that
//! write through the use cases of `hp_app` with the API's body readers: the same rules,
//! messages and edit rights as the API.

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::ui::{
    optional_id, render, ConfirmPage, Field, FormPage, ListPage, ListQuery, ListRow, RowAction, Section, SectionForm,
    SectionRow,
};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hp_api::body::Body;
use hp_api::fields::WriteMode;
use hp_api::{inputs, ApiError, AppState};
use hp_app::AppError;
use hp_db::{events, hobbies, locations, organizers};
use serde_json::{json, Map, Value};

fn body(value: Value) -> Body {
    match value {
        Value::Object(map) => Body::from_map(map),
        _ => Body::from_map(Map::new()),
    }
}

fn id_or_null(text: &str) -> Value {
    optional_id(text).map(Value::from).unwrap_or(Value::Null)
}

// ---- organizers ----

const ORGANIZERS: &str = "/sysadmin/organizers/";

pub async fn organizer_list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let rows = organizers::list(&mut state.app.db.conn().await?, None)
        .await?
        .into_iter()
        .map(|o| ListRow { url: format!("{ORGANIZERS}{}/", o.id), cells: vec![o.name, o.data_source] })
        .collect();
    render(&admin, &ListPage::build(&admin, "Organizers", ORGANIZERS, &query, &["Name", "Source"], rows))
}

fn organizer_form(admin: &Sysadmin, title: &str, action: String, name: &str) -> FormPage {
    FormPage::new(admin, title, action, vec![Field::new("name", "Name", "text", name).required()])
}

pub async fn organizer_new(admin: Sysadmin) -> Result<Response, ApiError> {
    render(&admin, &organizer_form(&admin, "New organizer", format!("{ORGANIZERS}new/"), ""))
}

pub async fn organizer_create(
    State(state): State<AppState>,
    admin: Sysadmin,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let name = form.get("name");
    match hp_app::organizers::create(
        &state.app,
        &admin.user,
        inputs::organizer(&body(json!({"name": name})), WriteMode::Create),
    )
    .await
    {
        Ok(id) => Ok(see_other(&format!("{ORGANIZERS}{id}/"))),
        Err(error) => render(
            &admin,
            &organizer_form(&admin, "New organizer", format!("{ORGANIZERS}new/"), &name).with_errors(error)?,
        ),
    }
}

pub async fn organizer_edit(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let row = organizers::get(&mut state.app.db.conn().await?, id).await?.ok_or(ApiError::NotFound)?;
    let mut page = organizer_form(&admin, &format!("Organizer {}", row.name), format!("{ORGANIZERS}{id}/"), &row.name);
    page.delete_url = Some(format!("{ORGANIZERS}{id}/delete/"));
    render(&admin, &page)
}

pub async fn organizer_update(
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
        inputs::organizer(&body(json!({"name": name})), WriteMode::Replace),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("{ORGANIZERS}{id}/"))),
        Err(error) => render(
            &admin,
            &organizer_form(&admin, "Organizer", format!("{ORGANIZERS}{id}/"), &name).with_errors(error)?,
        ),
    }
}

pub async fn organizer_confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let row = organizers::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let hobbies = hp_db::maintenance::count_referring(&mut conn, "hobbies", "organizer_id", id).await?;
    let promotions = hp_db::maintenance::count_referring(&mut conn, "promotions", "organizer_id", id).await?;
    let consequences = vec![
        format!("deletes its {hobbies} hobbies with their events"),
        format!("deletes its {promotions} promotions"),
    ];
    render(
        &admin,
        &ConfirmPage::new(&admin, &format!("the organizer {}", row.name), &format!("{ORGANIZERS}{id}/"), consequences),
    )
}

pub async fn organizer_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    hp_app::organizers::delete(&state.app, &admin.user, id).await?;
    Ok(see_other(ORGANIZERS))
}

// ---- locations ----

const LOCATIONS: &str = "/sysadmin/locations/";

pub async fn location_list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let rows = locations::list(&mut state.app.db.conn().await?, None)
        .await?
        .into_iter()
        .map(|l| {
            let point = match (l.lat, l.lon) {
                (Some(lat), Some(lon)) => format!("{lat:.5}, {lon:.5}"),
                _ => "–".into(),
            };
            ListRow { url: format!("{LOCATIONS}{}/", l.id), cells: vec![l.name, l.address, l.city, point] }
        })
        .collect();
    render(
        &admin,
        &ListPage::build(
            &admin,
            "Locations",
            LOCATIONS,
            &query,
            &["Name", "Address", "City", "Latitude, longitude"],
            rows,
        ),
    )
}

fn location_fields(values: &[(&str, String)]) -> Vec<Field> {
    let value = |name: &str| values.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    vec![
        Field::new("name", "Name", "text", value("name")).required(),
        Field::new("address", "Street address", "text", value("address")),
        Field::new("zip_code", "Postal code", "text", value("zip_code")),
        Field::new("city", "City", "text", value("city")),
        Field::new("lat", "Latitude (WGS 84)", "number", value("lat")),
        Field::new("lon", "Longitude (WGS 84)", "number", value("lon")),
    ]
}

const LOCATION_KEYS: [&str; 6] = ["name", "address", "zip_code", "city", "lat", "lon"];

/// The write body of a location form, or the field errors of unreadable coordinates.
fn location_body(form: &CheckedForm) -> Result<Body, ApiError> {
    let mut value = json!({"name": form.get("name"), "address": form.get("address"), "zip_code": form.get("zip_code"), "city": form.get("city")});
    let (lat, lon) = (form.get("lat"), form.get("lon"));
    if !lat.is_empty() || !lon.is_empty() {
        let mut errors = hp_domain::FieldErrors::new();
        let lat_n = lat.replace(',', ".").parse::<f64>().ok().filter(|n| (-90.0..=90.0).contains(n));
        let lon_n = lon.replace(',', ".").parse::<f64>().ok().filter(|n| (-180.0..=180.0).contains(n));
        if lat_n.is_none() {
            errors.add("lat", "Enter a latitude between -90 and 90.");
        }
        if lon_n.is_none() {
            errors.add("lon", "Enter a longitude between -180 and 180.");
        }
        errors.into_result()?;
        value["coordinates"] = json!({"type": "Point", "coordinates": [lon_n, lat_n]});
    }
    Ok(body(value))
}

fn submitted<'a>(form: &CheckedForm, keys: &[&'a str]) -> Vec<(&'a str, String)> {
    keys.iter().map(|k| (*k, form.get(k))).collect()
}

pub async fn location_new(admin: Sysadmin) -> Result<Response, ApiError> {
    render(&admin, &FormPage::new(&admin, "New location", format!("{LOCATIONS}new/"), location_fields(&[])))
}

pub async fn location_create(
    State(state): State<AppState>,
    admin: Sysadmin,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let result = match location_body(&form) {
        Ok(body) => hp_app::locations::create(&state.app, &admin.user, inputs::location(&body, WriteMode::Create))
            .await
            .map_err(ApiError::from),
        Err(error) => Err(error),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("{LOCATIONS}{id}/"))),
        Err(error) => {
            let page = FormPage::new(
                &admin,
                "New location",
                format!("{LOCATIONS}new/"),
                location_fields(&submitted(&form, &LOCATION_KEYS)),
            );
            render(&admin, &page.with_errors(error)?)
        }
    }
}

pub async fn location_edit(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let l = locations::get(&mut state.app.db.conn().await?, id).await?.ok_or(ApiError::NotFound)?;
    let values = [
        ("name", l.name.clone()),
        ("address", l.address.clone()),
        ("zip_code", l.zip_code.clone()),
        ("city", l.city.clone()),
        ("lat", l.lat.map(|v| v.to_string()).unwrap_or_default()),
        ("lon", l.lon.map(|v| v.to_string()).unwrap_or_default()),
    ];
    let mut page =
        FormPage::new(&admin, format!("Location {}", l.name), format!("{LOCATIONS}{id}/"), location_fields(&values));
    page.delete_url = Some(format!("{LOCATIONS}{id}/delete/"));
    render(&admin, &page)
}

pub async fn location_update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let result = match location_body(&form) {
        Ok(body) => hp_app::locations::update(&state.app, &admin.user, id, inputs::location(&body, WriteMode::Replace))
            .await
            .map_err(ApiError::from),
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("{LOCATIONS}{id}/"))),
        Err(error) => {
            let page = FormPage::new(
                &admin,
                "Location",
                format!("{LOCATIONS}{id}/"),
                location_fields(&submitted(&form, &LOCATION_KEYS)),
            );
            render(&admin, &page.with_errors(error)?)
        }
    }
}

pub async fn location_confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let row = locations::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let hobbies = hp_db::maintenance::count_referring(&mut conn, "hobbies", "location_id", id).await?;
    let promotions = hp_db::maintenance::count_referring(&mut conn, "promotions", "location_id", id).await?;
    let consequences = vec![
        format!("deletes its {hobbies} hobbies with their events"),
        format!("deletes its {promotions} promotions"),
    ];
    render(
        &admin,
        &ConfirmPage::new(&admin, &format!("the location {}", row.name), &format!("{LOCATIONS}{id}/"), consequences),
    )
}

pub async fn location_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    hp_app::locations::delete(&state.app, &admin.user, id).await?;
    Ok(see_other(LOCATIONS))
}

// ---- hobbies and their events ----

const HOBBIES: &str = "/sysadmin/hobbies/";

pub async fn hobby_list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let places: std::collections::HashMap<i64, String> =
        locations::list(&mut conn, None).await?.into_iter().map(|l| (l.id, l.name)).collect();
    let rows = hobbies::list(&mut conn, &hobbies::HobbyFilter::default())
        .await?
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
        &ListPage::build(
            &admin,
            "Hobbies",
            HOBBIES,
            &query,
            &["Name", "Location", "Municipality", "Price", "Source"],
            rows,
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

fn hobby_body(v: &HobbyValues) -> Body {
    let categories: Vec<Value> = v.categories.iter().filter_map(|c| optional_id(c)).map(Value::from).collect();
    let amount = if v.price_amount.is_empty() { "0".to_owned() } else { v.price_amount.replace(',', ".") };
    body(json!({
        "name": v.name, "description": v.description, "location": id_or_null(&v.location),
        "organizer": id_or_null(&v.organizer), "categories": categories,
        "price_type": if v.price_type.is_empty() { "free" } else { v.price_type.as_str() }, "price_amount": amount,
    }))
}

pub async fn hobby_new(State(state): State<AppState>, admin: Sysadmin) -> Result<Response, ApiError> {
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

pub async fn hobby_create(
    State(state): State<AppState>,
    admin: Sysadmin,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let values = hobby_values(&form);
    let input = inputs::hobby(&hobby_body(&values), WriteMode::Create, state.config.image_limits).await;
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

pub async fn hobby_edit(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let values = stored_values(&state, id).await?;
    render(&admin, &hobby_page(&state, &admin, id, &values, None).await?)
}

pub async fn hobby_update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let values = hobby_values(&form);
    let input = inputs::hobby(&hobby_body(&values), WriteMode::Replace, state.config.image_limits).await;
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
    let event = json!({
        "hobby": id, "start_date": form.get("start_date"), "start_time": form.get("start_time"),
        "end_date": form.get("end_date"), "end_time": form.get("end_time"),
    });
    match hp_app::events::create(&state.app, &admin.user, inputs::event(&body(event), WriteMode::Create)).await {
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

pub async fn hobby_confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let row = hobbies::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let events = hp_db::maintenance::count_referring(&mut conn, "hobby_events", "hobby_id", id).await?;
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

pub async fn hobby_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    hp_app::hobbies::delete(&state.app, &admin.user, id).await?;
    Ok(see_other(HOBBIES))
}
