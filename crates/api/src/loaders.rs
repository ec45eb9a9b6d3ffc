//! Gathers what a page of hobbies needs besides its rows (locations, organizers, the category
//! tree) with one query per kind, never one per hobby.

use hp_db::category_tree::CategoryTree;
use hp_db::hobbies::{HobbyRow, HobbyWithPlaceRow};
use hp_db::locations::{self, LocationRow};
use hp_db::organizers::{self, OrganizerRow};
use hp_db::{Conn, DbError};
use std::collections::HashMap;
use std::sync::Arc;

/// What rendering hobbies needs besides their rows.
#[derive(Debug)]
pub struct HobbyBundle {
    pub tree: Arc<CategoryTree>,
    pub locations: HashMap<i64, LocationRow>,
    pub organizers: HashMap<i64, OrganizerRow>,
}

pub async fn hobby_bundle(
    conn: &mut Conn,
    tree: Arc<CategoryTree>,
    rows: &[&HobbyRow],
    with_locations: bool,
    with_organizers: bool,
) -> Result<HobbyBundle, DbError> {
    let mut bundle = HobbyBundle { tree, locations: HashMap::new(), organizers: HashMap::new() };
    if with_locations {
        let ids = unique(rows.iter().filter_map(|r| r.location_id));
        bundle.locations = locations::get_many(conn, &ids).await?.into_iter().map(|l| (l.id, l)).collect();
    }
    if with_organizers {
        let ids = unique(rows.iter().filter_map(|r| r.organizer_id));
        bundle.organizers = organizers::get_many(conn, &ids).await?.into_iter().map(|o| (o.id, o)).collect();
    }
    Ok(bundle)
}

/// The bundle of hobbies read with their places (`hobbies::get_many_with_places`).
pub fn hobby_bundle_with_places(tree: Arc<CategoryTree>, rows: &[HobbyWithPlaceRow]) -> HobbyBundle {
    HobbyBundle {
        tree,
        locations: rows.iter().filter_map(|r| r.location()).map(|l| (l.id, l)).collect(),
        organizers: rows.iter().filter_map(|r| r.organizer()).map(|o| (o.id, o)).collect(),
    }
}

pub fn unique(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
