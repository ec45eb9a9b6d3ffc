//! The test harness: a real server on 127.0.0.1:0 over a real database — a fresh SQLite
//! file, or a fresh PostgreSQL database when `TEST_DATABASE_URL=postgres://…` is set — with
//! the clock frozen at 2022-02-22 16:00 Helsinki (a Tuesday), and fixtures written through
//! the storage layer.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use harrastuspassi::app::ServeOptions;
use hp_api::{ApiConfig, AppState};
use hp_db::categories::{self, NewTreeNode};
use hp_db::events::{self, EventFields};
use hp_db::hobbies::{self, HobbyFields, Provenance};
use hp_db::locations::{self, LocationFields};
use hp_db::organizers::{self, OrganizerFields};
use hp_db::promotions::{self, PromotionFields};
use hp_db::schema::TreeTable;
use hp_db::{municipalities, next_event, Db, DbOptions};
use hp_domain::geo::Point;
use hp_domain::price::PriceType;
use hp_domain::time::Clock;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::OnceCell;

pub const TEST_JWT_SECRET: &[u8] = b"test secret of the integration tests";
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

pub fn frozen_now() -> NaiveDateTime {
    date("2022-02-22").and_time(time("16:00"))
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

pub fn time(text: &str) -> NaiveTime {
    hp_domain::time::parse_time(text).expect("test time")
}

pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))
}

/// A configuration for a server behind a proxy on loopback (the tests' address), reached as
/// `api.example.fi`.
pub fn behind_proxy() -> ApiConfig {
    ApiConfig {
        hosts: hp_api::HostPolicy {
            allowed_hosts: vec!["127.0.0.1".into(), "api.example.fi".into()],
            trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        },
        ..ApiConfig::default()
    }
}

/// A database that exists for one test.
pub struct TestDatabase {
    pub url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    postgres_name: Option<String>,
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((url, None));
    let server = base.rsplit_once('/').map(|(s, _)| s).unwrap_or(base);
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

async fn admin_execute(sql: &str) {
    let url = postgres_url().expect("postgres");
    let db = Db::connect(&DbOptions::new(&url)).await.expect("connect to the PostgreSQL server");
    db.execute_raw(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    db.close().await;
}

/// A migrated template database, made once per test run; leftovers of earlier runs go.
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let url = postgres_url().expect("postgres");
            let pid = std::process::id();
            let admin = Db::connect(&DbOptions::new(&url)).await.expect("connect to the PostgreSQL server");
            #[derive(sqlx::FromRow)]
            struct Name {
                datname: String,
            }
            let stale: Vec<Name> = admin
                .fetch_all(
                    &sea_query::Query::select()
                        .column(sea_query::Alias::new("datname"))
                        .from(sea_query::Alias::new("pg_database"))
                        .and_where(sea_query::Expr::col(sea_query::Alias::new("datname")).like("hp_t%"))
                        .to_owned(),
                )
                .await
                .expect("list databases");
            for name in stale.into_iter().map(|n| n.datname).filter(|n| !n.contains(&format!("_{pid}_"))) {
                let _ = admin.execute_raw(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
            }
            let name = format!("hp_tmpl_{pid}_");
            admin.execute_raw(&format!("CREATE DATABASE \"{name}\"")).await.expect("create the template");
            admin.close().await;
            let db = Db::connect_and_migrate(&DbOptions::new(with_database(&url, &name)))
                .await
                .expect("migrate the template");
            db.close().await;
            name
        })
        .await
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        match postgres_url() {
            Some(url) => {
                let template = template().await;
                let name = format!("hp_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
                admin_execute(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"")).await;
                TestDatabase { url: with_database(&url, &name), _sqlite_dir: None, postgres_name: Some(name) }
            }
            None => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite:{}", dir.path().join("test.db").display());
                TestDatabase { url, _sqlite_dir: Some(dir), postgres_name: None }
            }
        }
    }

    /// A database without a schema (a new deployment's): a fresh PostgreSQL database, or the
    /// path of an SQLite file that does not exist yet.
    pub async fn create_empty() -> TestDatabase {
        match postgres_url() {
            Some(url) => {
                let name = format!("hp_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
                admin_execute(&format!("CREATE DATABASE \"{name}\"")).await;
                TestDatabase { url: with_database(&url, &name), _sqlite_dir: None, postgres_name: Some(name) }
            }
            None => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite:{}", dir.path().join("new.db").display());
                TestDatabase { url, _sqlite_dir: Some(dir), postgres_name: None }
            }
        }
    }

    pub async fn connect(&self) -> Db {
        let mut options = DbOptions::new(&self.url);
        options.max_connections = 4;
        Db::connect_and_migrate(&options).await.expect("connect to the test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = self.postgres_name.take() {
            // Dropping needs async I/O; do it on a thread of its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                runtime.block_on(admin_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")));
            })
            .join();
        }
    }
}

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub clock: Clock,
    pub state: AppState,
    pub client: reqwest::Client,
    pub media_dir: std::path::PathBuf,
    /// Kept so that the database and the media directory live as long as the app.
    _database: TestDatabase,
    _media: tempfile::TempDir,
}

