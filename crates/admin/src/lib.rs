//! The sysadmin web UI at `/sysadmin/`: server-rendered pages (askama, htmx vendored) for
//! superusers, signed in with the browser session and protected by CSRF tokens on every form.
//! Users, API tokens, municipalities with their moderators, the category tree, organizers,
//! locations and hobbies with their events. Every change goes through the use cases of `hp_app`, the
//! same code path and rules as the API; this crate only renders and reads forms.

mod categories;
mod gate;
mod hobbies;
mod i18n;
mod legacy_paths;
mod locations;
mod municipalities;
mod organizers;
mod places;
mod promotions;
mod tokens;
mod ui;
mod users;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gate::Sysadmin;
use hp_api::{ApiError, AppState, RouteTable};

async fn dashboard(
    axum::extract::State(state): axum::extract::State<AppState>,
    admin: Sysadmin,
) -> Result<Response, ApiError> {
    let mut conn = state.app.db.conn().await?;
    let mut counts = Vec::new();
    use hp_db::schema::{
        ApiTokens, Benefits, Hobbies, Locations, Municipalities, Organizers, Promotions, TreeTable, Users,
    };
    use sea_query::IntoIden;
    for (label, url, table) in [
        ("Users", "/sysadmin/users/", Users::Table.into_iden()),
        ("API tokens", "/sysadmin/tokens/", ApiTokens::Table.into_iden()),
        ("Municipalities", "/sysadmin/municipalities/", Municipalities::Table.into_iden()),
        ("Hobby categories", "/sysadmin/categories/", TreeTable::Categories.into_iden()),
        ("Organizers", "/sysadmin/organizers/", Organizers::Table.into_iden()),
        ("Locations", "/sysadmin/locations/", Locations::Table.into_iden()),
        ("Hobbies", "/sysadmin/hobbies/", Hobbies::Table.into_iden()),
        ("Hobby audiences", "/sysadmin/audiences/", TreeTable::Audiences.into_iden()),
        ("Promotions", "/sysadmin/promotions/", Promotions::Table.into_iden()),
        ("Benefits", "/sysadmin/benefits/", Benefits::Table.into_iden()),
    ] {
        let count = hp_db::maintenance::count_rows(&mut conn, table).await?;
        counts.push((label.to_owned(), url.to_owned(), count as usize));
    }
    ui::render(
        &admin,
        &ui::Dashboard {
            lang: admin.lang,
            title: "Administration".into(),
            username: admin.user.username.clone(),
            counts,
        },
    )
}

async fn htmx() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        ],
        include_bytes!("../assets/htmx.min.js").as_slice(),
    )
        .into_response()
}

/// The CRUD routes of one kind of object under `base`.
macro_rules! crud {
    ($table:expr, $base:literal, $list:path, $new:path, $create:path, $edit:path, $update:path, $confirm:path, $delete:path) => {
        $table
            .add($base, get($list))
            .add(concat!($base, "new/"), get($new).post($create))
            .add(concat!($base, "{id}/"), get($edit).post($update))
            .add(concat!($base, "{id}/delete/"), get($confirm).post($delete))
    };
}

/// The pages of one tree; the handlers learn which from the `Tree` extension.
fn tree_routes(table: RouteTable, tree: categories::Tree) -> RouteTable {
    let base = tree.base;
    let with_tree = axum::Extension(tree);
    table
        .add(base, get(categories::list).layer(with_tree))
        .add(&format!("{base}new/"), get(categories::new).post(categories::create).layer(with_tree))
        .add(&format!("{base}{{id}}/"), get(categories::edit).post(categories::update).layer(with_tree))
        .add(
            &format!("{base}{{id}}/delete/"),
            get(categories::confirm_delete).post(categories::delete).layer(with_tree),
        )
}

/// Adds the sysadmin routes.
pub fn routes(table: RouteTable) -> RouteTable {
    let table = legacy_paths::routes(table)
        .add("/sysadmin/", get(dashboard))
        .add("/sysadmin/static/htmx.min.js", get(htmx))
        .add("/sysadmin/users/", get(users::list))
        .add("/sysadmin/users/new/", get(users::new).post(users::create))
        .add("/sysadmin/users/{id}/", get(users::edit).post(users::update))
        .add("/sysadmin/users/{id}/password/", post(users::set_password))
        .add("/sysadmin/tokens/", get(tokens::list))
        .add("/sysadmin/tokens/new/", get(tokens::new).post(tokens::create))
        .add("/sysadmin/tokens/{id}/", get(tokens::show))
        .add("/sysadmin/tokens/{id}/revoke/", post(tokens::revoke))
        .add("/sysadmin/municipalities/{id}/moderators/", post(municipalities::add_moderator))
        .add("/sysadmin/municipalities/{id}/moderators/remove/", post(municipalities::remove_moderator))
        .add("/sysadmin/hobbies/{id}/events/", post(hobbies::event_create))
        .add("/sysadmin/hobbies/{hobby}/events/{event}/delete/", post(hobbies::event_delete));
    let table = crud!(
        table,
        "/sysadmin/municipalities/",
        municipalities::list,
        municipalities::new,
        municipalities::create,
        municipalities::edit,
        municipalities::update,
        municipalities::confirm_delete,
        municipalities::delete
    );
    let table = tree_routes(table, categories::CATEGORIES)
        .add("/sysadmin/categories/{id}/image/", post(categories::upload_image))
        .add("/sysadmin/categories/{id}/image/remove/", post(categories::remove_image));
    let table = tree_routes(table, categories::AUDIENCES).add("/sysadmin/benefits/", get(promotions::benefit_log));
    let table = crud!(
        table,
        "/sysadmin/promotions/",
        promotions::list,
        promotions::new,
        promotions::create,
        promotions::edit,
        promotions::update,
        promotions::confirm_delete,
        promotions::delete
    );
    let table = crud!(
        table,
        "/sysadmin/organizers/",
        organizers::list,
        organizers::new,
        organizers::create,
        organizers::edit,
        organizers::update,
        organizers::confirm_delete,
        organizers::delete
    );
    let table = crud!(
        table,
        "/sysadmin/locations/",
        locations::list,
        locations::new,
        locations::create,
        locations::edit,
        locations::update,
        locations::confirm_delete,
        locations::delete
    );
    crud!(
        table,
        "/sysadmin/hobbies/",
        hobbies::list,
        hobbies::new,
        hobbies::create,
        hobbies::edit,
        hobbies::update,
        hobbies::confirm_delete,
        hobbies::delete
    )
}
