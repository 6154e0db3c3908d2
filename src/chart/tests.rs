//! The charts on a three-visit Turner course (start, a decrease for a high
//! IGF-1, an increase), checked as XML.

use super::*;
use crate::rules::RuleSet;

// Three lines as `start`/`titrate --record` write them.
const LINE1: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-01-10","command":"start","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":24.0,"height_cm":118.0,"height_sds":1.53,"height_sds_source":"turner-lyon1985-height","bmi":17.2,"pubertal":false},"igf1":null,"dose_before":null,"dose":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":0.335},"decision":{"action":"start","change_percent":null,"reduced_for_igf1":false,"flags":["GLUCOSE_MONITORING","FUNDOSCOPY"],"next_review":{"earliest":"2026-04-10","latest":"2026-07-10"},"from_record":[],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"b89b90b48b4b72f807c20ff39f4ee0ad3dea721c5c73ba7ddcbc5ea56e0dfff6","products_sha256":"3c391ab39210113a1e04962a2c70f41f580c358d5b6e1ad06cf5b0f7fcf1b16a"},"gh_dose_version":"0.1.0"}"#;
const LINE2: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-07-10","command":"titrate","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":26.0,"height_cm":122.0,"height_sds":1.85,"height_sds_source":"turner-lyon1985-height","bmi":17.5,"pubertal":false},"igf1":{"given":"+2.6 SDS","ng_ml":null,"sds":2.6,"method":"reported","reference":null,"date":null},"dose_before":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":null},"dose":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.0,"mg_per_week":7.0,"mg_per_kg_per_week":0.269},"decision":{"action":"decrease","change_percent":-13.0,"reduced_for_igf1":true,"flags":["IGF1_ABOVE_RANGE","GLUCOSE_MONITORING"],"next_review":{"earliest":"2026-10-10","latest":"2027-01-10"},"from_record":["sex","birth_date","indication","product","device","current_mg_per_week","last_dose_change","previous_weight_kg","previous_height_cm","treatment_start"],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"b89b90b48b4b72f807c20ff39f4ee0ad3dea721c5c73ba7ddcbc5ea56e0dfff6","products_sha256":"3c391ab39210113a1e04962a2c70f41f580c358d5b6e1ad06cf5b0f7fcf1b16a"},"gh_dose_version":"0.1.0"}"#;
const LINE3: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2027-01-10","command":"titrate","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":28.0,"height_cm":125.0,"height_sds":1.95,"height_sds_source":"turner-lyon1985-height","bmi":17.9,"pubertal":false},"igf1":{"given":"+1 SDS","ng_ml":null,"sds":1.0,"method":"reported","reference":null,"date":null},"dose_before":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.0,"mg_per_week":7.0,"mg_per_kg_per_week":null},"dose":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.05,"mg_per_week":7.35,"mg_per_kg_per_week":0.263},"decision":{"action":"increase","change_percent":5.0,"reduced_for_igf1":false,"flags":["DOSE_BELOW_RANGE","GLUCOSE_MONITORING"],"next_review":{"earliest":"2027-04-10","latest":"2027-07-10"},"from_record":["sex","birth_date","indication","product","device","current_mg_per_week","last_dose_change","previous_weight_kg","previous_height_cm","treatment_start"],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"b89b90b48b4b72f807c20ff39f4ee0ad3dea721c5c73ba7ddcbc5ea56e0dfff6","products_sha256":"3c391ab39210113a1e04962a2c70f41f580c358d5b6e1ad06cf5b0f7fcf1b16a"},"gh_dose_version":"0.1.0"}"#;

fn rules() -> RuleSet {
    RuleSet::built_in().unwrap()
}

fn course_of(lines: &[String]) -> Course {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    crate::record::read_from(text.as_bytes(), "test.jsonl").unwrap()
}

fn sample() -> Course {
    course_of(&[LINE1.into(), LINE2.into(), LINE3.into()])
}

/// The sample's lines with a change made to each line's JSON.
fn edited(edit: impl Fn(usize, &mut serde_json::Value)) -> Course {
    let lines: Vec<String> = [LINE1, LINE2, LINE3]
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            edit(i, &mut v);
            v.to_string()
        })
        .collect();
    course_of(&lines)
}

