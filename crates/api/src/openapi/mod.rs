//! The OpenAPI 3.1 description of the public API, generated from the routes: each route is
//! registered together with its documentation (`crate::routes`, built with [`operations`]),
//! per API version, with the query parameters its filter reads declared beside the filter
//! (`resources/<resource>/query.rs`); response shapes come from the response types'
//! `ToSchema` derives (`resources/<resource>/output.rs`), request bodies from running the
//! body readers themselves ([`bodies`]). Served as YAML at `/openapi` and
//! `/openapi.yaml`, as JSON at `/openapi.json` (or for `?format=openapi-json` and an
//! `Accept` of `application/vnd.oai.openapi+json`), and rendered by ReDoc at
//! `/api-documentation/` with a vendored script.

pub(crate) mod bodies;
pub(crate) mod operations;

use crate::resources::{benefits, categories, events, hobbies, locations, organizers, promotions};
use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use operations::{kind_schema, Kind};
use serde::Deserialize;
use serde_json::json;
use std::sync::OnceLock;
use utoipa::openapi::path::PathsBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ComponentsBuilder, ObjectBuilder, Schema};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder, RefOr};

/// The text shown above the reference: how to sign in.
const AUTHENTICATION: &str = include_str!("authentication.md");

/// A response or request type's schema and the schemas it refers to.
fn add_schema<T: utoipa::ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

fn components() -> utoipa::openapi::Components {
    let field_errors = ObjectBuilder::new()
        .additional_properties(Some(Schema::Array(
            ArrayBuilder::new().items(RefOr::T(kind_schema(Kind::Text))).build(),
        )))
        .description(Some("Field errors: each invalid field with its messages; `non_field_errors` for the whole body."))
        .examples([json!({"name": ["Tämä kenttä vaaditaan."]})])
        .build();
    let mut security = utoipa::openapi::security::SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer));
    if let SecurityScheme::Http(http) = &mut security {
        http.bearer_format = Some("JWT".into());
        http.description = Some("An access token from `POST /auth/token/`.".into());
    }
    let mut schemas = Vec::new();
    add_schema::<hobbies::output::HobbyOut>(&mut schemas);
    add_schema::<hobbies::output::HobbyPre1Out>(&mut schemas);
    add_schema::<events::output::EventOut>(&mut schemas);
    add_schema::<categories::output::CategoryOut>(&mut schemas);
    add_schema::<organizers::output::OrganizerOut>(&mut schemas);
    add_schema::<locations::output::LocationOut>(&mut schemas);
    add_schema::<locations::output::LocationPre1Out>(&mut schemas);
    add_schema::<promotions::output::PromotionOut>(&mut schemas);
    add_schema::<benefits::output::BenefitOut>(&mut schemas);
    add_schema::<crate::auth::jwt::TokenPair>(&mut schemas);
    add_schema::<crate::auth::token_endpoints::AccessToken>(&mut schemas);
    add_schema::<crate::error::Detail>(&mut schemas);
    ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .schema("FieldErrors", field_errors)
        .security_scheme("jwt", security)
        .security_scheme(
            "token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`Token <key>`; keys from `harrastuspassi token create`.",
            ))),
        )
        .security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "sessionid",
                "The browser session of `/accounts/login/`; writes also need the `X-CSRFToken` header.",
            ))),
        )
        .build()
}

/// Every choice among shapes as `anyOf`: the shapes derived from untagged enums overlap (a
/// null id is also a missing nested object; a hobby has every field of the pre1 shape too),
/// so `oneOf`, which demands that exactly one matches, would be false of real answers.
fn choices_as_any_of(document: OpenApi) -> OpenApi {
    fn rename(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(items) = map.remove("oneOf") {
                    map.insert("anyOf".into(), items);
                }
                map.values_mut().for_each(rename);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(rename),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(&document).expect("the API description serialises");
    rename(&mut value);
    serde_json::from_value(value).expect("the API description reads back")
}

/// The whole document: each route's documentation as it was registered with the route.
pub fn document() -> OpenApi {
    choices_as_any_of(described())
}

fn described() -> OpenApi {
    let mut paths = PathsBuilder::new();
    for (path, item) in crate::routes::documented_routes() {
        paths = paths.path(path, item);
    }
    let tags = [
        "API root",
        "Hobbies",
        "Hobby categories",
        "Hobby events",
        "Organizers",
        "Locations",
        "Promotions",
        "Benefits",
        "Authentication",
        "Operations",
    ]
    .map(|name| TagBuilder::new().name(name).build());
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Harrastuspassi")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(format!("API documentation\n\n{AUTHENTICATION}")))
                .build(),
        )
        .paths(paths)
        .components(Some(components()))
        .tags(Some(tags))
        .build()
}

fn cached() -> &'static (String, String) {
    static TEXTS: OnceLock<(String, String)> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let doc = document();
        (
            doc.to_pretty_json().expect("the API description serialises"),
            doc.to_yaml().expect("the API description serialises"),
        )
    })
}

const JSON_TYPE: &str = "application/vnd.oai.openapi+json";
const YAML_TYPE: &str = "application/vnd.oai.openapi";

fn json_text() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE))], cached().0.clone()).into_response()
}

fn yaml_text() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static(YAML_TYPE))], cached().1.clone()).into_response()
}

#[derive(Deserialize)]
pub struct FormatQuery {
    format: Option<String>,
}

/// `GET /openapi`: YAML, or JSON when asked by `format` or `Accept`.
pub async fn negotiated(Query(query): Query<FormatQuery>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    if query.format.as_deref() == Some("openapi-json")
        || accept.contains(JSON_TYPE)
        || accept.starts_with("application/json")
    {
        json_text()
    } else {
        yaml_text()
    }
}

/// `GET /openapi.json`.
pub async fn as_json() -> Response {
    json_text()
}

/// `GET /openapi.yaml`.
pub async fn as_yaml() -> Response {
    yaml_text()
}

/// `GET /api-documentation/`: ReDoc pointed at `/openapi.json`.
pub async fn documentation_page() -> Html<&'static str> {
    Html(include_str!("documentation.html"))
}

/// `GET /static/harrastuspassi/js/redoc.standalone.js` (vendored, so the page works offline).
pub async fn redoc_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        ],
        include_bytes!("../../assets/redoc.standalone.js").as_slice(),
    )
        .into_response()
}
