//! The OpenAPI 3.1 description of the public API: response shapes come from the response
//! types' `ToSchema` derives (`crate::views`), request bodies from `inputs`, and the routes,
//! their query parameters and errors from the table below, which a test compares with the
//! router so that no route goes undocumented. Served as YAML at `/openapi` and
//! `/openapi.yaml`, as JSON at `/openapi.json` (or for `?format=openapi-json` and an
//! `Accept` of `application/vnd.oai.openapi+json`), and rendered by ReDoc at
//! `/api-documentation/` with a vendored script.

mod inputs;

use crate::views;
use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use std::sync::OnceLock;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem, PathsBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ArrayBuilder, ComponentsBuilder, KnownFormat, ObjectBuilder, Schema,
    SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, Required, ResponseBuilder};

/// The text shown above the reference: how to sign in.
const AUTHENTICATION: &str = include_str!("authentication.md");

/// Kinds of query parameter values.
#[derive(Clone, Copy)]
enum Kind {
    Integer,
    Number,
    Text,
    Boolean,
    Date,
    Time,
}

/// A query parameter of a list.
struct Param {
    name: &'static str,
    kind: Kind,
    /// May be given several times (all values apply).
    repeated: bool,
    description: &'static str,
}

const fn param(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param { name, kind, repeated: false, description }
}

const fn repeated(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param { name, kind, repeated: true, description }
}

const PAGE: Param = param("page", Kind::Integer, "Page number, from 1, or `last` (v1 hobbies and hobby events).");
const PAGE_SIZE: Param = param(
    "page_size",
    Kind::Integer,
    "Items per page, 1–500 (v1 hobbies and hobby events; pre1 and pre2 lists are not paged).",
);
const NEAR_LATITUDE: Param = param("near_latitude", Kind::Number, "Latitude for `ordering=nearest`, −90…90.");
const NEAR_LONGITUDE: Param = param("near_longitude", Kind::Number, "Longitude for `ordering=nearest`, −180…180.");
const MAX_DISTANCE: Param =
    param("max_distance", Kind::Number, "Kilometres from the near point (great-circle); needs nearest ordering.");
const CATEGORY: Param =
    repeated("category", Kind::Integer, "Category id; its descendants match too. Several: any of them.");
const PRICE_TYPE: Param = param("price_type", Kind::Text, "`free`, `annual`, `seasonal`, `one_time` or `paid`.");
const EDITABLE_ONLY: Param =
    param("editable_only", Kind::Boolean, "Only what the caller may edit (nothing for anonymous callers).");
const EXCLUDE_PAST_EVENTS: Param =
    param("exclude_past_events", Kind::Boolean, "Leave out what ended before today (Europe/Helsinki).");
const SEARCH: Param = param(
    "search",
    Kind::Text,
    "Words in the name or description, or in a category's fi/en/sv name (with its descendants).",
);

/// One resource: its path segment, schemas and list parameters.
struct ResourceDoc {
    segment: &'static str,
    tag: &'static str,
    summary: &'static str,
    schema: &'static str,
    /// The pre1 shape, where it differs.
    pre1_schema: Option<&'static str>,
    input: Option<&'static str>,
    /// Writes other than create (benefits are immutable).
    editable: bool,
    includes: &'static [&'static str],
    params: &'static [Param],
}

