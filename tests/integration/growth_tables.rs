//! The shipped growth references against their sources: every converted
//! row against the original CSV, the CSV's checksum, CDC's published
//! percentiles, hand-worked Turner examples and values from an independent
//! implementation (rcpchgrowth).

use gh_dose::api::diagnostic::sha256_hex;
use gh_dose::api::growth::{Builtin, Builtin as B, GrowthReference, centile, parse_growth_lms};
use gh_dose::api::vocab::Sex;
use proptest::prelude::*;
use std::collections::HashMap;

/// SHA-256 of each original file, recorded when it was obtained (also
/// listed in docs/growth.md).
const SOURCE_SHA256: [(&str, &str); 7] = [
    (
        "cdc2000-statage.csv",
        "45130d2a9d7c50c54a47e7ba626b66c61d4554bc2d901198cedd9419a53f7251",
    ),
    (
        "cdc2000-wtage.csv",
        "3406c9d125bcb69c062a9e84eb8c0209bfe9346542bdc1d308643750dcc241b7",
    ),
    (
        "cdc2000-bmiage.csv",
        "06682e252c68657d7c6c42f41a19bc8825e3b6f7ca425c5933e79c4a5d79211c",
    ),
    (
        "cdc2000-lenageinf.csv",
        "29e8314f7d3bca09996016395b3480a300e641c14b7d863e908d81bb69d5a345",
    ),
    (
        "cdc2000-wtageinf.csv",
        "73221dd4de82eb9a70c1e6dd45c9b9e285fa1a3d7fff4971c3b85c1be6e5feed",
    ),
    (
        "cdc2000-hcageinf.csv",
        "bf7e2d7af8fdb336f0b159e480414842136da960ea6a730b7e73d1060b4549e9",
    ),
    (
        "turner-lyon1985-height.csv",
        "a796e1d6ba40416044a9a98ab73f263b7077fd654b8087a4fffb08d8e568e791",
    ),
];

/// Phi^-1(0.97); P3 is its negative.
const Z97: f64 = 1.880793608;

fn reference(b: Builtin) -> &'static GrowthReference {
    b.reference().unwrap()
}

