//! Password work (hashing, verifying) off the async threads, a few at a time: a flood of
//! sign-ins or password changes cannot take every core.

use crate::turns::{TurnRefusal, Turns};
use crate::AppError;
use std::time::Duration;

/// The bound on password work in this process.
#[derive(Debug)]
pub struct PasswordWork {
    turns: Turns,
}

impl PasswordWork {
    pub fn new(at_once: usize, wait: Duration) -> Self {
        Self { turns: Turns::new(at_once, Some(wait)) }
    }

    /// Runs `work` in its turn; unavailable (503) if no turn comes within the wait.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        self.turns.run(work).await.map_err(|refusal| match refusal {
            TurnRefusal::Busy => AppError::Unavailable("password checking".into()),
            TurnRefusal::Failed => AppError::Internal("password work failed".into()),
        })
    }

    /// Hashes a new password in its turn.
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.run(move || hp_domain::passwords::hash_password(&password)).await
    }
}
