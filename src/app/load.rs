//! Loading the tables a command runs on: the rule file (`--rules`,
//! `GH_DOSE_RULES` or the built-in one), the product table checked against
//! it, and an IGF-1 reference file named by a request.

use super::terminal::Terminal;
use crate::cli::{TableArgs, TopArgs};
use crate::error::Error;
use crate::rules::products::{BUILT_IN_PRODUCTS, ProductSet};
use crate::rules::{BUILT_IN, LmsReference, RuleSet, parse_lms};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The rule set in use and the text of each table, for `rules show` (the
/// built-in text borrowed, not copied, on every command).
pub(super) struct Loaded {
    pub(crate) rules: RuleSet,
    pub(crate) rules_text: Cow<'static, str>,
    pub(crate) products_text: Cow<'static, str>,
}

/// Where the tables come from: the command's flags, then the flags given
/// before the command, then the environment.
pub(super) struct Sources {
    pub(crate) rules: Option<PathBuf>,
    pub(crate) products: Option<PathBuf>,
}

impl Sources {
    pub(super) fn of(t: &TableArgs, top: &TopArgs, term: &Terminal) -> Sources {
        Sources {
            rules: t
                .rules
                .clone()
                .or_else(|| top.rules.clone())
                .or_else(|| term.rules.clone()),
            products: t
                .products
                .clone()
                .or_else(|| top.products.clone())
                .or_else(|| term.products.clone()),
        }
    }
}

/// Reads a whole table file; text that is not UTF-8 is reported at its
/// `file:line:col`.
pub(super) fn read(path: &Path) -> Result<(String, String), Error> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Error::RulesIo {
        path: name.clone(),
        source,
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, name)),
        Err(e) => {
            let (line, col) = super::lines::not_utf8_at(e.as_bytes(), &e.utf8_error());
            Err(Error::Rules(crate::diagnostic::FileError {
                path: name,
                line,
                col,
                message: "not UTF-8 text".to_string(),
            }))
        }
    }
}

/// Loads the rules and attaches the product table, checked against them.
pub(super) fn load(s: &Sources) -> Result<Loaded, Error> {
    let (rules_text, rules) = match &s.rules {
        Some(path) => {
            let (text, name) = read(path)?;
            let rules = RuleSet::parse(&text, &name)?;
            (Cow::Owned(text), rules)
        }
        None => {
            let rules = RuleSet::parse(BUILT_IN, "built-in")
                .map_err(|e| Error::Internal(format!("the built-in rules are invalid: {e}")))?;
            (Cow::Borrowed(BUILT_IN), rules)
        }
    };
    let (products_text, rules) = match &s.products {
        Some(path) => {
            let (text, name) = read(path)?;
            let rules = rules.with_products(&text, &name)?;
            (Cow::Owned(text), rules)
        }
        // A custom rule file can invalidate the built-in products (an
        // indication they name is missing): that is a rule-file error.
        None => (
            Cow::Borrowed(BUILT_IN_PRODUCTS),
            rules.with_products(BUILT_IN_PRODUCTS, "built-in products")?,
        ),
    };
    Ok(Loaded {
        rules,
        rules_text,
        products_text,
    })
}

/// Validates a rule or product file: its kind, name, version, hash and ids.
pub(super) fn check(text: &str, name: &str, base: &Sources) -> Result<Checked, Error> {
    let is_products = text
        .parse::<toml::Table>()
        .is_ok_and(|t| t.get("kind").and_then(|k| k.as_str()) == Some("products"));
    if is_products {
        let base = load(base)?.rules;
        let set = ProductSet::parse(text, name, &base)?;
        let ids = set.products.iter().map(|p| p.id.clone()).collect();
        Ok(Checked {
            kind: "products",
            origin: set.origin,
            ids,
            outside_label: set.outside_label,
        })
    } else {
        let rules = RuleSet::parse(text, name)?;
        let ids = rules.indications.iter().map(|i| i.id.clone()).collect();
        Ok(Checked {
            kind: "indications",
            origin: rules.origin,
            ids,
            outside_label: rules.outside_label,
        })
    }
}

