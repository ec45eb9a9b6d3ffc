//! The query string as the original read it: `+` and `%20` are spaces, empty components
//! (`?&include=…`) are dropped, a value-less parameter has the empty value, a repeated
//! parameter counts with its last value unless it is one of the repeatable ones.

use crate::read_log::ReadLog;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;

#[derive(Debug, Clone, Default)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
    /// Where the names asked for are logged, when the request carries a log.
    log: Option<ReadLog>,
}

impl QueryParams {
    pub fn parse(raw: &str) -> Self {
        let pairs = form_urlencoded::parse(raw.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        Self { pairs, log: None }
    }

    fn asked(&self, name: &str) {
        if let Some(log) = &self.log {
            log.name(name);
        }
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn has(&self, name: &str) -> bool {
        self.asked(name);
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// The last value of a parameter (possibly empty).
    pub fn last(&self, name: &str) -> Option<&str> {
        self.asked(name);
        self.pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The last value when it is not empty: empty means "not given".
    pub fn given(&self, name: &str) -> Option<&str> {
        self.last(name).filter(|v| !v.is_empty())
    }

    /// Every value of a repeatable parameter, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.asked(name);
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// A boolean filter: `true`/`1` on, `false`/`0` off, anything else not given.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.last(name)?.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }

    pub fn includes(&self, option: &str) -> bool {
        self.asked("include");
        self.pairs.iter().any(|(k, v)| k == "include" && v == option)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut params = QueryParams::parse(parts.uri.query().unwrap_or(""));
        params.log = parts.extensions.get::<ReadLog>().cloned();
        Ok(params)
    }
}
