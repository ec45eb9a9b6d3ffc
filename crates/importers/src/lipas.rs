//! LIPAS, the national registry of sports places: each place with coordinates, a Finnish
//! postal code and a mapped type becomes a location, a hobby in the mapped category and one
//! year-long event (jobs-and-importers.md §2). One transaction per run; places that
//! disappeared are deleted under the safety rule.

use crate::http::Fetcher;
use crate::sync::{self, Report};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use hp_db::categories::{self, NewTreeNode};
use hp_db::events::{self, EventFields};
use hp_db::hobbies::{self, HobbyFields, Provenance};
use hp_db::imports::{self, Imported};
use hp_db::locations::{self, LocationFields};
use hp_db::schema::TreeTable;
use hp_db::{next_event, Db, Tx};
use hp_domain::geo::Point;
use hp_domain::price::PriceType;
use serde_json::Value;
use std::collections::HashSet;

pub const SOURCE: &str = "lipas";
pub const DEFAULT_URL: &str = "http://lipas.cc.jyu.fi/api/sports-places/";

const FIELDS: [&str; 10] = [
    "type.name",
    "name",
    "freeUse",
    "location.city.name",
    "location.postalCode",
    "location.postalOffice",
    "location.coordinates.wgs84",
    "location.address",
    "type.typeCode",
    "properties",
];

/// LIPAS type codes by the Finnish name of the category they map to.
const TYPE_CATEGORIES: &[(&str, &[i64])] = &[
    ("Agility", &[6210, 6220]),
    ("Ampumahiihto", &[4610]),
    ("Autourheilu", &[5360]),
    ("Frisbeegolf", &[1180]),
    ("Golf", &[1610, 1620, 1630, 1640]),
    ("Hiihto", &[4220, 4402, 4440, 4630, 4640]),
    ("Hyppyrimäki", &[4320]),
    ("Jalkapallo", &[1350, 2230]),
    ("Jousiammunta", &[4830, 4840]),
    ("Kalastus", &[201]),
    ("Kamppailulajit", &[2140]),
    ("Karting", &[5340]),
    ("Keilailu", &[2610]),
    ("Kiipeily", &[2370, 4710, 4720]),
    ("Koripallo", &[1310]),
    ("Kuntosalit", &[1130]),
    ("Laskettelu", &[4110]),
    ("Lentopallo", &[1320, 1330]),
    ("Luistelu", &[1510, 1520, 1530, 1540, 1550, 1560, 2510, 2520, 2530]),
    ("Luonto ja eläimet", &[204]),
    ("Maastopyöräily", &[4411]),
    ("Melonta", &[4451, 4452, 5150, 5160]),
    ("Miekkailu", &[2340]),
    ("Moottoripyöräily", &[5320]),
    ("Moottoriurheilu", &[4421, 4422, 5310, 5330]),
    ("Moottoriveneily", &[203, 5130]),
    ("Muu urheilu ja liikunta", &[4401, 4403]),
    ("Mäkihyppy", &[4310]),
    ("Palloilu", &[1340, 2270]),
    ("Parkour", &[1140, 2380]),
    ("Pesäpallo", &[1360]),
    ("Petankki", &[2290]),
    ("Purjehdus", &[5120]),
    ("Pyöräily", &[1160, 1170, 4412]),
    ("Pöytätennis", &[2330]),
    ("Ratsastus", &[4430, 6110, 6120, 6130]),
    ("Retkeily", &[101, 102, 103, 104, 106, 107, 108, 109, 110, 111, 112, 202, 206, 301, 302, 304, 4404, 4405]),
    ("Rullakiekko", &[1380]),
    ("Rullalautailu", &[1150, 2250]),
    ("Salibandy", &[2240]),
    ("Soutu", &[5110]),
    ("Sulkapallo", &[2260]),
    ("Suunnistus", &[4510, 4520, 4530]),
    ("Talviurheilu", &[4210, 4230, 4240]),
    ("Tanssi", &[2350]),
    ("Telinevoimistelu", &[2320]),
    ("Tennis", &[1370, 2280]),
    ("Uinti", &[3110, 3120, 3130, 3210, 3220, 3230, 3240]),
    ("Urheilu ja liikunta", &[1110, 1120, 2110, 2150, 2210, 2220]),
    ("Vesihiihto", &[5140]),
    ("Voimailu", &[2120, 2130]),
    ("Yleisurheilu", &[1210, 1220, 2310]),
];

