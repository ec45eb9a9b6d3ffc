//! Lists: a typed filter, the actor's `editable_only` rule, and reading every row or one
//! page of them with the total. The edges decide how a page is asked for and shown.

use crate::reading::Reading;
use crate::{Actor, AppError};
use hp_db::{Conn, DbError, EditScope, Page};
use std::future::Future;

/// A list filter that can be narrowed to what someone may edit (`editable_only`).
pub trait Restrictable {
    fn restrict_to(&mut self, scope: EditScope);
}

/// A filter of a list the storage can read whole or a page at a time.
pub trait Listable: Restrictable + Send + Sync {
    type Row: Send + Sync;

    fn all(&self, conn: &mut Conn) -> impl Future<Output = Result<Vec<Self::Row>, DbError>> + Send;

    fn count(&self, conn: &mut Conn) -> impl Future<Output = Result<u64, DbError>> + Send;

    /// The rows of the window and the total.
    fn page(&self, conn: &mut Conn, page: Page) -> impl Future<Output = Result<(Vec<Self::Row>, u64), DbError>> + Send;
}

/// [`Restrictable`] and [`Listable`] for a filter of `hp-db` with an `editable` scope, read
/// by its module's `list`, `count` and `page`.
macro_rules! listable_through {
    ($module:ident, $filter:ty, $row:ty) => {
        impl $crate::listing::Restrictable for $filter {
            fn restrict_to(&mut self, scope: hp_db::EditScope) {
                self.editable = Some(scope);
            }
        }

        impl $crate::listing::Listable for $filter {
            type Row = $row;

            async fn all(&self, conn: &mut hp_db::Conn) -> Result<Vec<$row>, hp_db::DbError> {
                $module::list(conn, self).await
            }

            async fn count(&self, conn: &mut hp_db::Conn) -> Result<u64, hp_db::DbError> {
                Ok($module::count(conn, self).await? as u64)
            }

            async fn page(
                &self,
                conn: &mut hp_db::Conn,
                page: hp_db::Page,
            ) -> Result<(Vec<$row>, u64), hp_db::DbError> {
                $module::page(conn, self, page).await
            }
        }
    };
}
pub(crate) use listable_through;

/// A list query as an edge read it.
#[derive(Debug)]
pub struct ListQuery<F> {
    pub filter: F,
    /// Only what the actor may edit: nothing for an anonymous actor.
    pub editable_only: bool,
}

impl<F: Restrictable> ListQuery<F> {
    /// The filter as the actor may read it; `None` when the list is empty for them.
    pub fn for_actor(self, actor: &Actor) -> Option<F> {
        let mut filter = self.filter;
        if self.editable_only {
            filter.restrict_to(actor.edit_scope()?);
        }
        Some(filter)
    }
}

/// A page asked for before the total is known: a number from 1, or the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageNumber {
    Number(u64),
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub number: PageNumber,
    pub size: u64,
}

impl PageRequest {
    /// The page number and its window once the total is known; `NoSuchPage` past the end
    /// (an empty list has one, empty, page).
    pub fn resolve(&self, total: u64) -> Result<(u64, Page), AppError> {
        let pages = total.div_ceil(self.size).max(1);
        let number = match self.number {
            PageNumber::Last => pages,
            PageNumber::Number(n) if n <= pages => n,
            PageNumber::Number(_) => return Err(AppError::NoSuchPage),
        };
        Ok((number, self.window(number)))
    }

    fn window(&self, number: u64) -> Page {
        Page { offset: (number - 1) * self.size, limit: self.size }
    }
}

/// How much of a list to read.
#[derive(Debug, Clone, Copy)]
pub enum Window {
    All,
    Page(PageRequest),
}

/// The page a list answer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageShown {
    pub number: u64,
    pub size: u64,
    pub total: u64,
}

/// What a list read gives: the rows, and for a page which one it is.
#[derive(Debug)]
pub struct Listed<R> {
    pub rows: Vec<R>,
    pub page: Option<PageShown>,
}

/// Reads a list as the actor may see it. A numbered page is read with its total in one
/// go; only `last` counts first.
pub async fn list<L: Listable>(
    reading: &mut Reading,
    actor: &Actor,
    query: ListQuery<L>,
    window: Window,
) -> Result<Listed<L::Row>, AppError> {
    let filter = query.for_actor(actor);
    let request = match window {
        Window::All => {
            let rows = match &filter {
                Some(filter) => filter.all(reading.conn()).await?,
                None => Vec::new(),
            };
            return Ok(Listed { rows, page: None });
        }
        Window::Page(request) => request,
    };
    let Some(filter) = filter else {
        let (number, _) = request.resolve(0)?;
        return Ok(Listed { rows: Vec::new(), page: Some(PageShown { number, size: request.size, total: 0 }) });
    };
    let (number, window) = match request.number {
        PageNumber::Number(n) => (n, request.window(n)),
        PageNumber::Last => request.resolve(filter.count(reading.conn()).await?)?,
    };
    let (rows, total) = filter.page(reading.conn(), window).await?;
    request.resolve(total)?;
    Ok(Listed { rows, page: Some(PageShown { number, size: request.size, total }) })
}
