//! `harrastuspassi geocode-locations`: fills in the coordinates of user-created locations
//! that have none (or exactly 0, 0) through the configured geocoding service, at a bounded
//! rate, skipping and reporting the addresses it cannot find (jobs-and-importers.md §5).

use anyhow::{bail, Result};
use hp_app::geocoding::{address_query, Geocoder};
use hp_db::locations::{self, LocationFields};
use hp_db::{imports, next_event, Db};
use hp_domain::time::Clock;
use std::time::Duration;

pub async fn run(db: &Db, geocoder: Option<Geocoder>, clock: &Clock, per_second: u32) -> Result<String> {
    let Some(geocoder) = geocoder else {
        bail!("geocoding is not configured: set HARRASTUSPASSI_GEOCODING_API_KEY (and HARRASTUSPASSI_GEOCODING_URL)");
    };
    if per_second == 0 {
        bail!("--per-second must be at least 1");
    }
    let pause = Duration::from_secs(1) / per_second;
    let missing = imports::locations_without_coordinates(&mut db.conn().await?).await?;
    println!("Found {} locations with faulty or null coordinates.", missing.len());
    let (mut found, mut failed) = (0, 0);
    for (i, location) in missing.iter().enumerate() {
        if i > 0 {
            tokio::time::sleep(pause).await;
        }
        let address = address_query(&location.address, &location.zip_code, &location.city);
        println!("Getting coordinates for address '{address}'");
        let Some(point) = geocoder.locate(&address).await else {
            println!("Could not get coordinates for <Location: {}>", location.name);
            failed += 1;
            continue;
        };
        let fields = LocationFields {
            name: location.name.clone(),
            address: location.address.clone(),
            zip_code: location.zip_code.clone(),
            city: location.city.clone(),
            point: Some(point),
            data_source: location.data_source.clone(),
            origin_id: location.origin_id.clone(),
        };
        let mut tx = db.begin().await?;
        locations::update(&mut tx, location.id, &fields, clock.now()).await?;
        // The event list keeps a copy of each hobby's location point.
        next_event::refresh_at_location(&mut tx, location.id, clock.today()).await?;
        tx.commit().await?;
        found += 1;
    }
    Ok(format!("{found} locations geocoded, {failed} could not be"))
}
