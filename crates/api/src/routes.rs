//! The URL map: every resource under `/api/{pre1,pre2,v1}/`, `/mobile-api/{…}/` and the
//! unversioned `/api/` and `/mobile-api/` (pre2); method handling with the original's order
//! of checks (401 before 405); the `Allow` header; a GET or HEAD without its trailing slash
//! answered 301 to the slashed path with the query kept byte for byte; HTML 404 otherwise.

use crate::auth::Caller;
use crate::auth::{login, token_endpoints};
use crate::error::ApiError;
use crate::json;
use crate::media_route;
use crate::openapi::operations::{self, DocumentedAt, ResourceDoc};
use crate::resources::detail::detail;
use crate::resources::writing::{self, described_input, WriteResource};
use crate::resources::{benefits, categories, changes, events, hobbies, locations, organizers, promotions, root};
use crate::state::AppState;
use crate::version::ApiVersion;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Extension, Router};
use serde_json::json;
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::path::PathItem;

/// URL prefixes of the API and the version each one means.
pub const API_PREFIXES: [(&str, ApiVersion); 8] = [
    ("/api", ApiVersion::Pre2),
    ("/api/pre1", ApiVersion::Pre1),
    ("/api/pre2", ApiVersion::Pre2),
    ("/api/v1", ApiVersion::V1),
    ("/mobile-api", ApiVersion::Pre2),
    ("/mobile-api/pre1", ApiVersion::Pre1),
    ("/mobile-api/pre2", ApiVersion::Pre2),
    ("/mobile-api/v1", ApiVersion::V1),
];

const ALLOW_LIST: &str = "GET, POST, HEAD, OPTIONS";
const ALLOW_DETAIL: &str = "GET, PUT, PATCH, DELETE, HEAD, OPTIONS";
const ALLOW_READ_ONLY: &str = "GET, HEAD, OPTIONS";

/// The routes and, beside them, the set of paths for the trailing-slash redirect and the
/// documentation each route of the JSON API was registered with.
pub struct RouteTable {
    router: Router<AppState>,
    paths: matchit::Router<()>,
    /// Every path in the order added (for the documentation-completeness test).
    listed: Vec<String>,
    documented: Vec<(String, PathItem)>,
}

impl Default for RouteTable {
    fn default() -> Self {
        Self::new()
    }
}

impl RouteTable {
    pub fn new() -> Self {
        Self { router: Router::new(), paths: matchit::Router::new(), listed: Vec::new(), documented: Vec::new() }
    }

    /// A route of the JSON API with its documentation.
    pub(crate) fn api(mut self, path: &str, route: MethodRouter<AppState>, documentation: PathItem) -> Self {
        self.documented.push((path.to_owned(), documentation));
        self.add(path, route)
    }

    /// A route outside the described JSON API: a browser page, the description itself, the
    /// `/mobile-api` mirror of `/api`.
    pub fn add(mut self, path: &str, route: MethodRouter<AppState>) -> Self {
        self.paths.insert(path, ()).unwrap_or_else(|e| panic!("route {path}: {e}"));
        self.listed.push(path.to_owned());
        self.router = self.router.route(path, route);
        self
    }

    /// The router with the redirect/404 fallback, CORS and the given state.
    pub fn finish(self, state: AppState) -> Router {
        let paths = Arc::new(self.paths);
        let cors = cors_layer(&state.config.cors_allowed_origins);
        let record_metrics = axum::middleware::from_fn_with_state(state.clone(), crate::metrics::record);
        let check_host = axum::middleware::from_fn_with_state(state.clone(), crate::origin::check_host);
        let read_log = state.config.read_log.clone();
        let cache = crate::http_cache::ResponseCache::new(
            state.app.clone(),
            state.config.response_cache_bytes,
            state.config.public_max_age_seconds,
        );
        // Inside the host check (a refused host is never answered from the cache) and the
        // metrics (hits are counted by their route too).
        let cache = axum::middleware::from_fn_with_state(cache, crate::http_cache::conditional_get);
        let router = self
            .router
            .route_layer(axum::middleware::from_fn(crate::metrics::tag_route))
            .fallback(move |request: Request| not_routed(paths.clone(), request))
            .with_state(state);
        let router = match read_log {
            Some(log) => router.layer(Extension(log)),
            None => router,
        };
        let Some(cors) = cors else {
            return router.layer(cache).layer(check_host).layer(record_metrics);
        };
        // The CORS layer answers every OPTIONS itself; only real preflights should reach
        // it, a plain OPTIONS gets the endpoint's description.
        let with_cors = router.clone().layer(cors);
        let dispatch = tower::service_fn(move |request: Request| {
            let cors_applies = request.method() != Method::OPTIONS
                || request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
            let service = if cors_applies { with_cors.clone() } else { router.clone() };
            service.oneshot(request)
        });
        Router::new().fallback_service(dispatch).layer(cache).layer(check_host).layer(record_metrics)
    }
}

