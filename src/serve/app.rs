//! What every request shares: the index opened once (locally, with a reader that
//! follows the indexer's commits) and the bounded pool searches run on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::config::ServeConfig;
use crate::error::{Error, Result, panic_message};
use crate::search::SearchRequest;
use crate::store::Store;

/// Searches running at once: two per core (one ready while the other runs).
/// More wait their turn in order, so under load each search runs at nearly full
/// speed instead of all of them sharing the cores and finishing late together
/// (measured at 64 connections: p99 86 ms against 97 ms with 8 at once).
fn max_running() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The server's shared state.
pub struct App {
    store: Store,
    /// Searches in turns, each within the time budget.
    turns: Turns,
    /// No access log.
    pub quiet: bool,
    /// Answer any Host name, not only loopback ones.
    pub public: bool,
    /// The users every request is checked against (`None`: no password asked).
    pub auth: Option<Arc<super::auth::Guard>>,
    /// Query words searched as their synonyms too.
    synonyms: Option<Arc<crate::search::synonyms::Synonyms>>,
}

/// Why a piece of work produced no answer.
pub enum Failure {
    /// The work's own error.
    Error(Error),
    /// It ran past the time budget.
    TimedOut(Duration),
    /// It panicked: a damaged index (or a bug).
    Panicked(String),
}

impl App {
    /// Opens the configured index for serving.
    pub fn open(config: &ServeConfig) -> Result<App> {
        let auth = match &config.auth_file {
            Some(path) => {
                let (users, warnings) = super::auth::Users::load(path)?;
                for warning in warnings {
                    crate::output::diag::warning(warning);
                }
                Some(Arc::new(super::auth::Guard::new(users)))
            }
            None => None,
        };
        Ok(App {
            auth,
            store: Store::open_live(&config.location)?,
            turns: Turns::new(max_running(), config.timeout),
            quiet: config.quiet,
            public: config.public,
            synonyms: config.synonyms.clone(),
        })
    }

    /// The server's synonym list (`--synonyms`).
    pub fn synonyms(&self) -> Option<Arc<crate::search::synonyms::Synonyms>> {
        self.synonyms.clone()
    }

    /// `request` with the server's synonym list (`--synonyms`).
    pub fn with_synonyms(&self, request: SearchRequest) -> SearchRequest {
        SearchRequest {
            synonyms: self.synonyms.clone(),
            ..request
        }
    }

    /// Runs `work` on the blocking pool with the index (whose reader follows the
    /// indexer's commits), at most [`max_running`] at once and within the time budget.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> std::result::Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T> + Send + 'static,
    {
        let app = self.clone();
        self.turns.run(move || work(&app.store)).await
    }
}

/// Blocking work taken in turns, a few at a time, each within one time budget that
/// counts from the moment it asks: the wait for a turn counts too, so a flood of
/// slow requests cannot push a queued one far past its budget.
pub struct Turns {
    running: Arc<Semaphore>,
    budget: Duration,
}

impl Turns {
    /// At most `at_once` pieces of work running, each answered within `budget`.
    pub fn new(at_once: usize, budget: Duration) -> Turns {
        Turns {
            running: Arc::new(Semaphore::new(at_once.max(1))),
            budget,
        }
    }

    /// Runs `work` on the blocking pool in its turn; a panic inside is a failure.
    pub async fn run<T, F>(&self, work: F) -> std::result::Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T> + Send + 'static,
    {
        let started = Instant::now();
        let permit = tokio::time::timeout(self.budget, self.running.clone().acquire_owned())
            .await
            .map_err(|_| Failure::TimedOut(self.budget))?
            .map_err(|_| Failure::Error(Error::Internal("the server is stopping".into())))?;
        let task = tokio::task::spawn_blocking(move || {
            // Held until the work ends, even past the time budget.
            let _permit = permit;
            catch_unwind(AssertUnwindSafe(work))
        });
        let left = self.budget.saturating_sub(started.elapsed());
        let answer = tokio::time::timeout(left, task).await;
        // The timer ticks in milliseconds: an answer that came in after the
        // budget but before the tick is past the budget all the same.
        if answer.is_err() || started.elapsed() > self.budget {
            return Err(Failure::TimedOut(self.budget));
        }
        match answer {
            Err(_) => Err(Failure::TimedOut(self.budget)),
            Ok(Err(join)) => Err(Failure::Panicked(join.to_string())),
            Ok(Ok(Err(panic))) => Err(Failure::Panicked(panic_message(panic.as_ref()))),
            Ok(Ok(Ok(result))) => result.map_err(Failure::Error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_for_a_turn_counts_against_the_budget() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            // One turn at a time, a budget of 1 s; the first piece of work holds its
            // turn for 3 s, so the second, though instant, waits past its budget.
            let turns = Arc::new(Turns::new(1, Duration::from_secs(1)));
            let slow = {
                let turns = turns.clone();
                tokio::spawn(async move {
                    turns
                        .run(|| {
                            std::thread::sleep(Duration::from_secs(3));
                            Ok(())
                        })
                        .await
                })
            };
            tokio::time::sleep(Duration::from_millis(200)).await;
            let queued = turns.run(|| Ok(())).await;
            assert!(matches!(queued, Err(Failure::TimedOut(_))));
            assert!(matches!(slow.await.unwrap(), Err(Failure::TimedOut(_))));
            // Once the slow work has ended and freed its turn, the same work answers.
            tokio::time::sleep(Duration::from_secs(3)).await;
            assert!(turns.run(|| Ok(())).await.is_ok());
        });
    }
}
