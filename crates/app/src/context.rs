//! What every use case can reach: the database, the clock, the image store, the geocoder,
//! the cached category tree and the bounds on expensive work.

use crate::geocoding::Geocoder;
use crate::images::ImageLimits;
use crate::media::MediaStore;
use crate::passwords::PasswordWork;
use hp_db::category_tree::CategoryCache;
use hp_db::Db;
use hp_domain::time::Clock;
use std::sync::Arc;
use std::time::Duration;

/// Settings of the application that the operator chooses.
#[derive(Debug, Clone, Copy)]
pub struct AppSettings {
    /// Limits of uploaded cover images.
    pub image_limits: ImageLimits,
    /// Passwords hashed (or verified) at once in this process.
    pub concurrent_hashes: usize,
    /// How long password work waits for its turn before it is refused as busy.
    pub hash_wait: Duration,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self { image_limits: ImageLimits::default(), concurrent_hashes: 4, hash_wait: Duration::from_secs(10) }
    }
}

/// The application: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub clock: Clock,
    pub media: MediaStore,
    /// Geocoding of new locations without coordinates; off when not configured.
    pub geocoder: Option<Arc<Geocoder>>,
    /// The category tree, checked against the database on every use.
    pub categories: Arc<CategoryCache>,
    pub image_limits: ImageLimits,
    /// The bound on password hashing, shared with sign-ins.
    pub passwords: Arc<PasswordWork>,
}

impl App {
    pub fn new(db: Db, clock: Clock, media: MediaStore, settings: AppSettings) -> Self {
        Self {
            db,
            clock,
            media,
            geocoder: None,
            categories: Arc::new(CategoryCache::new()),
            image_limits: settings.image_limits,
            passwords: Arc::new(PasswordWork::new(settings.concurrent_hashes, settings.hash_wait)),
        }
    }

    pub fn with_geocoder(mut self, geocoder: Geocoder) -> Self {
        self.geocoder = Some(Arc::new(geocoder));
        self
    }
}
