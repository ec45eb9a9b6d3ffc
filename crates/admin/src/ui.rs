//! The page types of the sysadmin UI (askama templates) and the pieces every page uses:
//! form fields with their errors, lists with search and pages, confirmations.

use crate::gate::Sysadmin;
use crate::i18n::Lang;
use askama::Template;
use axum::response::Response;
use hp_api::ApiError;

/// `self.tr("…")` in the templates: the text in the page's language.
macro_rules! translated {
    ($($page:ty),*) => {
        $(impl $page {
            pub fn tr(&self, text: &str) -> String {
                self.lang.tr(text)
            }
        })*
    };
}
translated!(FormPage, ListPage, ConfirmPage, MessagePage, Dashboard);

/// One form field; `kind` is an input type, `select`, `multiselect`, `textarea` or `checkbox`.
#[derive(Debug, Clone, Default)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    /// (value, label, selected)
    pub options: Vec<(String, String, bool)>,
    pub errors: Vec<String>,
    pub required: bool,
}

impl Field {
    pub fn new(name: &str, label: &str, kind: &'static str, value: impl Into<String>) -> Self {
        Self { name: name.into(), label: label.into(), kind, value: value.into(), ..Default::default() }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn checkbox(name: &str, label: &str, checked: bool) -> Self {
        Self::new(name, label, "checkbox", if checked { "true" } else { "" })
    }

    /// A select of `options` (value, label) with `selected` chosen; `empty` adds a "none" choice.
    pub fn select(
        name: &str,
        label: &str,
        options: Vec<(String, String)>,
        selected: &[String],
        empty: Option<&str>,
    ) -> Self {
        let mut all: Vec<(String, String, bool)> =
            empty.map(|e| (String::new(), e.to_owned(), selected.is_empty())).into_iter().collect();
        all.extend(options.into_iter().map(|(value, text)| {
            let chosen = selected.contains(&value);
            (value, text, chosen)
        }));
        Self { name: name.into(), label: label.into(), kind: "select", options: all, ..Default::default() }
    }
}

/// A form page, optionally with sections below (a hobby's events, a municipality's moderators).
#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub lang: Lang,
    pub title: String,
    pub username: String,
    pub csrf: String,
    pub action: String,
    pub fields: Vec<Field>,
    pub non_field_errors: Vec<String>,
    pub notice: Option<String>,
    pub delete_url: Option<String>,
    pub sections: Vec<Section>,
}

pub struct Section {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<SectionRow>,
    pub form: Option<SectionForm>,
}

pub struct SectionRow {
    pub cells: Vec<String>,
    pub action: Option<RowAction>,
}

/// A one-button form on a row (remove, delete).
pub struct RowAction {
    pub url: String,
    pub label: String,
    pub hidden: Vec<(String, String)>,
}

pub struct SectionForm {
    pub action: String,
    pub prefix: String,
    pub fields: Vec<Field>,
    pub submit: String,
}

impl SectionForm {
    /// Whether it uploads a file.
    pub fn is_multipart(&self) -> bool {
        self.fields.iter().any(|f| f.kind == "file")
    }
}

impl FormPage {
    pub fn new(admin: &Sysadmin, title: impl Into<String>, action: impl Into<String>, fields: Vec<Field>) -> Self {
        Self {
            lang: admin.lang,
            title: title.into(),
            username: admin.user.username.clone(),
            csrf: admin.csrf.clone(),
            action: action.into(),
            fields,
            non_field_errors: Vec::new(),
            notice: None,
            delete_url: None,
            sections: Vec::new(),
        }
    }

    /// Puts the errors of a failed write next to their fields.
    pub fn with_errors(mut self, error: impl Into<ApiError>) -> Result<Self, ApiError> {
        let error = error.into();
        let ApiError::Invalid(errors) = error else { return Err(error) };
        for (name, messages) in errors.fields() {
            match self.fields.iter_mut().find(|f| f.name == name) {
                Some(field) => field.errors.extend(messages.iter().cloned()),
                None if name == "non_field_errors" => self.non_field_errors.extend(messages.iter().cloned()),
                None => self.non_field_errors.extend(messages.iter().map(|m| format!("{name}: {m}"))),
            }
        }
        Ok(self)
    }
}

