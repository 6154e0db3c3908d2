//! Unit tests of `app/record.rs`.
use super::*;

/// A disk that fills up after `room` bytes.
struct FullDisk {
    bytes: Vec<u8>,
    room: usize,
}

impl Appendable for FullDisk {
    fn size(&mut self) -> std::io::Result<u64> {
        Ok(self.bytes.len() as u64)
    }
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let fits = self.room.saturating_sub(self.bytes.len()).min(bytes.len());
        self.bytes.extend_from_slice(&bytes[..fits]);
        if fits < bytes.len() {
            return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
        }
        Ok(())
    }
    fn sync(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    fn cut(&mut self, len: u64) -> std::io::Result<()> {
        self.bytes.truncate(len as usize);
        Ok(())
    }
}

#[test]
fn a_full_disk_leaves_the_earlier_lines_whole() {
    let earlier = b"{\"a\":1}\n{\"b\":2}\n".to_vec();
    for room in earlier.len()..earlier.len() + 12 {
        let mut disk = FullDisk {
            bytes: earlier.clone(),
            room,
        };
        let err = append_line(&mut disk, b"{\"visit\":3}\n").unwrap_err();
        assert!(err.contains("the record is as it was"), "{err}");
        assert_eq!(disk.bytes, earlier, "room {room}");
    }
    let mut disk = FullDisk {
        bytes: earlier.clone(),
        room: 1 << 20,
    };
    append_line(&mut disk, b"{\"visit\":3}\n").unwrap();
    assert_eq!(disk.bytes.len(), earlier.len() + 12);
}

fn at(path: &Path) -> Target {
    Target {
        path: path.to_path_buf(),
        contained: false,
    }
}

fn inside(path: &Path) -> Target {
    Target {
        path: path.to_path_buf(),
        contained: true,
    }
}

#[test]
fn batch_records_stay_inside_their_directory() {
    let dir = Path::new("/records");
    let ok = Records::Within(dir)
        .resolve(Path::new("p-0042.jsonl"))
        .unwrap();
    assert_eq!(ok.path, Path::new("/records/p-0042.jsonl"));
    assert!(ok.contained);
    for bad in [
        "../x.jsonl",
        "/etc/passwd",
        "a/b.jsonl",
        ".hidden",
        "",
        "./x",
    ] {
        let e = Records::Within(dir).resolve(Path::new(bad)).unwrap_err();
        assert!(e.to_string().contains("inside --records-dir"), "{bad}: {e}");
    }
    let e = Records::Refused.resolve(Path::new("p.jsonl")).unwrap_err();
    assert!(e.to_string().contains("--records-dir"), "{e}");
    let e = Records::FromInput
        .resolve(Path::new("/tmp/p.jsonl"))
        .unwrap_err();
    assert!(
        e.to_string().contains("--input may not name a record"),
        "{e}"
    );
    assert_eq!(e.field(), Some("record"));
    let given = Records::AsGiven.resolve(Path::new("../p.jsonl")).unwrap();
    assert_eq!(
        (given.path.as_path(), given.contained),
        (Path::new("../p.jsonl"), false)
    );
}

fn message(e: &Error) -> String {
    e.to_string()
}

#[test]
fn a_record_is_a_regular_file_of_bounded_size_and_utf8_text() {
    let dir = tempfile::tempdir().unwrap();
    // A directory is not a record, whether creating or not.
    let e = open(&at(dir.path()), Missing::Create).unwrap_err();
    assert!(message(&e).ends_with(": not a regular file"), "{e}");
    assert_eq!(e.field(), Some("record"));
    // A missing record: refused for titrate; for start, nothing is
    // created until its first line is committed.
    let new = dir.path().join("new.jsonl");
    let e = open(&at(&new), Missing::Refuse).unwrap_err();
    assert!(message(&e).contains("no such record"), "{e}");
    let opened = open(&at(&new), Missing::Create).unwrap();
    assert!(!new.exists());
    drop(opened);
    assert!(!new.exists(), "a start that commits nothing leaves no file");
    let opened = open(&at(&new), Missing::Create).unwrap();
    opened
        .pending(&serde_json::json!({"a": 1}))
        .unwrap()
        .commit()
        .unwrap();
    assert_eq!(std::fs::read_to_string(&new).unwrap(), "{\"a\":1}\n");
    // One byte over the limit: refused before reading.
    let big = dir.path().join("big.jsonl");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_RECORD_BYTES + 1).unwrap();
    let e = open(&at(&big), Missing::Refuse).unwrap_err();
    assert!(message(&e).contains("larger than a record can be"), "{e}");
    // A line longer than any visit: refused at its line.
    let mut text = vec![b'x'; crate::record::MAX_LINE_BYTES + 1];
    text.push(b'\n');
    std::fs::write(&big, &text).unwrap();
    let e = open(&at(&big), Missing::Refuse).unwrap_err();
    assert!(message(&e).contains(":1:1: longer than"), "{e}");
    // Not UTF-8: the position of the first bad byte.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, b"{}\nab\xff\n").unwrap();
    let e = read_only(&bad).unwrap_err();
    assert!(
        message(&e).contains("bad.jsonl:1:"),
        "line 1 is not a visit, reported first: {e}"
    );
    std::fs::write(&bad, b"ab\xff\n").unwrap();
    let e = read_only(&bad).unwrap_err();
    assert!(
        message(&e).ends_with("bad.jsonl:1:3: not UTF-8 text"),
        "{e}"
    );
}

#[test]
fn a_line_that_would_pass_the_size_limit_is_refused_before_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("full.jsonl");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(MAX_RECORD_BYTES - 4).unwrap();
    drop(f);
    // The record reads (all blank would not; so give it no lines: an
    // empty course is read from a file cut to size only in `pending`).
    let rec = Opened {
        file: Some(OpenOptions::new().read(true).append(true).open(&p).unwrap()),
        _folder: None,
        path: p.clone(),
        name: "full.jsonl".to_string(),
        course: Course::default(),
    };
    let e = rec.pending(&serde_json::json!({"visit": 1})).unwrap_err();
    assert!(
        message(&e).contains("past the largest a record can be"),
        "{e}"
    );
    assert_eq!(std::fs::metadata(&p).unwrap().len(), MAX_RECORD_BYTES - 4);
}

#[cfg(unix)]
#[test]
fn in_records_dir_a_symbolic_link_or_a_second_name_is_refused_once_opened() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("elsewhere.jsonl");
    std::fs::write(&target, "").unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("p.jsonl")).unwrap();
    let e = open(&inside(&dir.path().join("p.jsonl")), Missing::Refuse).unwrap_err();
    assert!(message(&e).contains("is a symbolic link"), "{e}");
    // A hard link to a file outside: two names.
    std::fs::hard_link(&target, dir.path().join("h.jsonl")).unwrap();
    let e = open(&inside(&dir.path().join("h.jsonl")), Missing::Refuse).unwrap_err();
    assert!(message(&e).contains("has 2 names"), "{e}");
    // A plain file beside them is fine; as given (not in --records-dir)
    // the link is followed.
    std::fs::write(dir.path().join("q.jsonl"), "").unwrap();
    assert!(open(&inside(&dir.path().join("q.jsonl")), Missing::Refuse).is_ok());
    assert!(open(&at(&dir.path().join("p.jsonl")), Missing::Refuse).is_ok());
}
