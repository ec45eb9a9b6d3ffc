//! Configuration from flags and environment variables, with defaults that make a fresh clone
//! run (`cargo run --release`: SQLite under `./data/`, 127.0.0.1:8000).
//!
//! Options come in groups so that each command takes only those it uses: [`DataArgs`] for
//! every command that opens the database, [`MediaArgs`] and [`ImageArgs`] for those that
//! store images, and [`Config`], everything `serve` needs, for the server.

mod data;
mod geocoding;
mod jwt;
mod media;
mod secret;

pub use data::DataArgs;
pub use geocoding::GeocodingArgs;
pub use jwt::JwtSecretArgs;
pub use media::{ImageArgs, MediaArgs};
pub use secret::Secret;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// What `serve` takes. `Debug` shows no secret: keys and tokens are [`Secret`]s and the
/// database URL's password is redacted.
#[derive(Debug, Clone, Args)]
pub struct Config {
    #[command(flatten)]
    pub data: DataArgs,

    #[command(flatten)]
    pub media: MediaArgs,

    #[command(flatten)]
    pub images: ImageArgs,

    #[command(flatten)]
    pub geocoding: GeocodingArgs,

    #[command(flatten)]
    pub jwt: JwtSecretArgs,

    /// Address to listen on.
    #[arg(long, env = "HARRASTUSPASSI_HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// Port to listen on.
    #[arg(long, env = "HARRASTUSPASSI_PORT", default_value_t = 8000)]
    pub port: u16,

    /// Database connections per process (PostgreSQL; SQLite readers).
    #[arg(long, env = "HARRASTUSPASSI_DB_POOL_SIZE", default_value_t = 8)]
    pub db_pool_size: u32,

    /// Origins of the web UI allowed to call the API with credentials (comma-separated).
    #[arg(long, env = "HARRASTUSPASSI_CORS_ORIGINS", value_delimiter = ',', default_value = "http://localhost:3000")]
    pub cors_origins: Vec<String>,

    /// Public base URL of images when a bucket serves them itself (else `/media/` here).
    #[arg(long, env = "HARRASTUSPASSI_MEDIA_PUBLIC_URL")]
    pub media_public_url: Option<String>,

    /// Lifetime of JWT access tokens in seconds (the original's: 5 hours).
    #[arg(long, env = "HARRASTUSPASSI_JWT_ACCESS_LIFETIME", default_value_t = 5 * 3600, value_parser = clap::value_parser!(i64).range(1..))]
    pub jwt_access_lifetime_seconds: i64,

    /// Lifetime of JWT refresh tokens in seconds (the original's: 1 day).
    #[arg(long, env = "HARRASTUSPASSI_JWT_REFRESH_LIFETIME", default_value_t = 24 * 3600, value_parser = clap::value_parser!(i64).range(1..))]
    pub jwt_refresh_lifetime_seconds: i64,

    /// Where a browser login without `next` goes (the web UI's address).
    #[arg(long, env = "HARRASTUSPASSI_LOGIN_REDIRECT", default_value = "/api/")]
    pub login_redirect: String,

    /// Mark session and CSRF cookies `Secure` (set when the service is reached over https).
    #[arg(long, env = "HARRASTUSPASSI_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,

    /// Largest request body in bytes (images come base64-encoded in JSON).
    #[arg(long, env = "HARRASTUSPASSI_MAX_BODY_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Threads serving requests (default: one per CPU core).
    #[arg(long, env = "HARRASTUSPASSI_WORKERS", value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u16).range(1..=512), usize::from))]
    pub workers: Option<usize>,

    /// Seconds a request may take before it is answered 408 (and its work dropped).
    #[arg(long, env = "HARRASTUSPASSI_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout_seconds: u64,

    /// Host names the service answers to (comma-separated, as Django's ALLOWED_HOSTS:
    /// `api.example.fi`, `.example.fi` for a domain and its subdomains, `*` for any). Without
    /// it only the loopback names are served, and a server listening on another address does
    /// not start.
    #[arg(long, env = "HARRASTUSPASSI_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,

    /// Addresses or networks (comma-separated, `10.0.0.0/8`) of the proxies in front of the
    /// service: only from them are X-Forwarded-For, -Proto and -Host believed.
    #[arg(long, env = "HARRASTUSPASSI_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Open connections at most; at the cap the connection idle the longest is closed.
    #[arg(long, env = "HARRASTUSPASSI_MAX_CONNECTIONS", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Seconds a client has to send a request's head (also after a kept-alive connection goes
    /// idle).
    #[arg(long, env = "HARRASTUSPASSI_HEADER_READ_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_seconds: u64,