const PARENTS: Parents = Parents {
    father_cm: 178.0,
    mother_cm: 163.0,
};

/// The elements of a class.
fn class_count(doc: &roxmltree::Document<'_>, class: &str) -> usize {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split_whitespace().any(|t| t == class))
        })
        .count()
}

/// All the text of the document, unescaped, one node a line.
fn texts(doc: &roxmltree::Document<'_>) -> String {
    doc.descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap()
}

#[test]
fn the_growth_chart_has_a_marker_per_visit_and_names_its_sources() {
    let rules = rules();
    let svg = growth_svg(&sample(), &rules, None, None).unwrap();
    assert!(svg.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- gh-dose chart -->\n<svg xmlns="
    ));
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("viewBox"), Some("0 0 900.00 732.00"));
    assert_eq!(class_count(&doc, "visit"), 3);
    assert_eq!(class_count(&doc, "visit-weight"), 3);
    assert_eq!(class_count(&doc, "dose-change"), 3);
    assert_eq!(class_count(&doc, "target"), 0);
    let text = texts(&doc);
    for p in ["P3", "P10", "P25", "P50", "P75", "P90", "P97"] {
        assert!(text.lines().any(|l| l == p), "{p}");
    }
    assert!(
        text.contains("Height and weight - Turner syndrome"),
        "{text}"
    );
    assert!(text.contains("Age (years)") && text.contains("Height (cm)"));
    assert!(text.contains("Weight (kg)"));
    assert!(text.contains("Turner syndrome height-for-age, girls, 1 to 20 years (Lyon 1985)"));
    assert!(text.contains("CDC 2000 weight-for-age, 2 to 20 years"));
    assert!(text.contains("Rule set: built-in 2026.11 (sha256 b89b90b48b4b)"));
    assert!(text.contains("target height: not drawn (no parents' heights)"));
    assert!(
        text.contains("2026-07-10 decrease 8.05 mg/week -> 7 mg/week"),
        "{text}"
    );
    assert!(text.contains("2026-01-10 start 8.05 mg/week"));
    assert!(text.contains("2026-01-10: age 7.86 y, height 118 cm, height SDS +1.53"));
}

#[test]
fn parents_add_the_target_height() {
    let rules = rules();
    let svg = growth_svg(&sample(), &rules, Some(&PARENTS), None).unwrap();
    let doc = parse(&svg);
    assert_eq!(class_count(&doc, "target"), 1);
    let text = texts(&doc);
    // (178 + 163 - 13) / 2 = 164, +/- 8.5.
    assert!(
        text.contains(
            ": 164 cm, range 155.5-172.5 cm (general formula; lower in Turner syndrome)."
        ),
        "{text}"
    );
    assert!(text.lines().any(|l| l == "Target"));
    let bad = Parents {
        father_cm: f64::NAN,
        ..PARENTS
    };
    assert!(growth_svg(&sample(), &rules, Some(&bad), None).is_err());
}

#[test]
fn a_boy_on_cdc_gets_cdc_height_curves() {
    let course = edited(|_, v| {
        v["patient"]["sex"] = "male".into();
        v["indication"] = "ghd".into();
    });
    let doc_text = growth_svg(&course, &rules(), None, None).unwrap();
    let text = texts(&parse(&doc_text));
    assert!(text.contains("CDC 2000 stature-for-age"), "{text}");
    assert!(!text.contains("Turner"));
}

