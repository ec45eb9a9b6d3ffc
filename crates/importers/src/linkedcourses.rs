//! Linked Courses / Linked Events (City of Helsinki, JSON-LD event lists): events for young
//! people become hobbies (self-contained and recurring super-events), hobby events (self-
//! contained and sub-events) and locations, with the field rules of `linked_mapping`
//! (jobs-and-importers.md §3). The upstream is read first (pages following `meta.next`,
//! places, changed images), then written in one transaction; events that
//! disappeared are deleted under the safety rule. Hobby references are matched exactly (the
//! original matched substrings of ids); events without a Finnish name are skipped (the
//! original aborted the run).

use crate::http::Fetcher;
use crate::linked_mapping as mapping;
use crate::lipas::kind_of;
use crate::sync::{self, Report};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use hp_db::events::{self, EventFields};
use hp_db::hobbies::{self, HobbyFields, Provenance};
use hp_db::imports::{self, Imported};
use hp_db::locations::{self, LocationFields};
use hp_db::schema::TreeTable;
use hp_db::{next_event, Db, Executes, Tx};
use hp_domain::geo::Point;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The upstreams; each is stored as its own `data_source`.
pub const SOURCES: [(&str, &str); 4] = [
    ("linked_courses", "https://api.hel.fi/linkedcourses/v1/event/"),
    ("helmet", "https://api.hel.fi/linkedevents/v1/event/?keyword=helmet:11997"),
    ("lippupiste", "https://api.hel.fi/linkedevents/v1/event/?data_source=lippupiste"),
    (
        "linkedevents",
        "https://api.hel.fi/linkedevents/v1/event/?start=now&keyword=yso:p11617,yso:p16486&keyword!=yso:p4354,yso:p13050,yso:p16485,yso:p20513",
    ),
];

/// The default URL of a source.
pub fn default_url(source: &str) -> Option<&'static str> {
    SOURCES.iter().find(|(name, _)| *name == source).map(|(_, url)| *url)
}

#[derive(Debug, Clone)]
pub struct LinkedOptions {
    pub source: String,
    pub url: String,
    pub dry_run: bool,
}

/// Where imported cover images go: the caller validates and stores the bytes in the
/// service's media store and answers the stored name.
pub trait ImageStore: Sync {
    fn store(&self, bytes: Vec<u8>, folder: &str) -> impl std::future::Future<Output = Result<String>> + Send;
}

/// Audience keywords that let an event in, and those that keep it out.
struct Audiences {
    include: HashSet<(String, String)>,
    exclude: HashSet<(String, String)>,
}

async fn audience_keys(ex: &mut impl Executes, names: &[&str]) -> Result<HashSet<(String, String)>> {
    let nodes = imports::tree_nodes_named(ex, TreeTable::Audiences, names).await?;
    if nodes.len() < names.len() {
        tracing::warn!(?names, "some of the audiences are missing from the audience tree (import the ontology first)");
    }
    Ok(nodes.into_iter().map(|n| (n.data_source, n.origin_id)).collect())
}

async fn audiences(ex: &mut impl Executes) -> Result<Audiences> {
    Ok(Audiences {
        include: audience_keys(ex, &["Opiskelijat", "Nuoret"]).await?,
        exclude: audience_keys(ex, &["Lapsiperheet", "Vauvaperheet"]).await?,
    })
}

/// The event's keywords as (data source, id), and the keyword URLs that could not be read.
fn keywords(event: &Value) -> (HashSet<(String, String)>, Vec<&str>) {
    let mut keys = HashSet::new();
    let mut unreadable = Vec::new();
    for keyword in event.get("keywords").and_then(Value::as_array).into_iter().flatten() {
        let url = keyword.get("@id").and_then(Value::as_str).unwrap_or("");
        match mapping::keyword_key(url) {
            Some(key) => {
                keys.insert(key);
            }
            None => unreadable.push(url),
        }
    }
    (keys, unreadable)
}

/// The event's Finnish name, which a hobby needs.
fn finnish_name(event: &Value) -> Option<&str> {
    event.get("name").and_then(|n| n.get("fi")).and_then(Value::as_str).filter(|n| !n.trim().is_empty())
}

