//! User accounts, API tokens (stored as SHA-256 digests) and browser sessions (stored as
//! digests of their keys). Password hashing and token generation are the caller's: this
//! module only stores what it is given.

use crate::exec::Executes;
use crate::schema::{ApiTokens as T, Sessions as S, Users as U};
use crate::DbError;
use chrono::{DateTime, Utc};
use sea_query::{Expr, Order, Query, SelectStatement};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub is_active: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub last_login: Option<DateTime<Utc>>,
    pub date_joined: DateTime<Utc>,
}

fn select_users() -> SelectStatement {
    Query::select()
        .columns([
            U::Id,
            U::Username,
            U::PasswordHash,
            U::FirstName,
            U::LastName,
            U::Email,
            U::IsActive,
            U::IsStaff,
            U::IsSuperuser,
            U::LastLogin,
            U::DateJoined,
        ])
        .from(U::Table)
        .to_owned()
}

pub async fn get(ex: &mut impl Executes, id: i64) -> Result<Option<UserRow>, DbError> {
    let q = select_users().and_where(Expr::col(U::Id).eq(id)).to_owned();
    ex.fetch_optional(&q).await
}

pub async fn by_username(ex: &mut impl Executes, username: &str) -> Result<Option<UserRow>, DbError> {
    let q = select_users().and_where(Expr::col(U::Username).eq(username)).to_owned();
    ex.fetch_optional(&q).await
}

pub async fn list(ex: &mut impl Executes) -> Result<Vec<UserRow>, DbError> {
    let q = select_users().order_by(U::Id, Order::Asc).to_owned();
    ex.fetch_all(&q).await
}

/// A new account; `password_hash` is already hashed (or `!` for no password login).
pub async fn insert(
    ex: &mut impl Executes,
    user: &UserProfile,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let q = Query::insert()
        .into_table(U::Table)
        .columns([
            U::Username,
            U::PasswordHash,
            U::FirstName,
            U::LastName,
            U::Email,
            U::IsActive,
            U::IsStaff,
            U::IsSuperuser,
            U::DateJoined,
        ])
        .values_panic([
            user.username.clone().into(),
            password_hash.into(),
            user.first_name.clone().into(),
            user.last_name.clone().into(),
            user.email.clone().into(),
            user.is_active.into(),
            user.is_staff.into(),
            user.is_superuser.into(),
            now.into(),
        ])
        .returning_col(U::Id)
        .to_owned();
    ex.fetch_scalar(&q).await
}

/// The editable profile of an account (not its password).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserProfile {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub is_active: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
}

pub async fn update_profile(ex: &mut impl Executes, id: i64, profile: &UserProfile) -> Result<u64, DbError> {
    let q = Query::update()
        .table(U::Table)
        .value(U::Username, profile.username.clone())
        .value(U::FirstName, profile.first_name.clone())
        .value(U::LastName, profile.last_name.clone())
        .value(U::Email, profile.email.clone())
        .value(U::IsActive, profile.is_active)
        .value(U::IsStaff, profile.is_staff)
        .value(U::IsSuperuser, profile.is_superuser)
        .and_where(Expr::col(U::Id).eq(id))
        .to_owned();
    ex.execute(&q).await
}

