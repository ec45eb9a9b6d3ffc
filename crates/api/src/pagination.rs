//! The v1 page envelope `{count, next, previous, results}` of the hobby and hobby-event
//! lists (api.md 3.8): `page` and `page_size` (default and maximum 500), absolute links
//! that keep every other parameter, 404 "Epäkelpo sivu." for a page that does not exist.

use crate::error::ApiError;
use crate::json;
use crate::origin::RequestOrigin;
use crate::params::QueryParams;
use crate::resources::RenderContext;
use axum::response::Response;
use hp_app::listing::{PageNumber, PageRequest, PageShown, Window};
use serde::Serialize;
use serde_json::value::RawValue;

pub const MAX_PAGE_SIZE: u64 = 500;

/// The page a request asks for: `page_size` clamped to 1..=500 (anything else is the
/// default), `page` a number from 1 or `last`; 404 for a number that cannot be a page.
pub fn page_request(params: &QueryParams) -> Result<PageRequest, ApiError> {
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
                    && (n - 1).checked_mul(size).is_some_and(|offset| offset <= i64::MAX as u64 - MAX_PAGE_SIZE) =>
            {
                PageNumber::Number(n)
            }
            _ => return Err(ApiError::InvalidPage),
        },
        Some(_) => return Err(ApiError::InvalidPage),
    };
    Ok(PageRequest { number, size })
}

/// How much of a list the request's version answers: every row before v1, a page in v1.
pub fn window(ctx: &RenderContext<'_>) -> Result<Window, ApiError> {
    if ctx.version.paginates() {
        Ok(Window::Page(page_request(ctx.params)?))
    } else {
        Ok(Window::All)
    }
}

/// A list in its version's form: a bare array, or the page in its envelope.
pub fn list_answer(ctx: &RenderContext<'_>, path: &str, page: Option<PageShown>, results: Box<RawValue>) -> Response {
    match page {
        None => json::ok(&results),
        Some(page) => json::ok(&envelope(ctx.origin, path, ctx.params, page.number, page.size, page.total, results)),
    }
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
