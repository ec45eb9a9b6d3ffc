//! The hobby ontology (OWL in RDF/XML, based on the Finnish YSO vocabulary): the class under
//! `Harrastusmuoto` becomes the category tree, the one under `Yleisö` the audience tree.
//!
//! Idempotent: a row is matched by its YSO identifier under the same parent (or, for classes
//! without one, by its Finnish name under the same parent), so a second run changes nothing
//! and a changed label is updated in place, keeping the ids the API exposes. Tagged Finnish
//! labels win over untagged ones (the recommended fix of jobs-and-importers.md §1).

use anyhow::{anyhow, bail, Context, Result};
use hp_db::categories::{self, NewTreeNode};
use hp_db::schema::TreeTable;
use hp_db::Tx;

/// The ontology shipped with the service (`data/ontology.owl`).
pub const BUNDLED: &str = include_str!("../data/ontology.owl");

pub const CATEGORY_ROOT: &str = "Harrastusmuoto";
pub const AUDIENCE_ROOT: &str = "Yleisö";

/// One ontology class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OntologyClass {
    pub iri: String,
    pub name_fi: String,
    pub name_en: String,
    pub name_sv: String,
    /// YSO identifier such as `p14344`, or empty.
    pub identifier: String,
    pub parents: Vec<String>,
}

/// The parsed ontology.
#[derive(Debug, Clone, Default)]
pub struct Ontology {
    pub classes: Vec<OntologyClass>,
}

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

impl Ontology {
    pub fn parse(text: &str) -> Result<Ontology> {
        let document = roxmltree::Document::parse(text).context("the ontology is not well-formed XML")?;
        let mut classes = Vec::new();
        for node in document.descendants().filter(|n| n.has_tag_name((OWL, "Class"))) {
            let Some(iri) = node.attribute((RDF, "about")) else { continue };
            let mut class = OntologyClass { iri: iri.to_owned(), ..Default::default() };
            let mut untagged_fi = None;
            let mut identifiers = Vec::new();
            for child in node.children().filter(|c| c.is_element()) {
                let text = child.text().unwrap_or("").trim().to_owned();
                if child.has_tag_name((RDFS, "label")) {
                    match child.attribute((XML, "lang")) {
                        Some("fi") => class.name_fi = text,
                        Some("en") => class.name_en = text,
                        Some("sv") => class.name_sv = text,
                        Some(_) => {}
                        None => untagged_fi = Some(text),
                    }
                } else if child.has_tag_name((RDFS, "subClassOf")) {
                    if let Some(parent) = child.attribute((RDF, "resource")) {
                        class.parents.push(parent.to_owned());
                    }
                } else if child.has_tag_name((DC, "identifier")) {
                    identifiers.push(text);
                }
            }
            if class.name_fi.is_empty() {
                class.name_fi = untagged_fi.unwrap_or_default();
            }
            if identifiers.len() > 1 {
                bail!("class {iri} has {} identifiers", identifiers.len());
            }
            class.identifier = identifiers.pop().unwrap_or_default();
            classes.push(class);
        }
        Ok(Ontology { classes })
    }

    fn root(&self, name_fi: &str) -> Result<&OntologyClass> {
        self.classes
            .iter()
            .find(|c| c.name_fi == name_fi)
            .ok_or_else(|| anyhow!("the ontology has no class {name_fi:?}"))
    }

    /// Direct subclasses of a class, by Finnish name.
    fn children(&self, iri: &str) -> Vec<&OntologyClass> {
        let mut children: Vec<&OntologyClass> =
            self.classes.iter().filter(|c| c.parents.iter().any(|p| p == iri)).collect();
        children.sort_by(|a, b| a.name_fi.cmp(&b.name_fi).then(a.iri.cmp(&b.iri)));
        children
    }
}

/// Finds the stored row of an ontology class under a parent: the row with its identifier
/// and Finnish name; else, when the identifier is unique among its siblings, the row with
/// that identifier (a renamed class keeps its id); classes without an identifier by their
/// Finnish name. A row serves one class only: the shipped ontology has two classes with
/// one identifier under one parent (p8596, two Finnish names).
struct RowMatcher {
    rows: Vec<categories::CategoryRow>,
    used: std::collections::HashSet<i64>,
}

impl RowMatcher {
    fn new(rows: Vec<categories::CategoryRow>) -> Self {
        Self { rows, used: Default::default() }
    }

