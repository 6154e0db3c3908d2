//! `--product`: label ranges, deliverable doses on real presentations,
//! weekly analogues, supply, and refusals.

use super::{codes, fails, json};

/// Skytrofa US section 2 Table 1: every band edge gives the label's dose and cartridges.
#[test]
fn skytrofa_every_band_edge() {
    let table: &[(&str, f64, &str, u8)] = &[
        ("11.5", 3.0, "skytrofa-3", 1),
        ("13.9", 3.0, "skytrofa-3", 1),
        ("14", 3.6, "skytrofa-3.6", 1),
        ("16.4", 3.6, "skytrofa-3.6", 1),
        ("16.5", 4.3, "skytrofa-4.3", 1),
        ("19.9", 4.3, "skytrofa-4.3", 1),
        ("20", 5.2, "skytrofa-5.2", 1),
        ("23.9", 5.2, "skytrofa-5.2", 1),
        ("24", 6.3, "skytrofa-6.3", 1),
        ("28.9", 6.3, "skytrofa-6.3", 1),
        ("29", 7.6, "skytrofa-7.6", 1),
        ("34.9", 7.6, "skytrofa-7.6", 1),
        ("35", 9.1, "skytrofa-9.1", 1),
        ("41.9", 9.1, "skytrofa-9.1", 1),
        ("42", 11.0, "skytrofa-11", 1),
        ("50.9", 11.0, "skytrofa-11", 1),
        ("51", 13.3, "skytrofa-13.3", 1),
        ("60.4", 13.3, "skytrofa-13.3", 1),
        ("60.5", 15.2, "skytrofa-7.6", 2),
        ("69.9", 15.2, "skytrofa-7.6", 2),
        ("70", 18.2, "skytrofa-9.1", 2),
        ("84.9", 18.2, "skytrofa-9.1", 2),
        ("85", 22.0, "skytrofa-11", 2),
        ("100", 22.0, "skytrofa-11", 2),
    ];
    for (kg, week, device, n) in table {
        let (code, v) = json(&[
            "start",
            "--indication",
            "ghd",
            "--product",
            "skytrofa",
            "--weight-kg",
            kg,
            // 100 kg is within any child's weight at 15 years (172.6 kg).
            "--age-years",
            "15",
        ]);
        assert_eq!(code, 0, "{kg}");
        let d = &v["recommendation"]["dose"]["deliverable"];
        assert_eq!(d["mg_per_week"], *week, "{kg} kg");
        assert_eq!(d["device"], *device, "{kg} kg");
        assert_eq!(d["injections_per_dose"], *n, "{kg} kg");
        assert!(
            v["recommendation"]["dose"]["iu_per_injection"].is_null(),
            "no IU for lonapegsomatropin"
        );
        assert_eq!(v["product"]["labelled"], true);
    }
}

#[test]
fn skytrofa_outside_the_table_is_refused_and_young_age_is_off_label() {
    for kg in ["11.4", "100.1", "5"] {
        let (code, err) = fails(&[
            "start",
            "--indication",
            "ghd",
            "--product",
            "skytrofa",
            "--weight-kg",
            kg,
            "--age-years",
            "8",
            "--confirm",
            "weight",
        ]);
        assert_eq!(code, 2, "{kg}");
        assert!(
            err.contains("is outside the Skytrofa weight-band table (11.5-100 kg)"),
            "{err}"
        );
    }
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--weight-kg",
        "12",
        "--age-years",
        "0.9",
    ]);
    assert_eq!(code, 0);
    assert!(codes(&v).contains(&"OFF_LABEL".to_string()));
    assert_eq!(v["product"]["labelled"], false);
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        3.0
    );
    // EU: 3-18 years.
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--weight-kg",
        "12",
        "--age-years",
        "2",
        "--region",
        "eu",
    ]);
    assert!(codes(&v).contains(&"OFF_LABEL".to_string()));
    let (code, err) = fails(&[
        "start",
        "--indication",
        "adult-ghd",
        "--product",
        "skytrofa",
        "--age-years",
        "40",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "the US label revised 7/2025 (supplement S-008) adds adult growth hormone deficiency"
        ),
        "{err}"
    );
}

