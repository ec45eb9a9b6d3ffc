//! Image housekeeping from the command line: category images (set by sysadmins) and the
//! removal of stored files that nothing references.

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use hp_api::images::{check_image, ImageLimits};
use hp_api::media::MediaStore;
use hp_db::categories;
use hp_db::schema::TreeTable;
use hp_db::{maintenance, Db};
use hp_domain::time::Clock;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Remove stored images that no hobby, promotion or category references.
    Clean {
        /// Only report what would be removed.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Sets (or with `--clear` removes) a category's cover image from a file.
pub async fn set_category_image(
    db: &Db,
    media: &MediaStore,
    clock: &Clock,
    id: i64,
    file: Option<PathBuf>,
    clear: bool,
) -> Result<String> {
    let current = categories::get(&mut db.conn().await?, TreeTable::Categories, id)
        .await?
        .ok_or_else(|| anyhow!("no category {id}"))?;
    let name = match (file, clear) {
        (Some(_), true) => bail!("give a file or --clear, not both"),
        (None, false) => bail!("give an image file, or --clear to remove the image"),
        (None, true) => None,
        (Some(path), false) => {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let image = check_image(bytes, ImageLimits::default())
                .map_err(|message| anyhow!("{}: {message}", path.display()))?;
            let name = image.name("hobbycategory_images");
            media.put(&name, image.bytes.into()).await?;
            Some(name)
        }
    };
    let mut tx = db.begin().await?;
    categories::set_cover_image(&mut tx, id, name.as_deref(), clock.now()).await?;
    categories::relayout(&mut tx, TreeTable::Categories).await?;
    tx.commit().await?;
    if let Some(old) = current.cover_image.filter(|old| Some(old) != name.as_ref()) {
        if !maintenance::image_in_use(&mut db.conn().await?, &old).await? {
            media.delete(&old).await?;
        }
    }
    Ok(match name {
        Some(name) => format!("category {id} shows {name}"),
        None => format!("category {id} has no image"),
    })
}

/// Removes unreferenced files; reports each and the total.
pub async fn clean(db: &Db, media: &MediaStore, dry_run: bool) -> Result<String> {
    let stored = media.list().await?;
    let referenced = maintenance::referenced_images(&mut db.conn().await?).await?;
    let mut lines = Vec::new();
    let unreferenced: Vec<&String> = stored.iter().filter(|name| !referenced.contains(*name)).collect();
    for name in &unreferenced {
        if dry_run {
            lines.push(format!("would remove {name}"));
        } else {
            media.delete(name).await?;
            lines.push(format!("removed {name}"));
        }
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