fn category_name(type_code: i64) -> Option<&'static str> {
    TYPE_CATEGORIES.iter().find(|(_, codes)| codes.contains(&type_code)).map(|(name, _)| *name)
}

#[derive(Debug, Clone)]
pub struct LipasOptions {
    pub url: String,
    /// Also places not flagged for Harrastuspassi.
    pub non_hp: bool,
    pub dry_run: bool,
}

/// One sports place, as far as the importer uses it.
struct Place {
    origin_id: String,
    name: String,
    description: String,
    free: bool,
    category: &'static str,
    location: LocationFields,
}

fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(value, |v, key| v.get(key)).and_then(Value::as_str)
}

/// The place, or `None` when it is not imported (no coordinates, no 5-character postal
/// code, an unmapped type); an error when it is not a sports place at all.
fn parse_place(item: &Value) -> Result<Option<Place>> {
    let id = item.get("sportsPlaceId").and_then(Value::as_i64).context("a sports place without sportsPlaceId")?;
    let location = item.get("location").cloned().unwrap_or(Value::Null);
    let postal = text(&location, &["postalCode"]).unwrap_or("").trim().to_owned();
    let wgs84 = location.get("coordinates").and_then(|c| c.get("wgs84"));
    let Some(wgs84) = wgs84 else { return Ok(None) };
    let (Some(lon), Some(lat)) = (wgs84.get("lon").and_then(Value::as_f64), wgs84.get("lat").and_then(Value::as_f64))
    else {
        return Ok(None);
    };
    if postal.chars().count() != 5 {
        return Ok(None);
    }
    let type_code = item.get("type").and_then(|t| t.get("typeCode")).and_then(Value::as_i64);
    let Some(category) = type_code.and_then(category_name) else { return Ok(None) };
    let name = item.get("name").and_then(Value::as_str).unwrap_or("").to_owned();
    let point = Point::new(lon, lat);
    Ok(Some(Place {
        origin_id: id.to_string(),
        description: text(item, &["properties", "infoFi"]).unwrap_or("").to_owned(),
        free: item.get("freeUse").and_then(Value::as_bool).unwrap_or(false),
        category,
        location: LocationFields {
            name: name.clone(),
            address: text(&location, &["address"]).unwrap_or("").to_owned(),
            zip_code: postal,
            city: text(&location, &["city", "name"]).unwrap_or("").to_owned(),
            point: ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some(point),
            data_source: SOURCE.into(),
            origin_id: id.to_string(),
        },
        name,
    }))
}

/// The category with this Finnish name, created as a new root when there is none.
async fn category_id(tx: &mut Tx, name: &str, now: DateTime<Utc>, created: &mut bool) -> Result<i64> {
    let found = imports::tree_nodes_named(tx, TreeTable::Categories, &[name]).await?;
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => {
            *created = true;
            let node = NewTreeNode { name_fi: Some(name.to_owned()), ..Default::default() };
            Ok(categories::insert(tx, TreeTable::Categories, &node, now).await?)
        }
        several => bail!("{} categories are named {name:?}; rename all but one", several.len()),
    }
}

