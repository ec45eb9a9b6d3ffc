//! `/auth/token/` and `/auth/token/refresh/`: JWT pairs for a username and password or for a
//! browser session (the web UI's call after login), and new access tokens for refresh tokens.

use crate::auth::credentials::authenticate;
use crate::auth::jwt::TokenSubject;
use crate::auth::sessions::{csrf_problem, BrowserSession, CSRF_FIELD, CSRF_HEADER};
use crate::body::Body;
use crate::error::ApiError;
use crate::fields::{FieldReader, WriteMode};
use crate::json;
use crate::openapi::bodies::describe_reader;
use crate::origin::{ClientAddress, RequestOrigin};
use crate::read_log::FieldDoc;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

/// Characters of a password (longer ones would only cost hashing time).
const MAX_PASSWORD_CHARS: usize = 4096;

fn subject(id: i64, first_name: &str, last_name: &str) -> TokenSubject {
    TokenSubject { user_id: id, first_name: first_name.to_owned(), last_name: last_name.to_owned() }
}

/// A new access token.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AccessToken {
    access: String,
}

/// The username and password of a sign-in.
fn read_credentials(body: &Body) -> Result<(String, String), ApiError> {
    let mut reader = FieldReader::new(body, WriteMode::Create);
    let username = reader.text("username", None, true, false);
    let password = reader.text("password", Some(MAX_PASSWORD_CHARS), true, false);
    reader.finish()?;
    username.zip(password).ok_or_else(|| ApiError::Internal("validated fields missing".into()))
}

fn read_refresh(body: &Body) -> Result<String, ApiError> {
    let mut reader = FieldReader::new(body, WriteMode::Create);
    let token = reader.text("refresh", None, true, false);
    reader.finish()?;
    Ok(token.unwrap_or_default())
}

/// The fields of a sign-in, as its reader reads them (for the API description).
pub(crate) fn described_credentials() -> Vec<FieldDoc> {
    describe_reader(|body| {
        let _ = read_credentials(body);
    })
}

pub(crate) fn described_refresh() -> Vec<FieldDoc> {
    describe_reader(|body| {
        let _ = read_refresh(body);
    })
}

/// `GET /auth/token/`: a pair for the signed-in browser user.
pub async fn for_session(State(state): State<AppState>, session: BrowserSession) -> Result<Response, ApiError> {
    let user = session.user.ok_or(ApiError::NotAuthenticated)?;
    let pair = state.jwt.issue_pair(&subject(user.id, &user.first_name, &user.last_name), state.app.clock.now());
    Ok(json::ok(&pair))
}

/// `POST /auth/token/`: a pair for a username and password. A request that carries a
/// session cookie is a browser's, and must carry its CSRF token too.
pub async fn for_password(
    State(state): State<AppState>,
    client: ClientAddress,
    origin: RequestOrigin,
    session: BrowserSession,
    headers: HeaderMap,
    body: Result<Body, ApiError>,
) -> Result<Response, ApiError> {
    let body = body?;
    if session.user.is_some() {
        let submitted = headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .or_else(|| body.get(CSRF_FIELD).and_then(|v| v.as_str()));
        if let Some(problem) = csrf_problem(&headers, &origin, &state, submitted) {
            return Err(ApiError::ForbiddenBecause(format!("CSRF Failed: {problem}")));
        }
    }
    let (username, password) = read_credentials(&body)?;
    let Some(user) = authenticate(&state, &username, &password, client).await? else {
        return Err(ApiError::AuthenticationFailed(
            json!({"detail": "No active account found with the given credentials"}),
        ));
    };
    let pair = state.jwt.issue_pair(&subject(user.id, &user.first_name, &user.last_name), state.app.clock.now());
    Ok(json::ok(&pair))
}

/// `POST /auth/token/refresh/`: a new access token.
pub async fn refresh(State(state): State<AppState>, body: Result<Body, ApiError>) -> Result<Response, ApiError> {
    let token = read_refresh(&body?)?;
    match state.jwt.refresh(&token, state.app.clock.now()) {
        Ok(access) => Ok(json::ok(&AccessToken { access })),
        Err(error) => {
            Err(ApiError::AuthenticationFailed(json!({"detail": error.message(), "code": "token_not_valid"})))
        }
    }
}