/// A user of the tests, with credentials for each way of signing in.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub password: String,
    /// `Authorization: Bearer …` with a fresh access token.
    pub bearer: String,
}

/// What kind of user to create.
#[derive(Debug, Clone, Default)]
pub struct UserSpec {
    pub superuser: bool,
    pub staff: bool,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub moderates: Vec<i64>,
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        self
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(ApiConfig::default()).await
    }

    pub async fn spawn_with(config: ApiConfig) -> TestApp {
        Self::spawn_configured(config, |state| state).await
    }

    /// A server whose state is adjusted first (geocoder, S3 store…).
    pub async fn spawn_configured(config: ApiConfig, adjust: impl FnOnce(AppState) -> AppState) -> TestApp {
        Self::spawn_serving(config, adjust, ServeOptions::default(), |routes| routes).await
    }

    /// A server with its own connection limits and extra routes.
    pub async fn spawn_serving(
        config: ApiConfig,
        adjust: impl FnOnce(AppState) -> AppState,
        options: ServeOptions,
        extra: impl FnOnce(hp_api::RouteTable) -> hp_api::RouteTable,
    ) -> TestApp {
        let database = TestDatabase::create().await;
        let db = database.connect().await;
        let clock = Clock::fixed_local(frozen_now());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let media = tempfile::tempdir().expect("media directory");
        let store = hp_app::media::MediaStore::local(media.path()).expect("media store");
        let jwt = hp_api::auth::jwt::JwtSettings::new(TEST_JWT_SECRET);
        let state = adjust(AppState::new(db.clone(), clock.clone(), config, jwt, store));
        let options = ServeOptions { max_body_bytes: MAX_BODY_BYTES, ..options };
        let router = harrastuspassi::app::router_with(state.clone(), options, extra);
        tokio::spawn(harrastuspassi::app::serve_router(listener, router, options, std::future::pending()));
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let media_dir = media.path().to_owned();
        TestApp { address, db, clock, state, client, media_dir, _database: database, _media: media }
    }

    /// Another server on the same database with its own response cache and data-version
    /// probe, as a second replica is; its base address.
    pub async fn replica(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let jwt = hp_api::auth::jwt::JwtSettings::new(TEST_JWT_SECRET);
        let store = hp_app::media::MediaStore::local(&self.media_dir).expect("media store");
        let state = AppState::new(self.db.clone(), self.clock.clone(), (*self.state.config).clone(), jwt, store);
        let options = ServeOptions { max_body_bytes: MAX_BODY_BYTES, ..ServeOptions::default() };
        let router = harrastuspassi::app::router_with(state, options, |routes| routes);
        tokio::spawn(harrastuspassi::app::serve_router(listener, router, options, std::future::pending()));
        address
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
    ) -> TestResponse {
        let mut request = self.client.request(method, format!("{}{path}", self.address));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some((content_type, bytes)) = body {
            request = request.header("content-type", content_type).body(bytes);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        TestResponse { status, headers, text }
    }

    /// POST of an urlencoded form; `cookie` is the browser's cookie header (or empty).
    pub async fn post_form(&self, path: &str, cookie: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let headers: &[(&str, &str)] = if cookie.is_empty() { &[] } else { &[("cookie", cookie)] };
        self.request(Method::POST, path, headers, Some(("application/x-www-form-urlencoded", body.into_bytes()))).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, &[], None).await
    }

    /// GET that must answer 200 with JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status.as_u16(), 200, "GET {path}: {}", response.text);
        response.json()
    }

    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    /// A request with a JSON body.
    pub async fn send_json(&self, method: Method, path: &str, auth: Option<&str>, body: &Value) -> TestResponse {
        let headers: Vec<(&str, &str)> = auth.map(|a| vec![("authorization", a)]).unwrap_or_default();
        self.request(method, path, &headers, Some(("application/json", serde_json::to_vec(body).unwrap()))).await
    }

    pub async fn post_json(&self, path: &str, auth: Option<&str>, body: &Value) -> TestResponse {
        self.send_json(Method::POST, path, auth, body).await
    }

    pub async fn put_json(&self, path: &str, auth: Option<&str>, body: &Value) -> TestResponse {
        self.send_json(Method::PUT, path, auth, body).await
    }

    pub async fn patch_json(&self, path: &str, auth: Option<&str>, body: &Value) -> TestResponse {
        self.send_json(Method::PATCH, path, auth, body).await
    }

    pub async fn delete(&self, path: &str, auth: Option<&str>) -> TestResponse {
        let headers: Vec<(&str, &str)> = auth.map(|a| vec![("authorization", a)]).unwrap_or_default();
        self.request(Method::DELETE, path, &headers, None).await
    }

    pub async fn get_as(&self, path: &str, auth: &str) -> TestResponse {
        self.request(Method::GET, path, &[("authorization", auth)], None).await
    }

    /// A user whose password is stored as a cheap Django hash (fast to verify in tests; a
    /// login rehashes it).
    pub async fn user(&self, username: &str, spec: UserSpec) -> TestUser {
        let password = format!("{username}-password");
        let user = hp_db::accounts::UserProfile {
            username: username.into(),
            first_name: spec.first_name.into(),
            last_name: spec.last_name.into(),
            email: format!("{username}@example.fi"),
            is_active: true,
            is_staff: spec.staff || spec.superuser,
            is_superuser: spec.superuser,
        };
        let mut tx = self.db.begin().await.unwrap();
        let hash = hp_domain::passwords::django_pbkdf2_sha256(&password, "testsalt", 1000);
        let id = hp_db::accounts::insert(&mut tx, &user, &hash, self.clock.now()).await.unwrap();
        for municipality in &spec.moderates {
            municipalities::add_moderator(&mut tx, *municipality, id).await.unwrap();
        }
        tx.commit().await.unwrap();
        let subject = hp_api::auth::jwt::TokenSubject {
            user_id: id,
            first_name: spec.first_name.into(),
            last_name: spec.last_name.into(),
        };
        let access = self.state.jwt.issue_pair(&subject, self.clock.now()).access;
        TestUser { id, password, bearer: format!("Bearer {access}") }
    }

    /// An API token for the user; returns the `Authorization` value.
    pub async fn api_token(&self, user: &TestUser) -> String {
        let key = hp_domain::tokens::generate_key();
        let mut tx = self.db.begin().await.unwrap();
        hp_db::accounts::replace_token(
            &mut tx,
            user.id,
            &hp_domain::tokens::digest(&key),
            &hp_domain::tokens::prefix(&key),
            self.clock.now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        format!("Token {key}")
    }

    // ---- fixtures, written through the storage layer ----

    pub async fn municipality(&self, name: &str) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let id = municipalities::insert(&mut tx, name, self.clock.now()).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn location(&self, name: &str, point: Option<(f64, f64)>, municipality: Option<i64>) -> i64 {
        let fields = LocationFields {
            name: name.into(),
            point: point.map(|(lon, lat)| Point::new(lon, lat)),
            ..Default::default()
        };
        let mut tx = self.db.begin().await.unwrap();
        let id = locations::insert(&mut tx, &fields, None, municipality, self.clock.now()).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn organizer(&self, name: &str) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let fields = OrganizerFields { name: name.into(), ..Default::default() };
        let id = organizers::insert(&mut tx, &fields, None, None, self.clock.now()).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn category(&self, name_fi: &str, parent: Option<i64>) -> i64 {
        self.category_named(Some(name_fi), None, None, parent).await
    }

    pub async fn category_named(
        &self,
        fi: Option<&str>,
        en: Option<&str>,
        sv: Option<&str>,
        parent: Option<i64>,
    ) -> i64 {
        let node = NewTreeNode {
            name_fi: fi.map(Into::into),
            name_en: en.map(Into::into),
            name_sv: sv.map(Into::into),
            parent_id: parent,
            ..Default::default()
        };
        let mut tx = self.db.begin().await.unwrap();
        let id = categories::insert(&mut tx, TreeTable::Categories, &node, self.clock.now()).await.unwrap();
        categories::relayout(&mut tx, TreeTable::Categories).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn set_category_image(&self, id: i64, image: Option<&str>) {
        let mut tx = self.db.begin().await.unwrap();
        categories::set_cover_image(&mut tx, id, image, self.clock.now()).await.unwrap();
        categories::relayout(&mut tx, TreeTable::Categories).await.unwrap();
        tx.commit().await.unwrap();
    }

    pub async fn hobby(&self, name: &str, spec: HobbySpec) -> i64 {
        let fields = HobbyFields {
            name: name.into(),
            description: spec.description.clone(),
            location_id: spec.location,
            organizer_id: spec.organizer,
            price_type: spec.price_type,
            price_cents: spec.price_cents,
            cover_image: spec.cover_image.clone(),
            data_source: String::new(),
            origin_id: String::new(),
        };
        let provenance = Provenance { created_by: spec.created_by, municipality: spec.municipality };
        let mut tx = self.db.begin().await.unwrap();
        let id = hobbies::insert(&mut tx, &fields, provenance, self.clock.now()).await.unwrap();
        hobbies::set_categories(&mut tx, id, &spec.categories).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// An event; the hobby's next event is recomputed as on every change.
    pub async fn event(&self, hobby: i64, start: (&str, &str), end: (&str, &str)) -> i64 {
        let fields = EventFields {
            hobby_id: hobby,
            start_date: date(start.0),
            start_time: time(start.1),
            end_date: date(end.0),
            end_time: time(end.1),
            data_source: String::new(),
            origin_id: String::new(),
            recurrence_start_event_id: None,
        };
        let mut tx = self.db.begin().await.unwrap();
        let id = events::insert(&mut tx, &fields, self.clock.now()).await.unwrap();
        next_event::refresh(&mut tx, &[hobby], self.clock.today()).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn promotion(&self, name: &str, spec: PromotionSpec) -> i64 {
        let fields = PromotionFields {
            name: name.into(),
            description: spec.description.clone(),
            start_date: date(spec.start.0),
            start_time: time(spec.start.1),
            end_date: date(spec.end.0),
            end_time: time(spec.end.1),
            cover_image: None,
            organizer_id: spec.organizer,
            location_id: spec.location,
            available_count: spec.available,
            used_count: spec.used,
        };
        let mut tx = self.db.begin().await.unwrap();
        let id =
            promotions::insert(&mut tx, &fields, spec.created_by, spec.municipality, self.clock.now()).await.unwrap();
        tx.commit().await.unwrap();
        id
    }
}

#[derive(Debug, Clone)]
pub struct HobbySpec {
    pub description: String,
    pub location: Option<i64>,
    pub organizer: Option<i64>,
    pub municipality: Option<i64>,
    pub created_by: Option<i64>,
    pub categories: Vec<i64>,
    pub price_type: PriceType,
    pub price_cents: i64,
    pub cover_image: Option<String>,
}

impl Default for HobbySpec {
    fn default() -> Self {
        Self {
            description: String::new(),
            location: None,
            organizer: None,
            municipality: None,
            created_by: None,
            categories: Vec::new(),
            price_type: PriceType::Free,
            price_cents: 0,
            cover_image: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PromotionSpec {
    pub description: String,
    pub start: (&'static str, &'static str),
    pub end: (&'static str, &'static str),
    pub organizer: i64,
    pub location: i64,
    pub available: i64,
    pub used: i64,
    pub municipality: Option<i64>,
    pub created_by: Option<i64>,
}

impl PromotionSpec {
    pub fn new(organizer: i64, location: i64) -> Self {
        Self {
            description: "Hello".into(),
            start: ("2022-02-22", "00:00"),
            end: ("2023-02-22", "00:00"),
            organizer,
            location,
            available: 100,
            used: 0,
            municipality: None,
            created_by: None,
        }
    }
}

/// The ids of a JSON array of objects (or of a page's `results`).
/// The files below `dir` (names relative to it, sorted); none when it does not exist.
pub fn files_in(dir: &std::path::Path) -> Vec<String> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

pub fn ids(value: &Value) -> Vec<i64> {
    let list = value.get("results").unwrap_or(value);
    list.as_array().expect("an array").iter().map(|item| item["id"].as_i64().expect("an id")).collect()
}

/// The values of one key in a JSON array of objects.
pub fn column<'a>(value: &'a Value, key: &str) -> Vec<&'a Value> {
    let list = value.get("results").unwrap_or(value);
    list.as_array().expect("an array").iter().map(|item| &item[key]).collect()
}