#[test]
fn ngenla_50_kg_is_two_injections_from_the_60_mg_pen() {
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "ngenla",
        "--weight-kg",
        "50",
        "--age-years",
        "12",
    ]);
    assert_eq!(code, 0);
    let dose = &v["recommendation"]["dose"];
    assert_eq!(dose["mg_per_week"], 33.0);
    assert_eq!(dose["mg_per_kg_per_week"], 0.66);
    assert!(dose["iu_per_injection"].is_null());
    let d = &dose["deliverable"];
    assert_eq!(d["device"], "ngenla-60");
    assert_eq!(d["increment_mg"], 0.5);
    assert_eq!(d["injections_per_dose"], 2);
    assert_eq!(d["mg_per_injection"], 16.5);
    assert_eq!(d["mg_per_week"], 33.0);
    // 12 kg: 7.92 mg on the 24 mg pen in 0.2 mg steps -> 7.8 (no step inside the point range).
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "ngenla",
        "--weight-kg",
        "12",
        "--age-years",
        "4",
    ]);
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(
        (d["device"].as_str(), d["mg_per_injection"].as_f64()),
        (Some("ngenla-24"), Some(7.8))
    );
    assert!(codes(&v).contains(&"ROUNDED_OUTSIDE_RANGE".to_string()));
    let (code, err) = fails(&[
        "start",
        "--indication",
        "adult-ghd",
        "--product",
        "ngenla",
        "--age-years",
        "40",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("Ngenla is not indicated for adults"), "{err}");
}

#[test]
fn sogroya_adult_starts() {
    let cases: &[(&[&str], f64, f64)] = &[
        // args, mg/week, maximum
        (
            &["--age-years", "45", "--sex", "female", "--oral-estrogen"],
            2.0,
            8.0,
        ),
        (&["--age-years", "70"], 1.0, 8.0),
        (&["--age-years", "45"], 1.5, 8.0),
        // US label: older than 65 years; EU: older than 60.
        (&["--age-years", "62"], 1.5, 8.0),
        (&["--age-years", "62", "--region", "eu"], 1.0, 8.0),
        // Switching from daily: the US label starts like naive; the EU SmPC has its own table.
        (&["--age-years", "45", "--switching-from-daily"], 1.5, 8.0),
        (
            &[
                "--age-years",
                "45",
                "--switching-from-daily",
                "--region",
                "eu",
            ],
            2.0,
            8.0,
        ),
        (
            &[
                "--age-years",
                "45",
                "--switching-from-daily",
                "--region",
                "eu",
                "--oral-estrogen",
            ],
            4.0,
            8.0,
        ),
        (
            &[
                "--age-years",
                "65",
                "--switching-from-daily",
                "--region",
                "eu",
            ],
            1.5,
            8.0,
        ),
        (
            &[
                "--age-years",
                "45",
                "--condition",
                "hepatic-impairment-moderate",
            ],
            1.0,
            4.0,
        ),
    ];
    for (args, week, max) in cases {
        let all = [
            &["start", "--indication", "adult-ghd", "--product", "sogroya"][..],
            args,
        ]
        .concat();
        let (code, v) = json(&all);
        assert_eq!(code, 0, "{args:?}");
        let dose = &v["recommendation"]["dose"];
        assert_eq!(dose["mg_per_week"], *week, "{args:?}");
        assert!(dose["mg_per_kg_per_week"].is_null());
        assert_eq!(
            v["recommendation"]["range"]["mg_per_week"]["max"], *max,
            "{args:?}"
        );
        assert_eq!(dose["deliverable"]["mg_per_week"], *week, "{args:?}");
        // The pen that discards least in its 6 weeks of use: 1 mg is 5 whole
        // doses of the 5 mg pen (none discarded); 1.5 mg discards 0.17 mg a
        // dose on either pen (the larger is changed half as often); 2 mg is 5
        // whole doses of the 10 mg pen.
        let pen = if *week <= 1.0 {
            "sogroya-5"
        } else {
            "sogroya-10"
        };
        assert_eq!(dose["deliverable"]["device"], pen, "{args:?}");
    }
    let (code, v) = json(&[
        "start",
        "--indication",
        "adult-ghd",
        "--product",
        "sogroya",
        "--age-years",
        "45",
        "--condition",
        "hepatic-impairment-severe",
    ]);
    assert_eq!(code, 4);
    assert_eq!(v["flags"][0]["code"], "SEVERE_HEPATIC_IMPAIRMENT");
}

#[test]
fn sogroya_pediatric_is_0_16_per_kg() {
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "sogroya",
        "--weight-kg",
        "20",
        "--age-years",
        "6",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 3.2);
    // 3.2 mg exceeds the 5 mg pen's 2 mg per injection: the 10 mg pen (0.05 mg steps, up to 4 mg).
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(
        (d["device"].as_str(), d["mg_per_injection"].as_f64()),
        (Some("sogroya-10"), Some(3.2))
    );
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "sogroya",
        "--weight-kg",
        "14",
        "--age-years",
        "2",
    ]);
    assert!(
        codes(&v).contains(&"OFF_LABEL".to_string()),
        "labelled from 2.5 years"
    );
}

