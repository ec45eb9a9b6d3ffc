//! `benefits/`: the public log of redemptions (quirks.md 13, Default: Original for reads).

use super::parse_id;
use crate::error::ApiError;
use crate::json;
use crate::state::AppState;
use crate::views::benefit;
use axum::extract::{Path, State};
use axum::response::Response;
use hp_db::benefits;

pub async fn list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let mut conn = state.db.conn().await?;
    let rows = benefits::list(&mut conn).await?;
    Ok(json::ok(&rows.iter().map(benefit).collect::<Vec<_>>()))
}

pub async fn detail(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let mut conn = state.db.conn().await?;
    let row = benefits::get(&mut conn, id).await?.ok_or(ApiError::NotFound)?;
    Ok(json::ok(&benefit(&row)))
}
