//! Request bodies of writes: JSON, `application/x-www-form-urlencoded` or
//! `multipart/form-data`, all read into one map of fields so that validation is written once.
//! Other media types are refused with 415; malformed JSON and non-object bodies with 400.

use crate::error::ApiError;
use crate::read_log::{FieldDoc, ReadLog};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use hp_domain::input::python_type_name;
use hp_domain::messages;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// The fields of a request body. Form fields are strings, a repeated field an array of them.
#[derive(Debug, Clone, Default)]
pub struct Body {
    fields: Map<String, Value>,
    /// Fields sent as uploaded files (multipart), which no field accepts.
    files: HashSet<String>,
    /// Whether the body was a form: absent booleans are then false, lists may be single values.
    pub from_form: bool,
    /// Where the fields asked for are logged, when the request carries a log.
    log: Option<ReadLog>,
}

impl Body {
    pub fn from_map(fields: Map<String, Value>) -> Self {
        Self { fields, ..Default::default() }
    }

    /// An empty JSON body whose readers log the fields they read and how: what the API
    /// description documents of a write.
    pub fn describing(log: ReadLog) -> Self {
        Self { log: Some(log), ..Default::default() }
    }

    /// Records how a reader reads a field (for the description).
    pub(crate) fn describe(&self, field: FieldDoc) {
        if let Some(log) = &self.log {
            log.field(field);
        }
    }

    fn asked(&self, name: &str) {
        if let Some(log) = &self.log {
            log.name(name);
        }
    }

    /// A form body from its (name, value) pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut body = Body { from_form: true, ..Default::default() };
        for (name, value) in pairs {
            body.push(name, Value::String(value.to_owned()));
        }
        body
    }

    /// Adds a text field (as a form sends it) that the form itself does not carry.
    pub fn insert_text(&mut self, name: &str, value: &str) {
        self.push(name, Value::String(value.to_owned()));
    }

    fn push(&mut self, name: &str, value: Value) {
        match self.fields.get_mut(name) {
            Some(Value::Array(values)) => values.push(value),
            Some(existing) => *existing = Value::Array(vec![existing.take(), value]),
            None => {
                self.fields.insert(name.to_owned(), value);
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.asked(name);
        self.fields.get(name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.asked(name);
        self.fields.contains_key(name)
    }

    pub fn is_file(&self, name: &str) -> bool {
        self.files.contains(name)
    }

    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// A JSON body; it must be an object.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(Self::default());
        }
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| ApiError::BadRequest(format!("JSON parse error - {e}")))?;
        match value {
            Value::Object(fields) => Ok(Self::from_map(fields)),
            other => Err(ApiError::non_field(messages::expected_object(python_type_name(&other)))),
        }
    }
}

/// The media type without parameters, lower-cased.
fn media_type(request: &Request) -> Option<String> {
    let value = request.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let log = request.extensions().get::<ReadLog>().cloned();
        let mut body = Self::read(request, state).await?;
        body.log = log;
        Ok(body)
    }
}

impl Body {
    async fn read<S: Send + Sync>(request: Request, state: &S) -> Result<Self, ApiError> {
        let media = media_type(&request);
        match media.as_deref() {
            None | Some("application/json") => {
                let bytes = axum::body::Bytes::from_request(request, state).await.map_err(too_large_or_bad)?;
                Body::from_json(&bytes)
            }
            Some(json) if json.ends_with("+json") => {
                let bytes = axum::body::Bytes::from_request(request, state).await.map_err(too_large_or_bad)?;
                Body::from_json(&bytes)
            }
            Some("application/x-www-form-urlencoded") => {
                let bytes = axum::body::Bytes::from_request(request, state).await.map_err(too_large_or_bad)?;
                let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
                Ok(Body::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
            }
            Some("multipart/form-data") => {
                let mut multipart = Multipart::from_request(request, state)
                    .await
                    .map_err(|e| ApiError::BadRequest(format!("Multipart form parse error - {e}")))?;
                let mut body = Body { from_form: true, ..Default::default() };
                while let Some(field) = multipart
                    .next_field()
                    .await
                    .map_err(|e| ApiError::BadRequest(format!("Multipart form parse error - {e}")))?
                {
                    let name = field.name().unwrap_or("").to_owned();
                    let is_file = field.file_name().is_some();
                    let text = field
                        .text()
                        .await
                        .map_err(|e| ApiError::BadRequest(format!("Multipart form parse error - {e}")))?;
                    if is_file {
                        body.files.insert(name.clone());
                    }
                    body.push(&name, Value::String(text));
                }
                Ok(body)
            }
            Some(other) => Err(ApiError::UnsupportedMediaType(other.to_owned())),
        }
    }
}

fn too_large_or_bad(rejection: axum::extract::rejection::BytesRejection) -> ApiError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest(rejection.body_text())
    }
}
