//! Unit tests of `batch.rs`.

use super::*;

/// A reader that gives `text`, then fails with EIO every time.
struct Failing(&'static [u8]);

impl std::io::Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Err(std::io::Error::from_raw_os_error(5));
        }
        let n = self.0.len().min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn a_read_error_ends_the_batch_after_the_lines_already_read() {
    let rules = load(&Sources {
        rules: None,
        products: None,
    })
    .unwrap()
    .rules;
    let mut out = Vec::new();
    let mut sink = Sink {
        out: std::io::BufWriter::new(&mut out),
        line: Vec::new(),
        failed: false,
        fields: Fields::new(),
        cache: JsonCache::of(&rules),
        rules: &rules,
        default_as_of: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        base: None,
        records: Records::Refused,
    };
    let input =
        Failing(b"{\"command\":\"start\",\"indication\":\"turner\",\"weight_kg\":24}\n{}\n{\"comm");
    let mut lines = Lines::new(std::io::BufReader::with_capacity(16, input), 100);
    let e = jsonl(&mut lines, &mut sink, "visits.jsonl").unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Usage);
    assert!(
        e.to_string()
            .starts_with("batch visits.jsonl: cannot read after line 2: "),
        "{e}"
    );
    sink.out.flush().unwrap();
    drop(sink);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().nth(1).unwrap().starts_with("{\"line\":2,"));
}

#[test]
fn batch_messages_are_one_line_without_a_prefix() {
    assert_eq!(batch_message("a\nb"), "a b");
    assert_eq!(batch_message("error: x"), "x");
    assert_eq!(batch_message("ERROR:error: \n x"), "x");
    assert_eq!(batch_message("errors: x"), "errors: x");
}

#[test]
fn a_line_is_utf8_and_not_blank() {
    assert_eq!(text(b" \t").unwrap_err().message, "empty line");
    assert_eq!(
        text(b"{\"a\xff\"}").unwrap_err().message,
        "not UTF-8 text (column 4)"
    );
    let e = json_line(r#"{"weight_kg":24,"weight_kg":240}"#).unwrap_err();
    assert_eq!(e.message, "weight_kg is given twice");
    assert_eq!(e.field.as_deref(), Some("weight_kg"));
    let e = json_line("{\"a\":\n}").unwrap_err();
    assert_eq!(e.message, "not JSON: expected value at column 1");
}