pub async fn set_password_hash(ex: &mut impl Executes, id: i64, hash: &str) -> Result<u64, DbError> {
    let q = Query::update().table(U::Table).value(U::PasswordHash, hash).and_where(Expr::col(U::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

pub async fn set_active(ex: &mut impl Executes, id: i64, active: bool) -> Result<u64, DbError> {
    let q = Query::update().table(U::Table).value(U::IsActive, active).and_where(Expr::col(U::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

pub async fn record_login(ex: &mut impl Executes, id: i64, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::update().table(U::Table).value(U::LastLogin, now).and_where(Expr::col(U::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

pub async fn delete(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(U::Table).and_where(Expr::col(U::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

// ---- API tokens ----

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    /// The first characters of the key, to tell tokens apart in listings.
    pub key_prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

fn select_tokens() -> SelectStatement {
    Query::select().columns([T::Id, T::UserId, T::KeyPrefix, T::CreatedAt, T::LastUsedAt]).from(T::Table).to_owned()
}

pub async fn list_tokens(ex: &mut impl Executes) -> Result<Vec<TokenRow>, DbError> {
    let q = select_tokens().order_by(T::Id, Order::Asc).to_owned();
    ex.fetch_all(&q).await
}

pub async fn token_of_user(ex: &mut impl Executes, user_id: i64) -> Result<Option<TokenRow>, DbError> {
    let q = select_tokens().and_where(Expr::col(T::UserId).eq(user_id)).to_owned();
    ex.fetch_optional(&q).await
}

pub async fn token_by_digest(ex: &mut impl Executes, digest: &str) -> Result<Option<TokenRow>, DbError> {
    let q = select_tokens().and_where(Expr::col(T::KeyDigest).eq(digest)).to_owned();
    ex.fetch_optional(&q).await
}

/// Stores a user's token (one per user: an existing one is replaced).
pub async fn replace_token(
    ex: &mut impl Executes,
    user_id: i64,
    digest: &str,
    prefix: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    delete_token_of_user(ex, user_id).await?;
    let q = Query::insert()
        .into_table(T::Table)
        .columns([T::UserId, T::KeyDigest, T::KeyPrefix, T::CreatedAt])
        .values_panic([user_id.into(), digest.into(), prefix.into(), now.into()])
        .returning_col(T::Id)
        .to_owned();
    ex.fetch_scalar(&q).await
}

pub async fn delete_token_of_user(ex: &mut impl Executes, user_id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(T::Table).and_where(Expr::col(T::UserId).eq(user_id)).to_owned();
    ex.execute(&q).await
}

pub async fn delete_token(ex: &mut impl Executes, id: i64) -> Result<u64, DbError> {
    let q = Query::delete().from_table(T::Table).and_where(Expr::col(T::Id).eq(id)).to_owned();
    ex.execute(&q).await
}

/// Records a use, at most once a minute per token so that reads stay reads.
pub async fn touch_token(ex: &mut impl Executes, id: i64, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::update()
        .table(T::Table)
        .value(T::LastUsedAt, now)
        .and_where(Expr::col(T::Id).eq(id))
        .cond_where(
            sea_query::Cond::any()
                .add(Expr::col(T::LastUsedAt).is_null())
                .add(Expr::col(T::LastUsedAt).lt(now - chrono::Duration::seconds(60))),
        )
        .to_owned();
    ex.execute(&q).await
}

// ---- sessions ----

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub key_digest: String,
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_session(
    ex: &mut impl Executes,
    digest: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    let q = Query::insert()
        .into_table(S::Table)
        .columns([S::KeyDigest, S::UserId, S::CreatedAt, S::ExpiresAt])
        .values_panic([digest.into(), user_id.into(), now.into(), expires_at.into()])
        .to_owned();
    ex.execute(&q).await?;
    Ok(())
}

/// The session if it exists and has not expired.
pub async fn session(ex: &mut impl Executes, digest: &str, now: DateTime<Utc>) -> Result<Option<SessionRow>, DbError> {
    let q = Query::select()
        .columns([S::KeyDigest, S::UserId, S::CreatedAt, S::ExpiresAt])
        .from(S::Table)
        .and_where(Expr::col(S::KeyDigest).eq(digest))
        .and_where(Expr::col(S::ExpiresAt).gt(now))
        .to_owned();
    ex.fetch_optional(&q).await
}

pub async fn delete_session(ex: &mut impl Executes, digest: &str) -> Result<u64, DbError> {
    let q = Query::delete().from_table(S::Table).and_where(Expr::col(S::KeyDigest).eq(digest)).to_owned();
    ex.execute(&q).await
}

/// Ends a user's sessions, all or all but the one with the digest `keep`.
pub async fn delete_sessions_of_user(ex: &mut impl Executes, user_id: i64, keep: Option<&str>) -> Result<u64, DbError> {
    let mut q = Query::delete();
    q.from_table(S::Table).and_where(Expr::col(S::UserId).eq(user_id));
    if let Some(keep) = keep {
        q.and_where(Expr::col(S::KeyDigest).ne(keep));
    }
    ex.execute(&q).await
}

/// Removes expired sessions; returns how many.
pub async fn delete_expired_sessions(ex: &mut impl Executes, now: DateTime<Utc>) -> Result<u64, DbError> {
    let q = Query::delete().from_table(S::Table).and_where(Expr::col(S::ExpiresAt).lte(now)).to_owned();
    ex.execute(&q).await
}
