//! What every handler can reach: the database, the clock and the configuration.

use hp_db::category_tree::CategoryCache;
use hp_db::Db;
use hp_domain::time::Clock;
use std::sync::Arc;

/// Settings of the API that the operator chooses.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Origins allowed to make credentialed cross-origin calls (the web UI).
    pub cors_allowed_origins: Vec<String>,
    /// Where images are served from when not from this service's `/media/`
    /// (e.g. a public S3 bucket), ending without a slash.
    pub media_public_base_url: Option<String>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self { cors_allowed_origins: vec!["http://localhost:3000".into()], media_public_base_url: None }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    pub config: Arc<ApiConfig>,
    /// The category tree, checked against the database on every use.
    pub categories: Arc<CategoryCache>,
}

impl AppState {
    pub fn new(db: Db, clock: Clock, config: ApiConfig) -> Self {
        Self { db, clock, config: Arc::new(config), categories: Arc::new(CategoryCache::new()) }
    }
}
