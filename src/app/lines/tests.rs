//! Unit tests of `lines.rs`.

use super::*;

fn all(input: &[u8], limit: usize) -> Vec<(u64, String)> {
    let mut lines = Lines::new(std::io::BufReader::with_capacity(16, input), limit);
    let mut out = Vec::new();
    while let Some((n, line)) = lines.next_line().unwrap() {
        let text = match line {
            Line::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            Line::TooLong(len) => format!("too long: {len}"),
        };
        out.push((n, text));
    }
    out
}

#[test]
fn lines_end_with_lf_or_crlf_and_a_last_line_counts() {
    let got = all(b"\xEF\xBB\xBFa\r\nb\n\nc\r\n\xEF\xBB\xBFd", 10);
    let want = [(1, "a"), (2, "b"), (3, ""), (4, "c"), (5, "\u{feff}d")];
    assert_eq!(
        got,
        want.map(|(n, s)| (n, s.to_string())).to_vec(),
        "a BOM is dropped on line 1 only"
    );
    assert_eq!(all(b"", 10), vec![]);
    assert_eq!(all(b"\n", 10), vec![(1, String::new())]);
    assert_eq!(all(b"x\r", 10), vec![(1, "x".to_string())]);
}

#[test]
fn a_long_line_is_skipped_and_the_next_one_read() {
    let mut input = b"ok\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 100));
    input.extend(b"\r\nnext\n");
    input.extend(std::iter::repeat_n(b'y', 11));
    let got = all(&input, 10);
    assert_eq!(
        got,
        vec![
            (1, "ok".to_string()),
            (2, "too long: 100".to_string()),
            (3, "next".to_string()),
            (4, "too long: 11".to_string()),
        ]
    );
    // Exactly at the limit, with or without a CR, is fine; one more is not.
    assert_eq!(all(b"0123456789\r\n", 10)[0].1, "0123456789");
    assert_eq!(all(b"0123456789\n", 10)[0].1, "0123456789");
    assert_eq!(all(b"0123456789a\n", 10)[0].1, "too long: 11");
    assert_eq!(all(b"0123456789a\r\n", 10)[0].1, "too long: 11");
    assert_eq!(all(b"0123456789ab", 10)[0].1, "too long: 12");
    // The CR of a CRLF split from its LF by the limit is not counted.
    assert_eq!(all(b"0123456789a\r\nz", 10)[0].1, "too long: 11");
    assert_eq!(all(b"0123456789a\r\nz", 10)[1].1, "z");
}

#[test]
fn a_whole_input_is_read_up_to_its_limit() {
    assert_eq!(read_limited(&b"abc"[..], 3).unwrap(), Some(b"abc".to_vec()));
    assert_eq!(read_limited(&b"abcd"[..], 3).unwrap(), None);
    assert_eq!(without_bom(b"\xEF\xBB\xBF{}"), b"{}");
}

#[test]
fn the_first_bad_byte_has_a_line_and_column() {
    let bytes = b"{\n  \"\xC3\xA9x\": \xFF}".to_vec();
    let e = std::str::from_utf8(&bytes).unwrap_err();
    assert_eq!(not_utf8_at(&bytes, &e), (2, 9));
}
