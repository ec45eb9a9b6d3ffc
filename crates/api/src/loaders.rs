//! Gathers what a page of hobbies needs besides its rows (categories, fallback images,
//! locations, organizers) with one query per kind, never one per hobby.

use hp_db::categories::{self, HobbyCategories};
use hp_db::hobbies::{HobbyRow, HobbyWithPlaceRow};
use hp_db::locations::{self, LocationRow};
use hp_db::organizers::{self, OrganizerRow};
use hp_db::{Conn, DbError};
use std::collections::HashMap;

/// Hobbies with their related data, ready to render.
#[derive(Debug, Default)]
pub struct HobbyBundle {
    pub categories: HashMap<i64, HobbyCategories>,
    pub locations: HashMap<i64, LocationRow>,
    pub organizers: HashMap<i64, OrganizerRow>,
}

pub async fn hobby_bundle(
    conn: &mut Conn,
    rows: &[&HobbyRow],
    with_locations: bool,
    with_organizers: bool,
) -> Result<HobbyBundle, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let categories = categories::of_hobbies(conn, &ids).await?;
    let mut bundle = HobbyBundle { categories, ..Default::default() };
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

/// The bundle of hobbies read with their places (`hobbies::get_many_with_places`): only the
/// categories need another query.
pub async fn hobby_bundle_with_places(conn: &mut Conn, rows: &[HobbyWithPlaceRow]) -> Result<HobbyBundle, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.hobby.id).collect();
    Ok(HobbyBundle {
        categories: categories::of_hobbies(conn, &ids).await?,
        locations: rows.iter().filter_map(|r| r.location()).map(|l| (l.id, l)).collect(),
        organizers: rows.iter().filter_map(|r| r.organizer()).map(|o| (o.id, o)).collect(),
    })
}

pub fn unique(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
