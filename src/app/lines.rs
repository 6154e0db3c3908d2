//! Reading batch input one physical line at a time in bounded memory: a line
//! longer than [`MAX_LINE_BYTES`] is reported by its number and skipped to
//! the next newline without being held, so memory stays flat whatever the
//! input (a 1.5 GB line, `/dev/zero`).

use std::io::{BufRead, Read};

/// The longest request line read by `batch` (and the largest `--input`
/// file): 1 MiB, without its line end. A request is a few hundred bytes.
pub(super) const MAX_LINE_BYTES: usize = 1 << 20;

/// How much of an over-long line is read at a time while skipping it.
const SKIP_CHUNK: u64 = 1 << 16;

/// The UTF-8 byte order mark, accepted at the start of the input.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One physical line.
#[derive(Debug, PartialEq)]
pub(super) enum Line<'a> {
    /// The line's bytes without `\n` or `\r\n` (and without a BOM on line 1).
    Bytes(&'a [u8]),
    /// A line over the limit, with its length in bytes; it was skipped.
    TooLong(u64),
}

/// Lines of a reader, numbered from 1; `\n` or `\r\n` end a line, and a last
/// line without a line end counts.
pub(super) struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    skip: Vec<u8>,
    limit: usize,
    number: u64,
}

impl<R: BufRead> Lines<R> {
    /// Lines of at most `limit` bytes.
    pub(super) fn new(reader: R, limit: usize) -> Self {
        Lines {
            reader,
            buf: Vec::with_capacity(8192),
            skip: Vec::new(),
            limit,
            number: 0,
        }
    }

    /// The number of the last line returned (0 before the first).
    pub(super) fn number(&self) -> u64 {
        self.number
    }

    /// The next line and its number, `None` at the end of the input. An I/O
    /// error is the reader's, not the line's: the caller stops there.
    pub(super) fn next_line(&mut self) -> std::io::Result<Option<(u64, Line<'_>)>> {
        self.buf.clear();
        // The limit, the `\r` of a `\r\n`, and one byte more to know it is over.
        let cap = self.limit as u64 + 2;
        let read = (&mut self.reader)
            .take(cap)
            .read_until(b'\n', &mut self.buf)?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        let ended = self.buf.last() == Some(&b'\n');
        if ended {
            self.buf.pop();
        }
        if !ended && self.buf.len() as u64 == cap {
            let length = self.skip_line(cap)?;
            return Ok(Some((self.number, Line::TooLong(length))));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if self.buf.len() > self.limit {
            return Ok(Some((self.number, Line::TooLong(self.buf.len() as u64))));
        }
        let mut line = self.buf.as_slice();
        if self.number == 1 {
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        Ok(Some((self.number, Line::Bytes(line))))
    }

    /// Reads and drops the rest of an over-long line, a chunk at a time;
    /// returns the line's length (`already` read, without its line end).
    fn skip_line(&mut self, already: u64) -> std::io::Result<u64> {
        let mut length = already;
        let mut last = self.buf.last().copied();
        loop {
            self.skip.clear();
            let read = (&mut self.reader)
                .take(SKIP_CHUNK)
                .read_until(b'\n', &mut self.skip)?;
            if read == 0 {
                return Ok(length);
            }
            if self.skip.last() == Some(&b'\n') {
                let before = match read {
                    1 => last,
                    _ => self.skip.get(read - 2).copied(),
                };
                let cr = u64::from(before == Some(b'\r'));
                return Ok((length + read as u64).saturating_sub(1 + cr));
            }
            last = self.skip.last().copied();
            length += read as u64;
        }
    }
}

/// Reads a whole input of at most `limit` bytes; `None` when it is longer
/// (and then stops reading).
pub(super) fn read_limited(reader: impl Read, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

/// Text without a leading UTF-8 byte order mark.
pub(super) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The 1-based line and column (in characters) where text stops being
/// UTF-8.
pub(super) fn not_utf8_at(bytes: &[u8], e: &std::str::Utf8Error) -> (usize, usize) {
    let good = bytes.get(..e.valid_up_to()).unwrap_or_default();
    let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = std::str::from_utf8(good.get(line_start..).unwrap_or_default())
        .map_or(1, |s| s.chars().count() + 1);
    (line, column)
}

#[cfg(test)]
mod tests;
