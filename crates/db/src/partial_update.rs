//! Partial updates: an edit sets only the columns its request named, so that a write never
//! puts back a value read earlier over one another writer stored meanwhile.

use sea_query::{IntoIden, SimpleExpr, UpdateStatement};

/// Setting a column only when a change names a value for it.
pub(crate) trait SetNamed {
    fn set_named<T: Into<SimpleExpr>>(&mut self, column: impl IntoIden, value: Option<T>) -> &mut Self;
}

impl SetNamed for UpdateStatement {
    fn set_named<T: Into<SimpleExpr>>(&mut self, column: impl IntoIden, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.value(column, value);
        }
        self
    }
}
