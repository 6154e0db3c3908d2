//! What the process knows of its terminal and environment, read once at
//! entry and passed in (so tests can describe any terminal), and the one
//! place that decides human or JSON output and colour.

use crate::cli::{ColorWhen, Format};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The width human text wraps at when the terminal's is not known (piped,
/// no `COLUMNS`).
pub const DEFAULT_WIDTH: usize = 80;

/// The terminal and the environment variables gh-dose reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terminal {
    /// stdout is a terminal (`--format auto` then means human).
    pub stdout_is_terminal: bool,
    /// `NO_COLOR` is set and non-empty.
    pub no_color: bool,
    /// `CLICOLOR_FORCE` is set and not `0`.
    pub clicolor_force: bool,
    /// `CLICOLOR=0`.
    pub clicolor_off: bool,
    /// `TERM=dumb`.
    pub dumb: bool,
    /// `GH_DOSE_RULES`, when set and not empty.
    pub rules: Option<PathBuf>,
    /// `GH_DOSE_PRODUCTS`, when set and not empty.
    pub products: Option<PathBuf>,
    /// The width human text wraps at: `COLUMNS` when it is a positive
    /// whole number, else the terminal's (stdout a terminal), else unknown.
    pub columns: Option<usize>,
}

impl Terminal {
    /// Reads the real terminal and environment.
    pub fn detect() -> Terminal {
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
    pub fn from_env(
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
    pub fn width(&self) -> usize {
        self.columns.unwrap_or(DEFAULT_WIDTH)
    }

    /// Whether `--brief` prints: the brief answer is human text, so
    /// `--format auto` gives it even when piped; `--format json` cannot
    /// carry it (`None`: refused).
    pub fn brief_human(&self, format: Format) -> Option<bool> {
        match format {
            Format::Json => None,
            Format::Human | Format::Auto => Some(true),
        }
    }

    /// Whether output is the human table: `--format`, else a terminal.
    pub fn human(&self, format: Format) -> bool {
        match format {
            Format::Human => true,
            Format::Json => false,
            Format::Auto => self.stdout_is_terminal,
        }
    }

    /// Whether human output is coloured: NO_COLOR, then CLICOLOR_FORCE, then
    /// CLICOLOR and TERM=dumb, then the terminal; `--color` overrides all.
    pub fn colour(&self, when: ColorWhen) -> bool {
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
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_conventions() {
        let tty = Terminal {
            stdout_is_terminal: true,
            ..Default::default()
        };
        assert!(tty.colour(ColorWhen::Auto));
        assert!(
            !Terminal {
                no_color: true,
                ..tty.clone()
            }
            .colour(ColorWhen::Auto)
        );
        assert!(
            !Terminal {
                dumb: true,
                ..tty.clone()
            }
            .colour(ColorWhen::Auto)
        );
        assert!(
            !Terminal {
                clicolor_off: true,
                ..tty.clone()
            }
            .colour(ColorWhen::Auto)
        );
        let pipe = Terminal::default();
        assert!(!pipe.colour(ColorWhen::Auto));
        assert!(
            Terminal {
                clicolor_force: true,
                ..pipe.clone()
            }
            .colour(ColorWhen::Auto)
        );
        assert!(pipe.colour(ColorWhen::Always));
        assert!(!tty.colour(ColorWhen::Never));
        assert!(tty.human(Format::Auto) && !pipe.human(Format::Auto));
        assert!(pipe.human(Format::Human) && !tty.human(Format::Json));
    }

    #[test]
    fn the_environment_is_read_with_empty_values_unset() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        let t = Terminal::from_env(true, env(&[("TERM", "dumb")]));
        assert!(t.dumb && !t.colour(ColorWhen::Auto));
        let t = Terminal::from_env(true, env(&[("TERM", "xterm-256color")]));
        assert!(!t.dumb && t.colour(ColorWhen::Auto));
        let t = Terminal::from_env(
            true,
            env(&[
                ("GH_DOSE_RULES", ""),
                ("GH_DOSE_PRODUCTS", ""),
                ("NO_COLOR", ""),
            ]),
        );
        assert_eq!(t.rules, None);
        assert_eq!(t.products, None);
        assert!(!t.no_color, "NO_COLOR= (empty) does not disable colour");
        let t = Terminal::from_env(false, env(&[("GH_DOSE_RULES", "clinic.toml")]));
        assert_eq!(t.rules, Some(PathBuf::from("clinic.toml")));
    }

    #[test]
    fn the_width_is_columns_else_80_and_brief_is_never_json() {
        let env = |v: &'static str| {
            move |name: &str| (name == "COLUMNS").then(|| std::ffi::OsString::from(v))
        };
        assert_eq!(Terminal::from_env(false, env("120")).width(), 120);
        assert_eq!(Terminal::from_env(true, env(" 60 ")).width(), 60);
        for bad in ["", "0", "-5", "wide", "1e3"] {
            assert_eq!(
                Terminal::from_env(false, env(bad)).width(),
                DEFAULT_WIDTH,
                "{bad:?}"
            );
        }
        assert_eq!(Terminal::default().width(), 80);
        let pipe = Terminal::default();
        assert_eq!(pipe.brief_human(Format::Auto), Some(true));
        assert_eq!(pipe.brief_human(Format::Human), Some(true));
        assert_eq!(pipe.brief_human(Format::Json), None);
    }
}