pub struct ListRow {
    pub url: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    pub lang: Lang,
    pub title: String,
    pub username: String,
    pub new_url: Option<String>,
    pub search: String,
    pub total: usize,
    pub headers: Vec<String>,
    pub rows: Vec<ListRow>,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
}

const PAGE_SIZE: usize = 50;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    pub page: Option<usize>,
}

impl ListQuery {
    /// The page number asked for, from 1 (a number past the end shows an empty page).
    fn number(&self) -> usize {
        self.page.unwrap_or(1).clamp(1, MAX_PAGE)
    }

    /// The rows of the page asked for, as a query's offset and limit.
    pub fn page(&self) -> hp_db::Page {
        hp_db::Page { offset: ((self.number() - 1) * PAGE_SIZE) as u64, limit: PAGE_SIZE as u64 }
    }
}

/// Pages beyond this are not asked for by any link; it bounds the offset a client sets.
const MAX_PAGE: usize = 1_000_000;

impl ListPage {
    /// One page of rows that the query already searched and paged; `total` rows matched.
    pub fn paged(
        admin: &Sysadmin,
        title: &str,
        base_url: &str,
        query: &ListQuery,
        headers: &[&str],
        rows: Vec<ListRow>,
        total: u64,
    ) -> Self {
        let page = query.number();
        let total = usize::try_from(total).unwrap_or(usize::MAX);
        let link = |page: usize| {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &query.q)
                .append_pair("page", &page.to_string())
                .finish();
            format!("{base_url}?{query}")
        };
        Self {
            lang: admin.lang,
            title: title.into(),
            username: admin.user.username.clone(),
            new_url: Some(format!("{base_url}new/")),
            search: query.q.clone(),
            total,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
            previous_url: (page > 1).then(|| link(page - 1)),
            next_url: (page.saturating_mul(PAGE_SIZE) < total).then(|| link(page + 1)),
        }
    }

    /// A page of rows held in memory whose text contains the search (case-insensitively):
    /// for the lists that are small by nature (a category tree, the API tokens).
    pub fn build(
        admin: &Sysadmin,
        title: &str,
        base_url: &str,
        query: &ListQuery,
        headers: &[&str],
        rows: Vec<ListRow>,
    ) -> Self {
        let needle = query.q.trim().to_lowercase();
        let matching: Vec<ListRow> = rows
            .into_iter()
            .filter(|r| needle.is_empty() || r.cells.iter().any(|c| c.to_lowercase().contains(&needle)))
            .collect();
        let total = matching.len() as u64;
        let hp_db::Page { offset, limit } = query.page();
        let rows = matching.into_iter().skip(offset as usize).take(limit as usize).collect();
        Self::paged(admin, title, base_url, query, headers, rows, total)
    }
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub lang: Lang,
    pub title: String,
    pub username: String,
    pub csrf: String,
    pub question: String,
    pub consequences: Vec<String>,
    pub action: String,
    pub cancel_url: String,
}

impl ConfirmPage {
    pub fn new(admin: &Sysadmin, what: &str, url: &str, consequences: Vec<String>) -> Self {
        Self {
            lang: admin.lang,
            title: format!("Delete {what}"),
            username: admin.user.username.clone(),
            csrf: admin.csrf.clone(),
            question: format!("Delete {what}?"),
            consequences,
            action: format!("{url}delete/"),
            cancel_url: url.to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub lang: Lang,
    pub title: String,
    pub username: String,
    pub message: String,
    pub key: Option<String>,
    pub back_url: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct Dashboard {
    pub lang: Lang,
    pub title: String,
    pub username: String,
    pub counts: Vec<(String, String, usize)>,
}

/// Renders a page for the sysadmin.
pub fn render(admin: &Sysadmin, page: &impl Template) -> Result<Response, ApiError> {
    Ok(admin.page(page.render().map_err(|e| ApiError::Internal(e.to_string()))?))
}

/// An optional id from a form value.
pub fn optional_id(value: &str) -> Option<i64> {
    value.trim().parse().ok()
}
