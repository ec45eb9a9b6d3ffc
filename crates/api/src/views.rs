//! Response shapes of every resource and version (api.md 4.x), as borrowed `Serialize`
//! structs whose field order is the order clients have always seen.

use crate::auth::Caller;
use crate::loaders::HobbyBundle;
use crate::version::ApiVersion;
use hp_db::benefits::BenefitRow;
use hp_db::categories::CategoryRow;
use hp_db::category_tree::CategoryTree;
use hp_db::events::EventRow;
use hp_db::hobbies::HobbyRow;
use hp_db::locations::LocationRow;
use hp_db::organizers::OrganizerRow;
use hp_db::promotions::PromotionRow;
use hp_domain::price::format_cents;
use hp_domain::time::{format_date, format_time, format_timestamp};
use serde::Serialize;
use utoipa::ToSchema;

/// Where stored images are served from: `…/media` of this service or a public bucket.
#[derive(Debug, Clone)]
pub struct MediaUrls {
    pub base: String,
}

impl MediaUrls {
    pub fn url(&self, path: Option<&str>) -> Option<String> {
        path.filter(|p| !p.is_empty()).map(|p| format!("{}/{}", self.base, p))
    }
}

/// A foreign key: the id, or the related object when an `include` asks for it.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Related<T> {
    Id(Option<i64>),
    Nested(Option<T>),
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"type": "Point", "coordinates": [24.9384, 60.1699]}))]
pub struct GeoPoint {
    /// Always `Point`.
    #[serde(rename = "type")]
    kind: &'static str,
    /// `[longitude, latitude]` (WGS 84).
    coordinates: [f64; 2],
}

pub fn geo_point(lon: Option<f64>, lat: Option<f64>) -> Option<GeoPoint> {
    Some(GeoPoint { kind: "Point", coordinates: [lon?, lat?] })
}

#[derive(Serialize, ToSchema)]
pub struct LocationOut<'a> {
    id: i64,
    name: &'a str,
    address: &'a str,
    zip_code: &'a str,
    city: &'a str,
    coordinates: Option<GeoPoint>,
}

#[derive(Serialize, ToSchema)]
pub struct LocationPre1Out<'a> {
    id: i64,
    name: &'a str,
    address: &'a str,
    zip_code: &'a str,
    city: &'a str,
    lat: Option<f64>,
    lon: Option<f64>,
}

pub fn location(row: &LocationRow) -> LocationOut<'_> {
    LocationOut {
        id: row.id,
        name: &row.name,
        address: &row.address,
        zip_code: &row.zip_code,
        city: &row.city,
        coordinates: geo_point(row.lon, row.lat),
    }
}

/// A location in the shape of the version: GeoJSON, or `lat`/`lon` in pre1.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum VersionedLocation<'a> {
    Standard(LocationOut<'a>),
    Pre1(LocationPre1Out<'a>),
}

pub fn versioned_location(row: &LocationRow, version: ApiVersion) -> VersionedLocation<'_> {
    match version {
        ApiVersion::Pre1 => VersionedLocation::Pre1(LocationPre1Out {
            id: row.id,
            name: &row.name,
            address: &row.address,
            zip_code: &row.zip_code,
            city: &row.city,
            lat: row.lat,
            lon: row.lon,
        }),
        _ => VersionedLocation::Standard(location(row)),
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganizerOut<'a> {
    id: i64,
    name: &'a str,
}

pub fn organizer(row: &OrganizerRow) -> OrganizerOut<'_> {
    OrganizerOut { id: row.id, name: &row.name }
}

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
    pub nest_location: bool,
    pub nest_organizer: bool,
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
        let location = if self.nest_location {
            Related::Nested(row.location_id.and_then(|id| self.bundle.locations.get(&id)).map(location))
        } else {
            Related::Id(row.location_id)
        };
        let organizer = if self.nest_organizer {
            Related::Nested(row.organizer_id.and_then(|id| self.bundle.organizers.get(&id)).map(organizer))
        } else {
            Related::Id(row.organizer_id)
        };
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

#[derive(Serialize, ToSchema)]
pub struct EventOut<'a> {
    end_date: String,
    end_time: String,
    hobby: Related<VersionedHobby<'a>>,
    id: i64,
    start_date: String,
    start_time: String,
    start_weekday: i64,
    data_source: &'a str,
}

