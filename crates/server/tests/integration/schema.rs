//! Both backends have the same schema: tables, columns, nullability and index names. The
//! SQLite schema is compared with the PostgreSQL migration text always, and with a live
//! PostgreSQL database when one is configured.

use crate::support::{postgres_url, TestDatabase};
use hp_db::{Backend, Db, DbOptions};
use std::collections::BTreeSet;

type Schema = BTreeSet<String>;

#[derive(sqlx::FromRow)]
struct Line {
    line: String,
}

async fn live_schema(db: &Db) -> Schema {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT 'column ' || m.name || '.' || p.name || CASE WHEN p.\"notnull\" OR p.pk THEN ' not null' ELSE ' null' END AS line
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
             UNION ALL
             SELECT 'index ' || name AS line FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name NOT LIKE '_sqlx%'"
        }
        Backend::Postgres => {
            "SELECT 'column ' || table_name || '.' || column_name || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE ' null' END AS line
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'
             UNION ALL
             SELECT 'index ' || indexname AS line FROM pg_indexes
             WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' AND tablename NOT LIKE '_sqlx%'"
        }
    };
    let rows: Vec<Line> = db.fetch_all(&RawSelect(sql)).await.expect("schema query");
    rows.into_iter().map(|r| r.line).collect()
}

/// A literal statement for the schema queries (sea-query is not needed for these).
struct RawSelect(&'static str);

impl sea_query_binder::SqlxBinder for RawSelect {
    fn build_sqlx<T: sea_query::QueryBuilder>(&self, _: T) -> (String, sea_query_binder::SqlxValues) {
        (self.0.to_owned(), sea_query_binder::SqlxValues(sea_query::Values(Vec::new())))
    }

    fn build_any_sqlx(&self, _: &dyn sea_query::QueryBuilder) -> (String, sea_query_binder::SqlxValues) {
        (self.0.to_owned(), sea_query_binder::SqlxValues(sea_query::Values(Vec::new())))
    }
}

/// The tables, columns and indexes that the PostgreSQL migrations declare.
fn declared_postgres_schema() -> Schema {
    let mut schema = Schema::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../db/migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("migrations").map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut table: Option<String> = None;
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("ALTER TABLE ") {
                let mut words = rest.split_whitespace();
                if let (Some(table), Some("ADD"), Some("COLUMN"), Some(name)) =
                    (words.next(), words.next(), words.next(), words.next())
                {
                    let not_null = line.contains("NOT NULL");
                    schema.insert(format!("column {table}.{name} {}", if not_null { "not null" } else { "null" }));
                }
            } else if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                table = Some(rest.split_whitespace().next().unwrap().to_owned());
            } else if line.starts_with(");") {
                table = None;
            } else if let Some(rest) = line.strip_prefix("CREATE INDEX ").or(line.strip_prefix("CREATE UNIQUE INDEX "))
            {
                schema.insert(format!("index {}", rest.split_whitespace().next().unwrap()));
            } else if let Some(table) = &table {
                let mut words = line.split_whitespace();
                let (Some(name), Some(kind)) = (words.next(), words.next()) else { continue };
                if ["CHECK", "PRIMARY", "UNIQUE", "FOREIGN", "CONSTRAINT"].contains(&name) || kind.starts_with('(') {
                    continue;
                }
                let not_null = line.contains("NOT NULL") || line.contains("PRIMARY KEY");
                schema.insert(format!("column {table}.{name} {}", if not_null { "not null" } else { "null" }));
            }
        }
    }
    schema
}

fn assert_same(left: &Schema, right: &Schema, what: &str) {
    let only_left: Vec<_> = left.difference(right).collect();
    let only_right: Vec<_> = right.difference(left).collect();
    assert!(
        only_left.is_empty() && only_right.is_empty(),
        "{what}: only in SQLite {only_left:#?}, only in PostgreSQL {only_right:#?}"
    );
}

