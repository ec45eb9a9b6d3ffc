//! The original's Django admin paths, which sysadmins have bookmarked and the original's
//! README sends them to (`/sysadmin/authtoken/token/` for API tokens): each is redirected
//! (302) to the page here that does the same job. A model this service has no page for, or
//! a path of another shape, stays 404.
//!
//! Django's admin paths are `/sysadmin/<app>/<model>/` (the list), `…/add/` and
//! `…/<id>/change/`, with `/sysadmin/login/` and `/sysadmin/logout/` beside them.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hp_api::{ApiError, AppState, RouteTable};

/// The apps of the original whose models had admin pages.
const APPS: [&str; 3] = ["auth", "authtoken", "harrastuspassi"];

/// Where a model's single objects are edited here.
#[derive(Clone, Copy)]
enum Objects {
    /// At `<list><id>/`, the same id as in the original.
    ById,
    /// Only the list: Django's token pages are keyed by the token itself (this service
    /// keeps only its digest), and redemptions are a log here.
    InList,
    /// On the page of the event's hobby (events are edited there).
    OnHobbyPage,
}

/// A model's page here: its list, where a new one is made, where one is edited.
struct Page {
    list: &'static str,
    add: &'static str,
    objects: Objects,
}

fn page_of(app: &str, model: &str) -> Option<Page> {
    let (list, add, objects) = match (app, model) {
        ("auth", "user") => ("/sysadmin/users/", "/sysadmin/users/new/", Objects::ById),
        ("authtoken", "token" | "tokenproxy") => ("/sysadmin/tokens/", "/sysadmin/tokens/new/", Objects::InList),
        ("harrastuspassi", "hobby") => ("/sysadmin/hobbies/", "/sysadmin/hobbies/new/", Objects::ById),
        ("harrastuspassi", "hobbyevent") => ("/sysadmin/hobbies/", "/sysadmin/hobbies/", Objects::OnHobbyPage),
        ("harrastuspassi", "hobbycategory") => ("/sysadmin/categories/", "/sysadmin/categories/new/", Objects::ById),
        ("harrastuspassi", "location") => ("/sysadmin/locations/", "/sysadmin/locations/new/", Objects::ById),
        ("harrastuspassi", "organizer") => ("/sysadmin/organizers/", "/sysadmin/organizers/new/", Objects::ById),
        ("harrastuspassi", "promotion") => ("/sysadmin/promotions/", "/sysadmin/promotions/new/", Objects::ById),
        ("harrastuspassi", "municipality") => {
            ("/sysadmin/municipalities/", "/sysadmin/municipalities/new/", Objects::ById)
        }
        ("harrastuspassi", "benefit") => ("/sysadmin/benefits/", "/sysadmin/benefits/", Objects::InList),
        _ => return None,
    };
    Some(Page { list, add, objects })
}

fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => ApiError::NotFound.into_response(),
    }
}

/// `/sysadmin/<app>/<model>/[add/ | <id>/change/]`.
async fn model_page(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let segments: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    let (app, model, rest) = match segments[..] {
        ["sysadmin", app, model, ref rest @ ..] => (app, model, rest),
        _ => return Err(ApiError::NotFound),
    };
    let page = page_of(app, model).ok_or(ApiError::NotFound)?;
    let location = match rest {
        [] => page.list.to_owned(),
        ["add"] => page.add.to_owned(),
        [id, "change"] => match page.objects {
            Objects::InList => page.list.to_owned(),
            Objects::ById => format!("{}{}/", page.list, id.parse::<i64>().map_err(|_| ApiError::NotFound)?),
            Objects::OnHobbyPage => {
                let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
                let event = hp_db::events::get(&mut state.app.db.conn().await?, id).await?.ok_or(ApiError::NotFound)?;
                format!("/sysadmin/hobbies/{}/", event.hobby_id)
            }
        },
        _ => return Err(ApiError::NotFound),
    };
    Ok(found(&location))
}

/// `/sysadmin/login/`: the login page, coming back to `next` (the admin's front page when
/// none is given; the login page checks that it stays on this site).
async fn login(uri: Uri) -> Response {
    let next = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(key, _)| key == "next")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| "/sysadmin/".to_owned());
    let query: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", &next).finish();
    found(&format!("/accounts/login/?{query}"))
}

async fn logout() -> Response {
    found("/accounts/logout/")
}

async fn app_index() -> Response {
    found("/sysadmin/")
}

/// Adds the redirects of the original's admin paths.
pub fn routes(mut table: RouteTable) -> RouteTable {
    table = table.add("/sysadmin/login/", get(login)).add("/sysadmin/logout/", get(logout));
    for app in APPS {
        table = table
            .add(&format!("/sysadmin/{app}/"), get(app_index))
            .add(&format!("/sysadmin/{app}/{{model}}/"), get(model_page))
            .add(&format!("/sysadmin/{app}/{{model}}/add/"), get(model_page))
            .add(&format!("/sysadmin/{app}/{{model}}/{{id}}/change/"), get(model_page));
    }
    table
}
