//! Scheduled work of a running server, after midnight (Helsinki) every day: the next-event
//! refresh (also at start-up, after any downtime), and when configured the imports and the
//! media cleanup. Each job runs on one replica a day: the one that claims the day in the
//! database (`hp_db::scheduled_jobs`). A job that fails gives its day back and is tried
//! again later the same day, a few times.

use crate::import_cli::MediaImages;
use chrono::{Duration, NaiveDate, NaiveTime};
use hp_api::metrics::Metrics;
use hp_db::{next_event, scheduled_jobs, Db};
use hp_domain::time::{local_to_utc, Clock};
use hp_importers::http::{FetchOptions, Fetcher};
use hp_importers::{linkedcourses, lipas};
use std::sync::Arc;

/// Recomputes every hobby's next event; returns how many changed.
pub async fn update_next_events(db: &Db, clock: &Clock) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let changed = next_event::refresh_all(&mut tx, clock.today()).await?;
    tx.commit().await?;
    Ok(changed)
}

/// An import the server runs nightly: `lipas` or a Linked source, from a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledImport {
    pub source: String,
    pub url: String,
}

/// What runs every night besides the next-event refresh.
pub struct Schedule {
    pub imports: Vec<ScheduledImport>,
    pub media_clean: bool,
    /// Days the change feed keeps tombstones.
    pub tombstone_days: u32,
}

/// What the jobs need.
pub struct JobContext {
    pub db: Db,
    pub clock: Clock,
    pub images: MediaImages,
    pub metrics: Arc<Metrics>,
    pub schedule: Schedule,
}

const NEXT_EVENTS: &str = "next-events";

/// How long after a failed night the failed jobs are tried again, and how many times a day.
const RETRY_DELAY: std::time::Duration = std::time::Duration::from_secs(30 * 60);
const RETRIES: usize = 3;

/// What one night's run did.
#[derive(Debug, Default)]
pub struct Night {
    /// A line per job that ran.
    pub ran: Vec<String>,
    /// Jobs that failed (their day was given back).
    pub failed: Vec<String>,
}

/// Runs `job` unless another replica (or this one) already ran it on `day`; gives the day
/// back when it fails.
async fn once_a_day<F, T>(context: &JobContext, name: &str, day: NaiveDate, job: F) -> anyhow::Result<Option<T>>
where
    F: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut tx = context.db.begin().await?;
    let claimed = scheduled_jobs::claim_daily_run(&mut tx, name, day).await?;
    tx.commit().await?;
    if !claimed {
        tracing::debug!(job = name, "already run today");
        return Ok(None);
    }
    match job.await {
        Ok(done) => Ok(Some(done)),
        Err(error) => {
            // The job's own error is what the caller reports; a failure to give the day back
            // (the database being down, often the very cause) only costs today's retries.
            if let Err(release) = give_back(context, name, day).await {
                tracing::warn!(
                    job = name,
                    error = format!("{release:#}"),
                    "the failed job keeps its day: no retry today"
                );
            }
            Err(error)
        }
    }
}

async fn give_back(context: &JobContext, name: &str, day: NaiveDate) -> anyhow::Result<()> {
    let mut tx = context.db.begin().await?;
    scheduled_jobs::release_daily_run(&mut tx, name, day).await?;
    tx.commit().await?;
    Ok(())
}

async fn import(context: &JobContext, job: &ScheduledImport) -> anyhow::Result<String> {
    let fetcher = Fetcher::new(FetchOptions::default())?;
    let now = context.clock.now();
    let report = if job.source == lipas::SOURCE {
        let options = lipas::LipasOptions { url: job.url.clone(), non_hp: false, dry_run: false };
        lipas::run(&context.db, &fetcher, &options, now).await
    } else {
        let options = linkedcourses::LinkedOptions { source: job.source.clone(), url: job.url.clone(), dry_run: false };
        let report = linkedcourses::run(&context.db, &fetcher, &context.images, &options, now).await;
        if let Ok(report) = &report {
            // The import is committed: a file left behind is the media cleanup's, not a
            // reason to run the import again.
            if let Err(error) = context.images.delete_unused(&context.db, &report.replaced_images).await {
                tracing::warn!(error = format!("{error:#}"), "replaced cover images were not deleted");
            }
        }
        report
    };
    context.metrics.import_run(&job.source, report.is_ok());
    Ok(report?.to_string())
}

/// One night's work (or, with `at_start`, only the refresh): the jobs not yet run on `day`.
pub async fn nightly(context: &JobContext, day: NaiveDate, at_start: bool) -> Night {
    let mut night = Night::default();
    let ran = &mut night.ran;
    match once_a_day(context, NEXT_EVENTS, day, update_next_events(&context.db, &context.clock)).await {
        Ok(Some(changed)) => ran.push(format!("{NEXT_EVENTS}: {changed} hobbies changed")),
        Ok(None) => {}
        Err(error) => {
            tracing::warn!(%error, "next-event refresh failed; trying again later");
            night.failed.push(NEXT_EVENTS.to_owned());
        }
    }
    if at_start {
        return night;
    }
    let ran = &mut night.ran;
    for job in &context.schedule.imports {
        let name = format!("import:{}", job.source);
        match once_a_day(context, &name, day, import(context, job)).await {
            Ok(Some(summary)) => ran.push(format!("{name}: {summary}")),
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(job = name, error = format!("{error:#}"), "scheduled import failed; trying again later");
                night.failed.push(name);
            }
        }
    }
    if context.schedule.media_clean {
        let clean = crate::media_cli::clean(
            &context.db,
            &context.images.media,
            false,
            crate::media_cli::UPLOAD_GRACE_MINUTES,
            // File times are wall-clock times, whatever the service's clock says.
            chrono::Utc::now(),
        );
        match once_a_day(context, "media-clean", day, clean).await {
            Ok(Some(summary)) => ran.push(format!("media-clean: {summary}")),
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "scheduled media cleanup failed; trying again later");
                night.failed.push("media-clean".to_owned());
            }
        }
    }
    let before = context.clock.now() - Duration::days(i64::from(context.schedule.tombstone_days));
    let expire = async { anyhow::Ok(hp_db::changes::expire_tombstones(&context.db, before).await?) };
    match once_a_day(context, "tombstones", day, expire).await {
        Ok(Some(expired)) => night.ran.push(format!("tombstones: {expired} expired")),
        Ok(None) => {}
        Err(error) => {
            tracing::warn!(%error, "expiring tombstones failed; trying again later");
            night.failed.push("tombstones".to_owned());
        }
    }
    for line in &night.ran {
        tracing::info!(job = line.as_str(), "scheduled job done");
    }
    night
}

/// The refresh now, then the nightly jobs every day at 00:05 Helsinki time, forever.
pub async fn run_daily(context: JobContext) {
    let mut at_start = true;
    loop {
        let day = context.clock.today();
        let mut night = nightly(&context, day, at_start).await;
        let tomorrow = day + Duration::days(1);
        let next_run = local_to_utc(tomorrow.and_time(NaiveTime::from_hms_opt(0, 5, 0).expect("valid time")));
        let until_next_run = || (next_run - context.clock.now()).to_std().unwrap_or(std::time::Duration::from_secs(60));
        for _ in 0..RETRIES {
            if night.failed.is_empty() || until_next_run() <= RETRY_DELAY {
                break;
            }
            tokio::time::sleep(RETRY_DELAY).await;
            // At start-up only the refresh runs, retries included.
            night = nightly(&context, day, at_start).await;
        }
        at_start = false;
        tokio::time::sleep(until_next_run()).await;
    }
}