#[tokio::test]
async fn schemas_of_both_backends_match() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect_and_migrate(&DbOptions::new(format!("sqlite:{}", dir.path().join("s.db").display())))
        .await
        .unwrap();
    let sqlite_schema = live_schema(&sqlite).await;
    assert!(sqlite_schema.contains("column hobby_next_events.lat null"));
    assert!(sqlite_schema.contains("index hobby_next_events_start"));
    assert_same(&sqlite_schema, &declared_postgres_schema(), "SQLite vs the PostgreSQL migrations");
    if postgres_url().is_some() {
        let database = TestDatabase::create().await;
        let postgres = database.connect().await;
        assert_same(&sqlite_schema, &live_schema(&postgres).await, "SQLite vs live PostgreSQL");
    }
}

/// sea-query's `Iden` derive: a name in snake_case.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The enums of `hp_db::schema`, read from its source so that a new enum or variant is
/// checked without being listed here: (enum, its variants as named in SQL).
fn schema_enums() -> Vec<(String, Vec<String>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../db/src/schema.rs");
    let text = std::fs::read_to_string(path).unwrap();
    let mut enums = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    let mut renamed: Option<String> = None;
    for line in text.lines().map(str::trim).filter(|line| !line.starts_with("//")) {
        if let Some(name) = line.strip_prefix("pub enum ").and_then(|rest| rest.strip_suffix(" {")) {
            current = Some((name.to_owned(), Vec::new()));
        } else if line == "}" {
            enums.extend(current.take());
        } else if let Some(name) = line.strip_prefix("#[iden = \"").and_then(|rest| rest.strip_suffix("\"]")) {
            renamed = Some(name.to_owned());
        } else if let (Some((_, variants)), Some(variant)) = (&mut current, line.strip_suffix(',')) {
            variants.push(renamed.take().unwrap_or_else(|| snake_case(variant)));
        }
    }
    enums
}

#[tokio::test]
async fn every_identifier_of_the_schema_module_is_a_table_or_column_of_the_migrated_database() {
    use hp_db::schema::{HobbyCategoryLinks, HobbyEvents, TreeTable};
    use sea_query::Iden;
    // The reading of the source follows the derive.
    assert_eq!(snake_case("HobbyCategoryLinks"), HobbyCategoryLinks::Table.to_string());
    assert_eq!(snake_case("RecurrenceStartEventId"), HobbyEvents::RecurrenceStartEventId.to_string());

    let database = TestDatabase::create().await;
    let db = database.connect().await;
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT m.name || '.' || p.name AS line FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table'"
        }
        Backend::Postgres => {
            "SELECT table_name || '.' || column_name AS line FROM information_schema.columns
             WHERE table_schema = current_schema()"
        }
    };
    let columns: Schema = db.fetch_all::<Line>(&RawSelect(sql)).await.unwrap().into_iter().map(|r| r.line).collect();
    let tables: BTreeSet<&str> = columns.iter().filter_map(|c| c.split_once('.')).map(|(table, _)| table).collect();

    let enums = schema_enums();
    assert!(enums.len() >= 15, "{enums:?}");
    let mut missing = Vec::new();
    for (name, variants) in &enums {
        // `TreeTable` names the two tree tables; `TreeColumns` are the columns of the trees,
        // all of them in the category tree (the audience tree has the layout ones only).
        let (table, own) = match name.as_str() {
            "TreeTable" => {
                missing.extend(variants.iter().filter(|t| !tables.contains(t.as_str())).map(|t| format!("table {t}")));
                continue;
            }
            "TreeColumns" => (TreeTable::Categories.to_string(), &variants[..]),
            _ => {
                assert_eq!(variants.first().map(String::as_str), Some("table"), "{name} starts with Table");
                (snake_case(name), &variants[1..])
            }
        };
        if !tables.contains(table.as_str()) {
            missing.push(format!("table {table} ({name})"));
        }
        for column in own {
            if !columns.contains(&format!("{table}.{column}")) {
                missing.push(format!("column {table}.{column} ({name})"));
            }
        }
    }
    assert!(missing.is_empty(), "{:?}: not in the migrated schema: {missing:#?}", db.backend());
}
