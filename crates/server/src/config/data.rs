//! Where the data lives: the database and the data directory. Every command that opens the
//! database takes these (as options of the command itself and of its subcommands).

use clap::Args;
use std::path::PathBuf;

#[derive(Clone, Args)]
pub struct DataArgs {
    /// Database: `sqlite:path/to/file.db` or `postgres://…`. Default: `harrastuspassi.db` in
    /// the data directory (created if missing).
    #[arg(long = "database-url", value_name = "URL", env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url_setting: Option<String>,

    /// Directory for the SQLite file, generated secrets and local media.
    #[arg(long, env = "HARRASTUSPASSI_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
}

impl DataArgs {
    /// The configured database, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match self.database_url_setting.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => url.to_owned(),
            None => format!("sqlite:{}", self.data_dir.join("harrastuspassi.db").display()),
        }
    }

    /// Connection settings with the default pool size (only `serve` chooses another).
    pub fn db_options(&self) -> hp_db::DbOptions {
        hp_db::DbOptions::new(self.database_url())
    }

    /// Creates the data directory, and that of a relative SQLite file, so that a fresh clone
    /// just runs.
    pub fn prepare_data_dir(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.data_dir)?;
        let url = self.database_url();
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//").split('?').next().unwrap_or("");
            if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for DataArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A PostgreSQL URL may carry the password.
        let url = self.database_url_setting.as_deref().map(hp_db::redact_password);
        f.debug_struct("DataArgs").field("database_url", &url).field("data_dir", &self.data_dir).finish()
    }
}
