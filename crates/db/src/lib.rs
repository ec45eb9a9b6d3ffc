//! Storage of harrastuspassi on SQLite (embedded default) or PostgreSQL (production).
//!
//! [`Db`] is the only type that knows which backend is in use: it connects, migrates, hands
//! out connections and transactions, and runs `sea-query` statements built once for both
//! dialects. The aggregate modules (`hobbies`, `events`, …) hold the queries of one entity
//! each and take any [`Executes`] (a pooled connection or a transaction), so that the API
//! can run them alone or inside one transaction. This crate owns the schema
//! (`migrations/{sqlite,postgres}`) and may not know about HTTP.

pub mod accounts;
pub mod benefits;
pub mod categories;
pub mod category_tree;
pub mod changes;
mod conditions;
pub mod dependents;
mod error;
pub mod events;
mod exec;
pub mod hobbies;
pub mod imports;
pub mod listing;
pub mod locations;
mod locks;
pub mod login_failures;
pub mod maintenance;
pub mod municipalities;
pub mod next_event;
pub mod organizers;
mod partial_update;
pub mod promotions;
pub mod query;
pub mod restore;
pub mod scheduled_jobs;
pub mod schema;

pub use error::DbError;
pub use exec::{redact_password, Backend, Conn, Db, DbOptions, Executes, Tx};
pub use query::{CategorySubtrees, EditScope, OrderKey, Ordering, Page, Proximity, TextSearch};
