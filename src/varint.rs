//! Whole numbers in as few bytes as they need (LEB128): seven bits a byte, the
//! high bit set on every byte but the last. The binary forms the index keeps (a
//! scan's word boxes, a long body's resume points) are written with them.

/// Appends `value`.
pub fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a binary form from its front; each read is `None` past its end (a
/// damaged form never panics).
pub struct Reader<'a> {
    /// The whole form.
    pub bytes: &'a [u8],
    /// Where reading stands.
    pub at: usize,
}

impl Reader<'_> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &[u8]) -> Reader<'_> {
        Reader { bytes, at: 0 }
    }

    /// The next byte.
    pub fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// The next number.
    pub fn get(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(value);
            }
        }
        None
    }

    /// A count that the remaining bytes could hold (never a huge allocation).
    pub fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.get()?).ok()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    /// Whether every byte has been read.
    pub fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_back_and_a_cut_form_reads_as_none() {
        let values = [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ];
        let mut out = Vec::new();
        for &v in &values {
            put(&mut out, v);
        }
        assert_eq!(out[..4], [0, 1, 127, 0x80]);
        let mut reader = Reader::new(&out);
        for &v in &values {
            assert_eq!(reader.get(), Some(v));
        }
        assert!(reader.is_done());
        assert_eq!(reader.get(), None);
        let mut cut = Reader::new(&out[..out.len() - 1]);
        let read: Vec<_> = std::iter::from_fn(|| cut.get()).collect();
        assert_eq!(read, values[..values.len() - 1]);
        // Ten bytes with the high bit set are no number.
        assert_eq!(Reader::new(&[0xff; 11]).get(), None);
    }
}