const RESOURCES: &[ResourceDoc] = &[
    ResourceDoc {
        segment: "hobbies",
        tag: "Hobbies",
        summary: "hobbies",
        schema: "HobbyOut",
        pre1_schema: Some("HobbyPre1Out"),
        input: Some("HobbyInput"),
        editable: true,
        includes: &["location_detail", "organizer_detail"],
        params: &[
            CATEGORY,
            PRICE_TYPE,
            EDITABLE_ONLY,
            param("ordering", Kind::Text, "`nearest` or `-nearest`."),
            NEAR_LATITUDE,
            NEAR_LONGITUDE,
            MAX_DISTANCE,
        ],
    },
    ResourceDoc {
        segment: "hobbycategories",
        tag: "Hobby categories",
        summary: "hobby categories",
        schema: "CategoryOut",
        pre1_schema: None,
        input: None,
        editable: false,
        includes: &["child_categories"],
        params: &[
            param("parent", Kind::Text, "`null` for the roots, or a category id for its children."),
            param("lang", Kind::Text, "Language of `name`: `fi`, `en` or `sv`."),
        ],
    },
    ResourceDoc {
        segment: "hobbyevents",
        tag: "Hobby events",
        summary: "hobby events (each hobby's next event unless `hobby` is given)",
        schema: "EventOut",
        pre1_schema: None,
        input: Some("HobbyEventInput"),
        editable: true,
        includes: &["hobby_detail", "location_detail", "organizer_detail"],
        params: &[
            param("hobby", Kind::Integer, "All events of this hobby (not only its next)."),
            CATEGORY,
            PRICE_TYPE,
            param("start_date_from", Kind::Date, "Starts on or after (YYYY-MM-DD)."),
            param("start_date_to", Kind::Date, "Starts on or before."),
            param("start_time_from", Kind::Time, "Starts at or after (HH:MM)."),
            param("start_time_to", Kind::Time, "Starts at or before."),
            repeated("start_weekday", Kind::Integer, "ISO weekday 1 (Monday) … 7; several: any of them."),
            EXCLUDE_PAST_EVENTS,
            SEARCH,
            repeated(
                "ordering",
                Kind::Text,
                "`nearest`, `start_date` (each may be negated with `-`), comma-combinable.",
            ),
            NEAR_LATITUDE,
            NEAR_LONGITUDE,
            MAX_DISTANCE,
        ],
    },
    ResourceDoc {
        segment: "organizers",
        tag: "Organizers",
        summary: "organizers (signed-in users: those they may edit)",
        schema: "OrganizerOut",
        pre1_schema: None,
        input: Some("OrganizerInput"),
        editable: true,
        includes: &[],
        params: &[],
    },
    ResourceDoc {
        segment: "locations",
        tag: "Locations",
        summary: "locations (signed-in users: those they may edit)",
        schema: "LocationOut",
        pre1_schema: Some("LocationPre1Out"),
        input: Some("LocationInput"),
        editable: true,
        includes: &[],
        params: &[],
    },
    ResourceDoc {
        segment: "promotions",
        tag: "Promotions",
        summary: "promotions",
        schema: "PromotionOut",
        pre1_schema: None,
        input: Some("PromotionInput"),
        editable: true,
        includes: &["location_detail", "organizer_detail"],
        params: &[
            EXCLUDE_PAST_EVENTS,
            param("usable_only", Kind::Boolean, "Only promotions with redemptions left and not ended."),
            EDITABLE_ONLY,
            SEARCH,
            param("ordering", Kind::Text, "`nearest` or `-nearest`."),
            NEAR_LATITUDE,
            NEAR_LONGITUDE,
            MAX_DISTANCE,
        ],
    },
    ResourceDoc {
        segment: "benefits",
        tag: "Benefits",
        summary: "benefits (redemptions of promotions; immutable)",
        schema: "BenefitOut",
        pre1_schema: None,
        input: Some("BenefitInput"),
        editable: false,
        includes: &[],
        params: &[],
    },
];

fn schema_ref(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

fn kind_schema(kind: Kind) -> Schema {
    let builder = ObjectBuilder::new();
    let builder = match kind {
        Kind::Integer => builder.schema_type(Type::Integer),
        Kind::Number => builder.schema_type(Type::Number),
        Kind::Text => builder.schema_type(Type::String),
        Kind::Boolean => builder.schema_type(Type::String).enum_values(Some(["true", "false", "1", "0"])),
        Kind::Date => builder.schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        Kind::Time => builder.schema_type(Type::String).pattern(Some("^\\d{2}:\\d{2}(:\\d{2})?$")),
    };
    Schema::Object(builder.build())
}

fn query_param(p: &Param) -> utoipa::openapi::path::Parameter {
    let schema = if p.repeated {
        Schema::Array(ArrayBuilder::new().items(RefOr::T(kind_schema(p.kind))).build())
    } else {
        kind_schema(p.kind)
    };
    ParameterBuilder::new()
        .name(p.name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(p.description))
        .schema(Some(schema))
        .explode(p.repeated.then_some(true))
        .build()
}

fn include_param(options: &[&str]) -> utoipa::openapi::path::Parameter {
    let values =
        Schema::Object(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(options.to_vec())).build());
    ParameterBuilder::new()
        .name("include")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some("Nest related objects instead of their ids; repeatable."))
        .schema(Some(Schema::Array(ArrayBuilder::new().items(RefOr::T(values)).build())))
        .explode(Some(true))
        .build()
}

fn path_param(name: &str, schema: Schema, description: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn version_param() -> utoipa::openapi::path::Parameter {
    let versions = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["pre1", "pre2", "v1"])).build();
    path_param(
        "version",
        Schema::Object(versions),
        "`pre1` (lat/lon, arrays), `pre2` (GeoJSON, arrays) or `v1` (GeoJSON, paginated hobbies and events).",
    )
}

fn id_param() -> utoipa::openapi::path::Parameter {
    path_param("id", kind_schema(Kind::Integer), "The object's id.")
}

