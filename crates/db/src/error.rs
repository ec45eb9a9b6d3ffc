//! Database errors, classified by what the caller should answer.

use std::fmt;

#[derive(Debug)]
pub struct DbError(pub sqlx::Error);

impl DbError {
    /// The database cannot be reached (down, restarting, pool exhausted): answer 503.
    pub fn is_unavailable(&self) -> bool {
        matches!(self.0, sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_))
            || self.database_code().is_some_and(|code| {
                // PostgreSQL: admin shutdown, crash shutdown, cannot connect now; SQLite: busy.
                matches!(code.as_str(), "57P01" | "57P02" | "57P03" | "5" | "517")
            })
    }

    pub fn is_unique_violation(&self) -> bool {
        self.database_error().is_some_and(|e| e.is_unique_violation())
    }

    pub fn is_foreign_key_violation(&self) -> bool {
        self.database_error().is_some_and(|e| e.is_foreign_key_violation())
    }

    fn database_error(&self) -> Option<&dyn sqlx::error::DatabaseError> {
        match &self.0 {
            sqlx::Error::Database(e) => Some(e.as_ref()),
            _ => None,
        }
    }

    fn database_code(&self) -> Option<String> {
        self.database_error().and_then(|e| e.code()).map(|c| c.into_owned())
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "database error: {}", self.0)
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        DbError(e)
    }
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        DbError(sqlx::Error::Migrate(Box::new(e)))
    }
}
