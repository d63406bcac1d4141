//! What every request shares: the index opened once, a reader that follows the
//! indexer's commits, and the bounded pool searches run on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::{IndexReader, ReloadPolicy, Searcher};
use tokio::sync::Semaphore;

use crate::config::ServeConfig;
use crate::error::{Error, Result, panic_message};
use crate::index::NewsIndex;

/// Searches running at once: two per core (one ready while the other runs).
/// More wait their turn in order, so under load each search runs at nearly full
/// speed instead of all of them sharing the cores and finishing late together
/// (measured at 64 connections: p99 86 ms against 97 ms with 8 at once).
fn max_running() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The server's shared state.
pub struct App {
    /// The index.
    pub index: NewsIndex,
    reader: IndexReader,
    running: Arc<Semaphore>,
    /// Longest a search may take before the response says so.
    budget: Duration,
    /// No access log.
    pub quiet: bool,
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
        let dir = config.index_dir.as_path();
        let index = NewsIndex::open(dir)?;
        // Reloads within about half a second of each commit; never writes.
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| Error::index(dir, e))?;
        Ok(App {
            index,
            reader,
            running: Arc::new(Semaphore::new(max_running())),
            budget: config.timeout,
            quiet: config.quiet,
        })
    }

    /// Runs `work` on the blocking pool with the current searcher, at most
    /// [`max_running`] at once and within the time budget.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> std::result::Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&NewsIndex, &Searcher) -> Result<T> + Send + 'static,
    {
        let permit = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Failure::Error(Error::Internal("the server is stopping".into())))?;
        let app = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            // Held until the work ends, even past the time budget.
            let _permit = permit;
            let searcher = app.reader.searcher();
            catch_unwind(AssertUnwindSafe(|| work(&app.index, &searcher)))
        });
        let started = Instant::now();
        let answer = tokio::time::timeout(self.budget, task).await;
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
