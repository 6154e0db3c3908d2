//! The visit record on disk. A dosing command with a record holds an
//! exclusive lock on it from reading to appending, so two visits written at
//! once are two whole lines in date order. A visit is appended as one write
//! of a whole line to a file opened with `O_APPEND`, then synced; if any part
//! of that fails, whatever reached the file is cut off again, so the earlier
//! visits stay whole and the file stays readable. Earlier lines are never
//! rewritten.

use crate::error::{Error, InputError};
use crate::record::{self, Course, Visit};
use crate::rules::diagnostic::RulesError;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// The largest record read (about ten thousand visits).
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// Where a request may name its record.
#[derive(Debug, Clone, Copy)]
pub enum Records<'a> {
    /// The command line or `--input`: the path as given.
    AsGiven,
    /// A batch with `--records-dir`: a plain file name inside it.
    Within(&'a Path),
    /// A batch without `--records-dir`: no record.
    Refused,
}

impl Records<'_> {
    /// The path a request's `record` names, or why it may not.
    pub fn resolve(self, named: &Path) -> Result<PathBuf, Error> {
        let refuse = |why: &str| {
            Err(Error::Input(InputError::field(
                "record",
                format!("record {}: {why}", named.display()),
            )))
        };
        match self {
            Records::AsGiven => Ok(named.to_path_buf()),
            Records::Refused => refuse(
                "a batch line may name a record only when the batch is given --records-dir DIR",
            ),
            Records::Within(dir) => {
                let mut parts = named.components();
                match (parts.next(), parts.next()) {
                    (Some(Component::Normal(name)), None)
                        if !name.to_string_lossy().starts_with('.') =>
                    {
                        let path = dir.join(name);
                        match std::fs::symlink_metadata(&path) {
                            Ok(m) if m.file_type().is_symlink() => refuse(
                                "is a symbolic link: records in --records-dir are plain files",
                            ),
                            _ => Ok(path),
                        }
                    }
                    _ => refuse(
                        "must be a file name inside --records-dir (no directory, no .., not hidden)",
                    ),
                }
            }
        }
    }
}

/// An open, locked record and its visits.
#[derive(Debug)]
pub struct Opened {
    file: File,
    /// The path as named, for messages.
    pub name: String,
    pub course: Course,
    /// The path, when this command created the file.
    created: Option<PathBuf>,
}

/// Whether opening may begin a new record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// `start`: a missing record is created (and removed again if the start
    /// is refused before its visit is written).
    Create,
    /// `titrate`: a missing record is refused, so a mistyped name does not
    /// begin a second record of the patient.
    Refuse,
}

/// Opens, locks and reads a record.
pub fn open(path: &Path, missing: Missing) -> Result<Opened, Error> {
    let name = path.display().to_string();
    let refuse = |message: String| Error::Record {
        path: name.clone(),
        message,
    };
    let created = match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err(refuse("not a regular file".to_string())),
        Ok(_) => false,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if missing == Missing::Refuse {
                return Err(refuse(
                    "no such record: a record begins with gh-dose start --record, or, for a patient already on treatment, with an empty file (touch it) and titrate --record".to_string(),
                ));
            }
            true
        }
        Err(e) => return Err(refuse(format!("cannot open the record: {e}"))),
    };
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(missing == Missing::Create)
        .open(path)
        .map_err(|e| refuse(format!("cannot open the record: {e}")))?;
    file.lock()
        .map_err(|e| refuse(format!("cannot lock the record: {e}")))?;
    let (file, text) = read_all(file, &name)?;
    let course = record::read(&text, &name).map_err(Error::RecordAt)?;
    Ok(Opened {
        file,
        name,
        course,
        created: created.then(|| path.to_path_buf()),
    })
}

/// Reads a record without locking or creating it (`record show`, `chart`).
pub fn read_only(path: &Path) -> Result<(String, Course), Error> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::Record {
        path: name.clone(),
        message: format!("cannot open the record: {e}"),
    })?;
    let (_, text) = read_all(file, &name)?;
    let course = record::read(&text, &name).map_err(Error::RecordAt)?;
    Ok((name, course))
}

