//! Sources that support the number: every output's sources are walked, over
//! a corpus of starts and titrations for each indication, product and
//! region. A source of the adult sections is never cited for a child, nor a
//! child's for an adult; the practice summary the product started from is
//! not a source of any dose; every flag's source is listed.

use crate::json;
use serde_json::Value as V;

/// `json` for a corpus: a refused request (exit 2) gives `None`.
fn run(args: &[&str]) -> Option<(i32, V)> {
    let mut all = args.to_vec();
    all.extend(["--format", "json", "--as-of", "2026-11-22"]);
    let out = crate::gh(&all).output().unwrap();
    let code = out.status.code().unwrap();
    serde_json::from_slice(&out.stdout).ok().map(|v| (code, v))
}
use serde_json::Value;

/// Sources that support adult numbers only.
const ADULT_ONLY: &[&str] = &[
    "genotropin-us-pi-2.2",
    "eu-somatropin-adult-4.2",
    "aace-2019",
    "molitch-2011",
    "genotropin-canada-pm",
    "sogroya-us-pi-hepatic",
];
/// Sources that support children's numbers only.
const CHILD_ONLY: &[&str] = &[
    "genotropin-us-pi-2.1",
    "omnitrope-us-pi-2.1",
    "cohen-2007",
    "pes-2016",
    "tanner-1970",
    "straetemans-2018",
    "palmert-2012",
    "genotropin-eu-smpc-4.4-stop",
];

/// The daily somatropin labels' dosing sections.
const DAILY_LABELS: &[&str] = &[
    "genotropin-us-pi-2.1",
    "omnitrope-us-pi-2.1",
    "humatrope-us-pi-2",
    "norditropin-us-pi-2",
    "nutropin-aq-us-pi-2",
    "zomacton-us-pi-2",
];

fn corpus() -> Vec<(bool, Value)> {
    let mut out = Vec::new();
    let children: &[(&str, &[&str])] = &[
        (
            "ghd",
            &[
                "",
                "genotropin",
                "norditropin",
                "humatrope",
                "ngenla",
                "sogroya",
                "skytrofa",
            ],
        ),
        ("turner", &["", "genotropin", "humatrope"]),
        ("sga", &["", "genotropin", "omnitrope"]),
        ("pws", &["", "genotropin"]),
        ("iss", &["", "humatrope"]),
        ("shox", &["", "humatrope"]),
        ("noonan", &["", "norditropin"]),
        ("ckd", &[""]),
    ];
    for (ind, products) in children {
        for product in *products {
            for region in ["us", "eu"] {
                let mut a = vec![
                    "--indication",
                    ind,
                    "--age-years",
                    "9",
                    "--weight-kg",
                    "28",
                    "--sex",
                    "female",
                    "--region",
                    region,
                ];
                if !product.is_empty() {
                    a.extend(["--product", product]);
                }
                let mut s = vec!["start"];
                s.extend(&a);
                if let Some((0 | 4, v)) = run(&s) {
                    out.push((false, v));
                }
                let mut t = vec!["titrate"];
                t.extend(&a);
                t.extend(["--current-mg-per-week", "6", "--igf1-sds", "2.5"]);
                if ["ngenla", "sogroya", "skytrofa"].contains(product) {
                    t.extend(["--last-injection", "2026-11-18"]);
                }
                if let Some((0 | 4, v)) = run(&t) {
                    out.push((false, v));
                }
            }
        }
    }
    for ind in ["adult-ghd", "transition"] {
        for product in ["", "genotropin", "norditropin", "sogroya"] {
            for region in ["us", "eu"] {
                let mut a = vec![
                    "--indication",
                    ind,
                    "--age-years",
                    "40",
                    "--weight-kg",
                    "70",
                    "--sex",
                    "male",
                    "--region",
                    region,
                ];
                if !product.is_empty() {
                    a.extend(["--product", product]);
                }
                let mut s = vec!["start"];
                s.extend(&a);
                if let Some((0, v)) = run(&s) {
                    out.push((true, v));
                }
                let mut t = vec!["titrate"];
                t.extend(&a);
                if product == "sogroya" {
                    t.extend([
                        "--current-mg-per-week",
                        "2",
                        "--last-injection",
                        "2026-11-19",
                    ]);
                } else {
                    t.extend(["--current-mg-per-day", "0.5"]);
                }
                t.extend(["--igf1-sds", "2.4"]);
                if let Some((0, v)) = run(&t) {
                    out.push((true, v));
                }
            }
        }
    }
    out
}

#[test]
fn every_outputs_sources_support_its_population_and_its_flags() {
    let all = corpus();
    assert!(all.len() > 60, "{}", all.len());
    for (adult, v) in &all {
        let ids: Vec<&str> = v["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        let what = format!(
            "{} {} {}",
            v["command"], v["indication"]["id"], v["product"]["id"]
        );
        for s in v["sources"].as_array().unwrap() {
            assert!(!s["citation"].as_str().unwrap().is_empty(), "{what}");
        }
        assert!(!ids.contains(&"practice-guide-2025"), "{what}: {ids:?}");
        let wrong = if *adult { CHILD_ONLY } else { ADULT_ONLY };
        for id in &ids {
            assert!(!wrong.contains(id), "{what} cites {id}: {ids:?}");
        }
        // A weekly product's numbers are its own label's, never the daily ones'.
        if ["ngenla", "sogroya", "skytrofa"].contains(&v["product"]["id"].as_str().unwrap_or("")) {
            for id in &ids {
                assert!(!DAILY_LABELS.contains(id), "{what} cites {id}");
            }
        }
        for f in v["flags"].as_array().unwrap() {
            let src = f["source"].as_str().unwrap();
            assert!(
                ids.contains(&src),
                "{what}: flag {} cites {src}, not listed",
                f["code"]
            );
        }
    }
}

#[test]
fn a_pediatric_cut_by_the_protocol_cites_the_protocol_and_its_label() {
    let (_, v) = json(&[
        "titrate",
        "--indication",
        "ghd",
        "--product",
        "sogroya",
        "--age-years",
        "8",
        "--weight-kg",
        "30",
        "--current-mg-per-week",
        "4.8",
        "--last-injection",
        "2026-11-18",
        "--igf1-sds",
        "2.5",
    ]);
    let ids = v["sources"].to_string();
    for id in ["gh-dose-protocol", "ngenla-eu-smpc-4.2", "igf1-ceiling"] {
        assert!(ids.contains(id), "{id}: {ids}");
    }
    assert!(!ids.contains("genotropin-us-pi-2.2"), "{ids}");
    assert!(
        v["rationale"]
            .to_string()
            .contains("the rule set's pediatric rule applies (a protocol row, grade P")
    );
}
