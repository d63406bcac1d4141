//! Articles on their way to Tantivy's indexing threads, counted in bytes. Tantivy
//! queues up to 10,000 documents whatever their size: 10,000 newspaper pages are
//! a quarter of a gigabyte, 10,000 books many. Reading waits instead while more
//! than [`QUEUED_BYTES`] are queued, so memory stays the writer's budget and a
//! little more.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tantivy::schema::document::Document;
use tantivy::schema::{Field, TantivyDocument};

/// The most bytes of text queued for the indexing threads (a single larger article
/// goes alone). Enough for a few thousand newspaper pages: the threads never wait.
pub const QUEUED_BYTES: usize = 64 << 20;

/// How long reading waits for the queue at a time. Past it one article goes in
/// anyway: were the indexing threads to stop (a full disk), Tantivy refuses it with
/// their error instead of reading waiting for ever.
pub const PATIENCE: Duration = Duration::from_secs(1);

/// The bytes queued, shared by the reading threads and the queued documents.
pub struct Queue {
    bytes: Mutex<usize>,
    drained: Condvar,
    limit: usize,
    patience: Duration,
}

impl Queue {
    /// A queue that holds at most `limit` bytes, each admission waiting at most
    /// `patience` for room.
    pub fn new(limit: usize, patience: Duration) -> Arc<Queue> {
        Arc::new(Queue {
            bytes: Mutex::new(0),
            drained: Condvar::new(),
            limit,
            patience,
        })
    }

    /// `doc` counted as `bytes` in the queue, once there is room for it.
    pub fn admit(self: &Arc<Queue>, doc: TantivyDocument, bytes: usize) -> Queued {
        let mut queued = self.count();
        while *queued > 0 && queued.saturating_add(bytes) > self.limit {
            let (now, waited) = self
                .drained
                .wait_timeout(queued, self.patience)
                .unwrap_or_else(PoisonError::into_inner);
            queued = now;
            if waited.timed_out() {
                break;
            }
        }
        *queued += bytes;
        Queued {
            doc,
            bytes,
            queue: Arc::clone(self),
        }
    }

    /// The bytes queued now.
    #[cfg(test)]
    fn queued(&self) -> usize {
        *self.count()
    }

    fn count(&self) -> MutexGuard<'_, usize> {
        self.bytes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A document in the [`Queue`]: it leaves it when Tantivy has indexed and dropped it.
pub struct Queued {
    doc: TantivyDocument,
    bytes: usize,
    queue: Arc<Queue>,
}

impl Drop for Queued {
    fn drop(&mut self) {
        let mut queued = self.queue.count();
        *queued = queued.saturating_sub(self.bytes);
        self.queue.drained.notify_all();
    }
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

/// What the fields of `doc` hold, in bytes, as the queue counts it.
pub fn size_of(doc: &TantivyDocument) -> usize {
    use tantivy::schema::Value;
    doc.field_values()
        .map(|(_, value): (Field, _)| {
            value
                .as_str()
                .map(str::len)
                .or_else(|| value.as_bytes().map(<[u8]>::len))
                .unwrap_or(8)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Instant;

    fn doc(text: &str) -> TantivyDocument {
        let mut schema = tantivy::schema::Schema::builder();
        let body = schema.add_text_field("body", tantivy::schema::STORED);
        let mut doc = TantivyDocument::default();
        doc.add_text(body, text);
        doc
    }

    #[test]
    fn a_document_waits_until_the_queue_has_room_for_it() {
        let queue = Queue::new(10, Duration::from_secs(120));
        let six = doc("six b.");
        let first = queue.admit(six.clone(), size_of(&six));
        assert_eq!(queue.queued(), 6);
        let admitted = AtomicBool::new(false);
        let waited = std::thread::scope(|scope| {
            let waiting = scope.spawn(|| {
                let second = queue.admit(doc("five!"), 5);
                admitted.store(true, Ordering::SeqCst);
                drop(second);
            });
            std::thread::sleep(Duration::from_millis(100));
            assert!(!admitted.load(Ordering::SeqCst), "admitted with no room");
            let dropped = Instant::now();
            drop(first);
            waiting.join().unwrap();
            dropped.elapsed()
        });
        assert!(admitted.load(Ordering::SeqCst));
        // Woken by the drop, not by its patience running out.
        assert!(waited < Duration::from_secs(60), "{waited:?}");
        assert_eq!(queue.queued(), 0);
    }

    #[test]
    fn a_document_larger_than_the_queue_goes_alone_and_a_stuck_queue_lets_one_by() {
        let queue = Queue::new(10, Duration::from_millis(50));
        let large = queue.admit(doc(""), 50);
        assert_eq!(queue.queued(), 50);
        // Nothing drains it: past its patience the next goes in all the same.
        let started = Instant::now();
        let next = queue.admit(doc(""), 1);
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert_eq!(queue.queued(), 51);
        drop((large, next));
        assert_eq!(queue.queued(), 0);
    }
}