/// A file that passed `rules check`.
pub(super) struct Checked {
    pub(crate) kind: &'static str,
    pub(crate) origin: crate::rules::Origin,
    pub(crate) ids: Vec<String>,
    /// Rows beyond the built-in label limits.
    pub(crate) outside_label: Vec<String>,
}

/// The largest IGF-1 reference file read: 10 MiB (the example reference is
/// about 2 KB; a laboratory's full table a few hundred KB).
pub(super) const MAX_REFERENCE_BYTES: u64 = 10 << 20;

/// An LMS reference file named by a request.
pub(super) fn lms(path: &Path, rules: &RuleSet) -> Result<Arc<LmsReference>, Error> {
    let (text, name) = read_reference(path)?;
    Ok(Arc::new(parse_lms(
        &text,
        &name,
        rules.igf1.ng_per_ml_per_nmol_per_l,
    )?))
}

/// A growth reference file named by `--reference FILE` (read like an IGF-1
/// reference: a regular file of bounded size).
pub(super) fn growth_reference(path: &Path) -> Result<Arc<crate::growth::GrowthReference>, Error> {
    let (text, name) = read_reference(path)?;
    let r = crate::growth::parse_growth_lms(&text, &name)?;
    if r.info.id.parse::<crate::growth::Builtin>().is_ok() {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("id"))
            .map_or(1, |i| i + 1);
        return Err(Error::Rules(crate::diagnostic::FileError {
            path: name,
            line,
            col: 1,
            message: format!(
                "id '{}' is the id of a built-in reference: give your reference its own id",
                r.info.id
            ),
        }));
    }
    Ok(Arc::new(r))
}

/// Reads a reference file: a regular file only, at most
/// [`MAX_REFERENCE_BYTES`], UTF-8. A request may name any path, so
/// `/dev/stdin` (the rest of a piped batch), `/dev/zero`, a FIFO (which would
/// hang), a directory or a huge file are refused before any reading.
fn read_reference(path: &Path) -> Result<(String, String), Error> {
    use std::io::Read;
    let name = path.display().to_string();
    let refuse = |message: String| Error::Reference {
        path: name.clone(),
        message: format!("cannot use this IGF-1 reference file: {message}"),
    };
    // Checked before opening too: opening a FIFO blocks until a writer comes.
    let before = std::fs::metadata(path).map_err(|e| refuse(e.to_string()))?;
    regular(&before).map_err(refuse)?;
    let file = std::fs::File::open(path).map_err(|e| refuse(e.to_string()))?;
    // The file opened is the one that counts: the path may have changed since.
    let meta = file.metadata().map_err(|e| refuse(e.to_string()))?;
    regular(&meta).map_err(refuse)?;
    if is_stdin(&meta) {
        return Err(refuse("it is the standard input".to_string()));
    }
    let too_big = || refuse(format!("larger than {} MiB", MAX_REFERENCE_BYTES >> 20));
    if meta.len() > MAX_REFERENCE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(MAX_REFERENCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(e.to_string()))?;
    if bytes.len() as u64 > MAX_REFERENCE_BYTES {
        return Err(too_big());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, name)),
        Err(e) => {
            let (line, col) = super::lines::not_utf8_at(e.as_bytes(), &e.utf8_error());
            Err(Error::Reference {
                path: format!("{name}:{line}:{col}"),
                message: "not UTF-8 text".to_string(),
            })
        }
    }
}

/// Ok for a regular file; otherwise what it is.
fn regular(meta: &std::fs::Metadata) -> Result<(), String> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a directory"
    } else {
        special(&kind)
    };
    Err(format!("{what}, not a regular file"))
}

#[cfg(unix)]
fn special(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Whether an opened file is the one on standard input (`/dev/stdin` when
/// stdin is a redirected file): a batch's requests are never read as a
/// reference.
#[cfg(unix)]
fn is_stdin(meta: &std::fs::Metadata) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let stdin = std::io::stdin();
    let Ok(fd) = stdin.as_fd().try_clone_to_owned() else {
        return false;
    };
    std::fs::File::from(fd)
        .metadata()
        .is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
}

#[cfg(not(unix))]
fn is_stdin(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests;
