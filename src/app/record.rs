//! The visit record on disk. A command that writes a record holds an
//! exclusive lock on it from reading, through the decision and the writing
//! of the answer, to appending, so two visits written at once are two whole
//! lines in date order. A new record is decided on under its folder's lock
//! and created whole with its first line; no record file is ever removed. A
//! line is appended as one write of a whole line to a file opened with
//! `O_APPEND`, then synced; if any part of that fails, whatever reached the
//! file is cut off again, so the earlier visits stay whole and the file
//! stays readable. Earlier lines are never rewritten.

use crate::diagnostic::FileError;
use crate::error::{Error, InputError};
use crate::record::{self, Course};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// The largest record read (about ten thousand visits).
pub(super) const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// Where a request may name its record.
#[derive(Debug, Clone, Copy)]
pub(super) enum Records<'a> {
    /// The command line (`--record`): the path as given.
    AsGiven,
    /// A batch with `--records-dir`: a plain file name inside it.
    Within(&'a Path),
    /// A batch without `--records-dir`: no record.
    Refused,
    /// A request read from `--input`: no record (request data does not
    /// choose a file to write).
    FromInput,
}

impl Records<'_> {
    /// The record a request's `record` names, or why it may not.
    pub(super) fn resolve(self, named: &Path) -> Result<Target, Error> {
        let refuse = |why: &str| {
            Err(Error::Input(InputError::field(
                "record",
                format!("record {}: {why}", named.display()),
            )))
        };
        match self {
            Records::AsGiven => Ok(Target {
                path: named.to_path_buf(),
                contained: false,
            }),
            Records::Refused => refuse(
                "a batch line may name a record only when the batch is given --records-dir DIR",
            ),
            Records::FromInput => refuse(
                "a request read from --input may not name a record: give --record FILE on the command line, or run it with gh-dose batch --records-dir DIR",
            ),
            Records::Within(dir) => {
                let mut parts = named.components();
                match (parts.next(), parts.next()) {
                    (Some(Component::Normal(name)), None)
                        if !name.to_string_lossy().starts_with('.') =>
                    {
                        // Opened without following a symbolic link and
                        // checked once open (`open`): nothing to race here.
                        Ok(Target {
                            path: dir.join(name),
                            contained: true,
                        })
                    }
                    _ => refuse(
                        "must be a file name inside --records-dir (no directory, no .., not hidden)",
                    ),
                }
            }
        }
    }
}

/// Where a record is opened: as given, or inside `--records-dir` (no
/// symbolic link followed, one link only: checked on the opened file).
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(crate) path: PathBuf,
    pub(crate) contained: bool,
}

/// An open, locked record and its visits; or, for a record that does not
/// exist yet, the lock of its folder, held until the first visit is in it.
#[derive(Debug)]
pub(super) struct Opened {
    /// The record, locked; `None` while a new record is not written yet.
    file: Option<File>,
    /// The folder's lock, held while a new record is decided on.
    _folder: Option<File>,
    path: PathBuf,
    /// The path as named, for messages.
    pub(crate) name: String,
    pub(crate) course: Course,
}

/// Whether opening may begin a new record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    /// `start`: a missing record is begun (created with its first visit,
    /// never before, so a refused start leaves nothing behind).
    Create,
    /// `titrate`: a missing record is refused, so a mistyped name does not
    /// begin a second record of the patient.
    Refuse,
}

fn open_options(contained: bool) -> OpenOptions {
    let mut o = OpenOptions::new();
    o.read(true).append(true);
    #[cfg(unix)]
    if contained {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = contained;
    o
}

/// The opened file is a record: a regular file, and inside `--records-dir`
/// its only name (a hard link could lead out of the folder).
fn is_record(file: &File, contained: bool) -> Result<(), String> {
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read the record: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    #[cfg(unix)]
    if contained {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() != 1 {
            return Err(format!(
                "has {} names (hard links): records in --records-dir are plain files with one name",
                meta.nlink()
            ));
        }
    }
    Ok(())
}

/// Opens, locks and reads a record. A missing one (`Missing::Create`) is
/// decided on under its folder's lock and created with its first visit.
pub(super) fn open(target: &Target, missing: Missing) -> Result<Opened, Error> {
    let path = &target.path;
    let name = path.display().to_string();
    let refuse = |message: String| Error::Record {
        path: name.clone(),
        message,
    };
    let mut folder: Option<File> = None;
    loop {
        match open_options(target.contained).open(path) {
            Ok(file) => {
                drop(folder);
                is_record(&file, target.contained).map_err(&refuse)?;
                file.lock()
                    .map_err(|e| refuse(format!("cannot lock the record: {e}")))?;
                let course = read_course(&file, &name)?;
                return Ok(Opened {
                    file: Some(file),
                    _folder: None,
                    path: path.clone(),
                    name,
                    course,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if missing == Missing::Refuse {
                    return Err(refuse(
                        "no such record: a record begins with gh-dose start --record, or, for a patient already on treatment, with an empty file (touch it) and titrate --record".to_string(),
                    ));
                }
                if folder.is_some() {
                    // Missing under the folder's lock: this command begins it.
                    return Ok(Opened {
                        file: None,
                        _folder: folder,
                        path: path.clone(),
                        name,
                        course: Course::default(),
                    });
                }
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let lock = File::open(dir)
                    .and_then(|d| d.lock().map(|()| d))
                    .map_err(|e| refuse(format!("cannot lock the record's folder: {e}")))?;
                folder = Some(lock);
            }
            Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
                return Err(refuse("not a regular file".to_string()));
            }
            #[cfg(unix)]
            Err(e) if target.contained && e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(refuse(
                    "is a symbolic link: records in --records-dir are plain files".to_string(),
                ));
            }
            Err(e) => return Err(refuse(format!("cannot open the record: {e}"))),
        }
    }
}

/// Reads a record without locking or creating it (`record show`, `chart`).
pub(super) fn read_only(path: &Path) -> Result<(String, Course), Error> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::Record {
        path: name.clone(),
        message: format!("cannot open the record: {e}"),
    })?;
    is_record(&file, false).map_err(|message| Error::Record {
        path: name.clone(),
        message,
    })?;
    let course = read_course(&file, &name)?;
    Ok((name, course))
}

