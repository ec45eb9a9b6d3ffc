//! Brute-force protection of the sign-ins (`POST /auth/token/` and `/accounts/login/`), and the
//! bound on password hashing.
//!
//! Before a password is checked:
//! - each client address has a rate of attempts (in memory, per process: a flood is cut before
//!   it costs a database query or a hash);
//! - attempts are counted in the database before the password is checked (a successful one
//!   clears the count, so what stays counted are failures), per username and client address,
//!   so that every replica sees them, and refused by the rule of `hp_domain::sign_in_limits`.
//!
//! A refusal is 429 with `Retry-After`. Hashing (argon2id, 19 MiB and ~50 ms of CPU each) runs
//! a few at a time ([`hp_app::passwords`], sized by these settings); a sign-in waits for its
//! turn, and gets 503 if none comes soon.

use crate::error::ApiError;
use crate::origin::ClientAddress;
use chrono::{DateTime, Utc};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hp_db::login_failures;
use hp_db::Db;
use hp_domain::sign_in_limits::{username_key, SignInLimits};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// The throttling policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginThrottleSettings {
    /// Failures per window (the rule of `hp_domain::sign_in_limits`).
    pub failures: SignInLimits,
    /// Attempts per client address and minute, successful or not.
    pub attempts_per_minute: u32,
    /// Passwords hashed at once in this process.
    pub concurrent_hashes: usize,
    /// How long a sign-in waits for its turn to hash.
    pub hash_wait: std::time::Duration,
}

impl Default for LoginThrottleSettings {
    fn default() -> Self {
        Self {
            failures: SignInLimits::default(),
            attempts_per_minute: 60,
            concurrent_hashes: 4,
            hash_wait: std::time::Duration::from_secs(10),
        }
    }
}

/// Client addresses the attempt limiter remembers at most; beyond that (addresses sprayed
/// from a large IPv6 range) new ones are refused until old ones expire.
const MAX_TRACKED_CLIENTS: usize = 100_000;

/// The state of the protection in this process.
pub struct LoginThrottle {
    settings: LoginThrottleSettings,
    attempts: DefaultKeyedRateLimiter<IpAddr>,
}

impl std::fmt::Debug for LoginThrottle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginThrottle").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// An IPv6 client is its /64: one subscriber gets a whole /64 to pick addresses from.
fn client_key(client: ClientAddress) -> IpAddr {
    match client.0 {
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(segments[0], segments[1], segments[2], segments[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

fn too_many(retry_after: std::time::Duration) -> ApiError {
    ApiError::TooManyRequests(retry_after.as_secs().max(1))
}

impl LoginThrottle {
    pub fn new(settings: LoginThrottleSettings) -> Self {
        let per_minute = NonZeroU32::new(settings.attempts_per_minute.max(1)).expect("at least one");
        Self { attempts: RateLimiter::keyed(Quota::per_minute(per_minute)), settings }
    }

    /// Refuses (429) a sign-in that the policy does not allow now, and otherwise counts it.
    pub async fn admit(
        &self,
        db: &Db,
        username: &str,
        client: ClientAddress,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let key = client_key(client);
        if self.attempts.len() > MAX_TRACKED_CLIENTS {
            self.attempts.retain_recent();
            if self.attempts.len() > MAX_TRACKED_CLIENTS {
                return Err(too_many(std::time::Duration::from_secs(60)));
            }
        }
        if let Err(not_until) = self.attempts.check_key(&key) {
            return Err(too_many(not_until.wait_time_from(DefaultClock::default().now())));
        }
        let (username, client) = (username_key(username), key.to_string());
        let window = self.settings.failures.window;
        let counts = login_failures::counts(&mut db.conn().await?, &username, &client, now, window).await?;
        if let Some(wait) = self.settings.failures.refusal(&counts, now) {
            return Err(ApiError::TooManyRequests(wait));
        }
        // The attempt is counted before the password is checked, within the limit in one
        // conditional statement: parallel attempts cannot slip past it.
        let mut tx = db.begin().await?;
        let limit = self.settings.failures.per_username_and_client;
        let counted = login_failures::take_attempt(&mut tx, &username, &client, now, window, limit).await?;
        tx.commit().await?;
        if !counted {
            let ends = counts.window_start.map(|start| start + window).unwrap_or(now + window);
            return Err(ApiError::TooManyRequests((ends - now).num_seconds().max(1) as u64));
        }
        Ok(())
    }

    /// A successful sign-in clears the failures of that username from that client.
    pub async fn succeeded(&self, db: &Db, username: &str, client: ClientAddress) {
        let result = async {
            let mut tx = db.begin().await?;
            login_failures::clear(&mut tx, &username_key(username), &client_key(client).to_string()).await?;
            tx.commit().await
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(%error, "could not clear failed sign-ins");
        }
    }
}
