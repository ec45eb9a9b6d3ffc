//! The shapes of a hobby: pre1 without categories and price; from pre2 on with them and
//! with `permissions`; nested location and organizer on `include`.

use crate::auth::Caller;
use crate::resources::locations::output::{location, LocationOut};
use crate::resources::organizers::output::{organizer, OrganizerOut};
use crate::version::ApiVersion;
use crate::views::{MediaUrls, Related};
use hp_app::hobbies::HobbyBundle;
use hp_app::reading::PlaceIncludes;
use hp_db::hobbies::HobbyRow;
use hp_domain::price::format_cents;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Permissions {
    can_edit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct MunicipalityOut<'a> {
    id: i64,
    name: &'a str,
}

#[derive(Serialize, ToSchema)]
pub struct HobbyOut<'a> {
    categories: Vec<i64>,
    cover_image: Option<String>,
    description: &'a str,
    id: i64,
    location: Related<LocationOut<'a>>,
    name: &'a str,
    organizer: Related<OrganizerOut<'a>>,
    permissions: Permissions,
    price_type: &'a str,
    price_amount: String,
    municipality: Option<MunicipalityOut<'a>>,
}

#[derive(Serialize, ToSchema)]
pub struct HobbyPre1Out<'a> {
    category: Option<i64>,
    cover_image: Option<String>,
    description: &'a str,
    id: i64,
    location: Related<LocationOut<'a>>,
    name: &'a str,
    organizer: Related<OrganizerOut<'a>>,
    permissions: Permissions,
}

#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum VersionedHobby<'a> {
    Standard(HobbyOut<'a>),
    Pre1(HobbyPre1Out<'a>),
}

/// Renders hobbies of one request.
pub struct HobbyRenderer<'a> {
    pub bundle: &'a HobbyBundle,
    pub version: ApiVersion,
    pub includes: PlaceIncludes,
    pub media: &'a MediaUrls,
    pub caller: &'a Caller,
}

impl<'a> HobbyRenderer<'a> {
    pub fn render(&self, row: &'a HobbyRow) -> VersionedHobby<'a> {
        let tree = &self.bundle.tree;
        let unordered = row.category_ids();
        let category_ids = tree.in_tree_order(&unordered);
        let own_or_fallback =
            row.cover_image.as_deref().filter(|p| !p.is_empty()).or_else(|| tree.fallback_cover_image(&unordered));
        let cover_image = self.media.url(own_or_fallback);
        let places = &self.bundle.places;
        let location = Related::nested_or_id(self.includes.location, row.location_id, &places.locations, location);
        let organizer = Related::nested_or_id(self.includes.organizer, row.organizer_id, &places.organizers, organizer);
        let permissions = Permissions { can_edit: self.caller.can_edit(row.ownership()) };
        match self.version {
            ApiVersion::Pre1 => VersionedHobby::Pre1(HobbyPre1Out {
                category: category_ids.first().copied(),
                cover_image,
                description: &row.description,
                id: row.id,
                location,
                name: &row.name,
                organizer,
                permissions,
            }),
            _ => VersionedHobby::Standard(HobbyOut {
                categories: category_ids,
                cover_image,
                description: &row.description,
                id: row.id,
                location,
                name: &row.name,
                organizer,
                permissions,
                price_type: &row.price_type,
                price_amount: format_cents(row.price_cents),
                municipality: row
                    .municipality_id
                    .zip(row.municipality_name.as_deref())
                    .map(|(id, name)| MunicipalityOut { id, name }),
            }),
        }
    }
}
