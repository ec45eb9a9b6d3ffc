//! `harrastuspassi import-django`: the command line of moving a Django deployment over (see
//! `hp_importers::django`), with its media files and, optionally, its JWT signing key.

use crate::config::{DataArgs, ImageArgs, JwtSecretArgs, MediaArgs};
use crate::import_cli::MediaImages;
use anyhow::Result;
use hp_db::Db;
use hp_domain::time::Clock;
use hp_importers::django;
use std::path::PathBuf;

/// No `Debug`: it holds the old deployment's SECRET_KEY and maybe a password in `--from`.
#[derive(clap::Args)]
pub struct ImportDjangoArgs {
    /// The Django database, postgres://user@host/database. It is only read. A password is
    /// best given by PGPASSWORD or ~/.pgpass rather than in the URL.
    #[arg(long = "from", value_name = "URL")]
    pub from: String,
    /// Do everything and report, then roll back; no file is copied and no secret written.
    #[arg(long)]
    pub dry_run: bool,
    /// Delete everything this service holds first, instead of refusing a non-empty target.
    #[arg(long)]
    pub replace: bool,
    /// The old deployment's MEDIA_ROOT: the images the rows refer to are copied into this
    /// service's image store. Missing files are reported, not fatal.
    #[arg(long, value_name = "DIR")]
    pub media_from: Option<PathBuf>,
    /// The old deployment's SECRET_KEY: becomes the JWT secret, so that access and refresh
    /// tokens it issued stay valid until they expire. The environment variable keeps it out
    /// of the process list and the shell history.
    #[arg(long, value_name = "SECRET_KEY", env = "HARRASTUSPASSI_DJANGO_SECRET_KEY", hide_env_values = true)]
    pub jwt_secret_from_django: Option<String>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub media: MediaArgs,
    #[command(flatten)]
    pub images: ImageArgs,
    /// The configured JWT secret, which must be the old one when set.
    #[command(flatten)]
    pub jwt: JwtSecretArgs,
}

impl django::MediaSink for MediaImages {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<()> {
        Ok(self.media.put(name, bytes.into()).await?)
    }

    fn max_bytes(&self) -> u64 {
        self.limits.max_bytes as u64
    }
}

pub async fn run(db: &Db, images: &MediaImages, args: ImportDjangoArgs) -> Result<String> {
    let (data, jwt) = (&args.data, &args.jwt);
    // A configured secret that differs is found before anything is written.
    if let Some(secret) = &args.jwt_secret_from_django {
        jwt.adopt_jwt_secret(data, secret, false)?;
    }
    let clock = Clock::system();
    let options = django::Options {
        from: args.from.clone(),
        dry_run: args.dry_run,
        replace: args.replace,
        media_from: args.media_from.clone(),
    };
    let report = django::import(db, &options, images, clock.today(), clock.now()).await?;
    let mut out = report.to_string();
    if let Some(secret) = &args.jwt_secret_from_django {
        match jwt.adopt_jwt_secret(data, secret, !args.dry_run) {
            Ok(said) => out.push_str(&said),
            // The import is committed: say so with the report, and what is left to do.
            Err(error) => anyhow::bail!("{out}The import is committed, but the JWT secret was not kept: {error:#}"),
        }
        if !args.dry_run {
            out.push_str("\nRestart running servers of this service: they read the JWT secret when they start.");
        }
        out.push('\n');
    }
    Ok(out)
}
