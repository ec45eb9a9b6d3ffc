//! Partial updates: an edit sets only the columns its request named, so that a write never
//! puts back a value read earlier over one another writer stored meanwhile.

use hp_domain::search::searchable_text;
use sea_query::{Iden, IntoIden, SimpleExpr, UpdateStatement};

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

/// The columns of a searchable name and description and of the search text made of them.
pub(crate) struct SearchableColumns<C> {
    pub name: C,
    pub description: C,
    pub search_text: C,
}

/// Sets a name and a description when named, and then the search text from the new texts and
/// the stored ones where a text is not named.
pub(crate) fn set_searchable_texts<C: Iden + Copy + 'static>(
    q: &mut UpdateStatement,
    columns: SearchableColumns<C>,
    named: [&Option<String>; 2],
    stored: [&str; 2],
) {
    let [name, description] = named;
    q.set_named(columns.name, name.clone()).set_named(columns.description, description.clone());
    if name.is_some() || description.is_some() {
        let texts = [name.as_deref().unwrap_or(stored[0]), description.as_deref().unwrap_or(stored[1])];
        q.value(columns.search_text, searchable_text(texts));
    }
}
