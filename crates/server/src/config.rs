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
    /// Database: `sqlite:path/to/file.db` or `postgres://…`. Default: `harrastuspassi.db` in
    /// the data directory (created if missing).
    #[arg(long = "database-url", env = "DATABASE_URL", global = true)]
    pub database_url_setting: Option<String>,

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

    /// Secret that signs JWTs; replicas must share it. Without it, one is generated once and
    /// kept in the data directory (`jwt-secret`).
    #[arg(long, env = "HARRASTUSPASSI_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,

    /// Lifetime of JWT access tokens in seconds (the original's: 5 hours).
    #[arg(long, env = "HARRASTUSPASSI_JWT_ACCESS_LIFETIME", default_value_t = 5 * 3600, value_parser = clap::value_parser!(i64).range(1..), global = true)]
    pub jwt_access_lifetime_seconds: i64,

    /// Lifetime of JWT refresh tokens in seconds (the original's: 1 day).
    #[arg(long, env = "HARRASTUSPASSI_JWT_REFRESH_LIFETIME", default_value_t = 24 * 3600, value_parser = clap::value_parser!(i64).range(1..), global = true)]
    pub jwt_refresh_lifetime_seconds: i64,

    /// Where a browser login without `next` goes (the web UI's address).
    #[arg(long, env = "HARRASTUSPASSI_LOGIN_REDIRECT", default_value = "/api/", global = true)]
    pub login_redirect: String,

    /// Mark session and CSRF cookies `Secure` (set when the service is reached over https).
    #[arg(long, env = "HARRASTUSPASSI_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub secure_cookies: bool,

    /// API key of the geocoding service; without it new locations are not geocoded.
    #[arg(long, env = "HARRASTUSPASSI_GEOCODING_API_KEY", hide_env_values = true, global = true)]
    pub geocoding_api_key: Option<String>,

    /// Geocoding endpoint (Google Geocoding API compatible).
    #[arg(long, env = "HARRASTUSPASSI_GEOCODING_URL", default_value = hp_app::geocoding::GOOGLE_GEOCODING_URL, global = true)]
    pub geocoding_url: String,

    /// Directory of uploaded images when no bucket is configured (default: `<data dir>/media`).
    #[arg(long, env = "HARRASTUSPASSI_MEDIA_DIR", global = true)]
    pub media_dir: Option<PathBuf>,

    /// S3 bucket for images (credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`).
    #[arg(long, env = "HARRASTUSPASSI_S3_BUCKET", global = true)]
    pub s3_bucket: Option<String>,

    /// Endpoint of an S3-compatible service (MinIO, Ceph, …); AWS when not given.
    #[arg(long, env = "HARRASTUSPASSI_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,

    #[arg(long, env = "HARRASTUSPASSI_S3_REGION", global = true)]
    pub s3_region: Option<String>,

    /// Allow a plain-http S3 endpoint (local test servers).
    #[arg(long, env = "HARRASTUSPASSI_S3_ALLOW_HTTP", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub s3_allow_http: bool,

    /// Largest request body in bytes (images come base64-encoded in JSON).
    #[arg(long, env = "HARRASTUSPASSI_MAX_BODY_BYTES", default_value_t = 16 * 1024 * 1024, global = true)]
    pub max_body_bytes: usize,

    /// Largest uploaded image in bytes (after base64 decoding).
    #[arg(long, env = "HARRASTUSPASSI_MAX_IMAGE_BYTES", default_value_t = 10 * 1024 * 1024, global = true)]
    pub max_image_bytes: usize,

    /// Largest width or height of an uploaded image in pixels.
    #[arg(long, env = "HARRASTUSPASSI_MAX_IMAGE_DIMENSION", default_value_t = 8192, global = true)]
    pub max_image_dimension: u32,

    /// Most pixels (width × height) of an uploaded image, checked from its header before it
    /// is decoded (decoding costs 4 bytes a pixel).
    #[arg(long, env = "HARRASTUSPASSI_MAX_IMAGE_PIXELS", default_value_t = 40_000_000, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub max_image_pixels: u64,

    /// Threads serving requests (default: one per CPU core).
    #[arg(long, env = "HARRASTUSPASSI_WORKERS", value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u16).range(1..=512), usize::from), global = true)]
    pub workers: Option<usize>,

    /// Seconds a request may take before it is answered 408 (and its work dropped).
    #[arg(long, env = "HARRASTUSPASSI_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub request_timeout_seconds: u64,

    /// Host names the service answers to (comma-separated, as Django's ALLOWED_HOSTS:
    /// `api.example.fi`, `.example.fi` for a domain and its subdomains, `*` for any). Without
    /// it only the loopback names are served, and a server listening on another address does
    /// not start.
    #[arg(long, env = "HARRASTUSPASSI_ALLOWED_HOSTS", value_delimiter = ',', global = true)]
    pub allowed_hosts: Vec<String>,

    /// Addresses or networks (comma-separated, `10.0.0.0/8`) of the proxies in front of the
    /// service: only from them are X-Forwarded-For, -Proto and -Host believed.
    #[arg(long, env = "HARRASTUSPASSI_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network, global = true)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Open connections at most; at the cap the connection idle the longest is closed.
    #[arg(long, env = "HARRASTUSPASSI_MAX_CONNECTIONS", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_connections: u32,

    /// Seconds a client has to send a request's head (also after a kept-alive connection goes
    /// idle).
    #[arg(long, env = "HARRASTUSPASSI_HEADER_READ_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub header_read_timeout_seconds: u64,

    /// Seconds an idle kept-alive connection stays open.
    #[arg(long, env = "HARRASTUSPASSI_KEEP_ALIVE_TIMEOUT", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub keep_alive_timeout_seconds: u64,

    /// Failed sign-ins of one username from one client address within the window before
    /// further attempts get 429.
    #[arg(long, env = "HARRASTUSPASSI_LOGIN_FAILURE_LIMIT", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub login_failure_limit: u32,

    /// Seconds failed sign-ins are counted for.
    #[arg(long, env = "HARRASTUSPASSI_LOGIN_FAILURE_WINDOW", default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub login_failure_window_seconds: u64,

    /// When set, `/metrics` answers only `Authorization: Bearer <this token>`.
    #[arg(long, env = "HARRASTUSPASSI_METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,

    /// Imports to run nightly: comma-separated `lipas`, `linked_courses`, `helmet`,
    /// `lippupiste`, `linkedevents` (their URLs from the HARRASTUSPASSI_*_URL variables).
    #[arg(long, env = "HARRASTUSPASSI_SCHEDULED_IMPORTS", value_delimiter = ',', global = true)]
    pub scheduled_imports: Vec<String>,

    /// Delete unreferenced images nightly.
    #[arg(long, env = "HARRASTUSPASSI_SCHEDULED_MEDIA_CLEAN", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub scheduled_media_clean: bool,

    /// Run the daily jobs in this process (each job runs on one replica a day).
    #[arg(long, env = "HARRASTUSPASSI_SCHEDULER", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub scheduler: bool,
}

