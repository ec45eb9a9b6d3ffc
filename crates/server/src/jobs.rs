//! Scheduled work of a running server: the daily next-event refresh after midnight
//! (Helsinki), so that "next event" moves on with the calendar.

use chrono::{Duration, NaiveTime};
use hp_db::{next_event, Db};
use hp_domain::time::{local_to_utc, Clock};

/// Recomputes every hobby's next event; returns how many changed.
pub async fn update_next_events(db: &Db, clock: &Clock) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let changed = next_event::refresh_all(&mut tx, clock.today()).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Runs the refresh now and then every day at 00:05 Helsinki time, forever.
pub async fn run_daily(db: Db, clock: Clock) {
    loop {
        match update_next_events(&db, &clock).await {
            Ok(changed) => tracing::info!(changed, "next events refreshed"),
            Err(error) => tracing::warn!(%error, "next-event refresh failed; retrying at the next run"),
        }
        let tomorrow = clock.today() + Duration::days(1);
        let next_run = local_to_utc(tomorrow.and_time(NaiveTime::from_hms_opt(0, 5, 0).expect("valid time")));
        let wait = (next_run - clock.now()).to_std().unwrap_or(std::time::Duration::from_secs(60));
        tokio::time::sleep(wait).await;
    }
}
