//! User accounts as the rest of the service sees them.

use crate::exec::Executes;
use crate::schema::Users as U;
use crate::DbError;
use chrono::{DateTime, Utc};
use sea_query::{Expr, Query, SelectStatement};

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

fn select() -> SelectStatement {
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
    let q = select().and_where(Expr::col(U::Id).eq(id)).to_owned();
    ex.fetch_optional(&q).await
}

pub async fn by_username(ex: &mut impl Executes, username: &str) -> Result<Option<UserRow>, DbError> {
    let q = select().and_where(Expr::col(U::Username).eq(username)).to_owned();
    ex.fetch_optional(&q).await
}