/// Credentialed CORS for exactly the configured origins, on every response (errors too).
fn cors_layer(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> =
        origins.iter().filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()).collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_credentials(true)
            .allow_methods([
                Method::GET,
                Method::HEAD,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
                Method::OPTIONS,
            ])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::HeaderName::from_static("x-csrftoken"),
                header::HeaderName::from_static("x-requested-with"),
            ])
            .max_age(std::time::Duration::from_secs(3600)),
    )
}

async fn not_routed(paths: Arc<matchit::Router<()>>, request: Request) -> Response {
    let uri = request.uri();
    let path = uri.path();
    if (request.method() == Method::GET || request.method() == Method::HEAD) && !path.ends_with('/') {
        let slashed = format!("{path}/");
        if paths.at(&slashed).is_ok() {
            let target = redirect_target(uri, &slashed);
            if let Ok(location) = HeaderValue::from_str(&target) {
                return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response();
            }
        }
    }
    not_found_page()
}

/// The slashed path with the raw query string copied byte for byte.
fn redirect_target(uri: &Uri, slashed: &str) -> String {
    match uri.query() {
        Some(query) => format!("{slashed}?{query}"),
        None => slashed.to_owned(),
    }
}

pub fn not_found_page() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html("<!doctype html>\n<html lang=\"fi\"><head><title>Not Found</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>\n"),
    )
        .into_response()
}

/// Methods a route does not have: 401 for anonymous writes (authentication is checked
/// first), 405 otherwise.
async fn method_not_handled(state: State<AppState>, method: Method, request: Request) -> Response {
    method_refused(state, method, request, true).await
}

/// Methods of the token endpoints that they do not have: always 405 (they need no login).
async fn method_not_allowed(state: State<AppState>, method: Method, request: Request) -> Response {
    method_refused(state, method, request, false).await
}

async fn method_refused(
    State(state): State<AppState>,
    method: Method,
    request: Request,
    login_first: bool,
) -> Response {
    let (mut parts, _) = request.into_parts();
    let caller =
        match <Caller as axum::extract::FromRequestParts<AppState>>::from_request_parts(&mut parts, &state).await {
            Ok(caller) => caller,
            Err(error) => return error.into_response(),
        };
    if login_first && caller.user().is_none() && !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return ApiError::NotAuthenticated.into_response();
    }
    ApiError::MethodNotAllowed(method).into_response()
}

/// `OPTIONS`: a short description of the endpoint, as the original's metadata.
fn describe(name: String) -> MethodRouter<AppState> {
    axum::routing::options(move |_caller: Caller| async move {
        json::ok(&json!({
            "name": name,
            "description": "",
            "renders": ["application/json", "text/html"],
            "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
        }))
    })
}

/// Completes a route: OPTIONS, the method fallback and the `Allow` header.
fn endpoint(route: MethodRouter<AppState>, name: String, allow: &'static str) -> MethodRouter<AppState> {
    route
        .merge(describe(name))
        .fallback(method_not_handled)
        .layer(SetResponseHeaderLayer::overriding(header::ALLOW, HeaderValue::from_static(allow)))
}

/// A route open to everyone whose other methods are 405.
fn open_endpoint(route: MethodRouter<AppState>, name: &str, allow: &'static str) -> MethodRouter<AppState> {
    route
        .merge(describe(name.to_owned()))
        .fallback(method_not_allowed)
        .layer(SetResponseHeaderLayer::overriding(header::ALLOW, HeaderValue::from_static(allow)))
}

/// A resource: its list and detail routes, and whether it can be written.
struct Resource {
    title: &'static str,
    doc: ResourceDoc,
    list: MethodRouter<AppState>,
    detail: MethodRouter<AppState>,
    list_allow: &'static str,
    detail_allow: &'static str,
}

/// List and detail routes of a resource written through `R`.
fn writable_routes<R: WriteResource>(
    list: MethodRouter<AppState>,
    detail: MethodRouter<AppState>,
) -> (MethodRouter<AppState>, MethodRouter<AppState>) {
    (
        list.post(writing::create::<R>),
        detail.put(writing::replace::<R>).patch(writing::patch::<R>).delete(writing::delete::<R>),
    )
}

