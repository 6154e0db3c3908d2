//! `chart growth` and `chart titration` end to end.

use super::{first_two, run};
use crate::{fails, gh};

#[test]
fn charts_are_svg_with_one_point_per_visit_and_the_same_bytes_twice() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let (code, _) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--height-cm",
        "125",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0);
    let growth = dir.path().join("growth.svg");
    let titration = dir.path().join("titration.svg");
    let draw = |args: &[&str]| {
        let out = gh(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
    };
    let g = growth.to_str().unwrap();
    let t = titration.to_str().unwrap();
    draw(&[
        "chart",
        "growth",
        r,
        "-o",
        g,
        "--father-height-cm",
        "178",
        "--mother-height-cm",
        "163",
    ]);
    draw(&["chart", "titration", r, "-o", t]);
    let count = |svg: &str, class: &str| {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.split_whitespace().any(|t| t == class))
            })
            .count()
    };
    let gs = std::fs::read_to_string(&growth).unwrap();
    assert_eq!(count(&gs, "visit"), 3);
    assert_eq!(count(&gs, "visit-weight"), 3);
    assert_eq!(count(&gs, "dose-change"), 2, "a start and a decrease");
    assert!(gs.contains("Turner") && gs.contains("built-in 2026.11"));
    let ts = std::fs::read_to_string(&titration).unwrap();
    assert_eq!(count(&ts, "visit"), 2, "the visits with an IGF-1");
    assert_eq!(count(&ts, "decision"), 3);
    // The same record, the same bytes; to stdout with -o -.
    let out = gh(&["chart", "titration", r, "-o", "-"]).output().unwrap();
    assert_eq!(out.stdout, ts.as_bytes());
    draw(&[
        "chart",
        "growth",
        r,
        "-o",
        g,
        "--father-height-cm",
        "178",
        "--mother-height-cm",
        "163",
    ]);
    assert_eq!(std::fs::read_to_string(&growth).unwrap(), gs);
    // Refusals: a parent's height in metres, an empty record, a bad record.
    let (c, err) = fails(&[
        "chart",
        "growth",
        r,
        "-o",
        g,
        "--father-height-cm",
        "1.78",
        "--mother-height-cm",
        "163",
    ]);
    assert_eq!(c, 2);
    assert!(
        err.starts_with("error: --father-height-cm refused: a parent's height (cm) must be from 100 to 250; got 1.78"),
        "{err}"
    );
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let (c, err) = fails(&["chart", "titration", empty.to_str().unwrap(), "-o", t]);
    assert_eq!(c, 2);
    assert!(err.contains("nothing to draw"), "{err}");
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{}\n").unwrap();
    let (c, err) = fails(&["chart", "growth", bad.to_str().unwrap(), "-o", g]);
    assert_eq!(c, 3);
    assert!(
        err.starts_with(&format!("error: {}:1:", bad.display())),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&growth).unwrap(),
        gs,
        "a refused chart leaves the file"
    );
}

/// An adult's record: a start and a titration on daily somatropin.
fn adult(dir: &std::path::Path) -> std::path::PathBuf {
    let rec = dir.join("adult.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "adult-ghd",
        "--sex",
        "female",
        "--birth-date",
        "1980-03-01",
        "--weight-kg",
        "70",
        "--height-cm",
        "165",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "70",
        "--igf1-sds",
        "-1.5",
        "--as-of",
        "2026-03-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    rec
}

#[test]
fn an_adults_growth_chart_is_refused_and_the_titration_is_in_mg_per_day() {
    let dir = tempfile::tempdir().unwrap();
    let rec = adult(dir.path());
    let r = rec.to_str().unwrap();
    let g = dir.path().join("g.svg");
    let (code, err) = fails(&["chart", "growth", r, "-o", g.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: nothing to draw: the record is of an adult (adult-ghd, 46 years on 2026-03-10): a growth chart is drawn for children; chart titration draws the course\n"
    );
    assert!(!g.exists(), "no empty chart is written");
    let out = gh(&["chart", "titration", r, "-o", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let svg = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let text: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(text.contains(&"Dose (mg/day)"), "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.ends_with("increase 0.2 mg/day -> 0.4 mg/day")),
        "{text:?}"
    );
}

#[test]
fn a_label_is_in_the_title_escaped_and_held_to_one_short_line() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    for kind in ["growth", "titration"] {
        let out = gh(&["chart", kind, r, "-o", "-", "--label", "MRN <42> & co"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(svg.contains(">MRN &lt;42&gt; &amp; co: "), "{kind}");
        roxmltree::Document::parse(&svg).unwrap();
    }
    let long = "x".repeat(81);
    let (code, err) = fails(&["chart", "titration", r, "-o", "-", "--label", &long]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --label is 81 characters long; at most 80 are allowed\n"
    );
    let (code, err) = fails(&["chart", "growth", r, "-o", "-", "--label", "a\nb"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --label holds a control character (a line break, a tab)\n"
    );
}