/// The source CSV of a built-in: its bytes and its records by column name.
fn source(b: Builtin) -> (Vec<u8>, Vec<HashMap<String, String>>) {
    let file = reference(b).info.source_file.clone().unwrap();
    let bytes = std::fs::read(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader.headers().unwrap().clone();
    let records = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (bytes, records)
}

fn number(record: &HashMap<String, String>, column: &str) -> f64 {
    record[column]
        .parse()
        .unwrap_or_else(|e| panic!("{column}: {e}"))
}

#[test]
fn every_converted_row_is_the_source_row_and_the_checksums_match() {
    for b in Builtin::ALL.iter().copied() {
        let r = reference(b);
        let (bytes, records) = source(b);
        let file = r.info.source_file.as_deref().unwrap();
        let name = file.rsplit('/').next().unwrap();
        let listed = SOURCE_SHA256.iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(sha256_hex(&bytes), listed, "{b}: the source file changed");
        assert_eq!(r.info.source_sha256.as_deref(), Some(listed), "{b}");
        let mut next = HashMap::from([(Sex::Female, 0usize), (Sex::Male, 0usize)]);
        for record in &records {
            let (sex, age) = match record.get("Sex").map(String::as_str) {
                Some("1") => (Sex::Male, number(record, "Agemos") / 12.0),
                Some("2") => (Sex::Female, number(record, "Agemos") / 12.0),
                Some(other) => panic!("{b}: sex {other}"),
                None => (Sex::Female, number(record, "decimal_age")),
            };
            let i = next.get_mut(&sex).unwrap();
            let row = r.rows(sex)[*i];
            *i += 1;
            assert_eq!(row.age_years, age, "{b} {sex} row {i}");
            assert_eq!(row.l, number(record, "L"), "{b} {sex} {age}");
            assert_eq!(row.m, number(record, "M"), "{b} {sex} {age}");
            assert_eq!(row.s, number(record, "S"), "{b} {sex} {age}");
        }
        for sex in Sex::ALL {
            assert_eq!(
                next[sex],
                r.rows(*sex).len(),
                "{b} {sex}: extra rows in the TOML"
            );
        }
        assert!(records.len() >= 20, "{b}");
    }
}

#[test]
fn cdc_published_percentiles_are_reproduced_from_the_lms_rows() {
    let cdc = [
        B::CdcHeight,
        B::CdcLength,
        B::CdcWeight,
        B::CdcWeightInfant,
        B::CdcBmi,
    ];
    for b in cdc.into_iter().chain([B::CdcHeadCircumference]) {
        let r = reference(b);
        let mut worst = 0.0f64;
        for record in source(b).1 {
            let sex = if record["Sex"] == "1" {
                Sex::Male
            } else {
                Sex::Female
            };
            let age = number(&record, "Agemos") / 12.0;
            for (column, z) in [("P3", -Z97), ("P50", 0.0), ("P97", Z97)] {
                let value = r.value_at_sds(sex, age, z).unwrap();
                let diff = (value - number(&record, column)).abs();
                assert!(
                    diff < 0.01,
                    "{b} {sex} {age} {column}: {value} vs {}",
                    record[column]
                );
                worst = worst.max(diff);
            }
        }
        // Each value is within 0.01; in fact far closer (the largest
        // difference is 1.7e-5 cm, in the length table).
        assert!(worst < 1e-4, "{b}: {worst}");
    }
}

#[test]
fn turner_worked_examples() {
    let turner = reference(B::TurnerHeight);
    // A girl of 8.0 years, 115 cm: the 8-year row has M = 110.67, L = 1,
    // S = 0.047, so SDS = (115/110.67 - 1)/0.047 = 0.039125... / 0.047
    // = 0.832453778; centile 100 Phi(0.8325) = 79.74.
    let z = turner.sds(Sex::Female, 8.0, 115.0).unwrap();
    assert!((z - 0.832453778).abs() < 1e-9, "{z}");
    assert!((centile(z) - 79.74).abs() < 0.01, "{}", centile(z));
    // M at 8.5 y from the rows at 7, 8, 9, 10 y (106.44, 110.67, 115.13,
    // 119.45) with the midpoint weights -1/16, 9/16, 9/16, -1/16:
    // (-106.44 + 996.03 + 1036.17 - 119.45)/16 = 112.894375.
    let m = |age| turner.lms_at(Sex::Female, age).unwrap().m;
    assert!((m(8.5) - 112.894375).abs() < 1e-9);
    // M at 5.25 y from the rows at 4-7 y (91.72, 97.71, 102.36, 106.44), weights
    // -0.0546875, 0.8203125, 0.2734375, -0.0390625: 98.968046875.
    assert!((m(5.25) - 98.968046875).abs() < 1e-9);
    // First and last intervals are linear: (65.41 + 75.01)/2, (143.02 + 143.32)/2.
    assert!((m(1.5) - 70.21).abs() < 1e-9);
    assert!((m(19.5) - 143.17).abs() < 1e-9);
    // Centile curve at 8 y: 110.67 (1 +/- 2 * 0.047) = 100.26702 and 121.07298.
    let v = |z| turner.value_at_sds(Sex::Female, 8.0, z).unwrap();
    assert!((v(-2.0) - 100.26702).abs() < 1e-9 && (v(2.0) - 121.07298).abs() < 1e-9);
    // Outside 1-20 years, or a boy: refused, naming the range.
    let e = turner.sds(Sex::Female, 0.5, 60.0).unwrap_err().to_string();
    assert!(
        e.contains("covers girls aged 1 to 20 years; age 0.5 years"),
        "{e}"
    );
    assert!(turner.sds(Sex::Female, 20.01, 143.0).is_err());
    assert!(
        turner
            .sds(Sex::Male, 8.0, 115.0)
            .unwrap_err()
            .to_string()
            .contains("boys")
    );
}

#[test]
fn the_curves_are_continuous_at_every_row() {
    for b in Builtin::ALL.iter().copied() {
        let r = reference(b);
        for sex in Sex::ALL {
            for row in r.rows(*sex) {
                for age in [row.age_years - 1e-7, row.age_years + 1e-7] {
                    let Ok(near) = r.lms_at(*sex, age) else {
                        continue;
                    };
                    let close = |a: f64, b: f64| (a - b).abs() < 1e-5 * b.abs().max(1.0);
                    assert!(
                        close(near.l, row.l) && close(near.m, row.m) && close(near.s, row.s),
                        "{b} {sex} {}: {near:?} vs {row:?}",
                        row.age_years
                    );
                }
            }
        }
    }
}

/// (reference, sex, age in years, value, SDS) computed by rcpchgrowth 4.6.5
/// (PyPI; AGPL-3.0, used only as an external oracle, nothing of it copied),
/// run offline in a throwaway virtualenv with
/// `sds_for_measurement(reference=..., age=..., measurement_method=...,
/// observation_value=..., sex=...)`, references "turners-syndrome" and "cdc".
/// Ages and values: the cases of the reference notes plus a seeded random
/// grid. rcpchgrowth stores CDC ages rounded to 9 decimals and interpolates
/// CDC BMI linearly (gh-dose: cubic), so BMI is compared at table ages only.
const ORACLE: [(Builtin, Sex, f64, f64, f64); 45] = [
    (B::TurnerHeight, F, 8.0, 110.0, -0.128809245),
    (B::TurnerHeight, F, 8.5, 110.0, -0.545487291),
    (B::TurnerHeight, F, 5.25, 95.0, -0.853068560),
    (B::TurnerHeight, F, 12.7, 125.0, -0.629743849),
    (B::TurnerHeight, F, 1.0, 65.41, 0.000000000),
    (B::TurnerHeight, F, 1.5, 72.0, 0.542445611),
    (B::TurnerHeight, F, 19.5, 140.0, -0.471095959),
    (B::TurnerHeight, F, 9.00205338809035, 115.2, 0.011248738),
    (B::TurnerHeight, F, 19.533, 143.4, 0.032706956),
    (B::TurnerHeight, F, 12.903, 135.6, 1.013674670),
    (B::TurnerHeight, F, 1.688, 74.6, 0.763790989),
    (B::TurnerHeight, F, 16.279, 126.7, -1.967465296),
    (B::TurnerHeight, F, 10.46, 121.0, -0.049435033),
    (B::TurnerHeight, F, 12.998, 122.4, -1.201222953),
    (B::TurnerHeight, F, 11.038, 138.8, 2.648556112),
    (B::TurnerHeight, F, 14.377, 134.7, 0.100793898),
    (B::CdcHeight, F, 8.0, 110.0, -3.249516985),
    (B::CdcHeight, M, 10.5, 138.0, -0.451302747),
    (B::CdcHeight, F, 12.7, 125.0, -4.186532186),
    (B::CdcHeight, F, 18.2418, 156.8, -0.981476559),
    (B::CdcHeight, F, 17.5216, 158.8, -0.654132788),
    (B::CdcHeight, F, 11.3336, 140.5, -0.788968978),
    (B::CdcHeight, F, 14.4197, 158.7, -0.375407543),
    (B::CdcHeight, F, 6.0958, 119.6, 0.794598460),
    (B::CdcWeight, F, 7.0525, 18.2, -1.666826005),
    (B::CdcWeight, F, 10.9306, 27.1, -1.733925021),
    (B::CdcWeight, F, 12.9014, 35.3, -1.427491610),
    (B::CdcWeight, F, 3.1717, 13.7, -0.289534646),
    (B::CdcBmi, F, 3.0416666666666665, 16.0, 0.236672764),
    (B::CdcBmi, F, 8.041666666666666, 16.0, 0.091486821),
    (B::CdcBmi, F, 12.541666666666666, 16.0, -1.082932004),
    (B::CdcBmi, F, 16.708333333333332, 16.0, -2.370111547),
    (B::CdcHeight, M, 8.23, 118.5, -1.877144941),
    (B::CdcHeight, M, 11.9506, 160.6, 1.562521337),
    (B::CdcHeight, M, 18.3961, 166.2, -1.409931770),
    (B::CdcHeight, M, 11.6777, 131.4, -2.225010526),
    (B::CdcHeight, M, 9.6538, 139.8, 0.447585120),
    (B::CdcWeight, M, 5.9808, 15.4, -2.483085693),
    (B::CdcWeight, M, 17.2967, 55.7, -1.065194720),
    (B::CdcWeight, M, 4.4823, 16.7, -0.264947631),
    (B::CdcWeight, M, 12.1128, 35.2, -0.829238734),
    (B::CdcBmi, M, 3.0416666666666665, 16.0, -0.000261594),
    (B::CdcBmi, M, 8.041666666666666, 16.0, 0.131300733),
    (B::CdcBmi, M, 12.541666666666666, 16.0, -1.099779101),
    (B::CdcBmi, M, 16.708333333333332, 16.0, -2.709633755),
];

const F: Sex = Sex::Female;
const M: Sex = Sex::Male;

#[test]
fn sds_agree_with_rcpchgrowth() {
    for (b, sex, age, value, expected) in ORACLE {
        let z = reference(b).sds(sex, age, value).unwrap();
        assert!(
            (z - expected).abs() < 1e-6,
            "{b} {sex} {age} {value}: {z} vs {expected}"
        );
    }
    // CDC stature, a girl of 8.0 y and 110 cm, worked from the rows at 94.5,
    // 95.5, 96.5 and 97.5 months: L = -0.0859602, M = 127.58995, S = 0.0459425.
    let lms = reference(B::CdcHeight).lms_at(F, 8.0).unwrap();
    assert!(
        (lms.l + 0.0859602).abs() < 1e-7 && (lms.m - 127.58995).abs() < 1e-5,
        "{lms:?}"
    );
    assert!((lms.s - 0.0459425).abs() < 1e-7, "{lms:?}");
}

proptest! {
    #[test]
    fn no_age_or_value_panics(age in any::<f64>(), value in any::<f64>(), z in any::<f64>()) {
        for b in Builtin::ALL.iter().copied() {
            let r = reference(b);
            for sex in Sex::ALL {
                if let Ok(sds) = r.sds(*sex, age, value) {
                    prop_assert!(sds.is_finite());
                }
                if let Ok(x) = r.value_at_sds(*sex, age, z) {
                    prop_assert!(x.is_finite());
                }
            }
        }
    }

    #[test]
    fn no_text_panics_the_parser(text in "\\PC{0,200}") {
        let _ = parse_growth_lms(&text, "p.toml");
        let turner = B::TurnerHeight.text();
        let cut = text.len().min(turner.len());
        let _ = parse_growth_lms(&format!("{}{text}", &turner[..turner.len() - cut]), "q.toml");
    }
}
