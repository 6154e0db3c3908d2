//! Unit tests of `brief.rs`.

#![allow(clippy::unwrap_used)]
use super::*;
use crate::dosing::{Field, Measured, PatientInput, StartRequest, Subject, start};
use crate::rules::RuleSet;

fn turner_on_norditropin() -> Document {
    let rules = RuleSet::built_in().unwrap();
    let as_of = "2026-11-22".parse().unwrap();
    let mut req = StartRequest::new(Subject::new(
        "turner",
        as_of,
        PatientInput {
            weight_kg: Some(Measured::plain(24.0, Field::WeightKg)),
            ..Default::default()
        },
    ));
    req.subject.product.product = Some("norditropin".into());
    Document::new("start", as_of, &rules, start(&req, &rules).unwrap())
}

#[test]
fn flags_beyond_twelve_lines_are_counted_the_most_severe_kept() {
    let mut doc = turner_on_norditropin();
    let first = doc.flags[0].clone();
    let info = doc.flags[doc.flags.len() - 1].clone();
    assert_eq!(info.severity, Severity::Info);
    doc.flags = std::iter::repeat_n(first.clone(), 30)
        .chain(std::iter::repeat_n(info, 10))
        .collect();
    let text = anstream::adapter::strip_str(&render_brief(&doc)).to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), MAX_LINES, "{text}");
    assert!(
        lines.iter().all(|l| l.chars().count() <= MAX_WIDTH),
        "{text}"
    );
    let shown = text.matches(first.code.as_str()).count();
    assert!(!text.contains("INFO:"), "the least severe go first: {text}");
    assert!(
        text.ends_with(&format!(" +{} more (see the full output)\n", 40 - shown)),
        "{text}"
    );
}

#[test]
fn no_flags_no_flag_line() {
    let mut doc = turner_on_norditropin();
    doc.flags.clear();
    let text = render_brief(&doc);
    assert!(!text.contains("Flags"));
    assert_eq!(text.lines().count(), 6, "{text}");
}