#[test]
fn the_titration_chart_has_a_decision_per_visit() {
    let rules = rules();
    let svg = titration_svg(&sample(), &rules, None).unwrap();
    let doc = parse(&svg);
    assert_eq!(doc.root_element().attribute("height"), Some("590.00"));
    // The start has no IGF-1: two markers, three decisions.
    assert_eq!(class_count(&doc, "visit"), 2);
    assert_eq!(class_count(&doc, "decision"), 3);
    assert_eq!(class_count(&doc, "dose"), 1);
    let text = texts(&doc);
    for label in [
        "start",
        "decrease -13 %",
        "increase +5 %",
        "reduce above +2",
    ] {
        assert!(text.lines().any(|l| l == label), "{label}: {text}");
    }
    assert!(text.contains("Dose (mg/week)") && text.contains("IGF-1 (SDS)"));
    assert!(text.contains("children on daily somatropin: reduce 15 % above +2"));
    // A child's dose is never raised for a low IGF-1: no band, no "raise".
    assert_eq!(class_count(&doc, "band"), 0);
    assert!(!text.contains("raise"), "{text}");
    assert!(text.contains("Rule set: built-in 2026.11 (sha256 b89b90b48b4b)"));
}

/// The y of the one element of a class (the rect's top, the line's y1).
fn ys(doc: &roxmltree::Document<'_>, class: &str, el: &str, attr: &str) -> Vec<String> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split_whitespace().any(|t| t == class))
        })
        .flat_map(|g| g.descendants().filter(|n| n.has_tag_name(el)))
        .map(|n| n.attribute(attr).unwrap_or_default().to_string())
        .collect()
}

/// The sample as a boy with GHD on weekly Sogroya.
fn sogroya_child() -> Course {
    edited(|_, v| {
        v["indication"] = "ghd".into();
        v["patient"]["sex"] = "male".into();
        v["measurements"]["height_sds_source"] = "cdc2000-height".into();
        for key in ["dose", "dose_before"] {
            if v[key].is_object() {
                v[key]["product"] = "sogroya".into();
                v[key]["device"] = "sogroya-10".into();
                v[key]["injections_per_week"] = 1.into();
                let w = v[key]["mg_per_week"].as_f64().unwrap() / 2.0;
                v[key]["mg_per_week"] = w.into();
                v[key]["mg_per_injection"] = w.into();
            }
        }
    })
}

/// The sample as a man with adult GHD on daily somatropin: 0.2, 0.3, 0.4
/// mg/day, or on weekly Sogroya (1.5, 2, 2.5 mg/week) with `weekly`.
fn adult(weekly: bool) -> Course {
    edited(|i, v| {
        v["patient"]["birth_date"] = "1980-03-01".into();
        v["patient"]["sex"] = "male".into();
        v["indication"] = "adult-ghd".into();
        v["measurements"]["height_sds"] = serde_json::Value::Null;
        v["measurements"]["height_sds_source"] = serde_json::Value::Null;
        if i > 0 {
            v["decision"]["action"] = "increase".into();
            v["decision"]["reduced_for_igf1"] = false.into();
        }
        for (key, at) in [("dose_before", i.wrapping_sub(1)), ("dose", i)] {
            if v[key].is_object() {
                let (n, per) = if weekly {
                    (1, 1.5 + 0.5 * at as f64)
                } else {
                    (7, 0.2 + 0.1 * at as f64)
                };
                v[key]["product"] = (if weekly { "sogroya" } else { "norditropin" }).into();
                v[key]["injections_per_week"] = n.into();
                v[key]["mg_per_injection"] = per.into();
                v[key]["mg_per_week"] = (per * f64::from(n)).into();
                v[key]["mg_per_kg_per_week"] = serde_json::Value::Null;
            }
        }
    })
}

