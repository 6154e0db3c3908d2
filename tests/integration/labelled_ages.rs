//! The labels' ages per indication and region: OFF_LABEL below them, with
//! or without a product; the usual ages of an indication for
//! AGE_INDICATION_MISMATCH.

use crate::{codes, json};
use serde_json::Value;

fn off_label_why(v: &Value) -> Vec<String> {
    v["rationale"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str())
        .filter(|l| l.contains("off-label by age"))
        .map(String::from)
        .collect()
}

fn sga(age: &str, region: &str, product: Option<&str>) -> Value {
    let mut a = vec![
        "start",
        "--indication",
        "sga",
        "--age-years",
        age,
        "--weight-kg",
        "12",
        "--region",
        region,
    ];
    if let Some(p) = product {
        a.extend(["--product", p]);
    }
    json(&a).1
}

#[test]
fn sga_below_the_labelled_age_is_off_label_in_each_region() {
    let v = sga("1.5", "us", None);
    assert!(codes(&v).contains(&"OFF_LABEL".to_string()));
    assert_eq!(
        off_label_why(&v),
        [
            "Small for gestational age without catch-up growth at 1.5 years: labelled from 2 years (no catch-up growth by 2 years; by 2 to 4 years in the Humatrope, Norditropin and Zomacton labels) (US labels): off-label by age"
        ]
    );
    assert!(!codes(&sga("2", "us", None)).contains(&"OFF_LABEL".to_string()));
    // EU: from 4 years, on every product (an EU dose needs one).
    for product in [Some("genotropin"), Some("omnitrope"), Some("norditropin")] {
        let v = sga("3", "eu", product);
        assert!(codes(&v).contains(&"OFF_LABEL".to_string()), "{product:?}");
        assert!(
            off_label_why(&v)[0].contains("labelled from 4 years"),
            "{product:?}"
        );
        assert!(
            v["sources"]
                .to_string()
                .contains("genotropin-eu-smpc-4.4-stop")
        );
        assert!(!codes(&sga("4", "eu", product)).contains(&"OFF_LABEL".to_string()));
    }
}

#[test]
fn transition_is_used_from_15_to_25_years() {
    let t = |age: &str| {
        json(&[
            "start",
            "--indication",
            "transition",
            "--age-years",
            age,
            "--sex",
            "male",
            "--weight-kg",
            "60",
        ])
        .1
    };
    assert!(!codes(&t("16.5")).contains(&"AGE_INDICATION_MISMATCH".to_string()));
    assert!(!codes(&t("25")).contains(&"AGE_INDICATION_MISMATCH".to_string()));
    let v = t("13");
    assert!(codes(&v).contains(&"AGE_INDICATION_MISMATCH".to_string()));
    assert!(v["rationale"].to_string().contains(
        "13 years is outside the usual ages of transition: the transition period runs from late puberty"
    ));
    assert!(v["sources"].to_string().contains("clayton-2005"));
    // Adult GHD keeps the adult age.
    let (_, v) = json(&[
        "start",
        "--indication",
        "adult-ghd",
        "--age-years",
        "16.5",
        "--sex",
        "male",
        "--weight-kg",
        "60",
    ]);
    assert!(codes(&v).contains(&"AGE_INDICATION_MISMATCH".to_string()));
    assert!(
        v["rationale"]
            .to_string()
            .contains("16.5 years for adult-ghd: an adult indication under 18 years")
    );
}

#[test]
fn an_eu_child_is_dosed_only_on_a_products_smpc() {
    // The indications' own ranges are the US labels': 0.47 mg/kg/week for
    // SGA, about double the EU 0.245.
    let (code, err) = crate::fails(&[
        "start",
        "--indication",
        "sga",
        "--weight-kg",
        "20",
        "--age-years",
        "6",
        "--region",
        "eu",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "error: --region eu needs --product for sga: the EU doses are the products' SmPC doses (the indication's own range is the US labels'); give the product, or the US region"
    );
    let (code, v) = json(&[
        "start",
        "--indication",
        "sga",
        "--weight-kg",
        "20",
        "--age-years",
        "6",
        "--region",
        "eu",
        "--product",
        "norditropin",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["dose"]["mg_per_kg_per_week"], 0.245);
}
