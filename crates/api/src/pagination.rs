//! The v1 page envelope `{count, next, previous, results}` of the hobby and hobby-event
//! lists (api.md 3.8): `page` and `page_size` (default and maximum 500), absolute links
//! that keep every other parameter, 404 "Epäkelpo sivu." for a page that does not exist.

use crate::error::ApiError;
use crate::json;
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::resources::RenderContext;
use axum::response::Response;
use hp_db::category_tree::CategoryTree;
use hp_db::{Conn, DbError, Page};
use serde::Serialize;
use serde_json::value::RawValue;
use std::sync::Arc;

pub const MAX_PAGE_SIZE: u64 = 500;

/// The page a request asks for, before the total is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    number: PageNumber,
    pub size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageNumber {
    Number(u64),
    Last,
}

impl PageRequest {
    pub fn from_params(params: &QueryParams) -> Result<Self, ApiError> {
        let size = params
            .last("page_size")
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .map(|v| v.parse::<u64>().unwrap_or(u64::MAX).min(MAX_PAGE_SIZE))
            .filter(|size| *size > 0)
            .unwrap_or(MAX_PAGE_SIZE);
        let number = match params.last("page") {
            None => PageNumber::Number(1),
            Some("last") => PageNumber::Last,
            // A page whose first row would lie past the largest row count a table can have
            // does not exist (and its offset would not fit the databases' integers).
            Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => match text.parse::<u64>() {
                Ok(n)
                    if n >= 1
                        && (n - 1)
                            .checked_mul(size)
                            .is_some_and(|offset| offset <= i64::MAX as u64 - MAX_PAGE_SIZE) =>
                {
                    PageNumber::Number(n)
                }
                _ => return Err(ApiError::InvalidPage),
            },
            Some(_) => return Err(ApiError::InvalidPage),
        };
        Ok(Self { number, size })
    }

    /// The 1-based page number and its window, once the total is known.
    pub fn resolve(&self, count: u64) -> Result<(u64, Page), ApiError> {
        let pages = count.div_ceil(self.size).max(1);
        let number = match self.number {
            PageNumber::Last => pages,
            PageNumber::Number(n) if n <= pages => n,
            PageNumber::Number(_) => return Err(ApiError::InvalidPage),
        };
        Ok((number, Page { offset: (number - 1) * self.size, limit: self.size }))
    }

    /// The window of a numbered page, known before counting.
    fn numbered_window(&self) -> Option<(u64, Page)> {
        match self.number {
            PageNumber::Number(n) => Some((n, Page { offset: (n - 1) * self.size, limit: self.size })),
            PageNumber::Last => None,
        }
    }
}

/// A list that can be read a page at a time with its total length.
pub trait PagedList {
    type Row: Send + Sync;

    /// Every row (the versions that do not page).
    fn all(&self, conn: &mut Conn) -> impl std::future::Future<Output = Result<Vec<Self::Row>, DbError>> + Send;

    fn count(&self, conn: &mut Conn) -> impl std::future::Future<Output = Result<u64, DbError>> + Send;

    fn page(
        &self,
        conn: &mut Conn,
        page: Page,
    ) -> impl std::future::Future<Output = Result<(Vec<Self::Row>, u64), DbError>> + Send;

    /// The rows as the list answers them (with what their includes need).
    fn render(
        ctx: &RenderContext<'_>,
        conn: &mut Conn,
        tree: Arc<CategoryTree>,
        rows: &[Self::Row],
    ) -> impl std::future::Future<Output = Result<Box<RawValue>, ApiError>> + Send;
}

/// A list in its version's form: before v1 every row as a bare array, in v1 the page asked
/// for in its envelope. `filter` is `None` when the list is known to be empty.
pub async fn versioned_list<L: PagedList>(
    ctx: &RenderContext<'_>,
    conn: &mut Conn,
    tree: Arc<CategoryTree>,
    filter: Option<L>,
    path: &str,
) -> Result<Response, ApiError> {
    if !ctx.version.paginates() {
        let rows = match &filter {
            Some(filter) => filter.all(conn).await?,
            None => Vec::new(),
        };
        return Ok(json::ok(&L::render(ctx, conn, tree, &rows).await?));
    }
    let page_request = PageRequest::from_params(ctx.params)?;
    let (number, rows, count) = read_page(conn, filter.as_ref(), &page_request).await?;
    let results = L::render(ctx, conn, tree, &rows).await?;
    Ok(json::ok(&envelope(ctx.origin, path, ctx.params, number, page_request.size, count, results)))
}

/// Reads the requested page: `(page number, rows, total)`; 404 for a page past the end.
/// `None` is the empty list (an anonymous `editable_only`).
pub async fn read_page<L: PagedList>(
    conn: &mut Conn,
    list: Option<&L>,
    request: &PageRequest,
) -> Result<(u64, Vec<L::Row>, u64), ApiError> {
    let Some(list) = list else {
        let (number, _) = request.resolve(0)?;
        return Ok((number, Vec::new(), 0));
    };
    let (number, window) = match request.numbered_window() {
        Some(numbered) => numbered,
        None => request.resolve(list.count(conn).await?)?,
    };
    let (rows, total) = list.page(conn, window).await?;
    request.resolve(total)?;
    Ok((number, rows, total))
}

#[derive(Serialize)]
pub struct Envelope<T: Serialize> {
    pub count: u64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: T,
}

/// The absolute URL of the same request on another page: parameters sorted by name (values
/// of a repeated one in order), form-encoded, `page` removed for page 1.
fn page_link(origin: &RequestOrigin, path: &str, params: &QueryParams, page: u64) -> String {
    let mut pairs: Vec<(&str, String)> =
        params.pairs().iter().filter(|(k, _)| k != "page").map(|(k, v)| (k.as_str(), v.clone())).collect();
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        query.append_pair(k, v);
    }
    let query = query.finish();
    if query.is_empty() {
        origin.url(path)
    } else {
        format!("{}?{}", origin.url(path), query)
    }
}

pub fn envelope<T: Serialize>(
    origin: &RequestOrigin,
    path: &str,
    params: &QueryParams,
    page: u64,
    size: u64,
    count: u64,
    results: T,
) -> Envelope<T> {
    let pages = count.div_ceil(size).max(1);
    Envelope {
        count,
        next: (page < pages).then(|| page_link(origin, path, params, page + 1)),
        previous: (page > 1).then(|| page_link(origin, path, params, page - 1)),
        results,
    }
}
