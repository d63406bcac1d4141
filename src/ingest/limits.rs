//! Limits that keep hostile input from exhausting memory or time: file and record
//! sizes, total expanded size, compression ratio and nesting depth. Decompression
//! streams are wrapped in [`Expanding`], which fails the read once a limit is passed.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// The limits of one indexing run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file (or archive member, once decompressed) read as one document.
    pub max_file_bytes: u64,
    /// Longest article body kept, in bytes; longer bodies are cut at a character boundary.
    pub max_record_bytes: usize,
    /// Most bytes that decompression may produce from one input file, all members together.
    pub max_expanded_bytes: u64,
    /// Highest compression ratio accepted once more than [`RATIO_GRACE_BYTES`] came out.
    pub max_ratio: u64,
    /// Deepest nesting of compressed files and archives.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Megabytes, as the flags and the README count them.
            max_file_bytes: 256 * MB,
            max_record_bytes: 8 * MB as usize,
            max_expanded_bytes: 16_000 * MB,
            max_ratio: 200,
            max_depth: 4,
        }
    }
}

/// A megabyte, as sizes are given on the command line and in the README.
pub const MB: u64 = 1_000_000;

/// Ratios are only judged after this much output: tiny files compress absurdly well.
pub const RATIO_GRACE_BYTES: u64 = 8 * MB;

/// The error a read fails with when a limit is passed (a likely decompression bomb).
#[derive(Debug)]
pub struct LimitExceeded(pub String);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitExceeded {}

/// True when `error` is a [`LimitExceeded`].
pub fn is_limit(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|e| e.is::<LimitExceeded>())
}

/// Counts the bytes a `BufRead` hands out (the compressed side of a decoder).
pub struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counting<R> {
    /// Wraps `inner`; `count` grows as bytes are consumed.
    pub fn new(inner: R, count: Rc<Cell<u64>>) -> Self {
        Counting { inner, count }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.count.set(self.count.get() + amt as u64);
        self.inner.consume(amt);
    }
}

/// The output side of a decoder: fails once the run's expanded total or the ratio
/// of output to `compressed` input passes the limits.
pub struct Expanding<R> {
    inner: R,
    out: u64,
    compressed: Rc<Cell<u64>>,
    total: Rc<Cell<u64>>,
    limits: Limits,
}

impl<R> Expanding<R> {
    /// Wraps a decoder reading from a [`Counting`] that shares `compressed`.
    pub fn new(inner: R, compressed: Rc<Cell<u64>>, total: Rc<Cell<u64>>, limits: Limits) -> Self {
        Expanding {
            inner,
            out: 0,
            compressed,
            total,
            limits,
        }
    }
}

impl<R: Read> Read for Expanding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        self.total.set(self.total.get() + n as u64);
        if self.total.get() > self.limits.max_expanded_bytes {
            return Err(io::Error::other(LimitExceeded(format!(
                "expands to more than {} MB (--max-expanded-size)",
                self.limits.max_expanded_bytes / 1_000_000
            ))));
        }
        let compressed = self.compressed.get().max(1);
        if self.out > RATIO_GRACE_BYTES && self.out / compressed > self.limits.max_ratio {
            return Err(io::Error::other(LimitExceeded(format!(
                "expands more than {}:1, a likely decompression bomb (--max-ratio)",
                self.limits.max_ratio
            ))));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_limit_trips() {
        let zeros = vec![0u8; 64 * 1024 * 1024];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &zeros).unwrap();
        let packed = gz.finish().unwrap();
        let compressed = Rc::new(Cell::new(0));
        let total = Rc::new(Cell::new(0));
        let counting = Counting::new(&packed[..], compressed.clone());
        let decoder = flate2::bufread::MultiGzDecoder::new(counting);
        let mut expanding = Expanding::new(decoder, compressed, total, Limits::default());
        let err = std::io::copy(&mut expanding, &mut std::io::sink()).unwrap_err();
        assert!(is_limit(&err), "{err}");
    }
}
