//! Promotions (through `hp_app::promotions`, read with the API's body reader) and the
//! read-only log of benefits (redemptions).

use crate::gate::{see_other, CheckedForm, Sysadmin};
use crate::ui::{render, ConfirmPage, Field, FormPage, ListPage, ListQuery, ListRow};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hp_api::fields::WriteMode;
use hp_api::{inputs, ApiError, AppState};
use hp_db::listing::Listing;
use hp_db::schema::Promotions as P;
use hp_db::{benefits, locations, organizers, promotions};
use sea_query::IntoIden;
use std::collections::HashMap;

const BASE: &str = "/sysadmin/promotions/";
const KEYS: [&str; 9] = [
    "name",
    "description",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "available_count",
    "organizer",
    "location",
];

pub async fn list(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let listing = Listing::new(P::Table, P::Id, [P::Name.into_iden()]);
    let (ids, total) = listing.page(&mut conn, &query.q, query.page()).await?;
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.extend(promotions::get(&mut conn, id).await?);
    }
    let rows = found
        .into_iter()
        .map(|p| ListRow {
            url: format!("{BASE}{}/", p.id),
            cells: vec![
                p.name,
                format!("{} – {}", p.start_date, p.end_date),
                format!("{} / {}", p.used_count, p.available_count),
            ],
        })
        .collect();
    let headers = ["Name", "Valid", "Used / available"];
    render(&admin, &ListPage::paged(&admin, "Promotions", BASE, &query, &headers, rows, total))
}

async fn fields(state: &AppState, values: &HashMap<&str, String>) -> Result<Vec<Field>, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let places = locations::list(&mut conn, None).await?.into_iter().map(|l| (l.id.to_string(), l.name)).collect();
    let organizers = organizers::list(&mut conn, None).await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect();
    let value = |k: &str| values.get(k).cloned().unwrap_or_default();
    Ok(vec![
        Field::new("name", "Name", "text", value("name")).required(),
        Field::new("description", "Description", "textarea", value("description")),
        Field::new("start_date", "Valid from (date)", "date", value("start_date")).required(),
        Field::new("start_time", "Valid from (time)", "time", value("start_time")).required(),
        Field::new("end_date", "Valid until (date)", "date", value("end_date")).required(),
        Field::new("end_time", "Valid until (time)", "time", value("end_time")).required(),
        Field::new("available_count", "Redemptions available", "number", value("available_count")).required(),
        Field::select("organizer", "Organizer", organizers, &[value("organizer")], Some("(choose)")),
        Field::select("location", "Location", places, &[value("location")], Some("(choose)")),
    ])
}

fn values_of(form: &CheckedForm) -> HashMap<&'static str, String> {
    KEYS.iter().map(|k| (*k, form.get(k))).collect()
}

pub async fn new(State(state): State<AppState>, admin: Sysadmin) -> Result<Response, ApiError> {
    render(
        &admin,
        &FormPage::new(&admin, "New promotion", format!("{BASE}new/"), fields(&state, &HashMap::new()).await?),
    )
}

pub async fn create(State(state): State<AppState>, admin: Sysadmin, form: CheckedForm) -> Result<Response, ApiError> {
    let values = values_of(&form);
    let input = inputs::promotion(&form.body(&KEYS), WriteMode::Create, state.config.image_limits).await;
    match hp_app::promotions::create(&state.app, &admin.user, input).await {
        Ok(id) => Ok(see_other(&format!("{BASE}{id}/"))),
        Err(error) => render(
            &admin,
            &FormPage::new(&admin, "New promotion", format!("{BASE}new/"), fields(&state, &values).await?)
                .with_errors(error)?,
        ),
    }
}

pub async fn edit(State(state): State<AppState>, admin: Sysadmin, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let p = promotions::get(&mut state.app.db.conn().await?, id).await?.ok_or(ApiError::NotFound)?;
    let values: HashMap<&str, String> = [
        ("name", p.name.clone()),
        ("description", p.description.clone()),
        ("start_date", p.start_date.to_string()),
        ("start_time", p.start_time.format("%H:%M").to_string()),
        ("end_date", p.end_date.to_string()),
        ("end_time", p.end_time.format("%H:%M").to_string()),
        ("available_count", p.available_count.to_string()),
        ("organizer", p.organizer_id.to_string()),
        ("location", p.location_id.to_string()),
    ]
    .into();
    let mut page =
        FormPage::new(&admin, format!("Promotion {}", p.name), format!("{BASE}{id}/"), fields(&state, &values).await?);
    page.notice = Some(format!("Redeemed {} of {} times.", p.used_count, p.available_count));
    page.delete_url = Some(format!("{BASE}{id}/delete/"));
    render(&admin, &page)
}

pub async fn update(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    form: CheckedForm,
) -> Result<Response, ApiError> {
    let values = values_of(&form);
    let input = inputs::promotion(&form.body(&KEYS), WriteMode::Patch, state.config.image_limits).await;
    match hp_app::promotions::update(&state.app, &admin.user, id, input).await {
        Ok(()) => Ok(see_other(&format!("{BASE}{id}/"))),
        Err(error) => render(
            &admin,
            &FormPage::new(&admin, "Promotion", format!("{BASE}{id}/"), fields(&state, &values).await?)
                .with_errors(error)?,
        ),
    }
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let p = promotions::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    let redemptions = hp_db::maintenance::count_referring(
        &mut conn,
        hp_db::schema::Benefits::Table,
        hp_db::schema::Benefits::PromotionId,
        id,
    )
    .await?;
    let consequences = vec![format!("deletes the log of its {redemptions} redemptions")];
    render(
        &admin,
        &ConfirmPage::new(&admin, &format!("the promotion {}", p.name), &format!("{BASE}{id}/"), consequences),
    )
}

pub async fn delete(
    State(state): State<AppState>,
    admin: Sysadmin,
    Path(id): Path<i64>,
    _form: CheckedForm,
) -> Result<Response, ApiError> {
    hp_app::promotions::delete(&state.app, &admin.user, id).await?;
    Ok(see_other(BASE))
}

/// `GET /sysadmin/benefits/`: the redemptions, newest first; they cannot be changed.
pub async fn benefit_log(
    State(state): State<AppState>,
    admin: Sysadmin,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    // Newest first; a search finds the redemptions of the promotions whose name has it.
    let (log, total) = benefits::page_newest_first(&mut conn, &query.q, query.page()).await?;
    let mut names = HashMap::new();
    for b in &log {
        if let std::collections::hash_map::Entry::Vacant(entry) = names.entry(b.promotion_id) {
            entry.insert(promotions::get(&mut conn, b.promotion_id).await?.map(|p| p.name).unwrap_or_default());
        }
    }
    let rows = log
        .into_iter()
        .map(|b| ListRow {
            url: format!("{BASE}{}/", b.promotion_id),
            cells: vec![
                names.get(&b.promotion_id).cloned().unwrap_or_default(),
                b.created_at.to_string(),
                b.id.to_string(),
            ],
        })
        .collect();
    let mut page = ListPage::paged(
        &admin,
        "Benefits (redemptions)",
        "/sysadmin/benefits/",
        &query,
        &["Promotion", "Redeemed at", "Id"],
        rows,
        total,
    );
    page.new_url = None;
    render(&admin, &page)
}
