//! `hobbycategories/`: the read-only category tree, never paged.

use super::parse_id;
use crate::error::ApiError;
use crate::filters::category_parent;
use crate::json;
use crate::params::QueryParams;
use crate::state::AppState;
use crate::views::{category, ChildIndex, NameLanguage};
use axum::extract::{Path, State};
use axum::response::Response;
use hp_db::categories::{self, ParentFilter};
use hp_db::schema::TreeTable;

fn language(params: &QueryParams) -> NameLanguage {
    match params.last("lang") {
        Some("fi") => NameLanguage::Fi,
        Some("en") => NameLanguage::En,
        Some("sv") => NameLanguage::Sv,
        _ => NameLanguage::Default,
    }
}

pub async fn list(State(state): State<AppState>, params: QueryParams) -> Result<Response, ApiError> {
    let mut conn = state.db.conn().await?;
    let parent = category_parent(&params, &mut conn).await?;
    let language = language(&params);
    if !params.includes("child_categories") {
        let rows = categories::list(&mut conn, TreeTable::Categories, parent).await?;
        return Ok(json::ok(&rows.iter().map(|r| category(r, language, None)).collect::<Vec<_>>()));
    }
    let all = categories::list(&mut conn, TreeTable::Categories, ParentFilter::Any).await?;
    let index = ChildIndex::new(&all);
    let shown = all.iter().filter(|row| match parent {
        ParentFilter::Any => true,
        ParentFilter::Roots => row.parent_id.is_none(),
        ParentFilter::ChildrenOf(id) => row.parent_id == Some(id),
    });
    Ok(json::ok(&shown.map(|r| category(r, language, Some(&index))).collect::<Vec<_>>()))
}

pub async fn detail(
    State(state): State<AppState>,
    params: QueryParams,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let mut conn = state.db.conn().await?;
    let language = language(&params);
    if !params.includes("child_categories") {
        let row = categories::get(&mut conn, TreeTable::Categories, id).await?.ok_or(ApiError::NotFound)?;
        return Ok(json::ok(&category(&row, language, None)));
    }
    let all = categories::list(&mut conn, TreeTable::Categories, ParentFilter::Any).await?;
    let row = all.iter().find(|r| r.id == id).ok_or(ApiError::NotFound)?;
    Ok(json::ok(&category(row, language, Some(&ChildIndex::new(&all)))))
}