#[test]
fn weekly_products_are_never_converted_from_daily_tables() {
    let (code, err) = fails(&[
        "start",
        "--indication",
        "turner",
        "--product",
        "sogroya",
        "--weight-kg",
        "24",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("sogroya is not labelled for turner"), "{err}");
    assert!(
        err.contains("cannot be derived from the daily somatropin tables"),
        "{err}"
    );
}

#[test]
fn daily_product_not_labelled_is_off_label_and_generic() {
    let (code, v) = json(&[
        "start",
        "--indication",
        "pws",
        "--product",
        "humatrope",
        "--weight-kg",
        "30",
    ]);
    assert_eq!(code, 0);
    assert!(codes(&v).contains(&"OFF_LABEL".to_string()));
    assert_eq!(v["product"]["labelled"], false);
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 7.2);
    assert!(v["recommendation"]["label_range"].is_null());
}

#[test]
fn label_ranges_narrow_the_generic_range() {
    // Humatrope GHD 0.18-0.30 with generic 0.16-0.24: 0.18-0.24, start 0.16 moves to 0.18.
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "humatrope",
        "--weight-kg",
        "30",
    ]);
    let r = &v["recommendation"]["range"]["mg_per_kg_per_week"];
    assert_eq!(
        (r["min"].as_f64(), r["max"].as_f64()),
        (Some(0.18), Some(0.24))
    );
    assert_eq!(v["recommendation"]["dose"]["mg_per_kg_per_week"], 0.18);
    assert_eq!(
        v["recommendation"]["label_range"]["mg_per_kg_per_week"]["max"],
        0.3
    );
    // Genotropin EU: 0.025-0.035 mg/kg/day = 0.175-0.245 mg/kg/week.
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "genotropin",
        "--weight-kg",
        "30",
        "--region",
        "eu",
    ]);
    assert_eq!(
        v["recommendation"]["label_range"]["mg_per_kg_per_week"]["min"],
        0.175
    );
    assert_eq!(
        v["recommendation"]["label_range"]["mg_per_kg_per_week"]["max"],
        0.245
    );
    assert_eq!(v["recommendation"]["dose"]["mg_per_kg_per_week"], 0.175);
    assert_eq!(v["product"]["region"], "EU");
    // Adults: generic 0.1-0.3 with the US label start 0.15-0.30.
    let (_, v) = json(&[
        "start",
        "--indication",
        "adult-ghd",
        "--product",
        "norditropin",
        "--age-years",
        "67",
    ]);
    let r = &v["recommendation"]["range"]["mg_per_day"];
    assert_eq!(
        (r["min"].as_f64(), r["max"].as_f64()),
        (Some(0.15), Some(0.2))
    );
    assert_eq!(v["recommendation"]["dose"]["mg_per_injection"], 0.15);
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_injection"],
        0.15
    );
}

#[test]
fn devices_can_be_forced_and_refuse_what_they_cannot_give() {
    let (_, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--product",
        "norditropin",
        "--weight-kg",
        "24",
        "--device",
        "flexpro-10",
    ]);
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(
        (d["device"].as_str(), d["mg_per_injection"].as_f64()),
        (Some("flexpro-10"), Some(1.15))
    );
    let (code, err) = fails(&[
        "start",
        "--indication",
        "turner",
        "--product",
        "norditropin",
        "--weight-kg",
        "24",
        "--device",
        "flexpro-7",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--device 'flexpro-7' is not a presentation of norditropin (valid: flexpro-5, flexpro-10, flexpro-15, flexpro-30)"), "{err}");
    // Genotropin Pen 5 gives at most 2 mg per injection: 0.24 x 80 kg / 7 = 2.743 mg.
    let (code, err) = fails(&[
        "start",
        "--indication",
        "pws",
        "--product",
        "genotropin",
        "--weight-kg",
        "80",
        "--device",
        "genotropin-pen-5",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--device genotropin-pen-5 cannot deliver 2.743 mg"),
        "{err}"
    );
    let (code, err) = fails(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--device",
        "flexpro-5",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--device needs --product"), "{err}");
}

#[test]
fn unknown_increments_are_not_rounded() {
    let (_, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "genotropin",
        "--weight-kg",
        "30",
    ]);
    let d = &v["recommendation"]["dose"]["deliverable"];
    // 0.685 mg: 17 doses of the 12 mg pen in its 28 days discard less than
    // 7 doses of the 5 mg pen.
    assert_eq!(d["device"], "genotropin-pen-12");
    assert!(d["increment_mg"].is_null());
    assert!(codes(&v).contains(&"NO_DEVICE_ROUNDING".to_string()));
}

#[test]
fn unknown_products_suggest() {
    let (code, err) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "norditropine",
        "--weight-kg",
        "30",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--product 'norditropine' is not a known product (valid: genotropin,"),
        "{err}"
    );
    assert!(err.contains("did you mean 'norditropin'?"), "{err}");
    let (code, err) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "saizen",
        "--weight-kg",
        "30",
        "--injections-per-week",
        "5",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--injections-per-week must be one of 3, 6, 7 for saizen (got 5)"),
        "{err}"
    );
}

#[test]
fn three_injections_a_week_on_saizen() {
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "saizen",
        "--weight-kg",
        "30",
        "--injections-per-week",
        "3",
    ]);
    assert_eq!(code, 0);
    // Saizen US: 0.18 mg/kg/week; 5.4 mg / 3 = 1.8 mg per injection.
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 5.4);
    assert_eq!(v["recommendation"]["dose"]["mg_per_injection"], 1.8);
}

