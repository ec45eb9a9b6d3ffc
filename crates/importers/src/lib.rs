//! Importers that fill the catalogue from outside: the category and audience trees from the
//! hobby ontology (OWL), and (later) LIPAS sports places and Linked Courses/Events.
//!
//! Each importer parses its source into plain values first, then writes through `hp-db` in
//! one transaction per run, matching rows by (data_source, origin_id). They never touch HTTP
//! request handling.

pub mod ontology;
