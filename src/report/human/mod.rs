//! The human table. Colour is a courtesy: every severity is also spelled out
//! (BLOCK, WARNING, INFO), and the writer strips colour when NO_COLOR is set
//! or stdout is not a terminal.

mod brief;
mod document;
mod growth;
mod listings;
mod record;
mod wrap;

pub(crate) use brief::render_brief;
pub(crate) use document::render_document;
pub(crate) use growth::render_growth;
pub(crate) use listings::{render_indications, render_products, render_rules_check};
pub(crate) use record::{render_course, render_record_check, render_record_void};
pub(crate) use wrap::wrap;

use crate::dosing::{Flag, SourceRef, Span};
use crate::report::DecisionHeader;
use crate::units::MilliIu;
use crate::vocab::Severity;
use anstyle::{AnsiColor, Style};
use std::fmt::{Display, Write};

pub(super) const BOLD: Style = Style::new().bold();
pub(super) const DIM: Style = Style::new().dimmed();
pub(super) const RED: Style = AnsiColor::Red.on_default().bold();
pub(super) const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
pub(super) const CYAN: Style = AnsiColor::Cyan.on_default();

/// One labelled row of the table: `  Label         value`.
pub(super) fn row(out: &mut String, label: &str, value: std::fmt::Arguments<'_>) {
    let _ = writeln!(out, "  {} {value}", paint(BOLD, format!("{label:<13}")));
}

pub(super) fn paint(style: Style, text: impl Display) -> String {
    format!("{style}{text}{style:#}")
}

pub(super) fn severity(s: Severity) -> String {
    match s {
        Severity::Block => paint(RED, "BLOCK  "),
        Severity::Warning => paint(YELLOW, "WARNING"),
        Severity::Info => paint(CYAN, "INFO   "),
    }
}

pub(super) fn span<T: Display + PartialEq>(s: &Span<T>, unit: &str) -> String {
    match &s.min {
        Some(min) if *min == s.max => format!("{} {unit}", s.max),
        Some(min) => format!("{min}-{} {unit}", s.max),
        None => format!("up to {} {unit}", s.max),
    }
}

/// A pair of dates as one day when its ends are equal ("2026-11-26"),
/// else as a range ("2027-02-22 to 2027-05-22").
pub(super) fn dates(earliest: chrono::NaiveDate, latest: chrono::NaiveDate) -> String {
    if earliest == latest {
        earliest.to_string()
    } else {
        format!("{earliest} to {latest}")
    }
}

pub(super) fn iu(x: Option<MilliIu>) -> String {
    x.map(|i| format!(" ({i} IU)")).unwrap_or_default()
}

/// The flags, most severe first.
pub(super) fn flags(out: &mut String, flags: &[Flag]) {
    if flags.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", paint(BOLD, "Flags"));
    let width = flags
        .iter()
        .map(|f| f.code.as_str().len())
        .max()
        .unwrap_or(0);
    for f in flags {
        let _ = writeln!(
            out,
            "  {} {:<width$}  {} {}",
            severity(f.severity),
            f.code.as_str(),
            f.message,
            paint(DIM, format!("[{}]", f.source))
        );
    }
}

/// The rationale, one line each.
pub(super) fn why(out: &mut String, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", paint(BOLD, "Why"));
    for line in lines {
        let _ = writeln!(out, "  - {line}");
    }
}

/// The last line: version and rule set.
pub(super) fn footer(out: &mut String, head: &DecisionHeader) {
    let (version, rules) = (head.header.gh_dose_version, &head.rules);
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            DIM,
            format!(
                "gh-dose {version} - rules: {} {} (sha256 {})",
                rules.source,
                rules.version,
                &rules.sha256[..rules.sha256.len().min(12)]
            )
        )
    );
}

pub(super) fn sources(out: &mut String, sources: &[SourceRef]) {
    if sources.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", paint(BOLD, "Sources"));
    for s in sources {
        let _ = writeln!(out, "  [{}] {} ({})", s.id, s.citation, s.grade);
    }
}

/// "1 injection", "7 injections".
pub(super) fn plural(n: u8, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