/// Whether the event is for the service's audience (step 1 of "Per event").
fn for_young_people(event: &Value, keywords: &HashSet<(String, String)>, audiences: &Audiences) -> bool {
    match event.get("audience_max_age").and_then(Value::as_f64) {
        Some(max) if max != 0.0 => max > 14.0,
        _ => !keywords.is_disjoint(&audiences.include) && keywords.is_disjoint(&audiences.exclude),
    }
}

/// The run's state between events. Everything from the upstream was fetched before the
/// transaction started: `Run` only writes.
struct Run<'a> {
    options: &'a LinkedOptions,
    now: DateTime<Utc>,
    report: Report,
    found_hobbies: HashSet<String>,
    found_events: HashSet<String>,
    touched: Vec<i64>,
    /// Place URL → the place as fetched (`None`: it could not be read).
    places: HashMap<String, Option<Value>>,
    /// Place URL → its location row, once written.
    location_ids: HashMap<String, Option<i64>>,
    /// Image URL → the stored name, or why it could not be used.
    downloads: HashMap<String, Result<String, String>>,
    /// Events whose hobby had not been seen yet: (event fields without hobby, reference).
    orphans: Vec<(EventFields, String)>,
}

impl Run<'_> {
    fn source(&self) -> &str {
        &self.options.source
    }

    /// The location of a place URL, written once per run; `None` when it could not be read.
    async fn location(&mut self, tx: &mut Tx, url: &str) -> Result<Option<i64>> {
        if let Some(known) = self.location_ids.get(url) {
            return Ok(*known);
        }
        let id = match self.places.get(url).cloned().flatten() {
            Some(place) => Some(self.upsert_location(tx, url, &place).await?),
            None => None,
        };
        self.location_ids.insert(url.to_owned(), id);
        Ok(id)
    }

    async fn upsert_location(&mut self, tx: &mut Tx, url: &str, place: &Value) -> Result<i64> {
        let translated = |key: &str| match place.get(key) {
            Some(Value::Null) | None => String::new(),
            some => mapping::py_text(some, ""),
        };
        let point =
            place.get("position").filter(|p| p.get("type").and_then(Value::as_str) == Some("Point")).and_then(|p| {
                let c = p.get("coordinates")?.as_array()?;
                Some(Point::new(c.first()?.as_f64()?, c.get(1)?.as_f64()?))
            });
        let fields = LocationFields {
            name: translated("name"),
            address: translated("street_address"),
            zip_code: place.get("postal_code").and_then(Value::as_str).unwrap_or("").chars().take(5).collect(),
            city: translated("address_locality"),
            point,
            data_source: self.source().to_owned(),
            origin_id: url.to_owned(),
        };
        Ok(match imports::id_by_origin(tx, Imported::Locations, self.source(), url).await? {
            Some(id) => {
                if locations::get(tx, id).await?.is_some_and(|row| !same_location(&row, &fields)) {
                    locations::update(tx, id, &fields, self.now).await?;
                    self.report.locations_updated += 1;
                }
                id
            }
            None => {
                self.report.locations_created += 1;
                locations::insert(tx, &fields, None, None, self.now).await?
            }
        })
    }

    async fn upsert_hobby(
        &mut self,
        tx: &mut Tx,
        event: &Value,
        id_url: &str,
        categories: &[i64],
    ) -> Result<Option<i64>> {
        let Some(name) = finnish_name(event) else {
            tracing::info!(event = id_url, "no Finnish name, skipped");
            self.report.skipped += 1;
            return Ok(None);
        };
        let location = match event.get("location").and_then(|l| l.get("@id")).and_then(Value::as_str) {
            Some(url) => self.location(tx, url).await?,
            None => None,
        };
        let offers = event.get("offers").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut fields = HobbyFields {
            name: name.chars().take(1024).collect(),
            description: mapping::description(event),
            location_id: location,
            organizer_id: None,
            price_type: mapping::price_type(&offers),
            price_cents: mapping::price_euros(&offers).saturating_mul(100),
            cover_image: None,
            data_source: self.source().to_owned(),
            origin_id: id_url.to_owned(),
        };
        let id = match imports::id_by_origin(tx, Imported::Hobbies, self.source(), id_url).await? {
            Some(id) => {
                let current = hobbies::get(tx, id).await?.context("a hobby vanished during the import")?;
                fields.cover_image = current.cover_image.clone();
                fields.organizer_id = current.organizer_id;
                if !same_hobby(&current, &fields) {
                    hobbies::update(tx, id, &fields, self.now).await?;
                    self.report.hobbies_updated += 1;
                }
                id
            }
            None => {
                self.report.hobbies_created += 1;
                hobbies::insert(tx, &fields, Provenance { created_by: None, municipality: None }, self.now).await?
            }
        };
        hobbies::set_categories(tx, id, categories).await?;
        self.cover_image(tx, id, event).await?;
        self.found_hobbies.insert(id_url.to_owned());
        self.touched.push(id);
        Ok(Some(id))
    }

    /// Sets the event's first image (downloaded before the transaction) when the hobby has
    /// none or the upstream changed it since; a failed download leaves the hobby as it was.
    async fn cover_image(&mut self, tx: &mut Tx, hobby_id: i64, event: &Value) -> Result<()> {
        let Some((url, modified)) = first_image(event) else { return Ok(()) };
        let current = imports::hobby_cover(tx, hobby_id).await?.context("a hobby vanished during the import")?;
        if !is_stale(&current, modified) {
            return Ok(());
        }
        if self.options.dry_run {
            // Nothing is stored on a dry run, not even files.
            self.report.images_downloaded += 1;
            return Ok(());
        }
        match self.downloads.get(url) {
            Some(Ok(name)) => {
                imports::set_hobby_cover(tx, hobby_id, name, modified).await?;
                self.report.images_downloaded += 1;
                if let Some(old) = current.cover_image.filter(|old| old != name) {
                    self.report.replaced_images.push(old);
                }
            }
            Some(Err(error)) => tracing::warn!(%url, %error, "cannot use the image"),
            None => tracing::info!(%url, "the image became stale during the run; the next run takes it"),
        }
        Ok(())
    }

    async fn save_event(&mut self, tx: &mut Tx, fields: &EventFields) -> Result<()> {
        match imports::id_by_origin(tx, Imported::Events, self.source(), &fields.origin_id).await? {
            Some(id) => {
                let current = events::get(tx, id).await?.context("an event vanished during the import")?;
                if current.hobby_id != fields.hobby_id
                    || (current.start_date, current.start_time, current.end_date, current.end_time)
                        != (fields.start_date, fields.start_time, fields.end_date, fields.end_time)
                {
                    events::update(tx, id, fields, self.now).await?;
                    self.report.events_updated += 1;
                    self.touched.push(current.hobby_id);
                }
            }
            None => {
                events::insert(tx, fields, self.now).await?;
                self.report.events_created += 1;
            }
        }
        self.touched.push(fields.hobby_id);
        self.found_events.insert(fields.origin_id.clone());
        Ok(())
    }

    async fn event(&mut self, tx: &mut Tx, event: &Value, audiences: &Audiences) -> Result<()> {
        let Some(id_url) = event.get("@id").and_then(Value::as_str).map(str::to_owned) else {
            tracing::info!("an event without @id, skipped");
            self.report.skipped += 1;
            return Ok(());
        };
        let (keywords, unreadable) = keywords(event);
        for url in unreadable {
            tracing::info!(keyword = %url, "cannot parse the keyword");
        }
        if !for_young_people(event, &keywords, audiences) {
            self.report.skipped += 1;
            return Ok(());
        }
        let keys: Vec<(String, String)> = keywords.into_iter().collect();
        let categories = imports::tree_ids_by_origins(tx, TreeTable::Categories, &keys).await?;
        if categories.is_empty() {
            self.report.skipped += 1;
            return Ok(());
        }
        let super_event = event.get("super_event").filter(|s| !s.is_null());
        let super_type = event.get("super_event_type").and_then(Value::as_str);
        let forms_hobby = forms_hobby(event);
        let forms_event = super_type.is_none();
        let own_hobby = if forms_hobby { self.upsert_hobby(tx, event, &id_url, &categories).await? } else { None };
        if !forms_event || (forms_hobby && own_hobby.is_none()) {
            return Ok(());
        }
        let (Some(start), Some(end)) =
            (mapping::local_time(event.get("start_time")), mapping::local_time(event.get("end_time")))
        else {
            tracing::info!(event = id_url, "cannot parse the start or end time, skipped");
            return Ok(());
        };
        let reference = match super_event.and_then(|s| s.get("@id")).and_then(Value::as_str) {
            Some(url) => url.to_owned(),
            None => id_url.clone(),
        };
        let mut fields = EventFields {
            hobby_id: 0,
            start_date: start.0,
            start_time: start.1,
            end_date: end.0,
            end_time: end.1,
            data_source: self.source().to_owned(),
            origin_id: id_url.clone(),
            recurrence_start_event_id: None,
        };
        match imports::id_by_origin(tx, Imported::Hobbies, self.source(), &reference).await? {
            Some(hobby) => {
                fields.hobby_id = hobby;
                self.save_event(tx, &fields).await
            }
            None => {
                tracing::debug!(hobby = %reference, "an event before its hobby: saved once the hobby is");
                self.orphans.push((fields, reference));
                Ok(())
            }
        }
    }

    async fn resolve_orphans(&mut self, tx: &mut Tx) -> Result<()> {
        for (mut fields, reference) in std::mem::take(&mut self.orphans) {
            match imports::id_by_origin(tx, Imported::Hobbies, self.source(), &reference).await? {
                Some(hobby) => {
                    fields.hobby_id = hobby;
                    self.save_event(tx, &fields).await?;
                }
                None => {
                    tracing::info!(hobby = %reference, event = %fields.origin_id, "no such hobby for the event, dropped");
                    self.report.skipped += 1;
                }
            }
        }
        Ok(())
    }
}

