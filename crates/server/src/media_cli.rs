//! Image housekeeping from the command line: category images (set by sysadmins) and the
//! removal of stored files that nothing references.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use hp_app::media::MediaStore;
use hp_app::{App, Superuser};
use hp_db::categories;
use hp_db::schema::TreeTable;
use hp_db::{maintenance, Db};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Remove stored images that no hobby, promotion or category references.
    Clean {
        /// Only report what would be removed.
        #[arg(long)]
        dry_run: bool,
        /// Keep unreferenced files written less than this many minutes ago: they may belong
        /// to a write whose transaction has not committed yet.
        #[arg(long, default_value_t = UPLOAD_GRACE_MINUTES)]
        min_age_minutes: u32,
    },
}

/// Sets (or with `--clear` removes) a category's cover image from a file, through the same
/// code as the sysadmin UI.
pub async fn set_category_image(app: &App, id: i64, file: Option<PathBuf>, clear: bool) -> Result<String> {
    let bytes = match (file, clear) {
        (Some(_), true) => bail!("give a file or --clear, not both"),
        (None, false) => bail!("give an image file, or --clear to remove the image"),
        (None, true) => None,
        (Some(path), false) => Some(std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?),
    };
    hp_app::categories::set_cover_image(app, Superuser::command_line_operator(), id, bytes)
        .await
        .map_err(crate::admin_cli::as_cli_error)?;
    let row = categories::get(&mut app.db.conn().await?, TreeTable::Categories, id).await?;
    Ok(match row.and_then(|r| r.cover_image) {
        Some(name) => format!("category {id} shows {name}"),
        None => format!("category {id} has no image"),
    })
}

/// How long a stored file is left alone before it may count as unreferenced: an upload is
/// stored before the row that refers to it commits.
pub const UPLOAD_GRACE_MINUTES: u32 = 60;

/// Removes unreferenced files older than `min_age_minutes`; reports each and the total.
pub async fn clean(
    db: &Db,
    media: &MediaStore,
    dry_run: bool,
    min_age_minutes: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String> {
    // Listed before the references are read: a file stored and referenced in between is
    // then either missing from the list or seen as referenced, never removed.
    let stored = media.list_modified().await?;
    let referenced = maintenance::referenced_images(&mut db.conn().await?).await?;
    let cutoff = now - chrono::Duration::minutes(i64::from(min_age_minutes));
    let mut lines = Vec::new();
    let (unreferenced, recent): (Vec<_>, Vec<_>) =
        stored.iter().filter(|(name, _)| !referenced.contains(name)).partition(|(_, modified)| *modified <= cutoff);
    for (name, _) in &unreferenced {
        if dry_run {
            lines.push(format!("would remove {name}"));
        } else {
            media.delete(name).await?;
            lines.push(format!("removed {name}"));
        }
    }
    if !recent.is_empty() {
        lines.push(format!(
            "kept {} unreferenced file(s) written in the last {min_age_minutes} min (a write may be in progress)",
            recent.len()
        ));
    }
    let count = unreferenced.len();
    let files = if count == 1 { "file" } else { "files" };
    lines.push(if dry_run {
        format!("{count} unreferenced {files} of {} stored would be removed", stored.len())
    } else {
        format!("removed {count} unreferenced {files}; {} remain", stored.len() - count)
    });
    Ok(lines.join("\n"))
}
