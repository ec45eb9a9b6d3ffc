//! `import-django`: moving a running Django deployment of the original over, with nothing
//! lost. The source is only read (one read-only snapshot); the target is written in one
//! transaction that either holds everything or nothing; the ids the clients know are kept;
//! a report compares the row counts of every table and says what was not carried and why.

pub mod checks;
pub mod grants;
pub mod media;
pub mod report;
pub mod source;
mod target;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hp_db::schema::TreeTable;
use hp_db::{restore, Db, Executes};
use std::path::PathBuf;

pub use media::MediaSink;
pub use report::Report;

/// `Debug` hides a password in `from`.
#[derive(Clone, Default)]
pub struct Options {
    /// `postgres://…` of the Django database.
    pub from: String,
    /// Do everything, report, and roll back (no image is stored either).
    pub dry_run: bool,
    /// Delete what the target holds first (instead of refusing).
    pub replace: bool,
    /// The old deployment's MEDIA_ROOT.
    pub media_from: Option<PathBuf>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("from", &hp_db::redact_password(&self.from))
            .field("dry_run", &self.dry_run)
            .field("replace", &self.replace)
            .field("media_from", &self.media_from)
            .finish()
    }
}

/// Runs the import. Fails, with nothing written, when the target already holds data (unless
/// `replace`), when a source row breaks a rule of this service, or when a count differs.
pub async fn import(
    db: &Db,
    options: &Options,
    sink: &impl MediaSink,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Report> {
    let snapshot = source::read(&options.from).await?;
    let problems = checks::problems(&snapshot);
    if !problems.is_empty() {
        bail!(
            "the Django database holds {} row(s) this service does not accept; mend them there and run again:\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }

    // Checked before the images are copied, and again under the write lock.
    refuse_if_in_use(&mut db.conn().await?, options.replace).await?;
    // Outside the write transaction: copying many files must not hold the writers back.
    let (renames, media) = media::copy(&snapshot, options.media_from.as_deref(), sink, options.dry_run).await?;

    let mut tx = db.begin().await?;
    restore::lock_tables(&mut tx).await?;
    let before = refuse_if_in_use(&mut tx, options.replace).await?;
    restore::delete_all(&mut tx).await.context("cannot empty the target database")?;
    let next_events =
        target::write(&mut tx, &snapshot, &renames, today, now).await.context("cannot write the imported rows")?;
    let after = restore::counts(&mut tx).await?;
    let report = Report::new(&snapshot, before, after, next_events, grants::review(&snapshot), media, options);
    if let Some(mismatch) = report.mismatches().first() {
        bail!("{report}\nnothing was imported: {mismatch}");
    }
    if options.dry_run {
        drop(tx);
        return Ok(report);
    }
    restore::advance_id_generators(&mut tx).await?;
    tx.commit().await.context("cannot commit the import")?;
    // Committed: a failure from here on must not hide the report.
    if let Err(error) = db.analyze().await {
        tracing::warn!(%error, "refreshing the planner statistics after the import failed");
    }
    Ok(report)
}

/// Fails when the target holds users or content and `replace` is not set; returns the rows
/// per table. A fresh database holds only the bundled category trees, which the imported ones
/// replace; anything else means it is in use or was imported into before.
async fn refuse_if_in_use(ex: &mut impl Executes, replace: bool) -> Result<Vec<(String, i64)>> {
    let counts = restore::counts(ex).await?;
    let trees = [TreeTable::Categories, TreeTable::Audiences].map(|tree| sea_query::Iden::to_string(&tree));
    let in_use: Vec<String> = counts
        .iter()
        .filter(|(table, count)| *count > 0 && !trees.contains(table))
        .map(|(table, count)| format!("{count} {table}"))
        .collect();
    if !in_use.is_empty() && !replace {
        bail!(
            "the target database already holds data ({}): it is in use or was imported into before. \
             Run with --replace to delete all of it and import again.",
            in_use.join(", ")
        );
    }
    Ok(counts)
}
