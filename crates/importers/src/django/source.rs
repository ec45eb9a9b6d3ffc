//! Reading a Django deployment's database: every row the service carries over, read in one
//! read-only, repeatable-read transaction so that the copy is one consistent snapshot even
//! while the old service keeps running.

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Connection, PgExecutor};
use std::str::FromStr;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub password: String,
    pub last_login: Option<DateTime<Utc>>,
    pub is_superuser: bool,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub is_staff: bool,
    pub is_active: bool,
    pub date_joined: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Token {
    pub key: String,
    pub created: DateTime<Utc>,
    pub user_id: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Municipality {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Moderator {
    pub municipality_id: i64,
    pub user_id: i64,
}

/// A category or an audience (audiences have no cover image nor timestamps).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TreeNode {
    pub id: i64,
    pub name: String,
    pub name_fi: Option<String>,
    pub name_en: Option<String>,
    pub name_sv: Option<String>,
    pub parent_id: Option<i64>,
    pub data_source: String,
    pub origin_id: String,
    pub cover_image: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Organizer {
    pub id: i64,
    pub name: String,
    pub data_source: String,
    pub origin_id: String,
    pub created_by_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Location {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub zip_code: String,
    pub city: String,
    /// From the PostGIS point (SRID 4326: y is the latitude).
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub data_source: String,
    pub origin_id: String,
    pub created_by_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Hobby {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub location_id: Option<i64>,
    pub organizer_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub cover_image: Option<String>,
    pub cover_image_modified_at: DateTime<Utc>,
    pub created_by_id: Option<i64>,
    pub price_type: String,
    /// `price_amount` (numeric(5,2) euros) in cents.
    pub price_cents: i64,
    pub data_source: String,
    pub origin_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HobbyCategory {
    pub hobby_id: i64,
    pub category_id: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub hobby_id: i64,
    pub start_date: NaiveDate,
    pub start_time: NaiveTime,
    pub end_date: NaiveDate,
    pub end_time: NaiveTime,
    pub recurrence_start_event_id: Option<i64>,
    pub data_source: String,
    pub origin_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Promotion {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub start_date: NaiveDate,
    pub start_time: NaiveTime,
    pub end_date: NaiveDate,
    pub end_time: NaiveTime,
    pub cover_image: Option<String>,
    pub municipality_id: Option<i64>,
    pub organizer_id: i64,
    pub location_id: i64,
    pub available_count: i64,
    pub used_count: i64,
    pub created_by_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Benefit {
    pub id: i64,
    pub promotion_id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A permission record of the original: per object (`object_pk` set) or model-wide, held by a
/// user or by a group.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PermissionRecord {
    /// `user <id>` or `group "<name>"`.
    pub holder: String,
    pub user_id: Option<i64>,
    pub codename: String,
    pub app_label: String,
    pub model: String,
    pub object_pk: Option<String>,
}

/// Everything read from the source.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub users: Vec<User>,
    pub tokens: Vec<Token>,
    pub municipalities: Vec<Municipality>,
    pub moderators: Vec<Moderator>,
    pub categories: Vec<TreeNode>,
    pub audiences: Vec<TreeNode>,
    pub organizers: Vec<Organizer>,
    pub locations: Vec<Location>,
    pub hobbies: Vec<Hobby>,
    pub hobby_categories: Vec<HobbyCategory>,
    pub events: Vec<Event>,
    pub promotions: Vec<Promotion>,
    pub benefits: Vec<Benefit>,
    /// Object permissions of users and groups.
    pub object_permissions: Vec<PermissionRecord>,
    /// Model-wide permissions of users and groups.
    pub model_permissions: Vec<PermissionRecord>,
    /// Source tables with their row counts, as `SELECT count(*)` saw them in the snapshot.
    pub counts: Vec<(&'static str, i64)>,
}

/// The source tables that are carried over, with the service's table each one fills.
pub const CARRIED: [(&str, &str); 13] = [
    ("auth_user", "users"),
    ("authtoken_token", "api_tokens"),
    ("harrastuspassi_municipality", "municipalities"),
    ("harrastuspassi_municipality_moderators", "municipality_moderators"),
    ("harrastuspassi_hobbycategory", "hobby_categories"),
    ("harrastuspassi_hobbyaudience", "hobby_audiences"),
    ("harrastuspassi_organizer", "organizers"),
    ("harrastuspassi_location", "locations"),
    ("harrastuspassi_hobby", "hobbies"),
    ("harrastuspassi_hobby_categories", "hobby_category_links"),
    ("harrastuspassi_hobbyevent", "hobby_events"),
    ("harrastuspassi_promotion", "promotions"),
    ("harrastuspassi_benefit", "benefits"),
];

/// Source tables that are not carried over as rows (what happens to them is in the report).
pub const NOT_CARRIED: [&str; 7] = [
    "django_session",
    "auth_group",
    "auth_user_groups",
    "auth_group_permissions",
    "auth_user_user_permissions",
    "guardian_userobjectpermission",
    "guardian_groupobjectpermission",
];

const USERS: &str = "SELECT id::bigint AS id, password, last_login, is_superuser, username, first_name, last_name, \
     email, is_staff, is_active, date_joined FROM auth_user ORDER BY id";
const TOKENS: &str = "SELECT key, created, user_id::bigint AS user_id FROM authtoken_token ORDER BY user_id";
const MUNICIPALITIES: &str = "SELECT id::bigint AS id, name, created_at, updated_at \
     FROM harrastuspassi_municipality ORDER BY id";
const MODERATORS: &str = "SELECT municipality_id::bigint AS municipality_id, user_id::bigint AS user_id \
     FROM harrastuspassi_municipality_moderators ORDER BY id";
// Tree order puts every parent before its children.
const CATEGORIES: &str = "SELECT id::bigint AS id, name, name_fi, name_en, name_sv, parent_id::bigint AS parent_id, \
     data_source, origin_id, NULLIF(cover_image, '') AS cover_image, created_at, updated_at \
     FROM harrastuspassi_hobbycategory ORDER BY tree_id, lft";
const AUDIENCES: &str = "SELECT id::bigint AS id, name, name_fi, name_en, name_sv, parent_id::bigint AS parent_id, \
     data_source, origin_id, NULL::text AS cover_image, NULL::timestamptz AS created_at, \
     NULL::timestamptz AS updated_at FROM harrastuspassi_hobbyaudience ORDER BY tree_id, lft";
const ORGANIZERS: &str =
    "SELECT id::bigint AS id, name, data_source, origin_id, created_by_id::bigint AS created_by_id, \
     municipality_id::bigint AS municipality_id, created_at, updated_at FROM harrastuspassi_organizer ORDER BY id";
const LOCATIONS: &str = "SELECT id::bigint AS id, name, address, zip_code, city, \
     ST_Y(coordinates)::float8 AS lat, ST_X(coordinates)::float8 AS lon, data_source, origin_id, \
     created_by_id::bigint AS created_by_id, municipality_id::bigint AS municipality_id, created_at, updated_at \
     FROM harrastuspassi_location ORDER BY id";
const HOBBIES: &str = "SELECT id::bigint AS id, name, description, location_id::bigint AS location_id, \
     organizer_id::bigint AS organizer_id, municipality_id::bigint AS municipality_id, \
     NULLIF(cover_image, '') AS cover_image, cover_image_modified_at, created_by_id::bigint AS created_by_id, \
     price_type, round(price_amount * 100)::bigint AS price_cents, data_source, origin_id, created_at, updated_at \
     FROM harrastuspassi_hobby ORDER BY id";
const HOBBY_CATEGORIES: &str = "SELECT hobby_id::bigint AS hobby_id, hobbycategory_id::bigint AS category_id \
     FROM harrastuspassi_hobby_categories ORDER BY id";
const EVENTS: &str = "SELECT id::bigint AS id, hobby_id::bigint AS hobby_id, start_date, start_time, end_date, \
     end_time, recurrence_start_event_id::bigint AS recurrence_start_event_id, data_source, origin_id, \
     created_at, updated_at FROM harrastuspassi_hobbyevent ORDER BY id";
const PROMOTIONS: &str = "SELECT id::bigint AS id, name, description, start_date, start_time, end_date, end_time, \
     NULLIF(cover_image, '') AS cover_image, municipality_id::bigint AS municipality_id, \
     organizer_id::bigint AS organizer_id, location_id::bigint AS location_id, \
     available_count::bigint AS available_count, used_count::bigint AS used_count, \
     created_by_id::bigint AS created_by_id, created_at, updated_at FROM harrastuspassi_promotion ORDER BY id";
const BENEFITS: &str = "SELECT id::bigint AS id, promotion_id::bigint AS promotion_id, created_at, updated_at \
     FROM harrastuspassi_benefit ORDER BY id";
const OBJECT_PERMISSIONS: &str = "\
     SELECT 'user ' || g.user_id AS holder, g.user_id::bigint AS user_id, p.codename, ct.app_label, ct.model, \
            g.object_pk \
       FROM guardian_userobjectpermission g \
       JOIN auth_permission p ON p.id = g.permission_id \
       JOIN django_content_type ct ON ct.id = g.content_type_id \
     UNION ALL \
     SELECT 'group ' || quote_ident(gr.name), NULL, p.codename, ct.app_label, ct.model, g.object_pk \
       FROM guardian_groupobjectpermission g \
       JOIN auth_group gr ON gr.id = g.group_id \
       JOIN auth_permission p ON p.id = g.permission_id \
       JOIN django_content_type ct ON ct.id = g.content_type_id \
     ORDER BY 1, 3, 6";
const MODEL_PERMISSIONS: &str = "\
     SELECT 'user ' || up.user_id AS holder, up.user_id::bigint AS user_id, p.codename, ct.app_label, ct.model, \
            NULL::text AS object_pk \
       FROM auth_user_user_permissions up \
       JOIN auth_permission p ON p.id = up.permission_id \
       JOIN django_content_type ct ON ct.id = p.content_type_id \
     UNION ALL \
     SELECT 'group ' || quote_ident(gr.name), NULL, p.codename, ct.app_label, ct.model, NULL \
       FROM auth_group_permissions gp \
       JOIN auth_group gr ON gr.id = gp.group_id \
       JOIN auth_permission p ON p.id = gp.permission_id \
       JOIN django_content_type ct ON ct.id = p.content_type_id \
     ORDER BY 1, 3";

/// Reads the whole source. Nothing is written to it: the transaction is read-only.
pub async fn read(url: &str) -> Result<Snapshot> {
    // The parser takes any URL (an sqlite: one would name a database on the default server).
    let options = Some(url)
        .filter(|url| url.starts_with("postgres://") || url.starts_with("postgresql://"))
        .and_then(|url| PgConnectOptions::from_str(url).ok())
        .context("--from must be a PostgreSQL URL (postgres://user@host/database)")?
        .application_name("harrastuspassi import-django");
    let mut connection = PgConnection::connect_with(&options).await.context("cannot connect to the Django database")?;
    let mut tx = connection.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
    let c = &mut *tx;
    let mut snapshot = Snapshot {
        users: rows(&mut *c, USERS, "auth_user").await?,
        tokens: rows(&mut *c, TOKENS, "authtoken_token").await?,
        municipalities: rows(&mut *c, MUNICIPALITIES, "harrastuspassi_municipality").await?,
        moderators: rows(&mut *c, MODERATORS, "harrastuspassi_municipality_moderators").await?,
        categories: rows(&mut *c, CATEGORIES, "harrastuspassi_hobbycategory").await?,
        audiences: rows(&mut *c, AUDIENCES, "harrastuspassi_hobbyaudience").await?,
        organizers: rows(&mut *c, ORGANIZERS, "harrastuspassi_organizer").await?,
        locations: rows(&mut *c, LOCATIONS, "harrastuspassi_location").await?,
        hobbies: rows(&mut *c, HOBBIES, "harrastuspassi_hobby").await?,
        hobby_categories: rows(&mut *c, HOBBY_CATEGORIES, "harrastuspassi_hobby_categories").await?,
        events: rows(&mut *c, EVENTS, "harrastuspassi_hobbyevent").await?,
        promotions: rows(&mut *c, PROMOTIONS, "harrastuspassi_promotion").await?,
        benefits: rows(&mut *c, BENEFITS, "harrastuspassi_benefit").await?,
        object_permissions: rows(&mut *c, OBJECT_PERMISSIONS, "the object permissions").await?,
        model_permissions: rows(&mut *c, MODEL_PERMISSIONS, "the model permissions").await?,
        counts: Vec::new(),
    };
    for table in CARRIED.iter().map(|(source, _)| *source).chain(NOT_CARRIED) {
        let count: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&mut *c)
            .await
            .with_context(|| format!("cannot count the rows of {table}"))?;
        snapshot.counts.push((table, count));
    }
    tx.rollback().await?;
    Ok(snapshot)
}

impl Snapshot {
    pub fn count(&self, table: &str) -> i64 {
        self.counts.iter().find(|(name, _)| *name == table).map(|(_, count)| *count).unwrap_or(0)
    }
}

async fn rows<'c, T>(executor: impl PgExecutor<'c>, sql: &'static str, table: &str) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    sqlx::query_as(sql)
        .fetch_all(executor)
        .await
        .with_context(|| format!("cannot read {table} from the Django database"))
}
