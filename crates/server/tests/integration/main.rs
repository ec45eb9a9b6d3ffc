//! Integration tests of harrastuspassi over HTTP against a real database: SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL=postgres://…` is set. One binary for the whole service
//! (link time on small machines); one module per area.

mod support;

mod categories;
mod events;
mod hobbies;
mod jobs;
mod organizers_locations;
mod pagination;
mod promotions;
mod query_errors;
mod routing;
mod schema;
