//! The business rules of harrastuspassi, free of I/O.
//!
//! This crate owns what the service *means*: the Helsinki clock and the value formats the
//! clients rely on, prices and their validation rules, the edit-rights rule, weekly event
//! recurrence, great-circle distance, the category tree layout and the exact (Finnish and
//! English) messages of every validation error. It may not touch the database, HTTP or the
//! file system; `hp-db` and `hp-api` build on it.

pub mod category_tree;
pub mod field_errors;
pub mod geo;
pub mod input;
pub mod limits;
pub mod media;
pub mod messages;
pub mod passwords;
pub mod permissions;
pub mod price;
pub mod recurrence;
pub mod search;
pub mod sign_in_limits;
pub mod time;
pub mod tokens;

pub use field_errors::FieldErrors;
