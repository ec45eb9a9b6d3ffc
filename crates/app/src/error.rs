//! The one error of the use cases. Each edge turns it into its own answer: the API into
//! DRF-shaped JSON, the sysadmin UI into messages beside the form fields, the command line
//! into a line on stderr.

use hp_db::DbError;
use hp_domain::{messages, FieldErrors};

#[derive(Debug)]
pub enum AppError {
    /// The input is invalid: errors by field (and non-field errors).
    Invalid(FieldErrors),
    /// The input is invalid, as a bare list of messages (geocoding, as the original said it).
    InvalidList(Vec<String>),
    /// Only a signed-in user may do this.
    NotAuthenticated,
    /// The object exists, but the actor may not change it.
    Forbidden,
    NotFound,
    /// A list has no page of that number.
    NoSuchPage,
    /// The change would break what others rely on.
    Conflict(String),
    /// The database or another dependency cannot be reached, or is too busy now.
    Unavailable(String),
    Internal(String),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldErrors::single(field, message))
    }

    pub fn non_field(message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add_non_field(message);
        AppError::Invalid(errors)
    }

    /// For a use case that validated its input and still found it incomplete.
    pub(crate) fn incomplete(what: &str) -> Self {
        AppError::Internal(format!("validated {what} incomplete"))
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Invalid(errors) => write!(f, "{errors}"),
            AppError::InvalidList(list) => f.write_str(&list.join(" ")),
            AppError::NotAuthenticated => f.write_str(messages::NOT_AUTHENTICATED),
            AppError::Forbidden => f.write_str(messages::FORBIDDEN),
            AppError::NotFound => f.write_str(messages::NOT_FOUND),
            AppError::NoSuchPage => f.write_str(messages::INVALID_PAGE),
            AppError::Conflict(message) => f.write_str(message),
            AppError::Unavailable(part) => write!(f, "{part} cannot be reached"),
            AppError::Internal(error) => write!(f, "internal error: {error}"),
        }
    }
}

impl std::error::Error for AppError {}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        if error.is_unavailable() {
            tracing::warn!(%error, "database unavailable");
            AppError::Unavailable("database".into())
        } else {
            AppError::Internal(error.to_string())
        }
    }
}
