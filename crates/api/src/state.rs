//! What every handler can reach: the application (database, clock, images, category tree),
//! the API's configuration, the JWT keys, the metrics and the sign-in throttle.

use crate::auth::jwt::JwtSettings;
use chrono::Duration;
use hp_app::geocoding::Geocoder;
use hp_app::images::ImageLimits;
use hp_app::media::MediaStore;
use hp_app::{App, AppSettings};
use hp_db::Db;
use hp_domain::time::Clock;
use std::sync::Arc;

/// Settings of the API that the operator chooses. `Debug` hides the metrics token.
#[derive(Clone)]
pub struct ApiConfig {
    /// Origins allowed to make credentialed cross-origin calls (the web UI).
    pub cors_allowed_origins: Vec<String>,
    /// Where images are served from when not from this service's `/media/`
    /// (e.g. a public S3 bucket), ending without a slash.
    pub media_public_base_url: Option<String>,
    /// Where a login without `next` goes (the web UI's address in production).
    pub login_redirect: String,
    pub session_lifetime: Duration,
    /// Mark cookies `Secure` (the service is reached over https).
    pub secure_cookies: bool,
    /// Limits of uploaded cover images.
    pub image_limits: ImageLimits,
    /// When set, `/metrics` answers only `Authorization: Bearer <this>`.
    pub metrics_token: Option<String>,
    /// Host names served, and the proxies whose forwarding headers are believed.
    pub hosts: crate::origin::HostPolicy,
    /// Brute-force protection of sign-ins and the bound on password hashing.
    pub login_throttle: crate::auth::throttle::LoginThrottleSettings,
    /// Logs the query parameters and body fields every request reads. Only the test of the
    /// API description sets it, to compare what is documented with what is read.
    pub read_log: Option<crate::read_log::ReadLog>,
    /// Bytes of anonymous answers the response cache keeps; 0 keeps none.
    pub response_cache_bytes: usize,
    /// `max-age` of anonymous answers.
    pub public_max_age_seconds: u32,
    /// The license the change feed announces.
    pub feed_license: String,
}

impl std::fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiConfig")
            .field("cors_allowed_origins", &self.cors_allowed_origins)
            .field("media_public_base_url", &self.media_public_base_url)
            .field("login_redirect", &self.login_redirect)
            .field("session_lifetime", &self.session_lifetime)
            .field("secure_cookies", &self.secure_cookies)
            .field("image_limits", &self.image_limits)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "[redacted]"))
            .field("hosts", &self.hosts)
            .field("login_throttle", &self.login_throttle)
            .field("read_log", &self.read_log.is_some())
            .field("response_cache_bytes", &self.response_cache_bytes)
            .field("public_max_age_seconds", &self.public_max_age_seconds)
            .field("feed_license", &self.feed_license)
            .finish()
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            cors_allowed_origins: vec!["http://localhost:3000".into()],
            media_public_base_url: None,
            login_redirect: "/api/".into(),
            session_lifetime: Duration::weeks(2),
            secure_cookies: false,
            image_limits: ImageLimits::default(),
            metrics_token: None,
            hosts: crate::origin::HostPolicy::default(),
            login_throttle: crate::auth::throttle::LoginThrottleSettings::default(),
            read_log: None,
            response_cache_bytes: 64 * 1024 * 1024,
            public_max_age_seconds: 60,
            feed_license: "https://creativecommons.org/licenses/by/4.0/".into(),
        }
    }
}

impl ApiConfig {
    /// What of these settings the application layer applies.
    pub fn app_settings(&self) -> AppSettings {
        AppSettings {
            image_limits: self.image_limits,
            concurrent_hashes: self.login_throttle.concurrent_hashes,
            hash_wait: self.login_throttle.hash_wait,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    /// The use cases and what they reach.
    pub app: App,
    pub config: Arc<ApiConfig>,
    pub jwt: Arc<JwtSettings>,
    pub metrics: Arc<crate::metrics::Metrics>,
    pub login: Arc<crate::auth::throttle::LoginThrottle>,
}

impl AppState {
    pub fn new(db: Db, clock: Clock, config: ApiConfig, jwt: JwtSettings, media: MediaStore) -> Self {
        Self {
            app: App::new(db, clock, media, config.app_settings()),
            login: Arc::new(crate::auth::throttle::LoginThrottle::new(config.login_throttle.clone())),
            config: Arc::new(config),
            jwt: Arc::new(jwt),
            metrics: Arc::new(crate::metrics::Metrics::new()),
        }
    }

    pub fn with_geocoder(mut self, geocoder: Geocoder) -> Self {
        self.app = self.app.with_geocoder(geocoder);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::ApiConfig;

    #[test]
    fn debug_of_the_api_config_hides_the_metrics_token() {
        let config = ApiConfig { metrics_token: Some("metrics-token-1".into()), ..ApiConfig::default() };
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("metrics-token-1") && shown.contains(r#"metrics_token: Some("[redacted]")"#),
            "{shown}"
        );
    }
}