#[test]
fn the_band_is_the_one_the_decision_used() {
    let rules = rules();
    // The IGF-1 panel runs from -3 (y 300) to +3 (y 86): +2 is at 121.67,
    // +1 at 157.33, 0 at 193, -2 at 264.33.
    let child = titration_svg(&sogroya_child(), &rules, None).unwrap();
    let doc = parse(&child);
    assert_eq!(ys(&doc, "ceiling", "line", "y1"), ["121.67"]);
    assert_eq!(class_count(&doc, "band"), 0, "a child: only the ceiling");
    let text = texts(&doc);
    assert!(
        text.contains("Sogroya (children): reduce 15 % above +2"),
        "{text}"
    );
    assert!(!text.contains("raise"));
    // An adult on daily somatropin: the target band 0 to +1, the ceiling +2.
    let daily = titration_svg(&adult(false), &rules, None).unwrap();
    let doc = parse(&daily);
    assert_eq!(ys(&doc, "band", "rect", "y"), ["157.33"]);
    assert_eq!(ys(&doc, "band", "rect", "height"), ["35.67"]);
    assert_eq!(ys(&doc, "ceiling", "line", "y1"), ["121.67"]);
    assert!(
        texts(&doc)
            .contains("adults on daily somatropin: raise below 0, target 0 to +1, reduce above +2")
    );
    // An adult on Sogroya: the label's band 0 to +2, not the daily 0 to +1.
    let weekly = titration_svg(&adult(true), &rules, None).unwrap();
    let doc = parse(&weekly);
    assert_eq!(ys(&doc, "band", "rect", "y"), ["121.67"]);
    assert_eq!(ys(&doc, "band", "rect", "height"), ["71.33"]);
    assert!(texts(&doc).contains("Sogroya (adults): raise below 0, reduce above +2"));
}

#[test]
fn each_childrens_product_has_its_labels_rule() {
    let rules = rules();
    let on = |product: &str| {
        edited(|_, v| {
            v["indication"] = "ghd".into();
            v["patient"]["sex"] = "male".into();
            v["measurements"]["height_sds_source"] = "cdc2000-height".into();
            for key in ["dose", "dose_before"] {
                if v[key].is_object() {
                    v[key]["product"] = product.into();
                    v[key]["device"] = serde_json::Value::Null;
                    v[key]["injections_per_week"] = 1.into();
                    v[key]["mg_per_injection"] = v[key]["mg_per_week"].clone();
                }
            }
        })
    };
    let ngenla = titration_svg(&on("ngenla"), &rules, None).unwrap();
    let doc = parse(&ngenla);
    assert_eq!(class_count(&doc, "band"), 0);
    assert!(texts(&doc).contains("Ngenla label: reduce 15 % above +2"));
    // Skytrofa's table moves one strength up at or below -2: a band.
    let skytrofa = titration_svg(&on("skytrofa"), &rules, None).unwrap();
    let doc = parse(&skytrofa);
    assert_eq!(ys(&doc, "band", "rect", "y"), ["121.67"]);
    assert_eq!(ys(&doc, "band", "rect", "height"), ["142.67"]);
    assert!(
        texts(&doc).contains("Skytrofa label table: one strength up at or below -2, down above +2")
    );
}

#[test]
fn dose_changes_have_their_own_marks_and_values() {
    let rules = rules();
    let svg = titration_svg(&sample(), &rules, None).unwrap();
    let doc = parse(&svg);
    let marks: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("dose-change"))
        })
        .map(|g| {
            let title = g
                .children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default();
            (
                g.attribute("class").unwrap_or_default().into(),
                title.into(),
            )
        })
        .collect();
    let want = [
        ("dose-change start", "2026-01-10 start 8.05 mg/week"),
        (
            "dose-change decrease",
            "2026-07-10 decrease 8.05 mg/week -> 7 mg/week",
        ),
        (
            "dose-change increase",
            "2027-01-10 increase 7 mg/week -> 7.35 mg/week",
        ),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(c, t)| (c.to_string(), t.to_string()))
        .collect();
    assert_eq!(marks, want);
    // Each a different shape: a diamond, a triangle down, a triangle up.
    let shapes: Vec<&str> = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("dose-change"))
        })
        .filter_map(|g| g.children().find(|n| n.has_tag_name("path")))
        .filter_map(|p| p.attribute("d"))
        .collect();
    assert_eq!(shapes.len(), 3);
    assert!(
        shapes[0].matches('L').count() == 3,
        "a diamond: {}",
        shapes[0]
    );
    assert!(shapes[1] != shapes[2]);
    let values: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("dose-value"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(values, ["8.05", "7", "7.35"]);
    let text = texts(&doc);
    for entry in ["start", "increase", "decrease", "stop / withhold"] {
        assert!(text.lines().any(|l| l == entry), "legend {entry}");
    }
    // The time axis: ages and the month each age is reached.
    assert!(text.contains("Age (years) and date"));
    assert!(text.lines().any(|l| l == "2026-07"), "{text}");
}

