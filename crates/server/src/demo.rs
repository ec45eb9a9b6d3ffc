//! A realistic, deterministic demo data set: municipalities, organizers, locations around
//! Finnish towns, hobbies with Finnish names and descriptions in the bundled categories,
//! weekly events from past weeks into coming ones, and promotions. The same seed gives the
//! same data (relative to today). Scale 1 is about 5,000 hobbies and 50,000 events.

use anyhow::{bail, Result};
use chrono::{Duration, NaiveDate, NaiveTime};
use hp_db::categories::{self, CategoryRow, ParentFilter};
use hp_db::events::{self, EventFields};
use hp_db::hobbies::{self, HobbyFields, Provenance};
use hp_db::locations::{self, LocationFields};
use hp_db::organizers::{self, OrganizerFields};
use hp_db::promotions::{self, PromotionFields};
use hp_db::schema::TreeTable;
use hp_db::{municipalities, next_event, Db, Tx};
use hp_domain::geo::Point;
use hp_domain::price::PriceType;
use hp_domain::time::Clock;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// 1 is about 5,000 hobbies; 0.1 to 10.
    pub scale: f64,
    pub seed: u64,
    pub replace: bool,
}

#[derive(Debug, Default)]
pub struct DemoSummary {
    pub municipalities: usize,
    pub organizers: usize,
    pub locations: usize,
    pub hobbies: usize,
    pub events: usize,
    pub promotions: usize,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "loaded {} municipalities, {} organizers, {} locations, {} hobbies, {} events, {} promotions",
            self.municipalities, self.organizers, self.locations, self.hobbies, self.events, self.promotions
        )
    }
}

/// Towns the data clusters around: name, latitude, longitude, postal code prefix, weight.
const TOWNS: [(&str, f64, f64, &str, u32); 20] = [
    ("Helsinki", 60.1699, 24.9384, "00", 14),
    ("Tampere", 61.4978, 23.7610, "33", 8),
    ("Turku", 60.4518, 22.2666, "20", 7),
    ("Espoo", 60.2055, 24.6559, "02", 8),
    ("Vantaa", 60.2934, 25.0378, "01", 6),
    ("Oulu", 65.0121, 25.4651, "90", 5),
    ("Jyväskylä", 62.2426, 25.7473, "40", 4),
    ("Lahti", 60.9827, 25.6615, "15", 3),
    ("Kuopio", 62.8924, 27.6770, "70", 3),
    ("Pori", 61.4851, 21.7974, "28", 2),
    ("Joensuu", 62.6010, 29.7636, "80", 2),
    ("Lappeenranta", 61.0587, 28.1887, "53", 2),
    ("Hämeenlinna", 60.9959, 24.4643, "13", 2),
    ("Vaasa", 63.0951, 21.6165, "65", 2),
    ("Rovaniemi", 66.5039, 25.7294, "96", 1),
    ("Seinäjoki", 62.7903, 22.8403, "60", 1),
    ("Kotka", 60.4664, 26.9458, "48", 1),
    ("Mikkeli", 61.6886, 27.2723, "50", 1),
    ("Porvoo", 60.3932, 25.6651, "06", 1),
    ("Kouvola", 60.8681, 26.7042, "45", 1),
];

