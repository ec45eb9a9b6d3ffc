//! Configuration from flags and environment variables, with defaults that make a fresh clone
//! run (`cargo run --release`: SQLite under `./data/`, 127.0.0.1:8000).

use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database: `sqlite:path/to/file.db` (default, created if missing) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:data/harrastuspassi.db", global = true)]
    pub database_url: String,

    /// Directory for the SQLite file, generated secrets and local media.
    #[arg(long, env = "HARRASTUSPASSI_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Address to listen on.
    #[arg(long, env = "HARRASTUSPASSI_HOST", default_value = "127.0.0.1", global = true)]
    pub host: String,

    /// Port to listen on.
    #[arg(long, env = "HARRASTUSPASSI_PORT", default_value_t = 8000, global = true)]
    pub port: u16,

    /// Database connections per process (PostgreSQL; SQLite readers).
    #[arg(long, env = "HARRASTUSPASSI_DB_POOL_SIZE", default_value_t = 8, global = true)]
    pub db_pool_size: u32,

    /// Origins of the web UI allowed to call the API with credentials (comma-separated).
    #[arg(
        long,
        env = "HARRASTUSPASSI_CORS_ORIGINS",
        value_delimiter = ',',
        default_value = "http://localhost:3000",
        global = true
    )]
    pub cors_origins: Vec<String>,

    /// Public base URL of images when a bucket serves them itself (else `/media/` here).
    #[arg(long, env = "HARRASTUSPASSI_MEDIA_PUBLIC_URL", global = true)]
    pub media_public_url: Option<String>,

    /// Log output: human-readable or one JSON object per line.
    #[arg(long, env = "HARRASTUSPASSI_LOG_FORMAT", value_enum, default_value = "pretty", global = true)]
    pub log_format: LogFormat,

    /// Run the daily next-event refresh in this process.
    #[arg(long, env = "HARRASTUSPASSI_SCHEDULER", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub scheduler: bool,
}

impl Config {
    pub fn db_options(&self) -> hp_db::DbOptions {
        let mut options = hp_db::DbOptions::new(&self.database_url);
        options.max_connections = self.db_pool_size;
        options
    }

    pub fn api_config(&self) -> hp_api::ApiConfig {
        hp_api::ApiConfig {
            cors_allowed_origins: self.cors_origins.iter().filter(|o| !o.trim().is_empty()).cloned().collect(),
            media_public_base_url: self.media_public_url.as_ref().map(|u| u.trim_end_matches('/').to_owned()),
        }
    }

    /// Creates the directory of a relative SQLite file so that a fresh clone just runs.
    pub fn prepare_data_dir(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.data_dir)?;
        if let Some(path) = self.database_url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//").split('?').next().unwrap_or("");
            if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
        }
        Ok(())
    }
}
