//! Locations: the list with search, and forms that write through `hp_app::locations`, read
//! with the API's body reader (the same rules and messages as the API).

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::places::{self, Place};
use crate::ui::{render, Field, FormPage, ListPage, ListQuery, ListRow};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hp_api::fields::WriteMode;
use hp_api::{inputs, ApiError, AppState};
use hp_app::locations::LocationInput;
use hp_app::Submitted;
use hp_db::listing::{in_listed_order, Listing};
use hp_db::locations;
use hp_db::schema::Locations as L;
use hp_domain::geo::Point;
use sea_query::IntoIden;

const LOCATIONS: &str = "/sysadmin/locations/";

pub async fn list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let texts = [L::Name.into_iden(), L::Address.into_iden(), L::City.into_iden()];
    let (ids, total) = Listing::new(L::Table, L::Id, texts).page(&mut conn, &query.q, query.page()).await?;
    let mut rows = Vec::with_capacity(ids.len());
    for l in in_listed_order(&ids, locations::get_many(&mut conn, &ids).await?, |row| row.id) {
        let point = match (l.lat, l.lon) {
            (Some(lat), Some(lon)) => format!("{lat:.5}, {lon:.5}"),
            _ => "–".into(),
        };
        rows.push(ListRow { url: format!("{LOCATIONS}{}/", l.id), cells: vec![l.name, l.address, l.city, point] });
    }
    render(
        &admin,
        &ListPage::paged(
            &admin,
            "Locations",
            LOCATIONS,
            &query,
            &["Name", "Address", "City", "Latitude, longitude"],
            rows,
            total,
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

/// The input of a location form: the texts as the API reads a form, the point from the
/// latitude and longitude fields (a form has no GeoJSON).
fn location_input(form: &CheckedForm, mode: WriteMode) -> Submitted<LocationInput> {
    let mut submitted = inputs::location(&form.body(&["name", "address", "zip_code", "city"]), mode);
    let (lat, lon) = (form.get("lat"), form.get("lon"));
    if lat.is_empty() && lon.is_empty() {
        return submitted;
    }
    let lat_n = lat.replace(',', ".").parse::<f64>().ok().filter(|n| (-90.0..=90.0).contains(n));
    let lon_n = lon.replace(',', ".").parse::<f64>().ok().filter(|n| (-180.0..=180.0).contains(n));
    if lat_n.is_none() {
        submitted.errors.add("lat", "Enter a latitude between -90 and 90.");
    }
    if lon_n.is_none() {
        submitted.errors.add("lon", "Enter a longitude between -180 and 180.");
    }
    if let (Some(lat), Some(lon)) = (lat_n, lon_n) {
        submitted.input.changes.point = Some(Some(Point::new(lon, lat)));
        submitted.input.geocode = false;
    }
    submitted
}

fn submitted<'a>(form: &CheckedForm, keys: &[&'a str]) -> Vec<(&'a str, String)> {
    keys.iter().map(|k| (*k, form.get(k))).collect()
}

pub async fn new(admin: Sysadmin) -> Result<Response, ApiError> {
    render(&admin, &FormPage::new(&admin, "New location", format!("{LOCATIONS}new/"), location_fields(&[])))
}

pub async fn create(State(state): State<AppState>, admin: Sysadmin, form: CheckedForm) -> Result<Response, ApiError> {
    match hp_app::locations::create(&state.app, &admin.user, location_input(&form, WriteMode::Create)).await {
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

pub async fn edit(State(state): State<AppState>, admin: Sysadmin, Path(id): Path<i64>) -> Result<Response, ApiError> {
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

pub async fn update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    match hp_app::locations::update(&state.app, &admin.user, id, location_input(&form, WriteMode::Replace)).await {
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

pub async fn confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let row = locations::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let back = format!("{LOCATIONS}{id}/");
    places::confirm_delete(&admin, &mut conn, Place::Location, id, &row.name, &back).await
}

pub async fn delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    hp_app::locations::delete(&state.app, &admin.user, id).await?;
    Ok(see_other(LOCATIONS))
}