pub fn event<'a>(row: &'a EventRow, hobby: Related<VersionedHobby<'a>>) -> EventOut<'a> {
    EventOut {
        end_date: format_date(row.end_date),
        end_time: format_time(row.end_time),
        hobby,
        id: row.id,
        start_date: format_date(row.start_date),
        start_time: format_time(row.start_time),
        start_weekday: row.start_weekday,
        data_source: &row.data_source,
    }
}

#[derive(Serialize, ToSchema)]
pub struct CategoryOut<'a> {
    id: i64,
    name: Option<&'a str>,
    name_fi: Option<&'a str>,
    name_en: Option<&'a str>,
    name_sv: Option<&'a str>,
    tree_id: i64,
    level: i64,
    parent: Option<i64>,
    /// With `include=child_categories`: the children, recursively.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(no_recursion)]
    child_categories: Option<Vec<CategoryOut<'a>>>,
}

/// The language `name` is shown in (`lang=fi|en|sv`); `None` is the default reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameLanguage {
    Default,
    Fi,
    En,
    Sv,
}

/// A category; with the tree, its `child_categories` recursively.
pub fn category<'a>(row: &'a CategoryRow, language: NameLanguage, tree: Option<&'a CategoryTree>) -> CategoryOut<'a> {
    let name = match language {
        NameLanguage::Default => Some(row.name()),
        NameLanguage::Fi => row.name_fi.as_deref(),
        NameLanguage::En => row.name_en.as_deref(),
        NameLanguage::Sv => row.name_sv.as_deref(),
    };
    CategoryOut {
        id: row.id,
        name,
        name_fi: row.name_fi.as_deref(),
        name_en: row.name_en.as_deref(),
        name_sv: row.name_sv.as_deref(),
        tree_id: row.tree_id,
        level: row.level,
        parent: row.parent_id,
        // Nested levels always use the default name (api.md 4.2). Writes keep trees within
        // MAX_TREE_DEPTH levels; the bound here makes the recursion's depth independent of
        // what is stored.
        child_categories: tree.map(|tree| match row.level < hp_domain::limits::MAX_TREE_DEPTH {
            true => tree.children(row.id).map(|child| category(child, NameLanguage::Default, Some(tree))).collect(),
            false => Vec::new(),
        }),
    }
}

#[derive(Serialize, ToSchema)]
pub struct PromotionOut<'a> {
    id: i64,
    cover_image: Option<String>,
    created_at: String,
    updated_at: String,
    name: &'a str,
    description: &'a str,
    start_date: String,
    start_time: String,
    end_date: String,
    end_time: String,
    available_count: i64,
    used_count: i64,
    municipality: Option<i64>,
    organizer: Related<OrganizerOut<'a>>,
    location: Related<LocationOut<'a>>,
    created_by: Option<i64>,
}

pub fn promotion<'a>(
    row: &'a PromotionRow,
    media: &MediaUrls,
    organizer: Related<OrganizerOut<'a>>,
    location: Related<LocationOut<'a>>,
) -> PromotionOut<'a> {
    PromotionOut {
        id: row.id,
        cover_image: media.url(row.cover_image.as_deref()),
        created_at: format_timestamp(row.created_at),
        updated_at: format_timestamp(row.updated_at),
        name: &row.name,
        description: &row.description,
        start_date: format_date(row.start_date),
        start_time: format_time(row.start_time),
        end_date: format_date(row.end_date),
        end_time: format_time(row.end_time),
        available_count: row.available_count,
        used_count: row.used_count,
        municipality: row.municipality_id,
        organizer,
        location,
        created_by: row.created_by_id,
    }
}

#[derive(Serialize, ToSchema)]
pub struct BenefitOut {
    id: i64,
    created_at: String,
    updated_at: String,
    promotion: i64,
}

pub fn benefit(row: &BenefitRow) -> BenefitOut {
    BenefitOut {
        id: row.id,
        created_at: format_timestamp(row.created_at),
        updated_at: format_timestamp(row.updated_at),
        promotion: row.promotion_id,
    }
}
