//! Integration tests of harrastuspassi over HTTP against a real database: SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL=postgres://…` is set. One binary for the whole service
//! (link time on small machines); one module per area.

mod support;

mod auth;
mod caching;
mod categories;
mod change_feed;
mod django_import;
mod events;
mod hobbies;
mod hostile_input;
mod images;
mod importers;
mod jobs;
mod operations;
mod organizers_locations;
mod pagination;
mod processes;
mod promotions;
mod query_errors;
mod resilience;
mod routing;
mod schema;
mod sysadmin;
mod sysadmin_legacy_paths;
mod writes_events;
mod writes_hobbies;
mod writes_places;
mod writes_promotions;