async fn upsert_place(
    tx: &mut Tx,
    place: &Place,
    now: DateTime<Utc>,
    report: &mut Report,
    tree_changed: &mut bool,
) -> Result<i64> {
    let location_id = match imports::id_by_origin(tx, Imported::Locations, SOURCE, &place.origin_id).await? {
        Some(id) => {
            locations::update(tx, id, &place.location, now).await?;
            report.locations_updated += 1;
            id
        }
        None => {
            report.locations_created += 1;
            locations::insert(tx, &place.location, None, None, now).await?
        }
    };
    let category = category_id(tx, place.category, now, tree_changed).await?;
    let fields = HobbyFields {
        name: place.name.clone(),
        description: place.description.clone(),
        location_id: Some(location_id),
        organizer_id: None,
        price_type: if place.free { PriceType::Free } else { PriceType::Paid },
        price_cents: 0,
        cover_image: None,
        data_source: SOURCE.into(),
        origin_id: place.origin_id.clone(),
    };
    let hobby_id = match imports::id_by_origin(tx, Imported::Hobbies, SOURCE, &place.origin_id).await? {
        Some(id) => {
            // Keep the image and organizer someone gave the hobby; LIPAS has neither.
            let current = hobbies::get(tx, id).await?;
            let fields = HobbyFields {
                cover_image: current.as_ref().and_then(|c| c.cover_image.clone()),
                organizer_id: current.and_then(|c| c.organizer_id),
                ..fields
            };
            hobbies::update(tx, id, &fields, now).await?;
            report.hobbies_updated += 1;
            id
        }
        None => {
            report.hobbies_created += 1;
            hobbies::insert(tx, &fields, Provenance { created_by: None, municipality: None }, now).await?
        }
    };
    hobbies::set_categories(tx, hobby_id, &[category]).await?;
    let today = now.with_timezone(&hp_domain::time::TIME_ZONE).date_naive();
    let event = EventFields {
        hobby_id,
        start_date: today,
        start_time: NaiveTime::MIN,
        end_date: today + Duration::days(365),
        end_time: NaiveTime::MIN,
        data_source: SOURCE.into(),
        origin_id: place.origin_id.clone(),
        recurrence_start_event_id: None,
    };
    match imports::id_by_origin(tx, Imported::Events, SOURCE, &place.origin_id).await? {
        Some(id) => {
            events::update(tx, id, &event, now).await?;
            report.events_updated += 1;
        }
        None => {
            events::insert(tx, &event, now).await?;
            report.events_created += 1;
        }
    }
    Ok(hobby_id)
}

/// Runs the import; with `dry_run` everything is done and then rolled back. Every page is
/// read before the transaction starts, so that a slow upstream never holds the writers back
/// (on SQLite one write transaction blocks every other write of the service).
pub async fn run(db: &Db, fetcher: &Fetcher, options: &LipasOptions, now: DateTime<Utc>) -> Result<Report> {
    let mut report = Report { dry_run: options.dry_run, ..Default::default() };
    let places = fetch_places(fetcher, options, &mut report).await?;
    let mut tx = db.begin().await?;
    // Places may add categories: the tree is locked before anything else (as every change of it).
    categories::lock_tree(&mut tx, TreeTable::Categories).await?;
    let mut found = HashSet::new();
    let mut touched = Vec::new();
    let mut tree_changed = false;
    for place in &places {
        touched.push(upsert_place(&mut tx, place, now, &mut report, &mut tree_changed).await?);
        found.insert(place.origin_id.clone());
    }
    if tree_changed {
        categories::relayout(&mut tx, TreeTable::Categories).await?;
    }
    let today = now.with_timezone(&hp_domain::time::TIME_ZONE).date_naive();
    sync::delete_missing(&mut tx, SOURCE, &found, &found, today, &mut report).await?;
    next_event::refresh(&mut tx, &touched, today).await?;
    // A dry run drops the transaction, which rolls it back.
    if !options.dry_run {
        tx.commit().await?;
    }
    Ok(report)
}

/// Every page of places; a page that cannot be read or understood fails the run.
async fn fetch_places(fetcher: &Fetcher, options: &LipasOptions, report: &mut Report) -> Result<Vec<Place>> {
    let mut places = Vec::new();
    for page in 1.. {
        let mut query: Vec<(&str, String)> = FIELDS.iter().map(|f| ("fields", f.to_string())).collect();
        query.push(("page", page.to_string()));
        query.push(("harrastuspassi", (!options.non_hp).to_string()));
        let body = fetcher.get_json(&options.url, &query).await.with_context(|| format!("page {page}"))?;
        let Some(items) = body.as_array() else {
            bail!("page {page}: expected a JSON array of sports places, got {}", kind_of(&body));
        };
        if items.is_empty() {
            break;
        }
        report.pages += 1;
        for item in items {
            match parse_place(item).with_context(|| format!("page {page}"))? {
                Some(place) => places.push(place),
                None => report.skipped += 1,
            }
        }
        tracing::info!(page, places = items.len(), "read a page");
    }
    Ok(places)
}

pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
