//! `hobbycategories/`: the read-only category tree, never paged, served from the cached tree.

pub(crate) mod output;
pub(crate) mod query;

use super::parse_id;
use crate::error::ApiError;
use crate::json;
use crate::params::QueryParams;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use output::{category, NameLanguage};
use query::category_parent;

fn language(params: &QueryParams) -> NameLanguage {
    match params.last("lang") {
        Some("fi") => NameLanguage::Fi,
        Some("en") => NameLanguage::En,
        Some("sv") => NameLanguage::Sv,
        _ => NameLanguage::Default,
    }
}

pub async fn list(State(state): State<AppState>, params: QueryParams) -> Result<Response, ApiError> {
    let tree = hp_app::categories::tree(&state.app).await?;
    let parent = category_parent(&params, &tree)?;
    let language = language(&params);
    let nested = params.includes("child_categories").then_some(&*tree);
    Ok(json::ok(&tree.list(parent).map(|row| category(row, language, nested)).collect::<Vec<_>>()))
}

pub async fn detail(
    State(state): State<AppState>,
    params: QueryParams,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let tree = hp_app::categories::tree(&state.app).await?;
    let row = tree.get(id).ok_or(ApiError::NotFound)?;
    let nested = params.includes("child_categories").then_some(&*tree);
    Ok(json::ok(&category(row, language(&params), nested)))
}