const PLACE_KINDS: [&str; 16] = [
    "uimahalli",
    "urheilutalo",
    "nuorisotalo",
    "kirjasto",
    "koulu",
    "jäähalli",
    "palloiluhalli",
    "tanssistudio",
    "musiikkiopisto",
    "kulttuuritalo",
    "liikuntahalli",
    "seurantalo",
    "kerhotila",
    "taidekoulu",
    "kuntosali",
    "urheilukenttä",
];
const PLACE_PREFIXES: [&str; 16] = [
    "Kalevan",
    "Hervannan",
    "Kontulan",
    "Keskustan",
    "Itäkeskuksen",
    "Mäkelänrinteen",
    "Puistolan",
    "Pohjoisen",
    "Eteläisen",
    "Rantakylän",
    "Koivukylän",
    "Lauttasaaren",
    "Tapiolan",
    "Myllypuron",
    "Tikkurilan",
    "Kaupin",
];
const STREETS: [&str; 14] = [
    "Sammonkatu",
    "Kauppakatu",
    "Koulukatu",
    "Puistotie",
    "Rantatie",
    "Urheilutie",
    "Kirkkokatu",
    "Asemakatu",
    "Mäkitie",
    "Koivukuja",
    "Tehtaankatu",
    "Hallituskatu",
    "Linnankatu",
    "Myllytie",
];
const ORGANIZER_KINDS: [&str; 10] = [
    "Urheiluseura ry",
    "Nuorisoseura ry",
    "Liikuntakeskus Oy",
    "Musiikkiopisto",
    "Taidekoulu",
    "Tanssikoulu",
    "Partiolippukunta",
    "Kansalaisopisto",
    "Palloseura ry",
    "Harrastuskeskus",
];
const AUDIENCE_SUFFIXES: [&str; 10] = [
    "junioreille",
    "nuorille",
    "aloittelijoille",
    "jatkoryhmä",
    "7.–9.-luokkalaisille",
    "tytöille",
    "pojille",
    "kaikille",
    "harrastusryhmä",
    "kerho",
];
const DESCRIPTION_OPENINGS: [&str; 6] = [
    "Tervetuloa mukaan kokeilemaan lajia uusien kavereiden kanssa.",
    "Ryhmä on tarkoitettu 13–16-vuotiaille nuorille.",
    "Aiempaa kokemusta ei tarvita, kaikki taitotasot ovat tervetulleita.",
    "Ryhmä sopii sekä aloittelijoille että jo lajia harrastaneille.",
    "Kokoonnumme viikoittain koko kauden ajan.",
    "Ensimmäinen kerta on ilmainen kokeilukerta.",
];
const DESCRIPTION_MIDDLES: [&str; 6] = [
    "Harjoituksissa opitaan perustaitoja ja pelataan paljon.",
    "Ohjaajana toimii kokenut valmentaja, joka huomioi jokaisen harrastajan.",
    "Tunneilla harjoitellaan tekniikkaa leikin ja pelien kautta.",
    "Lopuksi järjestetään yhteinen esitys tai turnaus.",
    "Välineet saa lainaksi, omia ei tarvitse hankkia heti.",
    "Harjoitellaan yhdessä ja pidetään hauskaa.",
];
const DESCRIPTION_ENDINGS: [&str; 5] = [
    "Mukaan tarvitset sisäkengät ja juomapullon.",
    "Ilmoittautuminen ryhmän ohjaajalle tai paikan päällä.",
    "Ota mukaan mukavat vaatteet.",
    "Kysy lisää seuran nettisivuilta.",
    "Tule rohkeasti mukaan!",
];
const PROMOTION_THINGS: [&str; 8] = [
    "urheilukenkiin",
    "kausikorttiin",
    "mailoihin",
    "soittotunteihin",
    "kuntosalikorttiin",
    "tanssitunteihin",
    "keilailuun",
    "kiipeilyyn",
];

fn pick_town(rng: &mut ChaCha8Rng) -> usize {
    let total: u32 = TOWNS.iter().map(|t| t.4).sum();
    let mut roll = rng.random_range(0..total);
    for (index, town) in TOWNS.iter().enumerate() {
        if roll < town.4 {
            return index;
        }
        roll -= town.4;
    }
    0
}

/// What the demo data set's rows are marked with (`data_source`), so that `--replace` deletes
/// them and nothing else.
pub const DATA_SOURCE: &str = "demo";

/// The smallest and largest scale.
pub const SCALES: std::ops::RangeInclusive<f64> = 0.1..=10.0;

