//! Reading the fields of a write body with the original serializers' rules and messages:
//! what is required on create and PUT, what a PATCH may leave out, null versus blank, and
//! related ids that must exist. Errors are collected per field in the order the fields are
//! read (the order of the representation).

use crate::body::Body;
use crate::read_log::{FieldDoc, FieldKind};
use hp_domain::input::{self, python_type_name};
use hp_domain::{messages, FieldErrors};
use serde_json::Value;

pub use hp_app::WriteMode;

pub struct FieldReader<'a> {
    body: &'a Body,
    mode: WriteMode,
    pub errors: FieldErrors,
}

impl<'a> FieldReader<'a> {
    pub fn new(body: &'a Body, mode: WriteMode) -> Self {
        Self { body, mode, errors: FieldErrors::new() }
    }

    pub fn mode(&self) -> WriteMode {
        self.mode
    }

    pub fn has(&self, name: &str) -> bool {
        self.body.has(name)
    }

    /// The value of a field, `None` when absent. A required field that is absent is an
    /// error on create and PUT.
    fn value(&mut self, name: &str, required: bool) -> Option<&'a Value> {
        match self.body.get(name) {
            Some(value) => Some(value),
            None => {
                if required && self.mode.requires_fields() {
                    self.errors.add(name, messages::REQUIRED);
                }
                None
            }
        }
    }

    /// Records an error; `None` to return from the reader.
    fn fail<T>(&mut self, name: &str, message: impl Into<String>) -> Option<T> {
        self.errors.add(name, message);
        None
    }

    /// A single value: in a form a repeated field counts with its last value; JSON is as sent.
    fn scalar<'v>(&self, value: &'v Value) -> &'v Value {
        match value {
            Value::Array(values) if self.body.from_form && !values.is_empty() => values.last().expect("non-empty"),
            other => other,
        }
    }

    /// Text; `None` when absent or invalid.
    pub fn text(
        &mut self,
        name: &'static str,
        max_length: Option<usize>,
        required: bool,
        allow_blank: bool,
    ) -> Option<String> {
        self.describe(name, FieldKind::Text { max_length }, required, false);
        let value = self.value(name, required)?;
        let value = self.scalar(value);
        match input::text(value, max_length, allow_blank) {
            Ok(text) => Some(text),
            Err(errors) => {
                for error in errors {
                    self.errors.add(name, error);
                }
                None
            }
        }
    }

    /// An integer within bounds.
    pub fn integer(&mut self, name: &'static str, min: Option<i64>, max: Option<i64>, required: bool) -> Option<i64> {
        self.describe(name, FieldKind::Integer { min, max }, required, false);
        let value = self.value(name, required)?;
        let value = self.scalar(value);
        if value.is_null() {
            return self.fail(name, messages::NULL_NOT_ALLOWED);
        }
        input::integer(value, min, max).map_err(|e| self.errors.add(name, e)).ok()
    }

    /// A boolean; in a form an absent boolean is false.
    pub fn boolean(&mut self, name: &'static str) -> Option<bool> {
        self.describe(name, FieldKind::Boolean, false, false);
        let Some(value) = self.body.get(name) else {
            return self.body.from_form.then_some(false);
        };
        input::boolean(self.scalar(value)).map_err(|e| self.errors.add(name, e)).ok()
    }

    pub fn date(&mut self, name: &'static str, required: bool) -> Option<chrono::NaiveDate> {
        self.describe(name, FieldKind::Date, required, false);
        let value = self.value(name, required)?;
        let value = self.scalar(value);
        if value.is_null() {
            return self.fail(name, messages::NULL_NOT_ALLOWED);
        }
        input::date(value).map_err(|e| self.errors.add(name, e)).ok()
    }

    pub fn time(&mut self, name: &'static str, required: bool) -> Option<chrono::NaiveTime> {
        self.describe(name, FieldKind::Time, required, false);
        let value = self.value(name, required)?;
        let value = self.scalar(value);
        if value.is_null() {
            return self.fail(name, messages::NULL_NOT_ALLOWED);
        }
        input::time_of_day(value).map_err(|e| self.errors.add(name, e)).ok()
    }

    /// A choice among `parse`-able values.
    pub fn choice<T>(
        &mut self,
        name: &'static str,
        values: &'static [&'static str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        self.describe(name, FieldKind::Choice(values), false, false);
        let value = self.value(name, false)?;
        let value = self.scalar(value);
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => return self.fail(name, messages::NULL_NOT_ALLOWED),
            other => other.to_string(),
        };
        match parse(&text) {
            Some(choice) => Some(choice),
            None => self.fail(name, messages::invalid_choice(&text)),
        }
    }

    /// A related object's id: `Some(None)` for null (when nullable); existence is checked by
    /// the caller with [`RelatedIds`].
    pub fn related(&mut self, name: &'static str, required: bool, nullable: bool) -> Option<Option<i64>> {
        self.describe(name, FieldKind::Related, required, nullable);
        let value = self.value(name, required)?;
        let value = self.scalar(value);
        let empty_form_value = self.body.from_form && value.as_str() == Some("");
        if value.is_null() || empty_form_value {
            if nullable {
                return Some(None);
            }
            let message = if empty_form_value { messages::REQUIRED } else { messages::NULL_NOT_ALLOWED };
            return self.fail(name, message);
        }
        input::primary_key(value).map(Some).map_err(|e| self.errors.add(name, e)).ok()
    }

    /// A list of related ids (a single form value counts as a list of one).
    pub fn related_list(&mut self, name: &'static str) -> Option<Vec<i64>> {
        self.describe(name, FieldKind::RelatedList, false, false);
        let value = self.value(name, false)?;
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::String(_) if self.body.from_form => vec![value],
            other => {
                let message = messages::expected_list(python_type_name(other));
                return self.fail(name, message);
            }
        };
        if items.len() > hp_domain::limits::MAX_RELATED_IDS {
            return self.fail(name, messages::too_many_values(hp_domain::limits::MAX_RELATED_IDS));
        }
        let mut ids = Vec::with_capacity(items.len());
        for item in items {
            match input::primary_key(item) {
                Ok(id) => ids.push(id),
                Err(error) => return self.fail(name, error),
            }
        }
        Some(ids)
    }

    /// A decimal amount in cents (`decimal(5, 2)`).
    pub fn amount(&mut self, name: &'static str) -> Option<i64> {
        self.describe(name, FieldKind::Amount, false, false);
        let value = self.value(name, false)?;
        let value = self.scalar(value);
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Null => return self.fail(name, messages::NULL_NOT_ALLOWED),
            _ => return self.fail(name, messages::INVALID_NUMBER),
        };
        hp_domain::price::parse_amount(&text).map_err(|e| self.errors.add(name, e)).ok()
    }

    /// A field's value as sent, for a reader that parses it itself; `kind` says what it is.
    pub fn raw(&self, name: &'static str, kind: FieldKind, nullable: bool) -> Option<&'a Value> {
        self.describe(name, kind, false, nullable);
        self.body.get(name)
    }

    fn describe(&self, name: &'static str, kind: FieldKind, required: bool, nullable: bool) {
        self.body.describe(FieldDoc { name, kind, required, nullable });
    }

    pub fn is_file(&self, name: &str) -> bool {
        self.body.is_file(name)
    }

    pub fn finish(self) -> Result<(), FieldErrors> {
        self.errors.into_result()
    }
}