    fn take(
        &mut self,
        parent: Option<i64>,
        class: &OntologyClass,
        shares_identifier: bool,
    ) -> Option<categories::CategoryRow> {
        let free = |row: &&categories::CategoryRow| row.parent_id == parent && !self.used.contains(&row.id);
        let name_fi = |row: &categories::CategoryRow| row.name_fi.as_deref().unwrap_or("") == class.name_fi;
        let exact = self.rows.iter().filter(free).find(|row| row.origin_id == class.identifier && name_fi(row));
        let found = exact
            .or_else(|| {
                let by_id = self.rows.iter().filter(free).filter(|row| row.origin_id == class.identifier);
                (!class.identifier.is_empty() && !shares_identifier).then(|| by_id.collect::<Vec<_>>()).and_then(
                    |rows| match rows.as_slice() {
                        [one] => Some(*one),
                        _ => None,
                    },
                )
            })
            .cloned()?;
        self.used.insert(found.id);
        Some(found)
    }
}

/// Whether a sibling class (under any common parent) has the same identifier.
fn shares_identifier(ontology: &Ontology, class: &OntologyClass) -> bool {
    !class.identifier.is_empty()
        && ontology.classes.iter().any(|other| {
            other.iri != class.iri
                && other.identifier == class.identifier
                && other.parents.iter().any(|p| class.parents.contains(p))
        })
}

/// What an import did to one tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Imports the subtree under `root_name` (the root class itself is not imported) into
/// `table`, inside the caller's transaction. `now` stamps new and updated categories.
pub async fn import_tree(
    tx: &mut Tx,
    ontology: &Ontology,
    table: TreeTable,
    root_name: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<TreeReport> {
    let root = ontology.root(root_name)?;
    categories::lock_tree(tx, table).await?;
    let existing = categories::list(tx, table, categories::ParentFilter::Any).await?;
    let mut matcher = RowMatcher::new(existing);
    let mut report = TreeReport::default();
    let mut stack: Vec<(&OntologyClass, Option<i64>, usize)> =
        ontology.children(&root.iri).into_iter().rev().map(|c| (c, None, 0)).collect();
    while let Some((class, parent, depth)) = stack.pop() {
        if depth > 64 {
            bail!("the ontology nests deeper than 64 levels at {}", class.iri);
        }
        let names = (Some(class.name_fi.clone()), Some(class.name_en.clone()), Some(class.name_sv.clone()));
        let id = match matcher.take(parent, class, shares_identifier(ontology, class)) {
            Some(row) => {
                if (row.name_fi.clone(), row.name_en.clone(), row.name_sv.clone()) == names {
                    report.unchanged += 1;
                } else {
                    categories::rename(tx, table, row.id, (&names.0, &names.1, &names.2), now).await?;
                    report.updated += 1;
                }
                row.id
            }
            None => {
                let node = NewTreeNode {
                    name_fi: names.0.clone(),
                    name_en: names.1.clone(),
                    name_sv: names.2.clone(),
                    parent_id: parent,
                    data_source: if class.identifier.is_empty() { String::new() } else { "yso".into() },
                    origin_id: class.identifier.clone(),
                };
                report.created += 1;
                categories::insert(tx, table, &node, now).await?
            }
        };
        for child in ontology.children(&class.iri).into_iter().rev() {
            stack.push((child, Some(id), depth + 1));
        }
    }
    categories::relayout(tx, table).await?;
    Ok(report)
}

/// Imports both trees from the bundled ontology into a new database; returns whether it did.
/// A category tree that has rows is left alone (another process creating the same database
/// loaded it first). Called only when a database is created, never on a later start.
pub async fn seed_if_empty(db: &hp_db::Db, now: chrono::DateTime<chrono::Utc>) -> Result<bool> {
    let mut tx = db.begin().await?;
    if categories::count(&mut tx, TreeTable::Categories).await? > 0 {
        return Ok(false);
    }
    let ontology = Ontology::parse(BUNDLED)?;
    import_tree(&mut tx, &ontology, TreeTable::Categories, CATEGORY_ROOT, now).await?;
    if categories::count(&mut tx, TreeTable::Audiences).await? == 0 {
        import_tree(&mut tx, &ontology, TreeTable::Audiences, AUDIENCE_ROOT, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// `import ontology`: the chosen trees from a file (the bundled copy by default), in one
/// transaction.
pub async fn import(
    db: &hp_db::Db,
    path: Option<&std::path::Path>,
    categories: bool,
    audiences: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(&'static str, TreeReport)>> {
    let text = match path {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?,
        None => BUNDLED.to_owned(),
    };
    let ontology = Ontology::parse(&text)?;
    let mut tx = db.begin().await?;
    let mut reports = Vec::new();
    if categories {
        reports.push(("categories", import_tree(&mut tx, &ontology, TreeTable::Categories, CATEGORY_ROOT, now).await?));
    }
    if audiences {
        reports.push(("audiences", import_tree(&mut tx, &ontology, TreeTable::Audiences, AUDIENCE_ROOT, now).await?));
    }
    tx.commit().await?;
    Ok(reports)
}
