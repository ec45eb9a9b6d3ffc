//! The one error type of the API and its DRF-shaped bodies: `{"field": ["message"]}` for
//! 400, `{"detail": "…"}` for 401/403/404/405/409/415, a bare array for geocoding failures.
//! No input makes a 500; an unexpected failure is logged and answered with a plain page.

use crate::json::json_response;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use hp_app::AppError;
use hp_db::DbError;
use hp_domain::{messages, FieldErrors};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug)]
pub enum ApiError {
    /// 400 with errors by field.
    Invalid(FieldErrors),
    /// 400 `{"detail": "JSON parse error - …"}` and other body-level problems.
    BadRequest(String),
    /// 400 with a bare JSON array of messages (geocoding).
    InvalidList(Vec<String>),
    /// 401 `{"detail": "Autentikaatiotunnuksia ei annettu."}`.
    NotAuthenticated,
    /// 401 with a specific body (JWT and token errors).
    AuthenticationFailed(Value),
    /// 403 `{"detail": "Sinulla ei ole lupaa…"}`.
    Forbidden,
    /// 403 with a specific message (CSRF).
    ForbiddenBecause(String),
    /// 404 `{"detail": "Ei löydy."}`.
    NotFound,
    /// 404 `{"detail": "Epäkelpo sivu."}`.
    InvalidPage,
    MethodNotAllowed(Method),
    /// 409 `{"detail": "…"}`: the change would break what others rely on.
    Conflict(String),
    UnsupportedMediaType(String),
    PayloadTooLarge,
    /// 429 with `Retry-After` (seconds): too many attempts.
    TooManyRequests(u64),
    /// 503: the database (or another dependency) is unreachable.
    Unavailable(String),
    Internal(String),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(FieldErrors::single(field, message))
    }

    pub fn non_field(message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add_non_field(message);
        ApiError::Invalid(errors)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) | ApiError::BadRequest(_) | ApiError::InvalidList(_) => StatusCode::BAD_REQUEST,
            ApiError::NotAuthenticated | ApiError::AuthenticationFailed(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::ForbiddenBecause(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::InvalidPage => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Invalid(errors)
    }
}

/// The use cases' errors, as the API answers them.
impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Invalid(errors) => ApiError::Invalid(errors),
            AppError::InvalidList(messages) => ApiError::InvalidList(messages),
            AppError::NotAuthenticated => ApiError::NotAuthenticated,
            AppError::Forbidden => ApiError::Forbidden,
            AppError::NotFound => ApiError::NotFound,
            AppError::NoSuchPage => ApiError::InvalidPage,
            AppError::Conflict(message) => ApiError::Conflict(message),
            AppError::Unavailable(part) => ApiError::Unavailable(part),
            AppError::Internal(error) => ApiError::Internal(error),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        if error.is_unavailable() {
            tracing::warn!(%error, "database unavailable");
            ApiError::Unavailable("database".into())
        } else {
            ApiError::Internal(error.to_string())
        }
    }
}

/// An error with one message (401, 403, 404, 405, 413, 415, 429, 503).
#[derive(Serialize, utoipa::ToSchema)]
#[schema(example = json!({"detail": "Ei löydy."}))]
pub struct Detail<'a> {
    detail: &'a str,
}

fn detail(message: &str) -> Detail<'_> {
    Detail { detail: message }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = match self {
            ApiError::Invalid(errors) => json_response(status, &errors),
            ApiError::BadRequest(message) => json_response(status, &detail(&message)),
            ApiError::InvalidList(messages) => json_response(status, &messages),
            ApiError::NotAuthenticated => json_response(status, &detail(messages::NOT_AUTHENTICATED)),
            ApiError::AuthenticationFailed(body) => json_response(status, &body),
            ApiError::Forbidden => json_response(status, &detail(messages::FORBIDDEN)),
            ApiError::ForbiddenBecause(message) => json_response(status, &detail(&message)),
            ApiError::NotFound => json_response(status, &detail(messages::NOT_FOUND)),
            ApiError::InvalidPage => json_response(status, &detail(messages::INVALID_PAGE)),
            ApiError::MethodNotAllowed(method) => {
                json_response(status, &detail(&messages::method_not_allowed(method.as_str())))
            }
            ApiError::Conflict(message) => json_response(status, &detail(&message)),
            ApiError::UnsupportedMediaType(media_type) => {
                json_response(status, &detail(&messages::unsupported_media_type(&media_type)))
            }
            ApiError::PayloadTooLarge => json_response(status, &detail("Request body is too large.")),
            ApiError::TooManyRequests(seconds) => {
                let mut response = json_response(status, &detail(&messages::throttled(seconds)));
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                response
            }
            ApiError::Unavailable(part) => {
                let mut response =
                    json_response(status, &detail(&format!("Service unavailable: {part} cannot be reached.")));
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                response
            }
            ApiError::Internal(error) => {
                tracing::error!(%error, "internal error");
                (status, Html("<!doctype html><title>Server Error (500)</title><h1>Server Error (500)</h1>"))
                    .into_response()
            }
        };
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"api\""));
        }
        response
    }
}
