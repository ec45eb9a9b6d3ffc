//! Geocoding of new locations through a Google-Geocoding-compatible HTTP API (api.md 4.5):
//! `GET <url>?key=…&address=…` answering `{"status": "OK", "results": [{"geometry":
//! {"location": {"lat": …, "lng": …}}}]}`. Every failure (status, network, JSON) is the
//! same 400 for the client, and is logged.

use hp_domain::geo::Point;
use serde_json::Value;
use std::time::Duration;

pub const GOOGLE_GEOCODING_URL: &str = "https://maps.googleapis.com/maps/api/geocode/json";

/// `Debug` hides the API key.
#[derive(Clone)]
pub struct Geocoder {
    url: String,
    api_key: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for Geocoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Geocoder").field("url", &self.url).finish_non_exhaustive()
    }
}

impl Geocoder {
    pub fn new(url: impl Into<String>, api_key: impl Into<String>) -> Self {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("HTTP client");
        Self { url: url.into(), api_key: api_key.into(), client }
    }

    /// The point of an address string, or `None` when it cannot be geocoded.
    pub async fn locate(&self, address: &str) -> Option<Point> {
        let response =
            self.client.get(&self.url).query(&[("key", self.api_key.as_str()), ("address", address)]).send().await;
        let body: Value = match response {
            Ok(response) => match response.json().await {
                Ok(body) => body,
                Err(error) => {
                    tracing::warn!(%error, "geocoding answered something that is not JSON");
                    return None;
                }
            },
            Err(error) => {
                tracing::warn!(%error, "geocoding request failed");
                return None;
            }
        };
        if body.get("status").and_then(Value::as_str) != Some("OK") {
            tracing::info!(status = ?body.get("status"), "address could not be geocoded");
            return None;
        }
        let location = &body["results"][0]["geometry"]["location"];
        let point = Point::new(location["lng"].as_f64()?, location["lat"].as_f64()?);
        ((-180.0..=180.0).contains(&point.lon) && (-90.0..=90.0).contains(&point.lat)).then_some(point)
    }
}

/// The address string the original built: `"<address>,+<zip_code>+<city>"`.
pub fn address_query(address: &str, zip_code: &str, city: &str) -> String {
    format!("{address},+{zip_code}+{city}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_hides_the_api_key() {
        let shown = format!("{:?}", super::Geocoder::new("http://127.0.0.1:1/geocode", "geocoding-key-1"));
        assert!(!shown.contains("geocoding-key-1") && shown.contains("127.0.0.1:1/geocode"), "{shown}");
    }
}
