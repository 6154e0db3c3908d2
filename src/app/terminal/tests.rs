//! Unit tests of `terminal.rs`.

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