    /// Seconds an idle kept-alive connection stays open.
    #[arg(long, env = "HARRASTUSPASSI_KEEP_ALIVE_TIMEOUT", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub keep_alive_timeout_seconds: u64,

    /// Failed sign-ins of one username from one client address within the window before
    /// further attempts get 429.
    #[arg(long, env = "HARRASTUSPASSI_LOGIN_FAILURE_LIMIT", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_failure_limit: u32,

    /// Seconds failed sign-ins are counted for.
    #[arg(long, env = "HARRASTUSPASSI_LOGIN_FAILURE_WINDOW", default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..))]
    pub login_failure_window_seconds: u64,

    /// Bytes of anonymous answers kept in memory (least recently used go first); 0 keeps none.
    #[arg(long, env = "HARRASTUSPASSI_RESPONSE_CACHE_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub response_cache_bytes: usize,

    /// Seconds shared caches and clients may reuse an anonymous answer (`Cache-Control: public, max-age`).
    #[arg(long, env = "HARRASTUSPASSI_PUBLIC_MAX_AGE", default_value_t = 60)]
    pub public_max_age_seconds: u32,

    /// Days the change feed keeps the tombstones of deleted objects.
    #[arg(long, env = "HARRASTUSPASSI_TOMBSTONE_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub tombstone_days: u32,

    /// The license the change feed announces for the catalogue's data.
    #[arg(long, env = "HARRASTUSPASSI_FEED_LICENSE", default_value = "https://creativecommons.org/licenses/by/4.0/")]
    pub feed_license: String,

    /// When set, `/metrics` answers only `Authorization: Bearer <this token>`.
    #[arg(long, env = "HARRASTUSPASSI_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<Secret>,

    /// Imports to run nightly: comma-separated `lipas`, `linked_courses`, `helmet`,
    /// `lippupiste`, `linkedevents` (their URLs from the HARRASTUSPASSI_*_URL variables).
    #[arg(long, env = "HARRASTUSPASSI_SCHEDULED_IMPORTS", value_delimiter = ',')]
    pub scheduled_imports: Vec<String>,

    /// Delete unreferenced images nightly.
    #[arg(long, env = "HARRASTUSPASSI_SCHEDULED_MEDIA_CLEAN", default_value_t = false, action = clap::ArgAction::Set)]
    pub scheduled_media_clean: bool,

    /// Run the daily jobs in this process (each job runs on one replica a day).
    #[arg(long, env = "HARRASTUSPASSI_SCHEDULER", default_value_t = true, action = clap::ArgAction::Set)]
    pub scheduler: bool,
}

impl Config {
    pub fn db_options(&self) -> hp_db::DbOptions {
        let mut options = self.data.db_options();
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
        Ok(crate::jobs::Schedule {
            imports,
            media_clean: self.scheduled_media_clean,
            tombstone_days: self.tombstone_days,
        })
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
            metrics_token: self.metrics_token.as_ref().and_then(Secret::non_empty).map(str::to_owned),
            image_limits: self.images.limits(),
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
            response_cache_bytes: self.response_cache_bytes,
            public_max_age_seconds: self.public_max_age_seconds,
            feed_license: self.feed_license.clone(),
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

    /// The image store.
    pub fn media_store(&self) -> Result<hp_app::media::MediaStore, hp_app::media::MediaError> {
        self.media.media_store(&self.data.data_dir)
    }
}

/// An address (`10.0.0.1`, a network of one) or a network (`10.0.0.0/8`).
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{text:?} is not an IP address or network (like 10.0.0.0/8)"))
}

#[cfg(test)]
mod tests {
    use super::Config;
    use clap::Parser;

    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        config: Config,
    }

    #[test]
    fn debug_shows_no_secret() {
        let config = Serve::parse_from([
            "serve",
            "--database-url=postgres://hp:db-password-1@db.internal/hp",
            "--jwt-secret=jwt-secret-1",
            "--metrics-token=metrics-token-1",
            "--geocoding-api-key=geocoding-key-1",
        ])
        .config;
        let shown = format!("{config:?}");
        for secret in ["db-password-1", "jwt-secret-1", "metrics-token-1", "geocoding-key-1"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("postgres://hp:[redacted]@db.internal/hp"), "{shown}");
        assert!(shown.contains("port: 8000"), "{shown}");
    }
}
