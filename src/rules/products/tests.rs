//! Unit tests of `mod.rs`.

use super::*;
use crate::diagnostic::FileError;
use crate::units::{Grams, Micrograms, NgPerKg};
use crate::vocab::Region;

fn set() -> ProductSet {
    ProductSet::built_in(&RuleSet::built_in().unwrap()).unwrap()
}

fn with(from: &str, to: &str) -> Result<ProductSet, FileError> {
    assert!(
        BUILT_IN_PRODUCTS.contains(from),
        "fixture not found: {from}"
    );
    let rules = RuleSet::built_in().unwrap();
    ProductSet::parse(&BUILT_IN_PRODUCTS.replacen(from, to, 1), "p.toml", &rules)
}

#[test]
fn built_in_products_load() {
    let s = set();
    let ids: Vec<&str> = s.products.iter().map(|p| p.id.as_str()).collect();
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
    let nord = s.product("norditropin").unwrap();
    // EU Turner 0.045-0.067 mg/kg/day = 0.315-0.469 mg/kg/week
    let Some(Label {
        dosing: LabelDosing::WeightBased { min, max, .. },
        ..
    }) = nord.label("turner", Region::Eu)
    else {
        panic!("no EU Turner label");
    };
    assert_eq!((*min, *max), (Some(NgPerKg(315_000)), NgPerKg(469_000)));
    assert_eq!(
        nord.device("flexpro-5").unwrap().increment,
        Some(Micrograms(25))
    );
    assert_eq!(nord.device("flexpro-30").unwrap().increment, None);
}

#[test]
fn skytrofa_bands_cover_every_edge() {
    let s = set();
    let sky = s.product("skytrofa").unwrap();
    let Some(LabelDosing::WeightBased { bands: Some(t), .. }) =
        sky.label("ghd", Region::Us).map(|l| &l.dosing)
    else {
        panic!("no band table");
    };
    let dose = |kg: f64| {
        t.band(Grams::from_kg(kg))
            .map(|b| (b.per_week.0, b.cartridges))
    };
    assert_eq!(dose(11.49), None);
    assert_eq!(dose(11.5), Some((3000, 1)));
    assert_eq!(dose(13.9), Some((3000, 1)));
    assert_eq!(dose(13.95), Some((3000, 1)));
    assert_eq!(dose(14.0), Some((3600, 1)));
    assert_eq!(dose(60.4), Some((13_300, 1)));
    assert_eq!(dose(60.5), Some((15_200, 2)));
    assert_eq!(dose(100.0), Some((22_000, 2)));
    assert_eq!(dose(100.01), None);
}

#[test]
fn product_errors_have_positions() {
    let cases = [
        (
            "indication = \"ghd\", region = \"US\", mg_per_kg_week = { min = 0.16, max = 0.24 }",
            "indication = \"gdh\", region = \"US\", mg_per_kg_week = { min = 0.16, max = 0.24 }",
            "unknown indication 'gdh'",
        ),
        (
            "mg_per_kg_week = { min = 0.17, max = 0.24 }",
            "mg_per_kg_week = { min = 0.27, max = 0.24 }",
            "min exceeds max",
        ),
        (
            "region = \"EU\", mg_per_kg_day = { min = 0.025",
            "region = \"FR\", mg_per_kg_day = { min = 0.025",
            "region",
        ),
        (
            "increment_mg = 0.025, in_use_days",
            "increment_mg = 0.0251, in_use_days",
            "at most 3 decimals",
        ),
        (
            "{ from_kg = 14.0, to_kg = 16.4",
            "{ from_kg = 13.0, to_kg = 16.4",
            "non-overlapping",
        ),
        (
            "molecule = \"somatrogon\"",
            "molecule = \"somatrogen\"",
            "molecule",
        ),
        ("kind = \"products\"", "kind = \"rules\"", "kind must be"),
        (
            "id = \"genotropin-us-pi\"",
            "id = \"pes-2016\"",
            "already used by the rule file",
        ),
        (
            "max_dose_mg = 30.0",
            "max_dose_mg = 70.0",
            "exceeds strength_mg",
        ),
        (
            "increment_mg = 0.025, in_use_days",
            "increment_mg = 10.0, in_use_days",
            "increment_mg exceeds strength_mg",
        ),
    ];
    for (from, to, want) in cases {
        let e = with(from, to).unwrap_err();
        assert!(e.message.contains(want), "{to}: {e}");
        assert_eq!(e.path, "p.toml");
        assert!(e.line > 1);
    }
}
