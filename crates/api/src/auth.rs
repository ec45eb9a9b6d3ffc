//! Who is calling the API: anonymous, or a user authenticated by an `Authorization` header
//! (`Bearer <JWT>` or `Token <key>`). A header that is present but invalid fails the request
//! with 401, also on public reads (auth-and-permissions.md 2.5). Session cookies do not
//! authenticate API calls.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use hp_db::EditScope;
use hp_domain::permissions::{Editor, Ownership};
use serde_json::json;
use std::sync::Arc;

/// An authenticated user with what the edit-rights rule needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub is_staff: bool,
    pub is_superuser: bool,
    /// Read on every request, so moderator changes apply at once.
    pub moderated_municipalities: Vec<i64>,
}

impl AuthUser {
    pub fn editor(&self) -> Editor {
        Editor {
            user_id: self.id,
            is_superuser: self.is_superuser,
            moderated_municipalities: self.moderated_municipalities.clone(),
        }
    }

    /// What this user may edit, as a query condition.
    pub fn edit_scope(&self) -> EditScope {
        if self.is_superuser {
            EditScope::Everything
        } else {
            EditScope::User(self.id)
        }
    }
}

#[derive(Debug, Clone)]
pub enum Caller {
    Anonymous,
    User(Arc<AuthUser>),
}

impl Caller {
    pub fn user(&self) -> Option<&AuthUser> {
        match self {
            Caller::Anonymous => None,
            Caller::User(user) => Some(user),
        }
    }

    /// The user, or 401 for anonymous callers.
    pub fn require_user(&self) -> Result<&AuthUser, ApiError> {
        self.user().ok_or(ApiError::NotAuthenticated)
    }

    pub fn can_edit(&self, object: Ownership) -> bool {
        self.user().is_some_and(|u| u.editor().can_edit(object))
    }

    /// What `editable_only` and the "my organizers/locations" lists show; `None` for
    /// anonymous callers, who may edit nothing.
    pub fn edit_scope(&self) -> Option<EditScope> {
        self.user().map(AuthUser::edit_scope)
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
            Credentials::None => Caller::Anonymous,
            Credentials::Bearer(None) => {
                return Err(ApiError::AuthenticationFailed(json!({
                    "detail": "Authorization header must contain two space-delimited values",
                    "code": "bad_authorization_header"
                })))
            }
            Credentials::Bearer(Some(token)) => crate::auth_verify::bearer(state, &token).await?,
            Credentials::Token(rest) => crate::auth_verify::api_token(state, &rest).await?,
        };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}
