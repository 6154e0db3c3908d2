use super::*;
use crate::growth::centile;

#[test]
fn the_sds_are_the_centiles() {
    let p = [3.0, 10.0, 25.0, 50.0, 75.0, 90.0, 97.0];
    for ((label, z), p) in HEIGHT_CENTILES.iter().zip(p) {
        assert!((centile(*z) - p).abs() < 1e-12, "{label}");
        assert_eq!(*label, format!("P{p}"));
    }
}

#[test]
fn curves_break_where_the_reference_changes_or_ends() {
    let (c, used) = curves(Builtin::cdc_stature, Sex::Male, 1.0, 3.0, &WEIGHT_CENTILES).unwrap();
    // Length 1-1.75 y, then stature 2-3 y.
    assert_eq!(c[0].segments.len(), 2);
    assert_eq!(used.len(), 2);
    let (c, _) = curves(
        |_| Builtin::TurnerHeight,
        Sex::Female,
        0.0,
        2.0,
        &WEIGHT_CENTILES,
    )
    .unwrap();
    assert_eq!(c[1].segments.len(), 1);
    assert_eq!(c[1].segments[0].first().map(|p| p.0), Some(1.0));
    let (c, used) = curves(
        |_| Builtin::TurnerHeight,
        Sex::Male,
        5.0,
        6.0,
        &WEIGHT_CENTILES,
    )
    .unwrap();
    assert!(c.iter().all(|c| c.segments.is_empty()) && used.is_empty());
}
