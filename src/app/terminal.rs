//! What the process knows of its terminal and environment, read once at
//! entry and passed in (so tests can describe any terminal), and the one
//! place that decides human or JSON output and colour.

use crate::cli::{ColorWhen, Format};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The width human text wraps at when the terminal's is not known (piped,
/// no `COLUMNS`).
pub(crate) const DEFAULT_WIDTH: usize = 80;

/// The terminal and the environment variables gh-dose reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terminal {
    /// stdout is a terminal (`--format auto` then means human).
    pub(crate) stdout_is_terminal: bool,
    /// `NO_COLOR` is set and non-empty.
    pub(crate) no_color: bool,
    /// `CLICOLOR_FORCE` is set and not `0`.
    pub(crate) clicolor_force: bool,
    /// `CLICOLOR=0`.
    pub(crate) clicolor_off: bool,
    /// `TERM=dumb`.
    pub(crate) dumb: bool,
    /// `GH_DOSE_RULES`, when set and not empty.
    pub(crate) rules: Option<PathBuf>,
    /// `GH_DOSE_PRODUCTS`, when set and not empty.
    pub(crate) products: Option<PathBuf>,
    /// The width human text wraps at: `COLUMNS` when it is a positive
    /// whole number, else the terminal's (stdout a terminal), else unknown.
    pub(crate) columns: Option<usize>,
}

impl Terminal {
    /// Reads the real terminal and environment.
    pub(crate) fn detect() -> Terminal {
        let stdout = std::io::stdout();
        let mut term = Terminal::from_env(stdout.is_terminal(), |name| std::env::var_os(name));
        if term.columns.is_none() && term.stdout_is_terminal {
            term.columns = terminal_size::terminal_size_of(&stdout)
                .map(|(w, _)| usize::from(w.0))
                .filter(|w| *w > 0);
        }
        term
    }

    /// The terminal described by `var` (the environment): a variable set to
    /// the empty string counts as unset (`GH_DOSE_RULES=` means the built-in
    /// rules).
    pub(crate) fn from_env(
        stdout_is_terminal: bool,
        var: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Terminal {
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        Terminal {
            stdout_is_terminal,
            no_color: set("NO_COLOR").is_some(),
            clicolor_force: set("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            clicolor_off: set("CLICOLOR").is_some_and(|v| v == "0"),
            dumb: set("TERM").is_some_and(|v| v == "dumb"),
            rules: set("GH_DOSE_RULES").map(PathBuf::from),
            products: set("GH_DOSE_PRODUCTS").map(PathBuf::from),
            columns: set("COLUMNS")
                .and_then(|v| v.to_str().and_then(|v| v.trim().parse::<usize>().ok()))
                .filter(|w| *w > 0),
        }
    }

    /// The width human text wraps at: the terminal's, else [`DEFAULT_WIDTH`].
    pub(crate) fn width(&self) -> usize {
        self.columns.unwrap_or(DEFAULT_WIDTH)
    }

    /// Whether `--brief` prints: the brief answer is human text, so
    /// `--format auto` gives it even when piped; `--format json` cannot
    /// carry it (`None`: refused).
    pub(crate) fn brief_human(&self, format: Format) -> Option<bool> {
        match format {
            Format::Json | Format::Fhir => None,
            Format::Human | Format::Auto => Some(true),
        }
    }

    /// Whether output is the human table: `--format`, else a terminal.
    pub(crate) fn human(&self, format: Format) -> bool {
        match format {
            Format::Human => true,
            Format::Json | Format::Fhir => false,
            Format::Auto => self.stdout_is_terminal,
        }
    }

    /// Whether human output is coloured: NO_COLOR, then CLICOLOR_FORCE, then
    /// CLICOLOR and TERM=dumb, then the terminal; `--color` overrides all.
    pub(crate) fn colour(&self, when: ColorWhen) -> bool {
        match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                !self.no_color
                    && (self.clicolor_force
                        || (!self.clicolor_off && !self.dumb && self.stdout_is_terminal))
            }
        }
    }
}

#[cfg(test)]
mod tests;