fn resources() -> Vec<Resource> {
    let writable = |title, doc, (list, detail)| Resource {
        title,
        doc,
        list,
        detail,
        list_allow: ALLOW_LIST,
        detail_allow: ALLOW_DETAIL,
    };
    vec![
        writable(
            "Hobby",
            ResourceDoc {
                segment: "hobbies",
                tag: "Hobbies",
                summary: "hobbies",
                schema: "HobbyOut",
                pre1_schema: Some("HobbyPre1Out"),
                input: Some(described_input::<hobbies::Hobbies>),
                editable: true,
                includes: &["location_detail", "organizer_detail"],
                params: hobbies::query::HOBBY_PARAMS,
                detail_params: &[],
                paged: true,
            },
            writable_routes::<hobbies::Hobbies>(get(hobbies::list), get(detail::<hobbies::Hobbies>)),
        ),
        Resource {
            title: "Hobby Category",
            doc: ResourceDoc {
                segment: "hobbycategories",
                tag: "Hobby categories",
                summary: "hobby categories",
                schema: "CategoryOut",
                pre1_schema: None,
                input: None,
                editable: false,
                includes: &["child_categories"],
                params: categories::query::CATEGORY_PARAMS,
                detail_params: categories::query::CATEGORY_DETAIL_PARAMS,
                paged: false,
            },
            list: get(categories::list),
            detail: get(categories::detail),
            list_allow: ALLOW_READ_ONLY,
            detail_allow: ALLOW_READ_ONLY,
        },
        writable(
            "Hobby Event",
            ResourceDoc {
                segment: "hobbyevents",
                tag: "Hobby events",
                summary: "hobby events (each hobby's next event unless `hobby` is given)",
                schema: "EventOut",
                pre1_schema: None,
                input: Some(described_input::<events::HobbyEvents>),
                editable: true,
                includes: &["hobby_detail", "location_detail", "organizer_detail"],
                params: events::query::EVENT_PARAMS,
                detail_params: &[],
                paged: true,
            },
            writable_routes::<events::HobbyEvents>(get(events::list), get(detail::<events::HobbyEvents>)),
        ),
        writable(
            "Organizer",
            ResourceDoc {
                segment: "organizers",
                tag: "Organizers",
                summary: "organizers (signed-in users: those they may edit)",
                schema: "OrganizerOut",
                pre1_schema: None,
                input: Some(described_input::<organizers::Organizers>),
                editable: true,
                includes: &[],
                params: &[],
                detail_params: &[],
                paged: false,
            },
            writable_routes::<organizers::Organizers>(get(organizers::list), get(organizers::detail)),
        ),
        writable(
            "Location",
            ResourceDoc {
                segment: "locations",
                tag: "Locations",
                summary: "locations (signed-in users: those they may edit)",
                schema: "LocationOut",
                pre1_schema: Some("LocationPre1Out"),
                input: Some(described_input::<locations::Locations>),
                editable: true,
                includes: &[],
                params: &[],
                detail_params: &[],
                paged: false,
            },
            writable_routes::<locations::Locations>(get(locations::list), get(locations::detail)),
        ),
        writable(
            "Promotion",
            ResourceDoc {
                segment: "promotions",
                tag: "Promotions",
                summary: "promotions",
                schema: "PromotionOut",
                pre1_schema: None,
                input: Some(described_input::<promotions::Promotions>),
                editable: true,
                includes: &["location_detail", "organizer_detail"],
                params: promotions::query::PROMOTION_PARAMS,
                detail_params: &[],
                paged: false,
            },
            writable_routes::<promotions::Promotions>(get(promotions::list), get(detail::<promotions::Promotions>)),
        ),
        Resource {
            title: "Benefit",
            doc: ResourceDoc {
                segment: "benefits",
                tag: "Benefits",
                summary: "benefits (redemptions of promotions; immutable)",
                schema: "BenefitOut",
                pre1_schema: None,
                input: Some(benefits::input::described),
                editable: false,
                includes: &[],
                params: &[],
                detail_params: &[],
                paged: false,
            },
            list: get(benefits::list).post(benefits::create),
            detail: get(benefits::detail),
            list_allow: ALLOW_LIST,
            // Benefits are immutable (quirks.md 10).
            detail_allow: ALLOW_READ_ONLY,
        },
    ]
}