fn read_all(file: File, name: &str) -> Result<(File, String), Error> {
    let refuse = |message: String| Error::Record {
        path: name.to_string(),
        message,
    };
    let meta = file
        .metadata()
        .map_err(|e| refuse(format!("cannot read the record: {e}")))?;
    if !meta.is_file() {
        return Err(refuse("not a regular file".to_string()));
    }
    if meta.len() > MAX_RECORD_BYTES {
        return Err(refuse(format!(
            "{} bytes: larger than a record can be ({MAX_RECORD_BYTES} bytes)",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    (&file)
        .take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(format!("cannot read the record: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = crate::rules::diagnostic::line_col(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            usize::MAX,
        );
        Error::RecordAt(RulesError {
            path: name.to_string(),
            line,
            col,
            message: "not UTF-8 text".to_string(),
        })
    })?;
    Ok((file, text))
}

impl Opened {
    /// Removes a record this command created and wrote nothing to (a start
    /// refused after the record was opened).
    pub fn discard_if_new(self) {
        if let Some(path) = self.created
            && self.file.metadata().is_ok_and(|m| m.len() == 0)
        {
            let _ = std::fs::remove_file(path);
        }
    }

    /// A record that can take a visit: its last line is whole.
    pub fn writable(&self) -> Result<(), Error> {
        match self.course.incomplete {
            None => Ok(()),
            Some(line) => Err(cut_short(
                &self.name,
                line,
                "no visit is added until it is removed",
            )),
        }
    }

    /// Appends one visit as one whole line.
    pub fn append(&mut self, visit: &Visit) -> Result<(), Error> {
        self.writable()?;
        let mut line = serde_json::to_string(visit)
            .map_err(|e| Error::Internal(format!("cannot write the visit: {e}")))?;
        line.push('\n');
        append_line(&mut self.file, line.as_bytes()).map_err(|message| Error::FileWrite {
            path: self.name.clone(),
            message: format!("cannot append the visit: {message}"),
        })
    }
}

/// A record whose last line is cut short, and what follows from it.
pub fn cut_short(name: &str, line: usize, then: &str) -> Error {
    Error::RecordAt(RulesError {
        path: name.to_string(),
        line,
        col: 1,
        message: format!("line {line} is cut short (an append that was interrupted): {then}"),
    })
}

/// A file a line is appended to: the real record, or a test double.
pub trait Appendable {
    fn size(&mut self) -> std::io::Result<u64>;
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    fn sync(&mut self) -> std::io::Result<()>;
    fn cut(&mut self, len: u64) -> std::io::Result<()>;
}

impl Appendable for File {
    fn size(&mut self) -> std::io::Result<u64> {
        self.metadata().map(|m| m.len())
    }
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.write_all(bytes)
    }
    fn sync(&mut self) -> std::io::Result<()> {
        self.sync_data()
    }
    fn cut(&mut self, len: u64) -> std::io::Result<()> {
        self.set_len(len)
    }
}

/// Appends `line` (one whole line) and syncs it; on any failure the file is
/// cut back to its length before, and the message says so.
pub fn append_line(f: &mut dyn Appendable, line: &[u8]) -> Result<(), String> {
    let before = f.size().map_err(|e| format!("{e}; nothing was written"))?;
    match f.append(line).and_then(|()| f.sync()) {
        Ok(()) => Ok(()),
        Err(e) => match f.cut(before).and_then(|()| f.sync()) {
            Ok(()) => Err(format!(
                "{e}; the record is as it was (the earlier visits are intact) and the decision is not printed"
            )),
            Err(cut) => Err(format!(
                "{e}; the partial line could not be removed ({cut}): `gh-dose record check` names it"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn batch_records_stay_inside_their_directory() {
        let dir = Path::new("/records");
        let ok = Records::Within(dir)
            .resolve(Path::new("p-0042.jsonl"))
            .unwrap();
        assert_eq!(ok, Path::new("/records/p-0042.jsonl"));
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
        assert_eq!(
            Records::AsGiven.resolve(Path::new("../p.jsonl")).unwrap(),
            Path::new("../p.jsonl")
        );
    }

    fn message(e: &Error) -> String {
        e.to_string()
    }

    #[test]
    fn a_record_is_a_regular_file_of_bounded_size_and_utf8_text() {
        let dir = tempfile::tempdir().unwrap();
        // A directory is not a record, whether creating or not.
        let e = open(dir.path(), Missing::Create).unwrap_err();
        assert!(message(&e).ends_with(": not a regular file"), "{e}");
        assert_eq!(e.field(), Some("record"));
        // A missing record is created for start only.
        let new = dir.path().join("new.jsonl");
        let e = open(&new, Missing::Refuse).unwrap_err();
        assert!(message(&e).contains("no such record"), "{e}");
        assert!(!new.exists());
        let opened = open(&new, Missing::Create).unwrap();
        assert!(new.exists());
        opened.discard_if_new();
        assert!(!new.exists(), "a record created and left empty is removed");
        // One byte over the limit: refused before reading.
        let big = dir.path().join("big.jsonl");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_RECORD_BYTES + 1).unwrap();
        let e = open(&big, Missing::Refuse).unwrap_err();
        assert!(message(&e).contains("larger than a record can be"), "{e}");
        // At the limit: read whole (its one line is not JSON, at line 1).
        let mut text = vec![b'x'; usize::try_from(MAX_RECORD_BYTES).unwrap() - 1];
        text.push(b'\n');
        std::fs::write(&big, &text).unwrap();
        let e = open(&big, Missing::Refuse).unwrap_err();
        assert!(message(&e).contains(":1:1: not JSON"), "{e}");
        // Not UTF-8: the position of the first bad byte.
        let bad = dir.path().join("bad.jsonl");
        std::fs::write(&bad, b"{}\nab\xff\n").unwrap();
        let e = read_only(&bad).unwrap_err();
        assert!(
            message(&e).ends_with("bad.jsonl:2:3: not UTF-8 text"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_in_records_dir_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("elsewhere.jsonl");
        std::fs::write(&target, "").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("p.jsonl")).unwrap();
        let e = Records::Within(dir.path())
            .resolve(Path::new("p.jsonl"))
            .unwrap_err();
        assert!(message(&e).contains("is a symbolic link"), "{e}");
        // A plain file beside it is fine.
        std::fs::write(dir.path().join("q.jsonl"), "").unwrap();
        assert!(
            Records::Within(dir.path())
                .resolve(Path::new("q.jsonl"))
                .is_ok()
        );
    }
}