fn same_location(row: &hp_db::locations::LocationRow, fields: &LocationFields) -> bool {
    row.name == fields.name
        && row.address == fields.address
        && row.zip_code == fields.zip_code
        && row.city == fields.city
        && row.point() == fields.point
}

fn same_hobby(row: &hp_db::hobbies::HobbyRow, fields: &HobbyFields) -> bool {
    row.name == fields.name
        && row.description == fields.description
        && row.location_id == fields.location_id
        && row.price_type() == fields.price_type
        && row.price_cents == fields.price_cents
}

/// Whether the event becomes a hobby: self-contained, or the super-event of a recurring series.
fn forms_hobby(event: &Value) -> bool {
    let super_event = event.get("super_event").filter(|s| !s.is_null());
    let super_type = event.get("super_event_type").and_then(Value::as_str);
    (super_event.is_none() && super_type.is_none()) || super_type == Some("recurring")
}

/// The event's first image: its URL and when the upstream last changed it.
fn first_image(event: &Value) -> Option<(&str, DateTime<Utc>)> {
    let image = event.get("images").and_then(Value::as_array).and_then(|i| i.first())?;
    let url = image.get("url").and_then(Value::as_str)?;
    let modified = image.get("last_modified_time").and_then(Value::as_str)?;
    Some((url, DateTime::parse_from_rfc3339(modified).ok()?.with_timezone(&Utc)))
}