/// Every API route under every prefix; each documented as its version answers, but for the
/// `/mobile-api` mirror, which answers as `/api` does.
pub fn api_routes(mut table: RouteTable) -> RouteTable {
    for (prefix, version) in API_PREFIXES {
        let version_layer = Extension(version);
        let at = DocumentedAt { version, unversioned: prefix == "/api" };
        let documented = |table: RouteTable, path: &str, route, doc| match prefix.starts_with("/mobile-api") {
            true => table.add(path, route),
            false => table.api(path, route, doc),
        };
        table = documented(
            table,
            &format!("{prefix}/"),
            endpoint(get(root::show), "Api Root".into(), ALLOW_READ_ONLY).layer(version_layer),
            operations::api_root(at),
        );
        for resource in resources() {
            let base = format!("{prefix}/{}", resource.doc.segment);
            let (list_doc, detail_doc) = operations::resource_items(&resource.doc, at);
            let list = endpoint(resource.list, format!("{} List", resource.title), resource.list_allow);
            let detail = endpoint(resource.detail, format!("{} Instance", resource.title), resource.detail_allow);
            table = documented(table, &format!("{base}/"), list.layer(version_layer), list_doc);
            table = documented(table, &format!("{base}/{{id}}/"), detail.layer(version_layer), detail_doc);
        }
    }
    table
}

/// Sign-in: the login pages, JWTs, and the images.
pub fn account_routes(table: RouteTable) -> RouteTable {
    use axum::routing::post;
    table
        .add("/accounts/login/", get(login::login_form).post(login::login))
        .add("/accounts/logout/", get(login::logout).post(login::logout))
        .api(
            "/auth/token/",
            open_endpoint(
                get(token_endpoints::for_session).post(token_endpoints::for_password),
                "Token Obtain Pair",
                "GET, POST, HEAD, OPTIONS",
            ),
            operations::token_pair(),
        )
        .api(
            "/auth/token/refresh/",
            open_endpoint(post(token_endpoints::refresh), "Token Refresh", "POST, OPTIONS"),
            operations::token_refresh(),
        )
        .api("/media/{*path}", get(media_route::serve), operations::media())
}

/// Operations: health, metrics, the API description and its documentation page.
pub fn operations_routes(table: RouteTable) -> RouteTable {
    table
        .api(
            "/api/v1/changes/",
            open_endpoint(get(changes::feed), "Change Feed", ALLOW_READ_ONLY),
            operations::change_feed(),
        )
        .api("/monitor/", get(crate::health::monitor), operations::monitor())
        .api("/healthz", get(crate::health::alive), operations::alive())
        .api("/metrics", get(crate::metrics::serve), operations::metrics())
        .add("/openapi", get(crate::openapi::negotiated))
        .add("/openapi.json", get(crate::openapi::as_json))
        .add("/openapi.yaml", get(crate::openapi::as_yaml))
        .add("/api-documentation/", get(crate::openapi::documentation_page))
        .add("/static/harrastuspassi/js/redoc.standalone.js", get(crate::openapi::redoc_script))
}

fn all_routes() -> RouteTable {
    operations_routes(account_routes(api_routes(RouteTable::new())))
}

/// The API's router: resources, sign-in, images, operations.
pub fn router(state: AppState) -> Router {
    all_routes().finish(state)
}

/// The API's router with more routes (the sysadmin UI), sharing its redirects, CORS and
/// metrics.
pub fn router_with(state: AppState, extra: impl FnOnce(RouteTable) -> RouteTable) -> Router {
    extra(all_routes()).finish(state)
}

/// The documentation of every route of the JSON API, in the order registered; the API
/// description is made of it.
pub(crate) fn documented_routes() -> Vec<(String, PathItem)> {
    all_routes().documented.into_iter().map(|(path, item)| (path.replace("{*path}", "{path}"), item)).collect()
}

/// Every route path the router serves, as templates (`/api/v1/hobbies/{id}/`).
pub fn route_paths() -> Vec<String> {
    all_routes().listed
}

/// `…/hobbies.json` and `…/hobbies/12.json` are the list and detail (DRF format suffixes);
/// applied before routing.
pub fn rewrite_format_suffix<B>(mut request: axum::http::Request<B>) -> axum::http::Request<B> {
    let path = request.uri().path();
    let Some(stem) = path.strip_suffix(".json") else {
        return request;
    };
    if !API_PREFIXES.iter().any(|(prefix, _)| stem.starts_with(&format!("{prefix}/"))) {
        return request;
    }
    let rewritten = match request.uri().query() {
        Some(query) => format!("{stem}/?{query}"),
        None => format!("{stem}/"),
    };
    if let Ok(uri) = rewritten.parse() {
        *request.uri_mut() = uri;
    }
    request
}
