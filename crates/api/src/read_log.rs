//! What a request's handlers read: the names of the query parameters and body fields they
//! asked for, and for body fields what kind of value was read. The API description is made
//! from the body readers by running them over an empty body that logs (so a documented
//! field is one the code reads), and a test serves requests with a log to check that the
//! documented query parameters are the ones the handlers read. Without a log nothing is
//! recorded.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// Kinds of body field values, as the readers read them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldKind {
    Text {
        max_length: Option<usize>,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
    Date,
    Time,
    /// One of these values.
    Choice(&'static [&'static str]),
    /// A related object's id.
    Related,
    /// Related objects' ids.
    RelatedList,
    /// A decimal amount with two decimals.
    Amount,
    /// A base64 image (a data URL or bare); null or blank removes it.
    Image,
    /// A point: GeoJSON, WKT, EWKT or hex WKB.
    Point,
}

/// One body field a reader reads.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDoc {
    pub name: &'static str,
    pub kind: FieldKind,
    /// Required on create and PUT.
    pub required: bool,
    pub nullable: bool,
}

#[derive(Debug, Default)]
struct Logged {
    names: BTreeSet<String>,
    fields: Vec<FieldDoc>,
}

/// A log shared by whoever reads one request (or one description run).
#[derive(Debug, Clone, Default)]
pub struct ReadLog(Arc<Mutex<Logged>>);

impl ReadLog {
    fn with<T>(&self, f: impl FnOnce(&mut Logged) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    pub(crate) fn name(&self, name: &str) {
        self.with(|log| {
            if !log.names.contains(name) {
                log.names.insert(name.to_owned());
            }
        });
    }

    pub(crate) fn field(&self, field: FieldDoc) {
        self.with(|log| {
            if !log.fields.iter().any(|f| f.name == field.name) {
                log.fields.push(field);
            }
        });
    }

    /// The names read since the last `take`, and forgets them.
    pub fn take_names(&self) -> BTreeSet<String> {
        self.with(|log| std::mem::take(&mut log.names))
    }

    /// The body fields described, in the order read.
    pub fn fields(&self) -> Vec<FieldDoc> {
        self.with(|log| log.fields.clone())
    }
}
