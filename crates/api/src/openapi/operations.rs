//! The building blocks of the API description, used where each route is registered
//! (`crate::routes`): a resource's list and detail operations per API version, the
//! sign-in and operations endpoints, the query parameters and responses they share.

use super::bodies::body_schema;
use crate::auth::token_endpoints;
use crate::read_log::FieldDoc;
use crate::version::ApiVersion;
use serde_json::json;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType,
    Type,
};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};

/// Where a resource is documented: a version's prefix, or the unversioned `/api` (pre2).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocumentedAt {
    pub(crate) version: ApiVersion,
    /// The unversioned prefix (`/api/…`), which answers as pre2.
    pub(crate) unversioned: bool,
}

impl DocumentedAt {
    /// Operation ids stay unique across the prefixes: `list_hobbies_v1`, `list_hobbies`.
    fn operation_suffix(self) -> String {
        if self.unversioned {
            String::new()
        } else {
            format!("_{}", self.version.as_str())
        }
    }
}

/// Kinds of query parameter values.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Integer,
    Number,
    Text,
    Boolean,
    Date,
    Time,
}

/// A query parameter of a list.
pub(crate) struct Param {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// May be given several times (all values apply).
    pub(crate) repeated: bool,
    pub(crate) description: &'static str,
}

pub(crate) const fn param(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param { name, kind, repeated: false, description }
}

pub(crate) const fn repeated(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param { name, kind, repeated: true, description }
}

const PAGE: Param = param("page", Kind::Integer, "Page number, from 1, or `last` (v1 hobbies and hobby events).");
const PAGE_SIZE: Param = param(
    "page_size",
    Kind::Integer,
    "Items per page, 1–500 (v1 hobbies and hobby events; pre1 and pre2 lists are not paged).",
);
pub(crate) const NEAR_LATITUDE: Param =
    param("near_latitude", Kind::Number, "Latitude for `ordering=nearest`, −90…90.");
pub(crate) const NEAR_LONGITUDE: Param =
    param("near_longitude", Kind::Number, "Longitude for `ordering=nearest`, −180…180.");
pub(crate) const MAX_DISTANCE: Param =
    param("max_distance", Kind::Number, "Kilometres from the near point (great-circle); needs nearest ordering.");
pub(crate) const CATEGORY: Param =
    repeated("category", Kind::Integer, "Category id; its descendants match too. Several: any of them.");
pub(crate) const PRICE_TYPE: Param =
    param("price_type", Kind::Text, "`free`, `annual`, `seasonal`, `one_time` or `paid`.");
pub(crate) const EDITABLE_ONLY: Param =
    param("editable_only", Kind::Boolean, "Only what the caller may edit (nothing for anonymous callers).");
pub(crate) const EXCLUDE_PAST_EVENTS: Param =
    param("exclude_past_events", Kind::Boolean, "Leave out what ended before today (Europe/Helsinki).");
pub(crate) const SEARCH: Param = param(
    "search",
    Kind::Text,
    "Words in the name or description, or in a category's fi/en/sv name (with its descendants).",
);

/// The documentation of one resource, registered with its routes: schemas and list
/// parameters.
pub(crate) struct ResourceDoc {
    pub(crate) segment: &'static str,
    pub(crate) tag: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) schema: &'static str,
    /// The pre1 shape, where it differs.
    pub(crate) pre1_schema: Option<&'static str>,
    /// The body fields its writes read, per version (`None`: read-only).
    pub(crate) input: Option<fn(ApiVersion) -> Vec<FieldDoc>>,
    /// Writes other than create (benefits are immutable).
    pub(crate) editable: bool,
    pub(crate) includes: &'static [&'static str],
    pub(crate) params: &'static [Param],
    /// The query parameters of the detail besides `include`.
    pub(crate) detail_params: &'static [Param],
    /// Paged in the versions that page (v1).
    pub(crate) paged: bool,
}

