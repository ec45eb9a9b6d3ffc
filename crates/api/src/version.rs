//! The API version of a request, fixed by its URL prefix.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    Pre1,
    /// The default, also of the unversioned `/api/` and `/mobile-api/`.
    Pre2,
    V1,
}

impl ApiVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::Pre1 => "pre1",
            ApiVersion::Pre2 => "pre2",
            ApiVersion::V1 => "v1",
        }
    }

    /// Only v1 pages the hobby and hobby-event lists.
    pub fn paginates(self) -> bool {
        self == ApiVersion::V1
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiVersion {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ApiVersion>().copied().unwrap_or(ApiVersion::Pre2))
    }
}
