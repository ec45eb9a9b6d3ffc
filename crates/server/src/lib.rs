//! The `harrastuspassi` binary's library: configuration, start-up and wiring of the HTTP
//! service, the scheduled jobs and the demo data generator.
//!
//! It owns process concerns (flags and environment, logging, signals, the data directory)
//! and composes the other crates; it holds no business rules of its own.

pub mod admin_cli;
pub mod app;
pub mod command_line;
pub mod config;
pub mod connections;
pub mod database;
pub mod demo;
pub mod django_cli;
pub mod geocode_cli;
pub mod import_cli;
pub mod jobs;
pub mod media_cli;
mod shutdown;