fn json_response(description: &str, schema: impl Into<RefOr<Schema>>) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(schema)).build())
        .build()
}

fn detail_response(description: &str) -> utoipa::openapi::Response {
    json_response(description, schema_ref("Detail"))
}

/// 400: field errors, or `{"detail": …}` for a body that is not a JSON object at all.
fn invalid_response(description: &str) -> utoipa::openapi::Response {
    json_response(description, any_of([schema_ref("FieldErrors"), schema_ref("Detail")]))
}

fn any_of(items: impl IntoIterator<Item = RefOr<Schema>>) -> Schema {
    let mut builder = AnyOfBuilder::new();
    for item in items {
        builder = builder.item(item);
    }
    Schema::AnyOf(builder.build())
}

/// 404 of a versioned path: an unknown version is the HTML not-found page.
fn versioned_not_found(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(format!("{description}, or an unknown version (an HTML page)"))
        .content("application/json", ContentBuilder::new().schema(Some(schema_ref("Detail"))).build())
        .content("text/html", ContentBuilder::new().build())
        .build()
}

/// The shape of an object: the version's when pre1 differs.
fn object_schema(resource: &ResourceDoc, versioned: bool) -> RefOr<Schema> {
    match (resource.pre1_schema, versioned) {
        (Some(pre1), true) => RefOr::T(any_of([schema_ref(resource.schema), schema_ref(pre1)])),
        _ => schema_ref(resource.schema),
    }
}

fn list_schema(item: RefOr<Schema>, paged: bool) -> Schema {
    let array = Schema::Array(ArrayBuilder::new().items(item.clone()).build());
    if !paged {
        return array;
    }
    let link = || {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .format(Some(SchemaFormat::Custom("uri".into())))
            .description(Some("The absolute URL of the neighbouring page, or null."))
    };
    let page = ObjectBuilder::new()
        .property("count", kind_schema(Kind::Integer))
        .property("next", link())
        .property("previous", link())
        .property("results", Schema::Array(ArrayBuilder::new().items(item).build()))
        .required("count")
        .required("next")
        .required("previous")
        .required("results")
        .description(Some("A page (v1 hobbies and hobby events)."))
        .build();
    any_of([RefOr::T(array), RefOr::T(Schema::Object(page))])
}

/// The operations of one list and one detail path.
fn resource_items(resource: &ResourceDoc, versioned: bool) -> (PathItem, PathItem) {
    let id_suffix = if versioned { "_versioned" } else { "" };
    let with_version = |op: OperationBuilder| if versioned { op.parameter(version_param()) } else { op };
    let not_found = |description: &str| {
        if versioned {
            versioned_not_found(description)
        } else {
            detail_response(description)
        }
    };
    let object = object_schema(resource, versioned);
    // Only v1 pages, and only hobbies and hobby events.
    let paged = versioned && matches!(resource.segment, "hobbies" | "hobbyevents");
    let mut list = with_version(OperationBuilder::new())
        .tag(resource.tag)
        .summary(Some(format!("List {}", resource.summary)))
        .operation_id(Some(format!("list_{}{id_suffix}", resource.segment)))
        .response("200", json_response("The list", list_schema(object.clone(), paged)))
        .response("400", invalid_response("A filter value is invalid; the parameter is named"))
        .response("401", detail_response("An `Authorization` header that is not valid"))
        .response("404", not_found("A page beyond the end"));
    if !resource.includes.is_empty() {
        list = list.parameter(include_param(resource.includes));
    }
    let paging = [&PAGE, &PAGE_SIZE];
    let paging = if versioned || matches!(resource.segment, "hobbies" | "hobbyevents") { &paging[..] } else { &[] };
    for p in resource.params.iter().chain(paging.iter().copied()) {
        list = list.parameter(query_param(p));
    }
    let mut list_item = PathItem::new(HttpMethod::Get, list.build());
    let detail = with_version(OperationBuilder::new())
        .tag(resource.tag)
        .summary(Some(format!("One of the {}", resource.segment)))
        .operation_id(Some(format!("get_{}{id_suffix}", resource.segment)))
        .parameter(id_param())
        .response("200", json_response("The object", object.clone()))
        .response("401", detail_response("An `Authorization` header that is not valid"))
        .response("404", not_found("No such object"));
    let detail = if resource.includes.is_empty() { detail } else { detail.parameter(include_param(resource.includes)) };
    let mut detail_item = PathItem::new(HttpMethod::Get, detail.build());
    if let Some(input) = resource.input {
        let write = |verb: &str, id: bool, status: &str, ok: &str| {
            let op = with_version(OperationBuilder::new())
                .tag(resource.tag)
                .summary(Some(format!("{verb} ({})", resource.segment)))
                .operation_id(Some(format!("{}_{}{id_suffix}", verb.to_lowercase(), resource.segment)))
                .security(SecurityRequirement::new("jwt", Vec::<String>::new()))
                .security(SecurityRequirement::new("token", Vec::<String>::new()))
                .security(SecurityRequirement::new("session", Vec::<String>::new()))
                .response(status, json_response(ok, object.clone()))
                .response("400", invalid_response("Invalid fields, each named"))
                .response("401", detail_response("Not signed in"))
                .response("403", detail_response("No right to edit this object"))
                .response("413", detail_response("The body is larger than the limit"))
                .response("415", detail_response("A media type other than JSON, a form or multipart"));
            let op = if versioned { op.response("404", not_found("An unknown version")) } else { op };
            if id {
                op.parameter(id_param()).response("404", not_found("No such object"))
            } else {
                op
            }
        };
        let body = |required: bool| {
            RequestBodyBuilder::new()
                .content("application/json", ContentBuilder::new().schema(Some(schema_ref(input))).build())
                .required(Some(if required { Required::True } else { Required::False }))
                .build()
        };
        list_item.merge_operations(PathItem::new(
            HttpMethod::Post,
            write("Create", false, "201", "Created").request_body(Some(body(true))).build(),
        ));
        if resource.editable {
            detail_item.merge_operations(PathItem::new(
                HttpMethod::Put,
                write("Replace", true, "200", "Replaced").request_body(Some(body(true))).build(),
            ));
            detail_item.merge_operations(PathItem::new(
                HttpMethod::Patch,
                write("Update", true, "200", "Updated").request_body(Some(body(false))).build(),
            ));
            let delete = write("Delete", true, "204", "Deleted");
            let delete = if matches!(resource.segment, "locations" | "organizers") {
                delete.response("409", detail_response("Other users' hobbies or promotions use it"))
            } else {
                delete
            };
            let mut delete = delete.build();
            delete
                .responses
                .responses
                .insert("204".into(), RefOr::T(ResponseBuilder::new().description("Deleted").build()));
            detail_item.merge_operations(PathItem::new(HttpMethod::Delete, delete));
        }
    }
    (list_item, detail_item)
}