fn schema_ref(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

pub(crate) fn kind_schema(kind: Kind) -> Schema {
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

/// A JSON body of this schema (forms and multipart with the same fields are read too).
fn request_body(schema: Schema, required: bool) -> utoipa::openapi::request_body::RequestBody {
    RequestBodyBuilder::new()
        .content("application/json", ContentBuilder::new().schema(Some(schema)).build())
        .required(Some(if required { Required::True } else { Required::False }))
        .build()
}

fn any_of(items: impl IntoIterator<Item = RefOr<Schema>>) -> Schema {
    let mut builder = AnyOfBuilder::new();
    for item in items {
        builder = builder.item(item);
    }
    Schema::AnyOf(builder.build())
}

/// The shape of an object in a version: pre1's where it differs.
fn object_schema(resource: &ResourceDoc, version: ApiVersion) -> RefOr<Schema> {
    match (resource.pre1_schema, version) {
        (Some(pre1), ApiVersion::Pre1) => schema_ref(pre1),
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
pub(crate) fn resource_items(resource: &ResourceDoc, at: DocumentedAt) -> (PathItem, PathItem) {
    let id_suffix = at.operation_suffix();
    let not_found = detail_response;
    let object = object_schema(resource, at.version);
    let paged = at.version.paginates() && resource.paged;
    let list_not_found = if paged { "A page beyond the end" } else { "Not found" };
    let mut list = OperationBuilder::new()
        .tag(resource.tag)
        .summary(Some(format!("List {}", resource.summary)))
        .operation_id(Some(format!("list_{}{id_suffix}", resource.segment)))
        .response("200", json_response("The list", list_schema(object.clone(), paged)))
        .response("400", invalid_response("A filter value is invalid; the parameter is named"))
        .response("401", detail_response("An `Authorization` header that is not valid"))
        .response("404", not_found(list_not_found));
    if !resource.includes.is_empty() {
        list = list.parameter(include_param(resource.includes));
    }
    let paging = [&PAGE, &PAGE_SIZE];
    let paging = if paged { &paging[..] } else { &[] };
    for p in resource.params.iter().chain(paging.iter().copied()) {
        list = list.parameter(query_param(p));
    }
    let mut list_item = PathItem::new(HttpMethod::Get, list.build());
    let detail = OperationBuilder::new()
        .tag(resource.tag)
        .summary(Some(format!("One of the {}", resource.segment)))
        .operation_id(Some(format!("get_{}{id_suffix}", resource.segment)))
        .parameter(id_param())
        .response("200", json_response("The object", object.clone()))
        .response("401", detail_response("An `Authorization` header that is not valid"))
        .response("404", not_found("No such object"));
    let mut detail =
        if resource.includes.is_empty() { detail } else { detail.parameter(include_param(resource.includes)) };
    for p in resource.detail_params {
        detail = detail.parameter(query_param(p));
    }
    let mut detail_item = PathItem::new(HttpMethod::Get, detail.build());
    if let Some(input) = resource.input {
        let write = |verb: &str, id: bool, status: &str, ok: &str| {
            let op = OperationBuilder::new()
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
            if id {
                op.parameter(id_param()).response("404", not_found("No such object"))
            } else {
                op
            }
        };
        let fields = input(at.version);
        let body = |required: bool| request_body(body_schema(&fields, required), required);
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

/// The API root of a version.
pub(crate) fn api_root(at: DocumentedAt) -> PathItem {
    let op = OperationBuilder::new()
        .tag("API root")
        .summary(Some("Links to every resource list"))
        .operation_id(Some(format!("api_root{}", at.operation_suffix())))
        .response(
            "200",
            json_response("Resource names and their absolute URLs", Schema::Object(ObjectBuilder::new().build())),
        )
        .response("401", detail_response("An `Authorization` header that is not valid"));
    PathItem::new(HttpMethod::Get, op.build())
}

/// `/auth/token/`: a JWT pair for a password (POST) or for the browser session (GET).
pub(crate) fn token_pair() -> PathItem {
    let password = OperationBuilder::new()
        .tag("Authentication")
        .summary(Some("A JWT pair for a username and password"))
        .operation_id(Some("obtain_token_pair"))
        .request_body(Some(request_body(body_schema(&token_endpoints::described_credentials(), true), true)))
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
    token
}

/// `/auth/token/refresh/`.
pub(crate) fn token_refresh() -> PathItem {
    let refresh = OperationBuilder::new()
        .tag("Authentication")
        .summary(Some("A new access token for a refresh token"))
        .operation_id(Some("refresh_token"))
        .request_body(Some(request_body(body_schema(&token_endpoints::described_refresh(), true), true)))
        .response("200", json_response("The access token", schema_ref("AccessToken")))
        .response("400", invalid_response("The `refresh` field is missing, or the body is not a JSON object"))
        .response("401", detail_response("Invalid, expired or not a refresh token"))
        .response("415", detail_response("A media type other than JSON, a form or multipart"));
    PathItem::new(HttpMethod::Post, refresh.build())
}

fn simple(id: &str, summary: &str, tag: &str, ok: &str) -> OperationBuilder {
    OperationBuilder::new()
        .tag(tag)
        .summary(Some(summary))
        .operation_id(Some(id))
        .response("200", ResponseBuilder::new().description(ok).build())
}

/// `/monitor/`: the original's health check.
pub(crate) fn monitor() -> PathItem {
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
    PathItem::new(HttpMethod::Get, monitor.build())
}

/// `/healthz`.
pub(crate) fn alive() -> PathItem {
    PathItem::new(HttpMethod::Get, simple("alive", "Liveness: the process answers", "Operations", "Alive").build())
}

/// `/metrics`.
pub(crate) fn metrics() -> PathItem {
    let metrics = simple("metrics", "Prometheus metrics", "Operations", "Prometheus text format")
        .response("401", ResponseBuilder::new().description("A metrics token is configured and was not given").build());
    PathItem::new(HttpMethod::Get, metrics.build())
}

/// `/media/{path}`.
pub(crate) fn media() -> PathItem {
    let media = simple("media", "A stored image", "Operations", "The image, with ETag and cache headers")
        .parameter(path_param("path", kind_schema(Kind::Text), "The image's stored name."))
        .response("404", ResponseBuilder::new().description("No such image").build());
    PathItem::new(HttpMethod::Get, media.build())
}

/// `/api/v1/changes/`: the change feed.
pub(crate) fn change_feed() -> PathItem {
    let item = ObjectBuilder::new()
        .property("change", ObjectBuilder::new().schema_type(Type::Integer))
        .property("kind", ObjectBuilder::new().schema_type(Type::String))
        .property("id", ObjectBuilder::new().schema_type(Type::Integer))
        .property("state", ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["updated", "deleted"])))
        .property(
            "modified",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .property(
            "data",
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .additional_properties(Some(AdditionalProperties::FreeForm(true))),
        )
        .required("change")
        .required("kind")
        .required("id")
        .required("state")
        .required("modified");
    let page = ObjectBuilder::new()
        .property("license", ObjectBuilder::new().schema_type(Type::String))
        .property("next", ObjectBuilder::new().schema_type(Type::String))
        .property("items", ArrayBuilder::new().items(item))
        .required("license")
        .required("next")
        .required("items");
    let mut feed = OperationBuilder::new()
        .tag("Change feed")
        .summary(Some("Every change of hobbies, events, promotions, organizers, locations and categories, in commit order"))
        .description(Some(
            "Items are ordered by `change`, a number that only grows. Follow `next` until a page is empty, then poll it: \
             a change committed after a page was read always gets a larger number than the page's last item, so nothing is \
             skipped. Each object appears once, at its latest change, as `/api/v1/` shows it to anonymous callers; deleted \
             objects appear as `state: deleted` for the tombstone period (30 days by default).",
        ))
        .operation_id(Some("changes"))
        .response("200", json_response("One page of the feed", Schema::Object(page.build())))
        .response("400", invalid_response("A parameter is not valid"));
    for p in crate::resources::changes::CHANGE_PARAMS {
        feed = feed.parameter(query_param(p));
    }
    PathItem::new(HttpMethod::Get, feed.build())
}
