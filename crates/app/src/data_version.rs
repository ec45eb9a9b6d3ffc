//! The data version as a request may rely on: read from the database after the request
//! arrived, so that an answer kept for that version is never older than the last write
//! committed before the request started — on any replica, since every replica's writes
//! advance the same rows.
//!
//! Requests that wait at the same time share one query: a request takes a ticket when it
//! arrives, and any query that was started (took its own ticket) after that ticket is as
//! good as its own. At most one query runs at a time, so under load one query answers every
//! request that arrived before it began.

use hp_db::{Db, DbError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct DataVersionProbe {
    tickets: AtomicU64,
    /// The latest query's ticket and the version it read.
    latest: Mutex<Option<(u64, i64)>>,
    /// Held while a query runs.
    querying: tokio::sync::Mutex<()>,
}

impl DataVersionProbe {
    pub fn new() -> Self {
        Self::default()
    }

    /// The data version as of now or later.
    pub async fn current(&self, db: &Db) -> Result<i64, DbError> {
        let arrived = self.tickets.fetch_add(1, Ordering::SeqCst);
        if let Some(version) = self.read_after(arrived) {
            return Ok(version);
        }
        let _turn = self.querying.lock().await;
        if let Some(version) = self.read_after(arrived) {
            return Ok(version);
        }
        let started = self.tickets.fetch_add(1, Ordering::SeqCst);
        let version = hp_db::changes::data_version(&mut db.conn().await?).await?;
        let mut latest = self.latest.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if latest.is_none_or(|(ticket, _)| ticket < started) {
            *latest = Some((started, version));
        }
        Ok(version)
    }

    /// The version a query started after `ticket` read, if there was one.
    fn read_after(&self, ticket: u64) -> Option<i64> {
        let latest = *self.latest.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        latest.filter(|(started, _)| *started > ticket).map(|(_, version)| version)
    }
}
