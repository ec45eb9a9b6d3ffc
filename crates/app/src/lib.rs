//! The application layer of harrastuspassi: every use case as a typed function, called by
//! the HTTP API (`hp-api`), the sysadmin UI (`hp-admin`) and the command line alike.
//!
//! It knows no HTTP, no API version and no JSON body: the edges read requests, forms and
//! arguments into the typed inputs here and render what the use cases return. Here are the
//! rules that need storage: edit rights ([`actor`], [`changing`]), related rows that must
//! exist, derived data kept in step (next events, images), one transaction per change.
//! Rules without I/O are in `hp-domain`, SQL in `hp-db`.
//!
//! One module per resource owns its use cases, reads and writes: [`hobbies`], [`events`],
//! [`promotions`], [`benefits`] (redemptions), [`organizers`], [`locations`]; and, for
//! sysadmins only (they take a [`actor::Superuser`]), [`accounts`], [`municipalities`] and
//! [`categories`] (the category and audience trees; everyone may read the category tree).
//! Lists read through [`listing`] (typed filters, the `editable_only` rule, pages) within
//! one [`reading::Reading`] (one connection, one category tree per request).

pub mod accounts;
pub mod actor;
pub mod benefits;
pub mod categories;
pub mod changes;
pub mod changing;
mod context;
pub mod data_version;
mod error;
pub mod events;
pub mod geocoding;
pub mod hobbies;
pub mod images;
pub mod listing;
pub mod locations;
pub mod media;
pub mod municipalities;
pub mod organizers;
pub mod passwords;
pub mod promotions;
pub mod reading;
mod related;
pub mod stored_images;
pub mod submitted;
pub mod turns;

pub use actor::{Actor, Superuser, User};
pub use context::{App, AppSettings};
pub use error::AppError;
pub use submitted::{Submitted, WriteMode};
