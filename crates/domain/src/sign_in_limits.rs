//! When a sign-in may be tried: the rule over the failed sign-ins counted for it (the counts
//! live in the database, the limiting of attempts in the API).
//!
//! A client with too many failures for one username, or too many for any usernames, is
//! refused; once a username has many failures in all, only clients that have not failed for
//! it may still try. So an attacker's flood locks the attacker out, not the user, whose right
//! password from another address still works.

use chrono::{DateTime, Duration, Utc};

/// The limits, per window of failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    /// Failures of one username from one client address.
    pub per_username_and_client: i64,
    /// Failures of one username from all clients after which only clients without a failure
    /// for it may try.
    pub per_username: i64,
    /// Failures of any usernames from one client address (a school's network is one address).
    pub per_client: i64,
    pub window: Duration,
}

impl Default for SignInLimits {
    fn default() -> Self {
        Self { per_username_and_client: 5, per_username: 50, per_client: 100, window: Duration::minutes(15) }
    }
}

/// Failures counted now for a sign-in attempt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureCounts {
    /// Of this username from this client, and when their window began.
    pub username_and_client: i64,
    pub window_start: Option<DateTime<Utc>>,
    /// Of this username from every client.
    pub username: i64,
    /// Of every username from this client.
    pub client: i64,
}

impl SignInLimits {
    /// Seconds to wait when the counts refuse another attempt now.
    pub fn refusal(&self, counts: &FailureCounts, now: DateTime<Utc>) -> Option<u64> {
        let refused = counts.username_and_client >= self.per_username_and_client
            || counts.client >= self.per_client
            || (counts.username >= self.per_username && counts.username_and_client > 0);
        if !refused {
            return None;
        }
        // Until this pair's window ends; the totals' windows end no later than a window's length.
        let ends = counts.window_start.map(|start| start + self.window).unwrap_or(now + self.window);
        Some((ends - now).num_seconds().max(1) as u64)
    }
}

/// The key a sign-in's failures are counted under: the username folded, at most 150
/// characters (no account has a longer one), without NUL characters.
pub fn username_key(username: &str) -> String {
    username.chars().filter(|c| *c != '\0').take(150).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_fold() {
        assert_eq!(username_key("Maija\0"), "maija");
        assert_eq!(username_key(&"a".repeat(500)).len(), 150);
    }

    #[test]
    fn the_rule_refuses_the_attacker_not_the_user() {
        let limits = SignInLimits::default();
        let now = Utc::now();
        let attacker = FailureCounts { username_and_client: 5, window_start: Some(now), username: 5, client: 5 };
        assert_eq!(limits.refusal(&attacker, now), Some(900));
        let user_elsewhere = FailureCounts { username_and_client: 0, window_start: None, username: 500, client: 0 };
        assert_eq!(limits.refusal(&user_elsewhere, now), None);
        let mistyped_during_attack = FailureCounts { username_and_client: 1, username: 500, ..user_elsewhere };
        assert!(limits.refusal(&mistyped_during_attack, now).is_some());
        let few = FailureCounts { username_and_client: 4, window_start: Some(now), username: 4, client: 4 };
        assert_eq!(limits.refusal(&few, now), None);
        let school = FailureCounts { username_and_client: 1, window_start: Some(now), username: 1, client: 100 };
        assert!(limits.refusal(&school, now).is_some());
    }
}