/// Whether a hobby's cover needs the upstream image changed at `modified`.
fn is_stale(current: &imports::HobbyCover, modified: DateTime<Utc>) -> bool {
    current.cover_image.is_none() || current.cover_image_modified_at.is_none_or(|at| at < modified)
}

/// Every page of events, each with the URL of its page (for error messages).
async fn fetch_events(fetcher: &Fetcher, first: &str, report: &mut Report) -> Result<Vec<(String, Value)>> {
    let mut events = Vec::new();
    let mut next = Some(first.to_owned());
    let mut seen = HashSet::new();
    while let Some(url) = next.take() {
        if !seen.insert(url.clone()) {
            bail!("the upstream's pages loop back to {url}");
        }
        let mut page = fetcher.get_json(&url, &[]).await?;
        let Some(items) = page.get_mut("data").and_then(Value::as_array_mut).map(std::mem::take) else {
            bail!("GET {url}: expected an object with a `data` array, got {}", kind_of(&page));
        };
        report.pages += 1;
        tracing::info!(page = report.pages, events = items.len(), "read a page");
        next = page.get("meta").and_then(|m| m.get("next")).and_then(Value::as_str).map(str::to_owned);
        events.extend(items.into_iter().map(|event| (url.clone(), event)));
    }
    Ok(events)
}

/// The events that will become hobbies (the checks `Run::event` makes before it writes one),
/// so that only their places and images are fetched.
async fn hobby_events<'e>(db: &Db, events: &'e [(String, Value)]) -> Result<Vec<&'e Value>> {
    let mut conn = db.conn().await?;
    let audiences = audiences(&mut conn).await?;
    let mut chosen = Vec::new();
    for (_, event) in events {
        if !forms_hobby(event) || finnish_name(event).is_none() {
            continue;
        }
        let (keys, _) = keywords(event);
        if !for_young_people(event, &keys, &audiences) {
            continue;
        }
        let keys: Vec<(String, String)> = keys.into_iter().collect();
        if !imports::tree_ids_by_origins(&mut conn, TreeTable::Categories, &keys).await?.is_empty() {
            chosen.push(event);
        }
    }
    Ok(chosen)
}