/// A record's visits, read line by line (at most [`MAX_RECORD_BYTES`]).
fn read_course(file: &File, name: &str) -> Result<Course, Error> {
    let refuse = |message: String| Error::Record {
        path: name.to_string(),
        message,
    };
    let meta = file
        .metadata()
        .map_err(|e| refuse(format!("cannot read the record: {e}")))?;
    if meta.len() > MAX_RECORD_BYTES {
        return Err(refuse(format!(
            "{} bytes: larger than a record can be ({MAX_RECORD_BYTES} bytes)",
            meta.len()
        )));
    }
    let reader = std::io::BufReader::with_capacity(1 << 16, file.take(MAX_RECORD_BYTES));
    record::read_from(reader, name).map_err(Error::RecordAt)
}

impl Opened {
    /// A record that can take a visit: its last line is whole.
    pub(super) fn writable(&self) -> Result<(), Error> {
        match self.course.incomplete {
            None => Ok(()),
            Some(line) => Err(cut_short(
                &self.name,
                line,
                "no visit is added until it is removed",
            )),
        }
    }

    /// The line to append, checked (the record can take it, it stays under
    /// the size limit) while the lock is held; appended by
    /// [`Pending::commit`] once the answer is out.
    pub(super) fn pending<T: serde::Serialize>(self, entry: &T) -> Result<Pending, Error> {
        self.writable()?;
        let mut line = Vec::new();
        if self.course.unterminated {
            // The last line is whole but was left without its end of line.
            line.push(b'\n');
        }
        serde_json::to_writer(&mut line, entry)
            .map_err(|e| Error::Internal(format!("cannot write the record line: {e}")))?;
        line.push(b'\n');
        let size = match &self.file {
            Some(f) => f.metadata().map(|m| m.len()).map_err(|e| Error::Record {
                path: self.name.clone(),
                message: format!("cannot read the record: {e}"),
            })?,
            None => 0,
        };
        let after = size.saturating_add(u64::try_from(line.len()).unwrap_or(u64::MAX));
        if after > MAX_RECORD_BYTES {
            return Err(Error::Record {
                path: self.name.clone(),
                message: format!(
                    "{size} bytes: this line would take it past the largest a record can be ({MAX_RECORD_BYTES} bytes); nothing was written: begin a new record for the patient"
                ),
            });
        }
        Ok(Pending { rec: self, line })
    }
}

/// A line ready to append to a locked record: committed only after the
/// answer it records is written (dropped otherwise: nothing appended).
#[derive(Debug)]
pub(super) struct Pending {
    rec: Opened,
    line: Vec<u8>,
}

impl Pending {
    /// The record, as named.
    pub(super) fn name(&self) -> &str {
        &self.rec.name
    }

    /// Appends the line (one write, synced), or creates the record with it.
    pub(super) fn commit(mut self) -> Result<(), Error> {
        let name = self.rec.name.clone();
        let fail = |message: String| Error::FileWrite {
            path: name.clone(),
            message,
        };
        match self.rec.file.as_mut() {
            Some(file) => append_line(file, &self.line)
                .map_err(|m| fail(format!("cannot append the line: {m}"))),
            None => create_with(&self.rec.path, &self.line).map_err(fail),
        }
    }
}

/// A new record, created whole with its first line (written beside it,
/// then linked to its name, which fails if the name exists): no reader ever
/// sees it empty, and nothing that exists is replaced. The folder's lock is
/// held by the caller.
fn create_with(path: &Path, line: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.new", std::process::id()));
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(line)?;
        f.sync_all()?;
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    match written {
        Ok(()) => {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(
            "the record was created by another program meanwhile: the visit is not recorded (run it again)"
                .to_string(),
        ),
        Err(e) => Err(format!("cannot create the record: {e}; nothing was written")),
    }
}

/// A record whose last line is cut short, and what follows from it.
pub(super) fn cut_short(name: &str, line: usize, then: &str) -> Error {
    Error::RecordAt(FileError {
        path: name.to_string(),
        line,
        col: 1,
        message: format!("line {line} is cut short (an append that was interrupted): {then}"),
    })
}

/// A file a line is appended to: the real record, or a test double.
pub(super) trait Appendable {
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
pub(super) fn append_line(f: &mut dyn Appendable, line: &[u8]) -> Result<(), String> {
    let before = f.size().map_err(|e| format!("{e}; nothing was written"))?;
    match f.append(line).and_then(|()| f.sync()) {
        Ok(()) => Ok(()),
        Err(e) => match f.cut(before).and_then(|()| f.sync()) {
            Ok(()) => Err(format!(
                "{e}; the record is as it was (the earlier visits are intact): run it again"
            )),
            Err(cut) => Err(format!(
                "{e}; the partial line could not be removed ({cut}): `gh-dose record check` names it"
            )),
        },
    }
}

#[cfg(test)]
mod tests;