fn api_root(versioned: bool) -> PathItem {
    let op = OperationBuilder::new()
        .tag("API root")
        .summary(Some("Links to every resource list"))
        .operation_id(Some(if versioned { "api_root_versioned" } else { "api_root" }))
        .response(
            "200",
            json_response("Resource names and their absolute URLs", Schema::Object(ObjectBuilder::new().build())),
        )
        .response("401", detail_response("An `Authorization` header that is not valid"));
    let op =
        if versioned { op.parameter(version_param()).response("404", versioned_not_found("No such page")) } else { op };
    PathItem::new(HttpMethod::Get, op.build())
}

fn auth_paths(paths: PathsBuilder) -> PathsBuilder {
    let password = OperationBuilder::new()
        .tag("Authentication")
        .summary(Some("A JWT pair for a username and password"))
        .operation_id(Some("obtain_token_pair"))
        .request_body(Some(
            RequestBodyBuilder::new()
                .content("application/json", ContentBuilder::new().schema(Some(schema_ref("TokenRequest"))).build())
                .required(Some(Required::True))
                .build(),
        ))
        .response("200", json_response("The pair", schema_ref("TokenPair")))
        .response("400", invalid_response("A field is missing, or the body is not a JSON object"))
        .response("401", detail_response("Wrong credentials or an inactive user"))
        .response("403", detail_response("A browser session's post without its CSRF token"))
        .response("415", detail_response("A media type other than JSON, a form or multipart"))
        .response("429", detail_response("Too many sign-ins from this address or for this username; see Retry-After"))
        .response("503", detail_response("Passwords are being checked at capacity; see Retry-After"));
    let session = OperationBuilder::new()
        .tag("Authentication")
        .summary(Some("A JWT pair for the signed-in browser session"))
        .operation_id(Some("token_pair_for_session"))
        .security(SecurityRequirement::new("session", Vec::<String>::new()))
        .response("200", json_response("The pair", schema_ref("TokenPair")))
        .response("401", detail_response("No session"));
    let mut token = PathItem::new(HttpMethod::Post, password.build());
    token.merge_operations(PathItem::new(HttpMethod::Get, session.build()));
    let refresh = OperationBuilder::new()
        .tag("Authentication")
        .summary(Some("A new access token for a refresh token"))
        .operation_id(Some("refresh_token"))
        .request_body(Some(
            RequestBodyBuilder::new()
                .content("application/json", ContentBuilder::new().schema(Some(schema_ref("RefreshRequest"))).build())
                .required(Some(Required::True))
                .build(),
        ))
        .response("200", json_response("The access token", schema_ref("AccessToken")))
        .response("400", invalid_response("The `refresh` field is missing, or the body is not a JSON object"))
        .response("401", detail_response("Invalid, expired or not a refresh token"))
        .response("415", detail_response("A media type other than JSON, a form or multipart"));
    paths.path("/auth/token/", token).path("/auth/token/refresh/", PathItem::new(HttpMethod::Post, refresh.build()))
}