impl Config {
    /// The configured database, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match self.database_url_setting.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => url.to_owned(),
            None => format!("sqlite:{}", self.data_dir.join("harrastuspassi.db").display()),
        }
    }

    pub fn db_options(&self) -> hp_db::DbOptions {
        let mut options = hp_db::DbOptions::new(self.database_url());
        options.max_connections = self.db_pool_size;
        options
    }

    /// The nightly jobs besides the next-event refresh.
    pub fn schedule(&self) -> anyhow::Result<crate::jobs::Schedule> {
        let mut imports = Vec::new();
        for source in self.scheduled_imports.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let url = if source == hp_importers::lipas::SOURCE {
                std::env::var("HARRASTUSPASSI_LIPAS_URL")
                    .ok()
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| hp_importers::lipas::DEFAULT_URL.into())
            } else {
                crate::import_cli::linked_url(source, None)?
            };
            imports.push(crate::jobs::ScheduledImport { source: source.to_owned(), url });
        }
        Ok(crate::jobs::Schedule { imports, media_clean: self.scheduled_media_clean })
    }

    pub fn serve_options(&self) -> crate::app::ServeOptions {
        let seconds = std::time::Duration::from_secs;
        crate::app::ServeOptions {
            max_body_bytes: self.max_body_bytes,
            request_timeout: seconds(self.request_timeout_seconds),
            connections: crate::connections::ConnectionLimits {
                max_connections: self.max_connections as usize,
                header_read_timeout: seconds(self.header_read_timeout_seconds),
                keep_alive_timeout: seconds(self.keep_alive_timeout_seconds),
                ..Default::default()
            },
        }
    }

    pub fn api_config(&self) -> hp_api::ApiConfig {
        hp_api::ApiConfig {
            cors_allowed_origins: self.cors_origins.iter().filter(|o| !o.trim().is_empty()).cloned().collect(),
            media_public_base_url: self.media_public_url.as_ref().map(|u| u.trim_end_matches('/').to_owned()),
            login_redirect: self.login_redirect.clone(),
            secure_cookies: self.secure_cookies,
            metrics_token: self.metrics_token.clone().filter(|t| !t.is_empty()),
            image_limits: hp_app::images::ImageLimits {
                max_bytes: self.max_image_bytes,
                max_dimension: self.max_image_dimension,
                max_pixels: self.max_image_pixels,
                ..hp_app::images::ImageLimits::default()
            },
            hosts: hp_api::HostPolicy {
                allowed_hosts: self
                    .allowed_hosts
                    .iter()
                    .map(|h| h.trim().to_owned())
                    .filter(|h| !h.is_empty())
                    .collect(),
                trusted_proxies: self.trusted_proxies.clone(),
            },
            login_throttle: hp_api::LoginThrottleSettings {
                failures: hp_domain::sign_in_limits::SignInLimits {
                    per_username_and_client: i64::from(self.login_failure_limit),
                    window: chrono::Duration::seconds(self.login_failure_window_seconds as i64),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..hp_api::ApiConfig::default()
        }
    }

    /// Refuses to serve on a non-loopback address without allowed hosts: a public server
    /// would otherwise answer to any `Host` (and put it into links).
    pub fn check_serving(&self) -> anyhow::Result<()> {
        let loopback = matches!(self.host.as_str(), "127.0.0.1" | "::1" | "localhost")
            || self.host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if !loopback && self.allowed_hosts.iter().all(|h| h.trim().is_empty()) {
            anyhow::bail!(
                "listening on {} needs HARRASTUSPASSI_ALLOWED_HOSTS (--allowed-hosts): the host names clients use \
                 to reach this service, e.g. api.example.fi",
                self.host
            );
        }
        Ok(())
    }

    /// The JWT secret: configured, or generated once and kept in the data directory.
    pub fn jwt_secret(&self) -> std::io::Result<Vec<u8>> {
        if let Some(secret) = self.jwt_secret.as_ref().filter(|s| !s.is_empty()) {
            return Ok(secret.as_bytes().to_vec());
        }
        let path = self.data_dir.join("jwt-secret");
        match std::fs::read_to_string(&path) {
            Ok(secret) if !secret.trim().is_empty() => Ok(secret.trim().as_bytes().to_vec()),
            _ => {
                std::fs::create_dir_all(&self.data_dir)?;
                let secret = hp_domain::tokens::generate_secret();
                write_private(&path, &secret)?;
                if self.database_url().starts_with("postgres") {
                    tracing::warn!(
                        "generated a JWT secret in {}: replicas must share one (HARRASTUSPASSI_JWT_SECRET)",
                        path.display()
                    );
                }
                Ok(secret.into_bytes())
            }
        }
    }

    /// Makes `secret` the JWT secret (moving a Django deployment over, whose tokens are signed
    /// with its SECRET_KEY): kept in the data directory unless one is configured, in which
    /// case the configured one must already be it. With `write` false only checks. Says where
    /// it is; never prints it.
    pub fn adopt_jwt_secret(&self, secret: &str, write: bool) -> anyhow::Result<String> {
        if secret.is_empty() {
            anyhow::bail!("the Django SECRET_KEY is empty");
        }
        if secret.trim() != secret {
            // The kept file is read trimmed: such a key would silently become another one.
            anyhow::bail!(
                "the Django SECRET_KEY starts or ends with whitespace: set HARRASTUSPASSI_JWT_SECRET to it instead"
            );
        }
        if let Some(configured) = self.jwt_secret.as_ref().filter(|s| !s.is_empty()) {
            if configured != secret {
                anyhow::bail!(
                    "HARRASTUSPASSI_JWT_SECRET is set and is not the Django SECRET_KEY: set it to the SECRET_KEY \
                     on every replica (or unset it) so that tokens of the old deployment stay valid"
                );
            }
            return Ok("JWTs of the old deployment stay valid: HARRASTUSPASSI_JWT_SECRET is its SECRET_KEY".into());
        }
        let path = self.data_dir.join("jwt-secret");
        if !write {
            return Ok(format!("The Django SECRET_KEY would become the JWT secret in {}", path.display()));
        }
        std::fs::create_dir_all(&self.data_dir)?;
        // Written aside and renamed, so that a server starting meanwhile reads one whole key.
        let fresh = self.data_dir.join("jwt-secret.new");
        match std::fs::remove_file(&fresh) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error.into()),
            _ => write_private(&fresh, secret)?,
        }
        std::fs::rename(&fresh, &path)?;
        Ok(format!(
            "JWTs of the old deployment stay valid: the Django SECRET_KEY is the JWT secret in {} \
             (replicas on other machines need it as HARRASTUSPASSI_JWT_SECRET)",
            path.display()
        ))
    }

    /// The image store: an S3 bucket when configured, else a local directory.
    pub fn media_store(&self) -> Result<hp_app::media::MediaStore, hp_app::media::MediaError> {
        match &self.s3_bucket {
            Some(bucket) => hp_app::media::MediaStore::s3(&hp_app::media::S3Settings {
                bucket: bucket.clone(),
                endpoint: self.s3_endpoint.clone(),
                region: self.s3_region.clone(),
                allow_http: self.s3_allow_http,
                ..Default::default()
            }),
            None => {
                hp_app::media::MediaStore::local(self.media_dir.clone().unwrap_or_else(|| self.data_dir.join("media")))
            }
        }
    }

    pub fn geocoder(&self) -> Option<hp_app::geocoding::Geocoder> {
        self.geocoding_api_key
            .as_ref()
            .filter(|key| !key.is_empty())
            .map(|key| hp_app::geocoding::Geocoder::new(&self.geocoding_url, key))
    }

    /// Creates the directory of a relative SQLite file so that a fresh clone just runs.
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

/// Writes a file only its owner can read.
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}

/// An address (`10.0.0.1`, a network of one) or a network (`10.0.0.0/8`).
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{text:?} is not an IP address or network (like 10.0.0.0/8)"))
}
