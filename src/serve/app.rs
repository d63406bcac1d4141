//! What every request shares: the index opened once, a reader that follows the
//! indexer's commits, and the bounded pool searches run on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::{IndexReader, ReloadPolicy, Searcher};
use tokio::sync::Semaphore;

use crate::article::Article;
use crate::config::ServeConfig;
use crate::error::{Error, Result, panic_message};
use crate::index::stats::{self, Stats};
use crate::index::{NewsIndex, lookup};
use crate::location::Location;
use crate::quickwit::Quickwit;
use crate::search::{self, SearchRequest, SearchResults};

/// Searches running at once: two per core (one ready while the other runs).
/// More wait their turn in order, so under load each search runs at nearly full
/// speed instead of all of them sharing the cores and finishing late together
/// (measured at 64 connections: p99 86 ms against 97 ms with 8 at once).
fn max_running() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Where the served articles live.
enum Backend {
    /// A local index and the reader that follows its commits.
    Local(NewsIndex, IndexReader),
    /// A Quickwit index.
    Quickwit(Quickwit),
}

/// What a piece of work sees: the local index with the current searcher, or Quickwit.
pub enum View<'a> {
    /// A local index.
    Local(&'a NewsIndex, &'a Searcher),
    /// A Quickwit index.
    Quickwit(&'a Quickwit),
}

impl View<'_> {
    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        match self {
            View::Local(index, searcher) => search::search_with(index, searcher, request),
            View::Quickwit(quickwit) => quickwit.search(request),
        }
    }

    /// The article with id `id`, looked up in the index only (never as a path).
    pub fn article(&self, id: &str) -> Result<Option<Article>> {
        match self {
            View::Local(index, searcher) => {
                let Some(&address) = lookup::by_id(index, searcher, id)?.first() else {
                    return Ok(None);
                };
                let doc: tantivy::schema::TantivyDocument = searcher
                    .doc(address)
                    .map_err(|e| Error::index(&index.dir, e))?;
                Ok(Some(index.fields.article(&doc)))
            }
            View::Quickwit(quickwit) => Ok(quickwit.find(id, None)?.into_iter().next()),
        }
    }

    /// Coverage like the article with id `id` (`None`: no such article).
    pub fn similar(&self, id: &str, limit: usize, chars: usize) -> Result<Option<SearchResults>> {
        match self {
            View::Local(index, searcher) => match lookup::by_id(index, searcher, id)?.first() {
                Some(&target) => {
                    search::similar::similar(index, searcher, target, limit, chars, 1).map(Some)
                }
                None => Ok(None),
            },
            View::Quickwit(quickwit) => match quickwit.find(id, None)?.first() {
                Some(article) => quickwit.similar(article, limit, chars, 1).map(Some),
                None => Ok(None),
            },
        }
    }

    /// What the index holds.
    pub fn stats(&self, top: usize) -> Result<Stats> {
        match self {
            View::Local(index, _) => stats::compute(index, top),
            View::Quickwit(quickwit) => quickwit.stats(top),
        }
    }
}

/// The server's shared state.
pub struct App {
    backend: Backend,
    /// Searches in turns, each within the time budget.
    turns: Turns,
    /// No access log.
    pub quiet: bool,
    /// Answer any Host name, not only loopback ones.
    pub public: bool,
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
        let backend = match &config.location {
            Location::Local(dir) => {
                let index = NewsIndex::open(dir)?;
                // Reloads within about half a second of each commit; never writes.
                let reader = index
                    .index
                    .reader_builder()
                    .reload_policy(ReloadPolicy::OnCommitWithDelay)
                    .try_into()
                    .map_err(|e| Error::index(dir, e))?;
                Backend::Local(index, reader)
            }
            Location::Quickwit(url) => Backend::Quickwit(Quickwit::open(url)?),
        };
        Ok(App {
            backend,
            turns: Turns::new(max_running(), config.timeout),
            quiet: config.quiet,
            public: config.public,
        })
    }

    /// Runs `work` on the blocking pool with the current searcher (or Quickwit), at
    /// most [`max_running`] at once and within the time budget.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> std::result::Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(View) -> Result<T> + Send + 'static,
    {
        let app = self.clone();
        self.turns
            .run(move || match &app.backend {
                Backend::Local(index, reader) => work(View::Local(index, &reader.searcher())),
                Backend::Quickwit(quickwit) => work(View::Quickwit(quickwit)),
            })
            .await
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
