//! Verification of `Authorization` credentials: bearer JWTs (simplejwt's rules and errors)
//! and API tokens (DRF's rules and Finnish errors). Both end with an active user whose
//! moderated municipalities are read now, so that changes apply to the next request.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use hp_app::{Actor, User};
use hp_db::accounts::{self, UserRow};
use hp_db::Conn;
use hp_domain::{messages, tokens};
use serde_json::{json, Value};
use std::sync::Arc;

fn failed(body: Value) -> ApiError {
    ApiError::AuthenticationFailed(body)
}

async fn caller_for(conn: &mut Conn, user: UserRow) -> Result<Caller, ApiError> {
    Ok(Caller(Actor::User(Arc::new(User::signed_in(conn, user).await?))))
}

/// `Authorization: Bearer <access token>`.
pub(crate) async fn bearer(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let claims = state.jwt.verify(token, "access", state.app.clock.now()).map_err(|error| {
        failed(json!({
            "detail": "Given token not valid for any token type",
            "code": "token_not_valid",
            "messages": [{"token_class": "AccessToken", "token_type": "access", "message": error.message()}]
        }))
    })?;
    let Some(user_id) = claims.get("user_id").and_then(Value::as_i64) else {
        return Err(failed(
            json!({"detail": "Token contained no recognizable user identification", "code": "token_not_valid"}),
        ));
    };
    let mut conn = state.app.db.conn().await?;
    let user = accounts::get(&mut conn, user_id)
        .await?
        .ok_or_else(|| failed(json!({"detail": "User not found", "code": "user_not_found"})))?;
    if !user.is_active {
        return Err(failed(json!({"detail": "User is inactive", "code": "user_inactive"})));
    }
    caller_for(&mut conn, user).await
}

/// `Authorization: Token <key>`: `rest` is the header after the keyword.
pub(crate) async fn api_token(state: &AppState, rest: &str) -> Result<Caller, ApiError> {
    let words: Vec<&str> = rest.split_ascii_whitespace().collect();
    let key = match words.as_slice() {
        [] => return Err(failed(json!({"detail": messages::TOKEN_HEADER_EMPTY}))),
        [key] => *key,
        _ => return Err(failed(json!({"detail": messages::TOKEN_HEADER_SPACES}))),
    };
    if !key.is_ascii() {
        return Err(failed(json!({"detail": messages::TOKEN_HEADER_CHARACTERS})));
    }
    let mut conn = state.app.db.conn().await?;
    let token = accounts::token_by_digest(&mut conn, &tokens::digest(key))
        .await?
        .ok_or_else(|| failed(json!({"detail": messages::TOKEN_INVALID})))?;
    let user = accounts::get(&mut conn, token.user_id).await?.filter(|u| u.is_active);
    let Some(user) = user else {
        return Err(failed(json!({"detail": messages::USER_INACTIVE_OR_DELETED})));
    };
    let caller = caller_for(&mut conn, user).await?;
    drop(conn);
    let now = state.app.clock.now();
    if token.last_used_at.is_none_or(|used| now - used > chrono::Duration::seconds(60)) {
        record_use(state, token.id).await;
    }
    Ok(caller)
}

/// Notes the token's last use (at most once a minute); a failure only costs the note.
async fn record_use(state: &AppState, token_id: i64) {
    let result = async {
        let mut tx = state.app.db.begin().await?;
        accounts::touch_token(&mut tx, token_id, state.app.clock.now()).await?;
        tx.commit().await
    }
    .await;
    if let Err(error) = result {
        tracing::warn!(%error, "could not record an API token's use");
    }
}
