//! Validation errors keyed by field, in the order the fields were checked.
//!
//! Rendered by the API as the DRF body `{"field": ["message", …], …}`; errors that belong to
//! no single field go under `non_field_errors`.

use serde::ser::{Serialize, SerializeMap, Serializer};

pub const NON_FIELD_ERRORS: &str = "non_field_errors";

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors {
    entries: Vec<(String, Vec<String>)>,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One error for one field.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        match self.entries.iter_mut().find(|(name, _)| name == field) {
            Some((_, messages)) => messages.push(message),
            None => self.entries.push((field.to_owned(), vec![message])),
        }
    }

    pub fn add_non_field(&mut self, message: impl Into<String>) {
        self.add(NON_FIELD_ERRORS, message);
    }

    pub fn merge(&mut self, other: FieldErrors) {
        for (field, messages) in other.entries {
            for message in messages {
                self.add(&field, message);
            }
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.entries.iter().any(|(name, _)| name == field)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn fields(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries.iter().map(|(f, m)| (f.as_str(), m.as_slice()))
    }

    /// `Ok(())` when nothing was added, the errors otherwise.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl Serialize for FieldErrors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (field, messages) in &self.entries {
            map.serialize_entry(field, messages)?;
        }
        map.end()
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (field, messages) in &self.entries {
            writeln!(f, "{field}: {}", messages.join(" "))?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}