#[test]
fn products_lists_every_product() {
    let (code, v) = json(&["products"]);
    assert_eq!(code, 0);
    let ids: Vec<&str> = v["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "genotropin",
            "humatrope",
            "norditropin",
            "nutropin-aq",
            "omnitrope",
            "saizen",
            "zomacton",
            "sogroya",
            "skytrofa",
            "ngenla"
        ]
    );
    let ngenla = &v["products"][9];
    assert_eq!(ngenla["molecule"], "somatrogon");
    assert_eq!(ngenla["schedule"], "weekly");
    assert_eq!(ngenla["devices"][1]["max_dose_mg"], 30.0);
}

#[test]
fn a_label_that_does_not_overlap_the_generic_range_wins() {
    // EU Prader-Willi: 0.035 mg/kg/day = 0.245 mg/kg/week, the generic table says 0.24.
    let (code, v) = json(&[
        "start",
        "--indication",
        "pws",
        "--weight-kg",
        "30",
        "--product",
        "omnitrope",
        "--region",
        "eu",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["product"]["labelled"], true);
    assert!(!codes(&v).contains(&"OFF_LABEL".to_string()));
    assert_eq!(v["recommendation"]["dose"]["mg_per_kg_per_week"], 0.245);
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 7.35);
}

#[test]
fn labels_as_of_2026_name_their_revision_and_what_is_not_encoded() {
    // Sogroya's 2/2026 US indications are refused naming the revision.
    for ind in ["iss", "sga", "noonan"] {
        let (code, err) = crate::fails(&[
            "start",
            "--indication",
            ind,
            "--product",
            "sogroya",
            "--age-years",
            "8",
            "--weight-kg",
            "25",
        ]);
        assert_eq!(code, 2);
        assert!(
            err.starts_with(&format!(
                "error: --product sogroya for {ind}: the US label revised 2/2026 adds"
            )),
            "{err}"
        );
        assert!(err.contains("its dose is not yet in the rule set"), "{err}");
    }
    // Turner is not in it: refused as not labelled.
    let (_, err) = crate::fails(&[
        "start",
        "--indication",
        "turner",
        "--product",
        "sogroya",
        "--age-years",
        "8",
        "--weight-kg",
        "25",
    ]);
    assert!(err.contains("is not labelled for turner"), "{err}");
    // Every product states the revision each region's rows were read from.
    let (_, v) = json(&["products"]);
    for p in v["products"].as_array().unwrap() {
        let revs = p["label_revisions"].as_array().unwrap();
        assert!(!revs.is_empty(), "{}", p["id"]);
        for l in p["labels"].as_array().unwrap() {
            assert!(
                revs.iter().any(|r| r["region"] == l["region"]),
                "{} {}",
                p["id"],
                l["region"]
            );
        }
    }
    let sky = v["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "skytrofa")
        .unwrap();
    assert_eq!(sky["label_revisions"][0]["current"], "2025-08");
    // An older revision read is marked in the dosing output.
    let (_, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--product",
        "humatrope",
        "--age-years",
        "8",
        "--weight-kg",
        "25",
    ]);
    assert!(
        v["rationale"]
            .to_string()
            .contains("Humatrope US label: rows read from: 2024-11; current revision: 2025-11")
    );
}

#[test]
fn a_dose_on_a_pen_whose_step_is_not_stated_is_a_dose_to_dial() {
    let out = crate::gh(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "sogroya",
        "--age-years",
        "8",
        "--weight-kg",
        "31",
        "--format",
        "human",
        "--as-of",
        "2026-11-22",
    ])
    .output()
    .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "  To dial       4.96 mg (0.496 mL) on Sogroya 15 mg/1.5 mL pen (red) (its dose"
        ),
        "{text}"
    );
    assert!(!text.contains("Deliverable"), "{text}");
    // A pen with a stated step is a deliverable dose.
    let out = crate::gh(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "norditropin",
        "--age-years",
        "8",
        "--weight-kg",
        "31",
        "--format",
        "human",
        "--as-of",
        "2026-11-22",
    ])
    .output()
    .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("  Deliverable ")
    );
}
