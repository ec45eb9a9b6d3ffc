//! Pages of one table for the sysadmin lists: the ids of the rows whose text columns contain
//! a search (case-insensitively), counted, ordered and paged in SQL, so that a list page
//! costs the same with ten rows or a hundred thousand.

use crate::exec::Executes;
use crate::{DbError, Page};
use sea_query::{Condition, DynIden, Expr, Func, IntoIden, LikeExpr, Order, Query, SelectStatement};

/// Which table a list pages, by which columns it searches and orders.
pub struct Listing {
    pub table: DynIden,
    pub id: DynIden,
    /// Searched, and the first orders the list (then the id).
    pub texts: Vec<DynIden>,
}

impl Listing {
    pub fn new(table: impl IntoIden, id: impl IntoIden, texts: impl IntoIterator<Item = DynIden>) -> Self {
        Self { table: table.into_iden(), id: id.into_iden(), texts: texts.into_iter().collect() }
    }

    /// The rows whose text columns contain the search; `None` for a blank search (all rows).
    pub fn search_condition(&self, search: &str) -> Option<Condition> {
        let needle = search.trim().to_lowercase();
        if needle.is_empty() {
            return None;
        }
        let mut pattern = String::from("%");
        for c in needle.chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('%');
        let mut any = Condition::any();
        for column in &self.texts {
            let lowered = Expr::expr(Func::lower(Expr::col(column.clone())));
            any = any.add(lowered.like(LikeExpr::new(pattern.clone()).escape('\\')));
        }
        Some(any)
    }

    /// The ids of the rows that match the search, as a subquery.
    pub fn matching_ids(&self, search: &str) -> SelectStatement {
        self.matching(search).column(self.id.clone()).to_owned()
    }

    fn matching(&self, search: &str) -> SelectStatement {
        let mut q = Query::select().from(self.table.clone()).to_owned();
        if let Some(condition) = self.search_condition(search) {
            q.cond_where(condition);
        }
        q
    }

    /// The ids of one page of matching rows, and how many rows match in all.
    pub async fn page(&self, ex: &mut impl Executes, search: &str, page: Page) -> Result<(Vec<i64>, u64), DbError> {
        let count = self.matching(search).expr(Expr::col(sea_query::Asterisk).count()).to_owned();
        let total: i64 = ex.fetch_scalar(&count).await?;
        let mut ids = self.matching(search).column(self.id.clone()).to_owned();
        if let Some(first) = self.texts.first() {
            ids.order_by(first.clone(), Order::Asc);
        }
        ids.order_by(self.id.clone(), Order::Asc).limit(page.limit).offset(page.offset);
        let rows: Vec<(i64,)> = ex.fetch_all(&ids).await?;
        Ok((rows.into_iter().map(|(id,)| id).collect(), total.max(0) as u64))
    }
}

/// Rows fetched by the ids of a [`Listing::page`], put back in the page's order.
pub fn in_listed_order<T>(ids: &[i64], mut rows: Vec<T>, id_of: impl Fn(&T) -> i64) -> Vec<T> {
    rows.sort_by_key(|row| ids.iter().position(|id| *id == id_of(row)).unwrap_or(usize::MAX));
    rows
}
