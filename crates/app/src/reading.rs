//! One read of the catalogue: a connection and the category tree it was checked against,
//! held for one request, so that the edge can read its query against the same tree the
//! lists are filtered with, and everything an answer needs comes over one connection.
//! Also the related rows (places) that answers nest, gathered with one query per kind,
//! never one per row.

use crate::AppError;
use hp_db::category_tree::{CategoryCache, CategoryTree};
use hp_db::locations::{self, LocationRow};
use hp_db::organizers::{self, OrganizerRow};
use hp_db::{hobbies, Conn};
use std::collections::HashMap;
use std::sync::Arc;

/// A read in progress.
pub struct Reading {
    conn: Conn,
    categories: Arc<CategoryCache>,
    /// Checked against the database on first use, then the same for the whole read.
    tree: Option<Arc<CategoryTree>>,
}

impl Reading {
    pub async fn begin(app: &crate::App) -> Result<Self, AppError> {
        Ok(Self { conn: app.db.conn().await?, categories: app.categories.clone(), tree: None })
    }

    /// The category tree, as of this read.
    pub async fn tree(&mut self) -> Result<Arc<CategoryTree>, AppError> {
        if let Some(tree) = &self.tree {
            return Ok(tree.clone());
        }
        let tree = self.categories.tree(&mut self.conn).await?;
        self.tree = Some(tree.clone());
        Ok(tree)
    }

    /// Whether a hobby exists (a list filter naming one must name an existing one).
    pub async fn hobby_exists(&mut self, id: i64) -> Result<bool, AppError> {
        Ok(hobbies::exists(&mut self.conn, id).await?)
    }

    pub(crate) fn conn(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

/// Which places an answer nests instead of naming them by id.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlaceIncludes {
    pub location: bool,
    pub organizer: bool,
}

/// The places rows point at, by id (only the kinds asked for are loaded).
#[derive(Debug, Default)]
pub struct Places {
    pub locations: HashMap<i64, LocationRow>,
    pub organizers: HashMap<i64, OrganizerRow>,
}

impl Places {
    pub(crate) async fn load(
        reading: &mut Reading,
        includes: PlaceIncludes,
        location_ids: impl Iterator<Item = i64>,
        organizer_ids: impl Iterator<Item = i64>,
    ) -> Result<Self, AppError> {
        let mut places = Places::default();
        if includes.location {
            let rows = locations::get_many(reading.conn(), &unique(location_ids)).await?;
            places.locations = rows.into_iter().map(|l| (l.id, l)).collect();
        }
        if includes.organizer {
            let rows = organizers::get_many(reading.conn(), &unique(organizer_ids)).await?;
            places.organizers = rows.into_iter().map(|o| (o.id, o)).collect();
        }
        Ok(places)
    }
}

pub(crate) fn unique(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The rows of `get` for a detail: "not found" when there is none.
pub(crate) fn found<T>(row: Option<T>) -> Result<T, AppError> {
    row.ok_or(AppError::NotFound)
}
