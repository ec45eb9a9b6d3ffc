//! The geocoding service: taken by `serve` (new locations without coordinates) and by
//! `geocode-locations`.

use super::secret::Secret;
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct GeocodingArgs {
    /// API key of the geocoding service; without it locations are not geocoded.
    #[arg(long, env = "HARRASTUSPASSI_GEOCODING_API_KEY", hide_env_values = true)]
    pub geocoding_api_key: Option<Secret>,

    /// Geocoding endpoint (Google Geocoding API compatible).
    #[arg(long, env = "HARRASTUSPASSI_GEOCODING_URL", default_value = hp_app::geocoding::GOOGLE_GEOCODING_URL)]
    pub geocoding_url: String,
}

impl GeocodingArgs {
    pub fn geocoder(&self) -> Option<hp_app::geocoding::Geocoder> {
        self.geocoding_api_key
            .as_ref()
            .and_then(Secret::non_empty)
            .map(|key| hp_app::geocoding::Geocoder::new(&self.geocoding_url, key))
    }
}
