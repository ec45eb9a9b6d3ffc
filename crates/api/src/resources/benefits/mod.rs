//! `benefits/`: the public log of redemptions (quirks.md 13, Default: Original for reads).

pub(crate) mod input;
pub(crate) mod output;

use super::parse_id;
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::json;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hp_app::benefits::{self, Redemption};
use output::benefit;

pub async fn list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let rows = benefits::list(&state.app).await?;
    Ok(json::ok(&rows.iter().map(benefit).collect::<Vec<_>>()))
}

pub async fn detail(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let row = benefits::get(&state.app, id).await?;
    Ok(json::ok(&benefit(&row)))
}

/// `POST benefits/`: redeems a promotion (JSON, form or multipart; the apps use a Token).
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Body, ApiError>,
) -> Result<Response, ApiError> {
    let user = caller.require_user()?;
    match benefits::redeem(&state.app, user, input::read(&body?)).await? {
        Redemption::Taken(redeemed) => {
            state.metrics.redemption(true);
            Ok(json::json_response(StatusCode::CREATED, &benefit(&redeemed)))
        }
        Redemption::UsedUp(error) => {
            state.metrics.redemption(false);
            Err(error.into())
        }
    }
}
