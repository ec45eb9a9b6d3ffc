//! Fetching upstream JSON: a timeout per request, retries with exponential backoff on
//! network errors, timeouts and 5xx answers, and a clear error (never a panic) for other
//! statuses and for malformed JSON.

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub timeout: Duration,
    /// Attempts after the first.
    pub retries: u32,
    /// Wait before the first retry; doubled for each next one.
    pub backoff: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(15), retries: 3, backoff: Duration::from_millis(500) }
    }
}

/// An HTTP client for importers.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    options: FetchOptions,
}

/// An answer worth retrying (the upstream may recover) or not.
enum Failure {
    Transient(anyhow::Error),
    Permanent(anyhow::Error),
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .user_agent(concat!("harrastuspassi/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Self { client, options })
    }

    async fn attempt(&self, url: &str, query: &[(&str, String)]) -> Result<bytes::Bytes, Failure> {
        let response = self
            .client
            .get(url)
            .query(query)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| Failure::Transient(anyhow!("GET {url}: {e}")))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| Failure::Transient(anyhow!("GET {url}: {e}")))?;
        if status.is_server_error() {
            return Err(Failure::Transient(anyhow!("GET {url}: HTTP {status}")));
        }
        if !status.is_success() {
            return Err(Failure::Permanent(anyhow!("GET {url}: HTTP {status}")));
        }
        Ok(body)
    }

    /// The body of a successful GET, after retries.
    pub async fn get_bytes(&self, url: &str, query: &[(&str, String)]) -> Result<bytes::Bytes> {
        let mut wait = self.options.backoff;
        let mut attempt = 0;
        loop {
            match self.attempt(url, query).await {
                Ok(body) => return Ok(body),
                Err(Failure::Permanent(error)) => return Err(error),
                Err(Failure::Transient(error)) if attempt >= self.options.retries => {
                    return Err(error.context(format!("gave up after {} attempts", attempt + 1)))
                }
                Err(Failure::Transient(error)) => {
                    tracing::warn!(error = format!("{error:#}"), retry_in_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                    attempt += 1;
                }
            }
        }
    }

    /// A GET answered with JSON.
    pub async fn get_json(&self, url: &str, query: &[(&str, String)]) -> Result<Value> {
        let body = self.get_bytes(url, query).await?;
        match serde_json::from_slice(&body) {
            Ok(value) => Ok(value),
            Err(error) => bail!("GET {url}: the answer is not valid JSON ({error})"),
        }
    }
}
