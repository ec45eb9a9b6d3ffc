//! The change feed: the latest change of every public object in a stable order, for
//! aggregators that follow the catalogue instead of reading it all again, and the expiry of
//! the tombstones of deleted objects.

use crate::{App, AppError};
use chrono::Duration;
use hp_db::changes::ChangeRow;

/// The kinds of object the feed carries, as its items and `kind=` name them.
pub const KINDS: [&str; 6] = ["hobby", "event", "promotion", "organizer", "location", "category"];

/// The most items one page of the feed holds.
pub const MAX_PAGE: u64 = 500;

/// The changes after `since` of `kinds` (all when empty), at most `limit`, in feed order.
/// Changes committed before this call are numbered first, so none of them can later appear
/// before the last item returned.
pub async fn after(app: &App, since: i64, kinds: &[&str], limit: u64) -> Result<Vec<ChangeRow>, AppError> {
    hp_db::changes::number_committed(&app.db).await?;
    let mut conn = app.db.conn().await?;
    Ok(hp_db::changes::after(&mut conn, since, kinds, limit.clamp(1, MAX_PAGE)).await?)
}

/// Forgets the tombstones of objects deleted longer than `kept` ago; returns how many.
pub async fn expire_tombstones(app: &App, kept: Duration) -> Result<u64, AppError> {
    Ok(hp_db::changes::expire_tombstones(&app.db, app.clock.now() - kept).await?)
}
