//! Rule and product tables beyond the built-in labels: a protocol dosed
//! with RULES_OUTSIDE_LABEL naming its rows, listed by `rules check`, never
//! on the built-in tables; a contraindication never downgraded; the widest
//! tables a file may hold dosed without a panic.

use super::support::{PRODUCTS, RULES, edit, refused, write};
use super::{codes, gh, json, titrate};

#[test]
fn doses_on_the_widest_tables_never_panic() {
    // Every input limit at the edge of its physical band.
    let mut text = RULES.to_string();
    for (key, widest) in [
        (
            "weight_kg = { min = 0.5, max = 250.0 }",
            "{ min = 0.0, max = 700.0 }",
        ),
        (
            "height_cm = { min = 20.0, max = 250.0 }",
            "{ min = 0.0, max = 300.0 }",
        ),
        (
            "dose_mg = { min = 0.0, max = 100.0 }",
            "{ min = 0.0, max = 200.0 }",
        ),
        (
            "current_adult_mg_per_day = { min = 0.05, max = 3.0 }",
            "{ min = 0.0, max = 20.0 }",
        ),
        (
            "current_child_mg_per_kg_week = { min = 0.05, max = 1.0 }",
            "{ min = 0.0, max = 2.0 }",
        ),
        (
            "current_weekly_adult_mg_per_week = { min = 0.1, max = 16.0 }",
            "{ min = 0.0, max = 200.0 }",
        ),
    ] {
        let name = key.split(" = ").next().unwrap();
        text = text.replacen(key, &format!("{name} = {widest}"), 1);
    }
    let f = write(&text);
    let path = f.path().to_str().unwrap();
    let visit = "--igf1-sds -3 --last-injection 2026-11-18 --igf1-date 2026-11-21";
    for product in [
        "",
        "--product norditropin",
        "--product skytrofa",
        "--product ngenla",
        "--product sogroya",
        "--product genotropin",
    ] {
        for (ind, kg, mg) in [
            ("ghd", "700", "200"),
            ("ghd", "0.001", "0.001"),
            ("adult-ghd", "700", "20"),
            ("pws", "700", "200"),
        ] {
            let supply = if product.is_empty() {
                ""
            } else {
                "--supply-days 366 --region eu"
            };
            let common = format!(
                "--indication {ind} --weight-kg {kg} --age-years 10 --rules {path} --as-of 2026-11-22 --format json {product} {supply}"
            );
            for args in [
                format!("start {common}"),
                format!("titrate {common} --current-mg-per-week {mg} {visit}"),
            ] {
                let argv: Vec<&str> = args.split_whitespace().collect();
                let code = gh(&argv).output().unwrap().status.code();
                assert!(matches!(code, Some(0 | 2 | 4)), "{args}: {code:?}");
            }
        }
    }
}

/// A clinic's protocol: Turner syndrome up to 1.5 mg/kg/week (inside the
/// physical band, three times the labelled ceiling) and an adult cap of
/// 10 mg/day.
fn beyond_the_label() -> String {
    RULES
        .replacen(
            "mg_per_kg_week = { min = 0.33, max = 0.45 }\nstart_mg_per_kg_week = 0.33\nceiling_mg_per_kg_week = 0.47",
            "mg_per_kg_week = { min = 0.33, max = 1.5 }\nstart_mg_per_kg_week = 1.5\nceiling_mg_per_kg_week = 1.5",
            1,
        )
        .replacen("cap_without_weight_mg_per_day = 1.33", "cap_without_weight_mg_per_day = 10.0", 1)
}

fn has_flag(v: &serde_json::Value) -> bool {
    codes(v).iter().any(|c| c == "RULES_OUTSIDE_LABEL")
}

fn says(v: &serde_json::Value, line: &str) -> bool {
    v["rationale"].as_array().unwrap().iter().any(|l| l == line)
}

#[test]
fn a_protocol_beyond_the_label_is_dosed_with_a_warning_naming_its_rows() {
    let f = write(&beyond_the_label());
    let path = f.path().to_str().unwrap();
    let (code, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--rules",
        path,
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 36.0);
    let flags = v["flags"].as_array().unwrap();
    let flag = flags
        .iter()
        .find(|f| f["code"] == "RULES_OUTSIDE_LABEL")
        .unwrap();
    assert_eq!(
        (&flag["severity"], &flag["source"]),
        (&"warning".into(), &"gh-dose-protocol".into())
    );
    for row in [
        "turner: mg_per_kg_week.max 1.5 mg/kg/week is above the built-in ceiling 0.47 mg/kg/week",
        "turner: ceiling_mg_per_kg_week 1.5 mg/kg/week is above the built-in ceiling 0.47 mg/kg/week",
        "titration.adult_daily.cap_without_weight_mg_per_day 10 mg/day is above the built-in 1.33 mg/day",
    ] {
        let line = format!("outside the built-in label limits: {row}");
        assert!(says(&v, &line), "{line} not in {:#?}", v["rationale"]);
    }
    // Every dosing output on the table carries it, whatever the indication,
    // a withheld start too (the flag is about the table, not the dose).
    let (code, v) = titrate(&[
        "--indication",
        "adult-ghd",
        "--age-years",
        "45",
        "--current-mg-per-day",
        "0.3",
        "--igf1-sds",
        "-1.5",
        "--last-dose-change",
        "2026-10-01",
        "--rules",
        path,
    ]);
    assert!(code == 0 && has_flag(&v));
    let withheld = [
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--condition",
        "active-malignancy",
    ];
    let (code, v) = json(&[&withheld[..], &["--rules", path]].concat());
    assert!(code == 4 && has_flag(&v));
    // rules check accepts the file: it is valid, only beyond the label.
    let (code, v) = json(&["rules", "check", path]);
    assert_eq!((code, &v["valid"]), (0, &serde_json::json!(true)));
}

