//! The image files the copied rows refer to: read from the old deployment's media directory
//! and put into this service's store under content-derived names (which `/media/` needs to
//! serve them as immutable); the rows are then written with the new names. A missing or
//! unreadable file is reported and its row keeps the old name, as the original showed it.

use super::source::Snapshot;
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::path::Path;

/// Where copied images go (the service's media store).
pub trait MediaSink: Sync {
    fn put(&self, name: &str, bytes: Vec<u8>) -> impl Future<Output = Result<()>> + Send;
    /// The largest file it takes (the service's image size limit).
    fn max_bytes(&self) -> u64;
}

/// What happened to the referenced images.
#[derive(Debug, Default)]
pub struct MediaReport {
    /// Distinct image names the rows refer to.
    pub referenced: usize,
    /// Copied (or, on a dry run, found) files.
    pub copied: usize,
    /// Names whose file was not found or could not be read, with the reason.
    pub missing: Vec<String>,
    /// Whether a media directory was given at all.
    pub from_directory: bool,
}

/// Old name → new name, for the rows.
pub type Renames = BTreeMap<String, String>;

/// Every image name the rows refer to, with the folder a copy is stored in.
fn referenced(snapshot: &Snapshot) -> BTreeMap<&str, &'static str> {
    let mut names = BTreeMap::new();
    for name in snapshot.hobbies.iter().filter_map(|h| h.cover_image.as_deref()) {
        names.insert(name, "hobby_images");
    }
    for name in snapshot.promotions.iter().filter_map(|p| p.cover_image.as_deref()) {
        names.insert(name, "promo_images");
    }
    for name in snapshot.categories.iter().filter_map(|c| c.cover_image.as_deref()) {
        names.insert(name, "hobbycategory_images");
    }
    names
}

/// Copies the referenced files from `dir` (on a dry run only reads them); without a
/// directory, only counts the references.
pub async fn copy(
    snapshot: &Snapshot,
    dir: Option<&Path>,
    sink: &impl MediaSink,
    dry_run: bool,
) -> Result<(Renames, MediaReport)> {
    let names = referenced(snapshot);
    let mut report = MediaReport { referenced: names.len(), from_directory: dir.is_some(), ..Default::default() };
    let mut renames = Renames::new();
    let Some(dir) = dir else {
        return Ok((renames, report));
    };
    let root = tokio::fs::canonicalize(dir).await.with_context(|| format!("cannot read {}", dir.display()))?;
    let mut seen = BTreeSet::new();
    for (name, folder) in names {
        let bytes = match read_inside(&root, name, sink.max_bytes()).await {
            Ok(bytes) => bytes,
            Err(reason) => {
                report.missing.push(format!("{name}: {reason}"));
                continue;
            }
        };
        let new_name = hp_domain::media::content_name(folder, &bytes, &extension(name));
        if !dry_run && seen.insert(new_name.clone()) {
            sink.put(&new_name, bytes).await?;
        }
        report.copied += 1;
        renames.insert(name.to_owned(), new_name);
    }
    Ok((renames, report))
}

/// The file `name` under `root`, if it is one: names come from the old database, so one that
/// leads out of the directory (by `..` or a link) is not read, nor one above the size limit.
async fn read_inside(root: &Path, name: &str, max_bytes: u64) -> std::result::Result<Vec<u8>, String> {
    let relative = Path::new(name);
    if relative.is_absolute() || relative.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
        return Err("not a path inside the media directory".into());
    }
    let path = tokio::fs::canonicalize(root.join(relative)).await.map_err(|e| e.to_string())?;
    if !path.starts_with(root) {
        return Err("leads outside the media directory".into());
    }
    let size = tokio::fs::metadata(&path).await.map_err(|e| e.to_string())?.len();
    if size > max_bytes {
        return Err(format!("{size} bytes, above the image size limit of {max_bytes}"));
    }
    tokio::fs::read(&path).await.map_err(|e| e.to_string())
}

/// The file's extension in lower case, reduced to letters and digits (`/media/` picks the
/// content type by it).
fn extension(name: &str) -> String {
    let extension: String = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match extension.as_str() {
        "" => "bin".to_owned(),
        "jpeg" => "jpg".to_owned(),
        _ => extension,
    }
}