/// Loads the data set into `db` in one transaction, beside any other content. A loaded demo
/// data set is replaced only with `replace`.
pub async fn load(db: &Db, clock: &Clock, options: DemoOptions) -> Result<DemoSummary> {
    if !SCALES.contains(&options.scale) {
        bail!("--scale must be between {} and {}", SCALES.start(), SCALES.end());
    }
    let mut tx = db.begin().await?;
    let existing = hp_db::maintenance::count_from_source(&mut tx, DATA_SOURCE).await?;
    if existing > 0 {
        if !options.replace {
            bail!("the demo data set is loaded already ({existing} hobbies); use --replace to load it again");
        }
        hp_db::maintenance::delete_from_source(&mut tx, DATA_SOURCE).await?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let now = clock.now();
    let today = clock.today();
    // Rows per scale 1, scaled (at least one of each).
    let scaled = |count: usize| ((count as f64 * options.scale).round() as usize).max(1);
    let mut summary = DemoSummary::default();

    let category_rows = categories::list(&mut tx, TreeTable::Categories, ParentFilter::Any).await?;
    let usable: Vec<&CategoryRow> = category_rows.iter().filter(|c| c.parent_id.is_some()).collect();
    if usable.is_empty() {
        bail!("no categories: import the ontology first");
    }

    // Municipalities: the first towns.
    let mut municipality_of_town = vec![None; TOWNS.len()];
    for index in 0..scaled(3) {
        let town = index % TOWNS.len();
        let name = if index < TOWNS.len() {
            TOWNS[town].0.to_owned()
        } else {
            format!("{} {}", TOWNS[town].0, index / TOWNS.len() + 1)
        };
        let id = municipalities::insert_from(&mut tx, &name, DATA_SOURCE, now).await?;
        if municipality_of_town[town].is_none() {
            municipality_of_town[town] = Some(id);
        }
        summary.municipalities += 1;
    }

    // Organizers.
    let organizer_rows: Vec<(OrganizerFields, Option<i64>)> = (0..scaled(200))
        .map(|i| {
            let town = pick_town(&mut rng);
            let name = format!("{} {} {}", TOWNS[town].0, ORGANIZER_KINDS.choose(&mut rng).expect("non-empty"), i + 1);
            (
                OrganizerFields { name, data_source: DATA_SOURCE.into(), ..Default::default() },
                municipality_of_town[town],
            )
        })
        .collect();
    let organizer_ids = insert_in_batches(&mut tx, &organizer_rows, 1000, |tx, batch| {
        Box::pin(organizers::insert_many(tx, batch, now))
    })
    .await?;
    summary.organizers = organizer_ids.len();

    // Locations around the towns (a few without coordinates).
    let mut location_towns = Vec::with_capacity(scaled(1000));
    let location_rows: Vec<(LocationFields, Option<i64>)> = (0..scaled(1000))
        .map(|_| {
            let town = pick_town(&mut rng);
            location_towns.push(town);
            let (name, lat, lon, zip_prefix, _) = TOWNS[town];
            let radius_deg = 0.08;
            let point = (rng.random_range(0..100) >= 2).then(|| {
                Point::new(
                    lon + rng.random_range(-radius_deg..radius_deg) * 2.0,
                    lat + rng.random_range(-radius_deg..radius_deg),
                )
            });
            let fields = LocationFields {
                name: format!(
                    "{} {}",
                    PLACE_PREFIXES.choose(&mut rng).expect("non-empty"),
                    PLACE_KINDS.choose(&mut rng).expect("non-empty")
                ),
                address: format!("{} {}", STREETS.choose(&mut rng).expect("non-empty"), rng.random_range(1..120)),
                zip_code: format!("{zip_prefix}{:03}", rng.random_range(100..999)),
                city: name.to_owned(),
                point,
                data_source: DATA_SOURCE.into(),
                ..Default::default()
            };
            (fields, municipality_of_town[town])
        })
        .collect();
    let location_ids =
        insert_in_batches(&mut tx, &location_rows, 1000, |tx, batch| Box::pin(locations::insert_many(tx, batch, now)))
            .await?;
    summary.locations = location_ids.len();

    // Hobbies.
    let mut hobby_rows = Vec::with_capacity(scaled(5000));
    let mut hobby_categories = Vec::with_capacity(scaled(5000));
    for _ in 0..scaled(5000) {
        let category = usable.choose(&mut rng).expect("non-empty");
        let location_index = rng.random_range(0..location_ids.len());
        let town = TOWNS[location_towns[location_index]].0;
        let name = format!("{} {}", category.name(), AUDIENCE_SUFFIXES.choose(&mut rng).expect("non-empty"));
        let description = format!(
            "{} {} {} Paikkana {}. {}",
            category.name(),
            DESCRIPTION_OPENINGS.choose(&mut rng).expect("non-empty"),
            DESCRIPTION_MIDDLES.choose(&mut rng).expect("non-empty"),
            town,
            DESCRIPTION_ENDINGS.choose(&mut rng).expect("non-empty"),
        );
        let price_type = match rng.random_range(0..10) {
            0..=5 => PriceType::Free,
            6 => PriceType::Annual,
            7 => PriceType::Seasonal,
            8 => PriceType::OneTime,
            _ => PriceType::Paid,
        };
        let price_cents = if price_type == PriceType::Free { 0 } else { rng.random_range(1..40) * 500 };
        let mut categories = vec![category.id];
        if rng.random_range(0..4) == 0 {
            categories.push(usable.choose(&mut rng).expect("non-empty").id);
        }
        hobby_categories.push(categories);
        let fields = HobbyFields {
            name,
            description,
            location_id: Some(location_ids[location_index]),
            organizer_id: Some(*organizer_ids.choose(&mut rng).expect("non-empty")),
            price_type,
            price_cents,
            cover_image: None,
            data_source: DATA_SOURCE.into(),
            origin_id: String::new(),
        };
        let provenance = Provenance { created_by: None, municipality: location_rows[location_index].1 };
        hobby_rows.push((fields, provenance));
    }
    let hobby_ids =
        insert_in_batches(&mut tx, &hobby_rows, 500, |tx, batch| Box::pin(hobbies::insert_many(tx, batch, now)))
            .await?;
    let links: Vec<(i64, i64)> = hobby_ids
        .iter()
        .zip(&hobby_categories)
        .flat_map(|(hobby, cats)| cats.iter().map(move |c| (*hobby, *c)))
        .collect();
    for batch in links.chunks(5000) {
        hobbies::add_category_links(&mut tx, batch).await?;
    }
    summary.hobbies = hobby_ids.len();

    // Weekly events: each hobby meets on one weekday, some weeks in the past, some ahead.
    let mut event_rows = Vec::with_capacity(scaled(50_000));
    for hobby_id in &hobby_ids {
        let weeks: i64 = rng.random_range(4..17);
        let first_week: i64 = if rng.random_range(0..10) == 0 { -30 } else { rng.random_range(-10..3) };
        let weekday_shift: i64 = rng.random_range(0..7);
        let start_minutes = rng.random_range(14 * 4..20 * 4) * 15;
        let duration = rng.random_range(4..9) * 15;
        let start_time = NaiveTime::from_hms_opt(start_minutes / 60, start_minutes % 60, 0).expect("valid time");
        let end_minutes = (start_minutes + duration).min(23 * 60 + 59);
        let end_time = NaiveTime::from_hms_opt(end_minutes / 60, end_minutes % 60, 0).expect("valid time");
        let base: NaiveDate = today + Duration::days(first_week * 7 + weekday_shift);
        for week in 0..weeks {
            let date = base + Duration::days(7 * week);
            event_rows.push(EventFields {
                hobby_id: *hobby_id,
                start_date: date,
                start_time,
                end_date: date,
                end_time,
                data_source: DATA_SOURCE.into(),
                origin_id: String::new(),
                recurrence_start_event_id: None,
            });
        }
    }
    for batch in event_rows.chunks(2000) {
        events::insert_many(&mut tx, batch, now).await?;
    }
    summary.events = event_rows.len();
    next_event::refresh_all(&mut tx, today).await?;

    // Promotions.
    let promotion_rows: Vec<(PromotionFields, Option<i64>)> = (0..scaled(300))
        .map(|_| {
            let location_index = rng.random_range(0..location_ids.len());
            let start = today + Duration::days(rng.random_range(-40..10));
            let end = start + Duration::days(rng.random_range(7..120));
            let available = rng.random_range(10..500);
            let used = if rng.random_range(0..6) == 0 { available } else { rng.random_range(0..available) };
            let thing = PROMOTION_THINGS.choose(&mut rng).expect("non-empty");
            let fields = PromotionFields {
                name: format!("-{} % {thing}", rng.random_range(1..6) * 10),
                description: format!(
                    "Harrastuspassilla saat alennuksen {thing} {}. Näytä etu kassalla.",
                    TOWNS[location_towns[location_index]].0
                ),
                start_date: start,
                start_time: NaiveTime::from_hms_opt(0, 0, 0).expect("valid time"),
                end_date: end,
                end_time: NaiveTime::from_hms_opt(23, 59, 0).expect("valid time"),
                cover_image: None,
                organizer_id: *organizer_ids.choose(&mut rng).expect("non-empty"),
                location_id: location_ids[location_index],
                available_count: available,
                used_count: used,
            };
            (fields, location_rows[location_index].1)
        })
        .collect();
    for batch in promotion_rows.chunks(500) {
        promotions::insert_many(&mut tx, batch, DATA_SOURCE, now).await?;
    }
    summary.promotions = promotion_rows.len();
    tx.commit().await?;
    db.analyze().await?;
    Ok(summary)
}

type BatchFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<i64>, hp_db::DbError>> + Send + 'a>>;

/// Inserts rows in batches (statements have a parameter limit) and collects their ids.
async fn insert_in_batches<T>(
    tx: &mut Tx,
    rows: &[T],
    batch_size: usize,
    insert: impl for<'a> Fn(&'a mut Tx, &'a [T]) -> BatchFuture<'a>,
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for batch in rows.chunks(batch_size) {
        ids.extend(insert(tx, batch).await?);
    }
    Ok(ids)
}
