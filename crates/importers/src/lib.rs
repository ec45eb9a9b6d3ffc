//! Importers that fill the catalogue from outside: the category and audience trees from the
//! hobby ontology (OWL), LIPAS sports places, Linked Courses/Events, and (`import-django`)
//! the whole database of a Django deployment of the original service.
//!
//! Each feed importer reads its source into plain values, then writes through `hp-db` in one
//! transaction per run, matching rows by (data_source, origin_id), and keeps the next event
//! of the hobbies it touched current; `django` instead copies every row with its id into an
//! empty target. They never touch HTTP request handling.

pub mod django;
pub mod http;
pub mod linked_mapping;
pub mod linkedcourses;
pub mod lipas;
pub mod ontology;
pub mod sync;
