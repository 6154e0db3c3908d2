//! `record summary`: one self-contained HTML page for the notes, checked as
//! text and as XML (the rendering in Chromium is tests/render/visit_summary.sh).

use super::{first_two, run};
use crate::{fails, gh};

/// The Turner course of the charts with a third visit, and a second visit's
/// IGF-1 as the laboratory gave it holding markup.
fn course(dir: &std::path::Path) -> std::path::PathBuf {
    let rec = first_two(dir);
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--height-cm",
        "125.5",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let text = std::fs::read_to_string(&rec).unwrap();
    let mut lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines[1]["igf1"]["given"] = "<b>+2.6</b> & \"x\"".into();
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&rec, text).unwrap();
    rec
}

fn summary(args: &[&str]) -> String {
    let out = gh(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_summary_holds_the_decision_the_course_both_charts_and_the_rule_set() {
    let dir = tempfile::tempdir().unwrap();
    let rec = course(dir.path());
    let r = rec.to_str().unwrap();
    let last: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&rec)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    let html = summary(&["record", "summary", r, "-o", "-", "--label", "MRN <7> & co"]);
    assert!(html.starts_with("<!DOCTYPE html>\n<!-- gh-dose visit summary -->\n<html"));
    // Self-contained: no script, nothing fetched.
    for outside in [
        "<script", " src=", "<link", "@import", "url(", "<img", "<iframe",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    // Well-formed (as XML too), with both charts inline.
    let doc = parse(&html);
    let svgs = doc.descendants().filter(|n| n.has_tag_name("svg")).count();
    assert_eq!(svgs, 2);
    let text: String = doc
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n");
    // The last decision: action, dose, device, reasons, flags, next review.
    // (The reduction for IGF-1 +2.6 is kept: growth does not take it back up.)
    assert_eq!(last["decision"]["action"], "maintain");
    for want in [
        "Last decision (2027-01-10, titrate)",
        "MAINTAIN",
        "1 mg x 7 a week = 7 mg/week (0.259 mg/kg/week)",
        "Norditropin (somatropin, daily, US)",
        "Norditropin FlexPro 10 mg/1.5 mL (blue)",
        "1 mg x 7 a week = 7 mg/week",
        "2027-04-10 to 2027-07-10",
        "maintain: 7 mg/week kept",
        "IGF-1 SDS +1 against the regimen's rule: children on daily somatropin: reduce 15 % above +2",
        "DOSE_BELOW_RANGE",
        "GLUCOSE_MONITORING",
        "Growth hormone can reduce insulin sensitivity: monitor glucose",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    // The course: one row a visit, with its values.
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("table") && n.attribute("class") == Some("course"))
        .flat_map(|t| t.children().filter(|n| n.has_tag_name("tr")))
        .collect();
    assert_eq!(rows.len(), 4, "a header and three visits");
    let third: Vec<&str> = rows[2].children().filter_map(|c| c.text()).collect();
    assert_eq!(
        third,
        [
            "2",
            "2026-07-10",
            "8.36",
            "26",
            "122",
            "+2.6",
            "7 mg/week norditropin",
            "decrease -13 %"
        ]
    );
    // The rule set with its sha256 in full, and the sources.
    let sha = last["rules"]["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(text.contains(sha));
    assert!(text.contains("[cohen-2007]"), "{text}");
    // Everything from the record and the command line escaped.
    assert!(html.contains("MRN &lt;7&gt; &amp; co: visit summary - Turner syndrome"));
    assert!(
        !html.contains("<b>+2.6</b>")
            && html.contains("&lt;b&gt;+2.6&lt;/b&gt; &amp; &quot;x&quot;")
    );
    assert!(text.contains("(as given: <b>+2.6</b> & \"x\")"));
    // The same record, the same bytes.
    assert_eq!(
        html,
        summary(&["record", "summary", r, "-o", "-", "--label", "MRN <7> & co"])
    );
}

#[test]
fn the_summary_is_written_like_a_chart_never_over_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let rec = course(dir.path());
    let r = rec.to_str().unwrap();
    let before = std::fs::read(&rec).unwrap();
    let page = dir.path().join("visit.html");
    let p = page.to_str().unwrap();
    assert_eq!(summary(&["record", "summary", r, "-o", p]), "");
    let first = std::fs::read_to_string(&page).unwrap();
    assert!(first.starts_with(crate_mark()));
    // Its own earlier output is replaced.
    assert_eq!(
        summary(&["record", "summary", r, "-o", p, "--label", "P-1"]),
        ""
    );
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("P-1: visit summary")
    );
    // Never the record, even with --force.
    for force in [false, true] {
        let mut args = vec!["record", "summary", r, "-o", r];
        if force {
            args.push("--force");
        }
        let (code, err) = fails(&args);
        assert_eq!(code, 2);
        assert_eq!(
            err,
            format!(
                "error: --output {r}: is the record being summarised: a visit summary never replaces a record\n"
            )
        );
    }
    assert_eq!(std::fs::read(&rec).unwrap(), before);
    // Another file only with --force; a chart is another file.
    let other = dir.path().join("notes.html");
    std::fs::write(&other, "<p>letter</p>").unwrap();
    let o = other.to_str().unwrap();
    let (code, err) = fails(&["record", "summary", r, "-o", o]);
    assert_eq!(code, 2);
    assert!(
        err.ends_with("exists and is not a visit summary gh-dose wrote: give a new file name, or --force to replace it\n"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "<p>letter</p>");
    assert_eq!(summary(&["record", "summary", r, "-o", o, "--force"]), "");
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .starts_with(crate_mark())
    );
    // An empty record: nothing to summarise.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let (code, err) = fails(&["record", "summary", empty.to_str().unwrap(), "-o", "-"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: nothing to summarise: the record has no visit\n"
    );
}

#[test]
fn an_adults_summary_says_why_there_is_no_growth_chart() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("a.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "adult-ghd",
        "--sex",
        "male",
        "--birth-date",
        "1970-05-01",
        "--weight-kg",
        "80",
        "--height-cm",
        "178",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let html = summary(&["record", "summary", r, "-o", "-"]);
    let doc = parse(&html);
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("svg")).count(),
        1
    );
    assert!(html.contains("Growth chart not drawn: the record is of an adult (adult-ghd"));
    assert!(html.contains("0.2 mg/day (0.2 mg x 7 a week)"), "{html}");
}

#[test]
fn a_weekly_products_summary_gives_its_missed_dose_rule_and_a_daily_one_none() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("w.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--weight-kg",
        "30",
        "--height-cm",
        "125",
        "--product",
        "skytrofa",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let html = summary(&["record", "summary", r, "-o", "-"]);
    assert!(
        html.contains("<tr><td>If a dose is missed</td><td>give it as soon as possible within 2 days of the missed day, then keep the usual day; more than 2 days late, skip it and give the next dose on the usual day (Skytrofa label)</td></tr>"),
        "{html}"
    );
    // The Turner course on daily Norditropin: no such row.
    let daily = course(dir.path());
    let html = summary(&["record", "summary", daily.to_str().unwrap(), "-o", "-"]);
    assert!(!html.contains("If a dose is missed"), "{html}");
}

fn crate_mark() -> &'static str {
    "<!DOCTYPE html>\n<!-- gh-dose visit summary -->\n"
}

/// The page as XML (the HTML doctype allowed).
fn parse(html: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(html, options).unwrap()
}
