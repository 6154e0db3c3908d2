//! `gh-dose record show` and `record check` as text: one row per visit,
//! oldest first, with the numbers a clinician scans for (age, weight,
//! height and its SDS, IGF-1 SDS, the dose given from the visit, the
//! decision).

use super::{BOLD, DIM, paint};
use crate::record::{Course, Line, Voided};
use crate::report::record::{RecordCheckDocument, RecordVoidDocument};
use crate::units::fmt_decimal;
use std::fmt::Write;

/// The course as a table.
pub(crate) fn render_course(name: &str, course: &Course) -> String {
    let mut out = String::new();
    let Some(first) = course.lines.first() else {
        let _ = writeln!(out, "{name}: no visit yet");
        cut_note(&mut out, course);
        return out;
    };
    let p = first.visit.patient;
    let voided = if course.voided.is_empty() {
        String::new()
    } else {
        format!(" ({} more entered in error)", course.voided.len())
    };
    let _ = writeln!(
        out,
        "{} - {}, born {} - {} visit{}{voided}",
        paint(BOLD, clean(name)),
        p.sex,
        p.birth_date,
        course.lines.len(),
        if course.lines.len() == 1 { "" } else { "s" }
    );
    let header = format!(
        "{:<4} {:<10} {:>6} {:<10} {:>7} {:>7} {:>6} {:>6} {:>7} {:>9}  {}",
        "line",
        "date",
        "age",
        "indication",
        "wt kg",
        "ht cm",
        "HSDS",
        "IGF-1",
        "mg/inj",
        "mg/week",
        "decision"
    );
    let _ = writeln!(out, "{}", paint(DIM, header));
    // Every visit in line order; one entered in error is shown, marked.
    let mut all: Vec<(&Line, Option<&Voided>)> = course.lines.iter().map(|l| (l, None)).collect();
    all.extend(course.voided.iter().map(|v| (&v.line, Some(v))));
    all.sort_by_key(|(l, _)| l.number);
    for (l, voided) in all {
        row(&mut out, l, voided);
    }
    if let Some(last) = course.last() {
        let r = &last.visit.rules;
        let _ = writeln!(
            out,
            "{}",
            paint(
                DIM,
                format!(
                    "rules of the last visit: {} {} (sha256 {})",
                    clean(&r.source),
                    clean(&r.version),
                    clean(r.sha256.get(..12).unwrap_or(&r.sha256))
                )
            )
        );
    }
    cut_note(&mut out, course);
    out
}

fn row(out: &mut String, l: &Line, voided: Option<&Voided>) {
    let v = &l.visit;
    let age = crate::growth::decimal_age(v.patient.birth_date, v.date).unwrap_or_default();
    let num = |x: Option<f64>, d: u32| {
        x.map_or("-".to_string(), |x| {
            fmt_decimal((x * 10f64.powi(d as i32)).round() as i64, d)
        })
    };
    let sds = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:+.1}"));
    let m = &v.measurements;
    // Per injection (what the pen dials; a daily dose per day) and per week.
    let per_injection = v.dose.as_ref().map_or("-".to_string(), |d| {
        let n = if d.injections_per_dose > 1 {
            format!(" x{}", d.injections_per_dose)
        } else {
            String::new()
        };
        format!("{}{n}", num(Some(d.mg_per_injection), 3))
    });
    let dose = v
        .dose
        .as_ref()
        .map_or("-".to_string(), |d| num(Some(d.mg_per_week), 3));
    let mut decision = v.decision.action.to_string();
    if let Some(pc) = v.decision.change_percent {
        let _ = write!(decision, " {pc:+} %");
    }
    if v.decision.reduced_for_igf1 {
        decision.push_str(" (IGF-1 above the range)");
    }
    if let Some(d) = v.dose.as_ref().and_then(|d| d.device.as_deref()) {
        let _ = write!(decision, " - {}", clean(d));
    }
    if let Some(x) = voided {
        decision = format!(
            "VOID {decision} - entered in error (line {}, {}): {}",
            x.by,
            x.void.date,
            clean(&x.void.reason)
        );
    }
    let _ = writeln!(
        out,
        "{:<4} {:<10} {:>6.2} {:<10} {:>7} {:>7} {:>6} {:>6} {:>7} {:>9}  {decision}",
        l.number,
        v.date,
        age,
        clean(&v.indication),
        num(m.weight_kg, 1),
        num(m.height_cm, 1),
        sds(m.height_sds),
        sds(v.igf1.as_ref().and_then(|i| i.sds)),
        per_injection,
        dose,
    );
}

fn cut_note(out: &mut String, course: &Course) {
    if let Some(n) = course.incomplete {
        let _ = writeln!(
            out,
            "line {n} is cut short (an append that was interrupted): not shown"
        );
    }
}

/// `record check` on a valid record.
pub(crate) fn render_record_check(doc: &RecordCheckDocument) -> String {
    match (&doc.patient, doc.first, doc.last) {
        (Some(p), Some(first), Some(last)) => format!(
            "{}: ok - {} visit{} ({}){}, {} born {}, record_version {}\n",
            clean(&doc.file),
            doc.visits,
            if doc.visits == 1 { "" } else { "s" },
            super::dates(first, last),
            if doc.entered_in_error == 0 {
                String::new()
            } else {
                format!(" and {} entered in error", doc.entered_in_error)
            },
            p.sex,
            p.birth_date,
            doc.record_version
        ),
        _ => format!("{}: ok - no visit yet\n", doc.file),
    }
}

/// `record void`: what was marked.
pub(crate) fn render_record_void(doc: &RecordVoidDocument) -> String {
    format!(
        "{}: line {} (the visit of {}) marked {} by line {}: {}\n",
        clean(&doc.file),
        doc.voids,
        doc.visit_date,
        doc.status,
        doc.line,
        clean(&doc.reason)
    )
}

/// Text from a record made safe for a terminal: control characters (an
/// escape sequence could rewrite the screen) and direction overrides are
/// shown as `\u{..}`.
pub(super) fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_from_a_record_are_shown_not_sent() {
        assert_eq!(clean("flexpro-10"), "flexpro-10");
        assert_eq!(clean("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(clean("x\u{9b}31m\u{7}"), "x\\u{9b}31m\\u{7}");
        assert_eq!(clean("\u{202e}abc"), "\\u{202e}abc");
    }
}
