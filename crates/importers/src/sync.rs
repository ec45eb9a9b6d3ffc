//! What the upstream importers share: their run report, and deleting what disappeared
//! upstream under the safety rule of jobs-and-importers.md §2 (never everything at once).

use anyhow::Result;
use hp_db::imports::{self, Imported};
use hp_db::{next_event, Tx};
use std::collections::HashSet;
use std::fmt;

/// Counts of one run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub pages: u32,
    pub hobbies_created: u32,
    pub hobbies_updated: u32,
    pub events_created: u32,
    pub events_updated: u32,
    pub locations_created: u32,
    pub locations_updated: u32,
    pub hobbies_deleted: u64,
    pub events_deleted: u64,
    pub skipped: u32,
    pub images_downloaded: u32,
    /// Images that hobbies no longer use; the caller deletes them after the commit unless
    /// something else refers to them.
    pub replaced_images: Vec<String>,
    /// Why deletions were skipped, if they were.
    pub deletion_skipped: Option<String>,
    pub dry_run: bool,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} pages: {} new hobbies, {} updated hobbies, {} new events, {} updated events, {} new locations, \
             {} updated locations, {} images downloaded, {} hobbies and {} events deleted, {} items skipped",
            self.pages,
            self.hobbies_created,
            self.hobbies_updated,
            self.events_created,
            self.events_updated,
            self.locations_created,
            self.locations_updated,
            self.images_downloaded,
            self.hobbies_deleted,
            self.events_deleted,
            self.skipped
        )?;
        if let Some(reason) = &self.deletion_skipped {
            write!(f, "; deletions skipped: {reason}")?;
        }
        if self.dry_run {
            write!(f, " (dry run: nothing was written)")?;
        }
        Ok(())
    }
}

pub const DELETE_ALL_REFUSED: &str =
    "Run would delete all Hobbies or HobbyEvents, something is wrong, skipping deletion.";

/// Deletes the hobbies and events of `source` that were not found in this run, unless that
/// would delete all of either (an upstream answering nothing is more likely broken than
/// empty); returns the ids of hobbies whose events changed.
pub async fn delete_missing(
    tx: &mut Tx,
    source: &str,
    found_hobbies: &HashSet<String>,
    found_events: &HashSet<String>,
    today: chrono::NaiveDate,
    report: &mut Report,
) -> Result<()> {
    let events = imports::origins(tx, Imported::Events, source).await?;
    let hobbies = imports::origins(tx, Imported::Hobbies, source).await?;
    let gone_events: Vec<i64> = events.iter().filter(|e| !found_events.contains(&e.origin_id)).map(|e| e.id).collect();
    let gone_hobbies: Vec<i64> =
        hobbies.iter().filter(|h| !found_hobbies.contains(&h.origin_id)).map(|h| h.id).collect();
    if gone_events.is_empty() && gone_hobbies.is_empty() {
        return Ok(());
    }
    if gone_events.len() >= events.len() || gone_hobbies.len() >= hobbies.len() {
        tracing::warn!("{DELETE_ALL_REFUSED}");
        report.deletion_skipped = Some(DELETE_ALL_REFUSED.into());
        return Ok(());
    }
    tracing::info!(events = gone_events.len(), hobbies = gone_hobbies.len(), "deleting what disappeared upstream");
    let touched = hobbies_of_events(tx, &gone_events).await?;
    report.events_deleted = imports::delete(tx, Imported::Events, &gone_events).await?;
    report.hobbies_deleted = imports::delete(tx, Imported::Hobbies, &gone_hobbies).await?;
    let remaining: Vec<i64> = touched.into_iter().filter(|h| !gone_hobbies.contains(h)).collect();
    next_event::refresh(tx, &remaining, today).await?;
    Ok(())
}

async fn hobbies_of_events(tx: &mut Tx, event_ids: &[i64]) -> Result<Vec<i64>> {
    let mut hobbies = Vec::new();
    for id in event_ids {
        if let Some(event) = hp_db::events::get(tx, *id).await? {
            hobbies.push(event.hobby_id);
        }
    }
    hobbies.sort_unstable();
    hobbies.dedup();
    Ok(hobbies)
}