/// The places of the events that become hobbies, each fetched once.
async fn fetch_places(fetcher: &Fetcher, events: &[&Value]) -> HashMap<String, Option<Value>> {
    let mut places = HashMap::new();
    for event in events {
        let Some(url) = event.get("location").and_then(|l| l.get("@id")).and_then(Value::as_str) else { continue };
        if places.contains_key(url) {
            continue;
        }
        let place = match fetcher.get_json(url, &[]).await {
            Ok(place) => Some(place),
            Err(error) => {
                tracing::warn!(%url, error = format!("{error:#}"), "cannot read the place");
                None
            }
        };
        places.insert(url.to_owned(), place);
    }
    places
}

/// Downloads and stores the images of hobbies whose cover is missing or older than the
/// upstream's, as the database says before the run. Files of a run that then fails are left
/// to the media cleanup.
async fn download_images<S: ImageStore>(
    db: &Db,
    fetcher: &Fetcher,
    images: &S,
    source: &str,
    events: &[&Value],
) -> Result<HashMap<String, Result<String, String>>> {
    let mut downloads = HashMap::new();
    for event in events {
        let (Some((url, modified)), Some(id_url)) = (first_image(event), event.get("@id").and_then(Value::as_str))
        else {
            continue;
        };
        if downloads.contains_key(url) {
            continue;
        }
        // A connection per check: none is held while downloading.
        let mut conn = db.conn().await?;
        if let Some(hobby) = imports::id_by_origin(&mut conn, Imported::Hobbies, source, id_url).await? {
            if imports::hobby_cover(&mut conn, hobby).await?.is_some_and(|current| !is_stale(&current, modified)) {
                continue;
            }
        }
        drop(conn);
        let stored = match fetcher.get_bytes(url, &[]).await {
            Ok(bytes) => images.store(bytes.to_vec(), "hobby_images").await,
            Err(error) => Err(error),
        };
        downloads.insert(url.to_owned(), stored.map_err(|error| format!("{error:#}")));
    }
    Ok(downloads)
}

/// Runs the import; with `dry_run` everything is done and then rolled back. The upstream is
/// read (pages, places, new images) before the transaction starts, so that a slow upstream
/// never holds the writers back (on SQLite one write transaction blocks every other write).
pub async fn run<S: ImageStore>(
    db: &Db,
    fetcher: &Fetcher,
    images: &S,
    options: &LinkedOptions,
    now: DateTime<Utc>,
) -> Result<Report> {
    let mut report = Report { dry_run: options.dry_run, ..Default::default() };
    let events = fetch_events(fetcher, &options.url, &mut report).await?;
    let hobby_events = hobby_events(db, &events).await?;
    let places = fetch_places(fetcher, &hobby_events).await;
    let downloads = if options.dry_run {
        HashMap::new()
    } else {
        download_images(db, fetcher, images, &options.source, &hobby_events).await?
    };
    let mut tx = db.begin().await?;
    let audiences = audiences(&mut tx).await?;
    let mut run = Run {
        options,
        now,
        report,
        found_hobbies: HashSet::new(),
        found_events: HashSet::new(),
        touched: Vec::new(),
        places,
        location_ids: HashMap::new(),
        downloads,
        orphans: Vec::new(),
    };
    for (page, event) in &events {
        run.event(&mut tx, event, &audiences).await.with_context(|| format!("page {page}"))?;
    }
    run.resolve_orphans(&mut tx).await?;
    let today = now.with_timezone(&hp_domain::time::TIME_ZONE).date_naive();
    let (found_hobbies, found_events) = (std::mem::take(&mut run.found_hobbies), std::mem::take(&mut run.found_events));
    sync::delete_missing(&mut tx, &options.source, &found_hobbies, &found_events, today, &mut run.report).await?;
    run.touched.sort_unstable();
    run.touched.dedup();
    next_event::refresh(&mut tx, &run.touched, today).await?;
    if !options.dry_run {
        tx.commit().await?;
    }
    Ok(run.report)
}