#[test]
fn an_adult_on_daily_somatropin_is_charted_in_mg_per_day() {
    let svg = titration_svg(&adult(false), &rules(), None).unwrap();
    let doc = parse(&svg);
    let text = texts(&doc);
    assert!(
        text.contains("Dose (mg/day)") && !text.contains("mg/week"),
        "{text}"
    );
    assert!(text.contains("2026-07-10 increase 0.2 mg/day -> 0.3 mg/day"));
    let values: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("dose-value"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(values, ["0.2", "0.3", "0.4"]);
    // A weekly product stays in mg/week.
    let weekly = titration_svg(&adult(true), &rules(), None).unwrap();
    assert!(texts(&parse(&weekly)).contains("Dose (mg/week)"));
}

#[test]
fn the_label_opens_the_title_escaped() {
    let rules = rules();
    let label = Some("P-0042 <b>&'x'");
    for svg in [
        titration_svg(&sample(), &rules, label).unwrap(),
        growth_svg(&sample(), &rules, None, label).unwrap(),
    ] {
        assert!(
            svg.contains(">P-0042 &lt;b&gt;&amp;&apos;x&apos;: "),
            "{svg}"
        );
        let text = texts(&parse(&svg));
        assert!(
            text.lines().any(|l| l.starts_with("P-0042 <b>&'x': ")),
            "{text}"
        );
    }
}

#[test]
fn a_withheld_dose_drops_the_step_to_zero() {
    let course = edited(|i, v| {
        if i == 2 {
            v["decision"]["action"] = "withhold".into();
            v["decision"]["change_percent"] = serde_json::Value::Null;
            v["dose"] = serde_json::Value::Null;
            v["igf1"] = serde_json::Value::Null;
        }
    });
    let rules = rules();
    let svg = titration_svg(&course, &rules, None).unwrap();
    let doc = parse(&svg);
    assert_eq!(class_count(&doc, "visit"), 1);
    assert_eq!(class_count(&doc, "decision"), 3);
    assert!(texts(&doc).contains("2027-01-10 withhold 7 mg/week -> no dose"));
    let growth = growth_svg(&course, &rules, None, None).unwrap();
    assert_eq!(class_count(&parse(&growth), "dose-change"), 3);
}

#[test]
fn the_same_record_gives_the_same_bytes() {
    let rules = rules();
    let a = growth_svg(&sample(), &rules, Some(&PARENTS), None).unwrap();
    assert_eq!(
        a,
        growth_svg(&sample(), &rules, Some(&PARENTS), None).unwrap()
    );
    let b = titration_svg(&sample(), &rules, None).unwrap();
    assert_eq!(b, titration_svg(&sample(), &rules, None).unwrap());
}

#[test]
fn hostile_text_is_escaped() {
    let hostile = "<script>alert(1)</script> & \"x\"";
    let course = edited(|_, v| {
        v["indication"] = hostile.into();
        for key in ["dose", "dose_before"] {
            if v[key].is_object() {
                v[key]["product"] = "a&b<c>".into();
            }
        }
    });
    let rules = rules();
    for svg in [
        growth_svg(&course, &rules, None, None).unwrap(),
        titration_svg(&course, &rules, None).unwrap(),
    ] {
        assert!(!svg.contains("<script>") && !svg.contains("a&b"));
        let doc = parse(&svg);
        assert!(texts(&doc).contains(hostile));
    }
    let svg = titration_svg(&course, &rules, Some("band <&>")).unwrap();
    let text = texts(&parse(&svg));
    assert!(text.contains("a&b<c>") && text.contains("band <&>"));
}

#[test]
fn what_cannot_be_drawn_is_refused() {
    let rules = rules();
    let empty = Course::default();
    let e = growth_svg(&empty, &rules, None, None).unwrap_err();
    assert_eq!(e.to_string(), "the record has no visit");
    assert!(titration_svg(&empty, &rules, None).is_err());
    let no_height = edited(|_, v| v["measurements"]["height_cm"] = serde_json::Value::Null);
    let e = growth_svg(&no_height, &rules, None, None).unwrap_err();
    assert_eq!(e.message, "no visit has a height");
    assert!(titration_svg(&no_height, &rules, None).is_ok());
    let mut nan = sample();
    nan.lines[1].visit.measurements.weight_kg = Some(f64::NAN);
    let e = growth_svg(&nan, &rules, None, None).unwrap_err();
    assert_eq!(
        e.message,
        "line 2 (2026-07-10): weight_kg NaN is not a number between 0 and 700"
    );
    // Numbers a course built in memory could hold but no record line can:
    // refused, never drawn or panicking.
    for (what, set) in [
        (
            "weight_kg",
            &(|c: &mut Course| c.lines[1].visit.measurements.weight_kg = Some(f64::MAX))
                as &dyn Fn(&mut Course),
        ),
        ("igf1.sds", &|c: &mut Course| {
            if let Some(i) = c.lines[1].visit.igf1.as_mut() {
                i.sds = Some(-1e308);
            }
        }),
    ] {
        let mut huge = sample();
        set(&mut huge);
        let g = growth_svg(&huge, &rules, None, None);
        let t = titration_svg(&huge, &rules, None);
        let e = if what == "weight_kg" {
            g.unwrap_err()
        } else {
            t.unwrap_err()
        };
        assert!(e.message.contains(what), "{e}");
    }
    // The extremes a record line may hold are drawn.
    let mut edge = sample();
    edge.lines[1].visit.measurements.weight_kg = Some(700.0);
    edge.lines[1].visit.measurements.height_cm = Some(300.0);
    edge.lines[1].visit.measurements.height_sds = Some(-10.0);
    if let Some(i) = edge.lines[1].visit.igf1.as_mut() {
        i.sds = Some(10.0);
    }
    assert!(growth_svg(&edge, &rules, None, None).is_ok());
    assert!(titration_svg(&edge, &rules, None).is_ok());
    let band = super::band::Band {
        target: None,
        ceiling_sds: f64::INFINITY,
        label: String::new(),
        sources: Vec::new(),
    };
    assert!(super::titration::check_band(&band).is_err());
}

#[test]
fn an_adults_growth_chart_is_refused() {
    let course = adult(false);
    let e = growth_svg(&course, &rules(), None, None).unwrap_err();
    assert_eq!(
        e.message,
        "the record is of an adult (adult-ghd, 46.9 years on 2027-01-10): a growth chart is drawn for children; chart titration draws the course"
    );
}

#[test]
fn an_igf1_sample_its_visit_could_not_read_is_a_square_left_out_of_the_line() {
    let rules = rules();
    // The third visit's sample was outside the window: not interpretable.
    let course = edited(|i, v| {
        if i == 2 {
            v["decision"]["flags"] = serde_json::json!(["IGF1_SAMPLE_TIMING"]);
        }
    });
    let svg = titration_svg(&course, &rules, None).unwrap();
    let doc = parse(&svg);
    let marks = |shape: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("visit"))
            .filter(|g| g.descendants().any(|n| n.has_tag_name(shape)))
            .count()
    };
    assert_eq!((marks("circle"), marks("rect")), (1, 1));
    let text = texts(&doc);
    assert!(
        text.contains(
            "2027-01-10: age 8.86 y, IGF-1 +1 SDS (as given: +1 SDS); not interpretable, not joined"
        ),
        "{text}"
    );
    assert!(text.lines().any(|l| l == "not interpretable"), "{text}");
    // The line joins only the samples that can be read: one left, no line.
    let joined = |svg: &str| {
        let doc = parse(svg);
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("1.5"))
            .map(|n| {
                n.attribute("points")
                    .unwrap_or_default()
                    .split_whitespace()
                    .count()
            })
            .next()
    };
    assert_eq!(joined(&svg), None);
    let plain = titration_svg(&sample(), &rules, None).unwrap();
    assert_eq!(joined(&plain), Some(2));
    assert!(
        !texts(&parse(&plain))
            .lines()
            .any(|l| l == "not interpretable")
    );
}
