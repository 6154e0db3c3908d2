//! What the process knows of its terminal and environment, read once at
//! entry and passed in (so tests can describe any terminal), and the one
//! place that decides human or JSON output and colour.

use crate::cli::{ColorWhen, Format};
use std::io::IsTerminal;
use std::path::PathBuf;

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
}

impl Terminal {
    /// Reads the real terminal and environment.
    pub fn detect() -> Terminal {
        Terminal::from_env(std::io::stdout().is_terminal(), |name| {
            std::env::var_os(name)
        })
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
}
