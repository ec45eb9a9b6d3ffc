//! `harrastuspassi import …`: the ontology, LIPAS and Linked Courses/Events importers from
//! the command line, with progress on stdout and a summary at the end.

use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use hp_app::images::{check_image_bounded, ImageLimits};
use hp_app::media::MediaStore;
use hp_db::Db;
use hp_importers::http::{FetchOptions, Fetcher};
use hp_importers::{linkedcourses, lipas, ontology};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// The category and/or audience trees from the ontology (the bundled copy by default).
    /// Idempotent: rows are matched by their YSO identifier under the same parent, a changed
    /// label is updated in place and the ids the API shows stay the same.
    Ontology {
        #[arg(long)]
        path: Option<PathBuf>,
        #[arg(long)]
        categories: bool,
        #[arg(long)]
        audiences: bool,
    },
    /// Sports places from LIPAS as locations, hobbies and year-long events. Runs in one
    /// transaction; places gone upstream are deleted (never all at once).
    Lipas {
        #[arg(long, env = "HARRASTUSPASSI_LIPAS_URL", default_value = lipas::DEFAULT_URL)]
        url: String,
        /// Also places not flagged for Harrastuspassi.
        #[arg(long)]
        non_hp: bool,
        /// Do everything, report, and roll back.
        #[arg(long)]
        dry_run: bool,
    },
    /// Events from Linked Courses / Linked Events as hobbies, events and locations. Differs
    /// from the original importer on purpose: hobbies are matched by their exact id (not by
    /// substring), a date-only time is that local date at 00:00 (not 02:00/03:00), only the
    /// standalone words "null"/"None" are removed from descriptions, `external_links` may be
    /// a list, and an event without a Finnish name is skipped instead of aborting the run.
    Linkedcourses {
        /// linked_courses, helmet, lippupiste or linkedevents (also the stored data_source).
        #[arg(long, default_value = "linked_courses")]
        source: String,
        /// Overrides the source's URL (HARRASTUSPASSI_LINKED_COURSES_URL etc. also do).
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
}

/// Imported images go to the service's media store, checked like uploads.
pub struct MediaImages {
    pub media: MediaStore,
    pub limits: ImageLimits,
}

impl linkedcourses::ImageStore for MediaImages {
    async fn store(&self, bytes: Vec<u8>, folder: &str) -> Result<String> {
        let limits = self.limits;
        let image =
            check_image_bounded(bytes, limits).await.map_err(|message| anyhow!("not a usable image: {message}"))?;
        let name = image.name(folder);
        self.media.put(&name, image.bytes.into()).await?;
        Ok(name)
    }
}

impl MediaImages {
    /// Deletes images that the import replaced, unless something still refers to them.
    pub async fn delete_unused(&self, db: &Db, names: &[String]) -> Result<usize> {
        let mut deleted = 0;
        for name in names {
            if !hp_db::maintenance::image_in_use(&mut db.conn().await?, name).await? {
                self.media.delete(name).await?;
                deleted += 1;
            }
        }
        Ok(deleted)
    }
}

/// The URL of a Linked source: `--url`, its environment variable, or its default.
pub fn linked_url(source: &str, url: Option<String>) -> Result<String> {
    let Some(default) = linkedcourses::default_url(source) else {
        bail!("unknown source {source:?}: use linked_courses, helmet, lippupiste or linkedevents");
    };
    let variable = match source {
        "linked_courses" => "HARRASTUSPASSI_LINKED_COURSES_URL",
        "helmet" => "HARRASTUSPASSI_HELMET_URL",
        "lippupiste" => "HARRASTUSPASSI_LIPPUPISTE_URL",
        _ => "HARRASTUSPASSI_LINKEDEVENTS_URL",
    };
    Ok(url.or_else(|| std::env::var(variable).ok().filter(|u| !u.is_empty())).unwrap_or_else(|| default.to_owned()))
}

pub async fn run(
    db: &Db,
    images: &MediaImages,
    now: chrono::DateTime<chrono::Utc>,
    command: ImportCommand,
) -> Result<String> {
    match command {
        ImportCommand::Ontology { path, categories, audiences } => {
            if !categories && !audiences {
                bail!("Specify --categories and/or --audiences to import ontologies.");
            }
            let reports = ontology::import(db, path.as_deref(), categories, audiences, now).await?;
            Ok(reports
                .iter()
                .map(|(tree, r)| {
                    format!("{tree}: {} created, {} updated, {} unchanged", r.created, r.updated, r.unchanged)
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        ImportCommand::Lipas { url, non_hp, dry_run } => {
            let fetcher = Fetcher::new(FetchOptions::default())?;
            let started = std::time::Instant::now();
            let report = lipas::run(db, &fetcher, &lipas::LipasOptions { url, non_hp, dry_run }, now).await?;
            Ok(format!("lipas: {report} in {:.1} s", started.elapsed().as_secs_f64()))
        }
        ImportCommand::Linkedcourses { source, url, dry_run } => {
            let url = linked_url(&source, url)?;
            let fetcher = Fetcher::new(FetchOptions::default())?;
            let started = std::time::Instant::now();
            let options = linkedcourses::LinkedOptions { source: source.clone(), url, dry_run };
            let report = linkedcourses::run(db, &fetcher, images, &options, now).await?;
            images.delete_unused(db, &report.replaced_images).await?;
            Ok(format!("{source}: {report} in {:.1} s", started.elapsed().as_secs_f64()))
        }
    }
}
