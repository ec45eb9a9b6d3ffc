//! Verification of bearer JWTs and API tokens.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use serde_json::json;

fn invalid_access_token() -> ApiError {
    ApiError::AuthenticationFailed(json!({
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [{"token_class": "AccessToken", "token_type": "access", "message": "Token is invalid or expired"}]
    }))
}

pub(crate) async fn bearer(_state: &AppState, _token: &str) -> Result<Caller, ApiError> {
    Err(invalid_access_token())
}

pub(crate) async fn api_token(_state: &AppState, _header_rest: &str) -> Result<Caller, ApiError> {
    Err(ApiError::AuthenticationFailed(json!({"detail": hp_domain::messages::TOKEN_INVALID})))
}
