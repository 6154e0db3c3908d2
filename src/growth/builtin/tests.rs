//! Unit tests of `builtin.rs`.

use super::*;
use crate::growth::Measurement;
use crate::vocab::Sex;

#[test]
fn every_builtin_loads_with_its_id_and_licence() {
    for b in Builtin::ALL {
        let r = b.reference().unwrap();
        assert_eq!(r.info.id, b.as_str());
        assert!(r.info.licence.len() > 40, "{b}");
        assert!(r.info.source_sha256.is_some(), "{b}");
        // Loaded once: the same allocation every time.
        assert!(std::ptr::eq(r, b.reference().unwrap()));
    }
}

/// The reference parsed from its embedded TOML text, with every check
/// of the `growth-lms` format.
fn parsed(b: Builtin) -> GrowthReference {
    let path = format!("built-in data/growth/{}.toml", b.as_str());
    crate::growth::parse_growth_lms(b.text(), &path).unwrap()
}

#[test]
fn the_compiled_references_equal_the_parsed_ones() {
    assert_eq!(COMPILED.len(), Builtin::ALL.len());
    for b in Builtin::ALL {
        let parsed = parsed(*b);
        let compiled = b.reference().unwrap();
        assert_eq!(compiled, &parsed, "{b}");
        // Bit for bit, sign of zero included.
        for &sex in Sex::ALL.iter() {
            let bits = |r: &GrowthReference| -> Vec<[u64; 4]> {
                r.rows(sex)
                    .iter()
                    .map(|r| [r.age_years, r.l, r.m, r.s].map(f64::to_bits))
                    .collect()
            };
            assert_eq!(bits(compiled), bits(&parsed), "{b} {sex}");
        }
    }
    // Every row of every file is there: 7 files, the CDC tables by
    // month of age for both sexes, Turner for girls only.
    let rows = |b: Builtin, sex| b.reference().unwrap().rows(sex).len();
    assert_eq!(rows(Builtin::TurnerHeight, Sex::Female), 20);
    assert_eq!(rows(Builtin::TurnerHeight, Sex::Male), 0);
    assert_eq!(rows(Builtin::CdcHeight, Sex::Male), 218);
}

#[test]
fn ages_and_measurements_are_as_documented() {
    let range = |b: Builtin, sex| b.reference().unwrap().age_range(sex);
    assert_eq!(range(Builtin::CdcHeight, Sex::Male), Some((2.0, 20.0)));
    assert_eq!(
        range(Builtin::CdcLength, Sex::Female),
        Some((0.0, 35.5 / 12.0))
    );
    assert_eq!(
        range(Builtin::CdcBmi, Sex::Female),
        Some((2.0, 240.5 / 12.0))
    );
    assert_eq!(
        range(Builtin::CdcHeadCircumference, Sex::Male),
        Some((0.0, 3.0))
    );
    assert_eq!(range(Builtin::TurnerHeight, Sex::Female), Some((1.0, 20.0)));
    assert_eq!(range(Builtin::TurnerHeight, Sex::Male), None);
    let m = |b: Builtin| b.reference().unwrap().info.measurement;
    assert_eq!(m(Builtin::CdcLength), Measurement::Length);
    assert_eq!(m(Builtin::CdcWeightInfant), Measurement::Weight);
    assert_eq!(
        m(Builtin::CdcHeadCircumference),
        Measurement::HeadCircumference
    );
}

#[test]
fn cdc_uses_length_under_two_years() {
    assert_eq!(Builtin::cdc_stature(1.99), Builtin::CdcLength);
    assert_eq!(Builtin::cdc_stature(2.0), Builtin::CdcHeight);
    assert_eq!(Builtin::cdc_weight(0.5), Builtin::CdcWeightInfant);
    assert_eq!(Builtin::cdc_weight(2.0), Builtin::CdcWeight);
    // NaN is not under 2: the 2-20 table then refuses the age.
    assert_eq!(Builtin::cdc_stature(f64::NAN), Builtin::CdcHeight);
}
