//! The image files the copied rows refer to: read from the old deployment's media directory
//! and put into this service's store under content-derived names (which `/media/` needs to
//! serve them as immutable); the rows are then written with the new names. A missing or
//! unreadable file is reported and its row keeps the old name, as the original showed it.

use super::source::Snapshot;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::path::Path;

/// Where copied images go (the service's media store).
pub trait MediaSink: Sync {
    fn put(&self, name: &str, bytes: Vec<u8>) -> impl Future<Output = Result<()>> + Send;
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
    let mut seen = BTreeSet::new();
    for (name, folder) in names {
        // The names come from the old database: one that climbs out of the directory is
        // not read.
        let relative = Path::new(name);
        if relative.is_absolute() || relative.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            report.missing.push(format!("{name}: not a path inside the media directory"));
            continue;
        }
        let bytes = match tokio::fs::read(dir.join(relative)).await {
            Ok(bytes) => bytes,
            Err(error) => {
                report.missing.push(format!("{name}: {error}"));
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