fn operations_paths(paths: PathsBuilder) -> PathsBuilder {
    let simple = |id: &str, summary: &str, tag: &str, ok: &str| {
        OperationBuilder::new()
            .tag(tag)
            .summary(Some(summary))
            .operation_id(Some(id))
            .response("200", ResponseBuilder::new().description(ok).build())
    };
    let monitor = simple("monitor", "Health of the database and the image store", "Operations", "All parts work")
        .parameter(query_param(&param("format", Kind::Text, "`json` for JSON instead of HTML.")))
        .response("406", ResponseBuilder::new().description("Neither HTML nor JSON is acceptable").build())
        .response(
            "503",
            json_response(
                "A part does not work; its value is the error",
                Schema::Object(
                    ObjectBuilder::new()
                        .additional_properties(Some(AdditionalProperties::FreeForm(true)))
                        .examples([json!({"CacheBackend": "working", "DatabaseBackend": "working", "DefaultFileStorageHealthCheck": "working"})])
                        .build(),
                ),
            ),
        );
    let media = simple("media", "A stored image", "Operations", "The image, with ETag and cache headers")
        .parameter(path_param("path", kind_schema(Kind::Text), "The image's stored name."))
        .response("404", ResponseBuilder::new().description("No such image").build());
    paths
        .path("/monitor/", PathItem::new(HttpMethod::Get, monitor.build()))
        .path(
            "/healthz",
            PathItem::new(
                HttpMethod::Get,
                simple("alive", "Liveness: the process answers", "Operations", "Alive").build(),
            ),
        )
        .path(
            "/metrics",
            PathItem::new(
                HttpMethod::Get,
                simple("metrics", "Prometheus metrics", "Operations", "Prometheus text format")
                    .response(
                        "401",
                        ResponseBuilder::new().description("A metrics token is configured and was not given").build(),
                    )
                    .build(),
            ),
        )
        .path("/media/{path}", PathItem::new(HttpMethod::Get, media.build()))
}

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
    add_schema::<views::HobbyOut>(&mut schemas);
    add_schema::<views::HobbyPre1Out>(&mut schemas);
    add_schema::<views::EventOut>(&mut schemas);
    add_schema::<views::CategoryOut>(&mut schemas);
    add_schema::<views::OrganizerOut>(&mut schemas);
    add_schema::<views::LocationOut>(&mut schemas);
    add_schema::<views::LocationPre1Out>(&mut schemas);
    add_schema::<views::PromotionOut>(&mut schemas);
    add_schema::<views::BenefitOut>(&mut schemas);
    add_schema::<inputs::HobbyInput>(&mut schemas);
    add_schema::<inputs::HobbyEventInput>(&mut schemas);
    add_schema::<inputs::LocationInput>(&mut schemas);
    add_schema::<inputs::OrganizerInput>(&mut schemas);
    add_schema::<inputs::PromotionInput>(&mut schemas);
    add_schema::<inputs::BenefitInput>(&mut schemas);
    add_schema::<inputs::TokenRequest>(&mut schemas);
    add_schema::<inputs::RefreshRequest>(&mut schemas);
    add_schema::<inputs::TokenPair>(&mut schemas);
    add_schema::<inputs::AccessToken>(&mut schemas);
    add_schema::<inputs::Detail>(&mut schemas);
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

/// The whole document.
pub fn document() -> OpenApi {
    choices_as_any_of(described())
}

fn described() -> OpenApi {
    let mut paths = PathsBuilder::new();
    for versioned in [true, false] {
        let prefix = if versioned { "/api/{version}" } else { "/api" };
        paths = paths.path(format!("{prefix}/"), api_root(versioned));
        for resource in RESOURCES {
            let (list, detail) = resource_items(resource, versioned);
            paths = paths
                .path(format!("{prefix}/{}/", resource.segment), list)
                .path(format!("{prefix}/{}/{{id}}/", resource.segment), detail);
        }
    }
    let paths = operations_paths(auth_paths(paths));
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
