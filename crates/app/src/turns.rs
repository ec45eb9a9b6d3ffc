//! Expensive CPU work (password hashing, image decoding) off the async threads, a few at a
//! time. The turn travels into the blocking thread with the work: a client that disconnects
//! drops its request, but the work it started runs to its end, and only then is the turn
//! free again. Otherwise every disconnect would let one more piece of work start.

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Why bounded work did not run to its end.
#[derive(Debug, PartialEq, Eq)]
pub enum TurnRefusal {
    /// No turn came within the wait.
    Busy,
    /// The work panicked (or the runtime is shutting down).
    Failed,
}

/// A bound on work running at once in this process.
#[derive(Debug)]
pub struct Turns {
    turns: Arc<Semaphore>,
    wait: Option<Duration>,
}

impl Turns {
    /// At most `at_once` pieces at a time; with a `wait`, work that gets no turn in it is
    /// refused as [`TurnRefusal::Busy`] instead of queueing without end.
    pub fn new(at_once: usize, wait: Option<Duration>) -> Self {
        Self { turns: Arc::new(Semaphore::new(at_once.max(1))), wait }
    }

    /// Runs `work` on a blocking thread in its turn.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, TurnRefusal> {
        let acquire = Arc::clone(&self.turns).acquire_owned();
        let turn = match self.wait {
            Some(wait) => tokio::time::timeout(wait, acquire).await.map_err(|_| TurnRefusal::Busy)?,
            None => acquire.await,
        }
        .map_err(|_| TurnRefusal::Failed)?;
        let work_in_turn = move || {
            let _turn = turn;
            work()
        };
        tokio::task::spawn_blocking(work_in_turn).await.map_err(|_| TurnRefusal::Failed)
    }

    /// Turns free now (for tests and metrics).
    pub fn available(&self) -> usize {
        self.turns.available_permits()
    }
}