#[test]
fn the_built_in_tables_carry_no_outside_label_warning() {
    // A byte-for-byte copy, and a copy with a comment (compared row by row).
    for extra in ["", "\n# the clinic's copy\n"] {
        let rules = write(&format!("{RULES}{extra}"));
        let products = write(&format!("{PRODUCTS}{extra}"));
        let tables = format!(
            "--rules {} --products {}",
            rules.path().display(),
            products.path().display()
        );
        for args in [
            "start --indication turner --weight-kg 24",
            "start --indication adult-ghd --age-years 70 --product sogroya",
            "start --indication ghd --weight-kg 30 --age-years 8 --product skytrofa",
        ] {
            for with in [format!("{args} {tables}"), args.to_string()] {
                let argv: Vec<&str> = with.split_whitespace().collect();
                let (code, v) = json(&argv);
                assert!(code == 0 && !has_flag(&v), "{with}");
            }
        }
    }
}

#[test]
fn a_product_table_beyond_its_label_is_flagged_too() {
    let f = write(&PRODUCTS.replacen("max_mg_per_week = 8.0", "max_mg_per_week = 12.0", 1));
    let path = f.path().to_str().unwrap();
    let (code, v) = json(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--age-years",
        "10",
        "--products",
        path,
    ]);
    assert!(code == 0 && has_flag(&v));
    let row = "product sogroya label adult-ghd US: max_mg_per_week 12 mg/week is above the built-in 8 mg/week";
    assert!(
        says(&v, &format!("outside the built-in label limits: {row}")),
        "{:#?}",
        v["rationale"]
    );
}

#[test]
fn a_contraindication_cannot_be_downgraded_by_a_rule_file() {
    for flag in [
        "ACTIVE_MALIGNANCY",
        "PWS_CONTRAINDICATION",
        "INTRACRANIAL_HYPERTENSION",
    ] {
        let from = format!("[flags.{flag}]\nseverity = \"block\"");
        let (text, (line, col)) = edit(RULES, &from, &from.replace("block", "info"), "\"info\"");
        let f = write(&text);
        let path = f.path().to_str().unwrap();
        let want = format!(
            "error: {path}:{line}:{col}: flag {flag} is a block (a contraindication: the dose is withheld) and cannot be downgraded to info by a rule file"
        );
        for args in [
            format!("rules check {path}"),
            format!("start --indication ghd --weight-kg 30 --rules {path}"),
        ] {
            assert_eq!(refused(&args, 3).trim_end(), want);
        }
    }
    // A warning lowered to info is the protocol's choice, and said.
    let from = "[flags.GLUCOSE_MONITORING]\nseverity = \"warning\"";
    let f = write(&RULES.replacen(from, &from.replace("warning", "info"), 1));
    let (code, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--rules",
        f.path().to_str().unwrap(),
    ]);
    assert!(code == 0 && has_flag(&v));
    let row = "flag GLUCOSE_MONITORING: severity info where the built-in tables say warning";
    assert!(says(
        &v,
        &format!("outside the built-in label limits: {row}")
    ));
}

#[test]
fn rules_check_lists_the_rows_beyond_the_label_as_warnings() {
    let text = gh_dose::api::rules::BUILT_IN.replacen(
        "ceiling_mg_per_kg_week = 0.47",
        "ceiling_mg_per_kg_week = 1.5",
        1,
    );
    assert!(text != gh_dose::api::rules::BUILT_IN);
    let path = std::env::temp_dir().join(format!("gh-dose-check-{}.toml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    let human = super::gh(&["rules", "check", p, "--format", "human"])
        .output()
        .unwrap();
    let json = super::gh(&["rules", "check", p, "--format", "json"])
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(human.status.code(), Some(0));
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("warning: ") && text.contains("outside the built-in label limits: turner: ceiling_mg_per_kg_week 1.5 mg/kg/week is above the built-in ceiling 0.47"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        v["outside_label"][0]
            .as_str()
            .unwrap()
            .starts_with("turner: ceiling_mg_per_kg_week 1.5"),
        "{v}"
    );
    // The built-in table itself has none.
    let v: serde_json::Value = serde_json::from_slice(
        &super::gh(&[
            "rules",
            "check",
            "data/indications.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap()
        .stdout,
    )
    .unwrap();
    assert_eq!(v["outside_label"], serde_json::json!([]));
}
