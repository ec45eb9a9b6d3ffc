//! Who is calling the API: anonymous, or a user authenticated by an `Authorization` header
//! (`Bearer <JWT>` or `Token <key>`). A header that is present but invalid fails the request
//! with 401, also on public reads (auth-and-permissions.md 2.5). Session cookies do not
//! authenticate API calls.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use hp_app::Actor;
use serde_json::json;

/// The actor of an API call, as an extractor: the application's [`Actor`] behind it.
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl std::ops::Deref for Caller {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.0
    }
}

/// The credentials an `Authorization` header carries.
enum Credentials {
    None,
    Bearer(Option<String>),
    /// The header after the keyword.
    Token(String),
}

/// Reads the header as the original did: its bytes split on whitespace. A header that is not
/// visible ASCII is read lossily, so that a `Token` with other characters gets its own 401
/// (`…epäkelpoja merkkejä.`) and a `Bearer` one fails verification, instead of passing as
/// anonymous.
fn credentials(parts: &Parts) -> Credentials {
    let Some(raw) = parts.headers.get(AUTHORIZATION) else {
        return Credentials::None;
    };
    let value = String::from_utf8_lossy(raw.as_bytes());
    let words: Vec<&str> = value.split_ascii_whitespace().collect();
    match words.first().copied() {
        Some("Bearer") => Credentials::Bearer((words.len() == 2).then(|| words[1].to_owned())),
        Some(word) if word.eq_ignore_ascii_case("token") => {
            let start = value.find(word).unwrap_or(0) + word.len();
            Credentials::Token(value[start..].to_owned())
        }
        _ => Credentials::None,
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let caller = match credentials(parts) {
            Credentials::None => Caller(Actor::Anonymous),
            Credentials::Bearer(None) => {
                return Err(ApiError::AuthenticationFailed(json!({
                    "detail": "Authorization header must contain two space-delimited values",
                    "code": "bad_authorization_header"
                })))
            }
            Credentials::Bearer(Some(token)) => crate::auth::verify::bearer(state, &token).await?,
            Credentials::Token(rest) => crate::auth::verify::api_token(state, &rest).await?,
        };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}
