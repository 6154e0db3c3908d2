use super::*;

#[test]
fn div_round_rounds_half_away_from_zero() {
    assert_eq!(div_round(7, 2), 4);
    assert_eq!(div_round(5, 2), 3);
    assert_eq!(div_round(4, 3), 1);
    assert_eq!(div_round(-5, 2), -3);
    assert_eq!(div_round(7920, 7), 1131);
}

#[test]
fn mg_conversions_are_exact_or_refused() {
    assert_eq!(Micrograms::from_mg(0.2), Some(Micrograms(200)));
    assert_eq!(Micrograms::from_mg(1.33), Some(Micrograms(1330)));
    assert_eq!(Micrograms::from_mg(0.1234), None);
    assert_eq!(Micrograms::from_mg(f64::NAN), None);
    assert_eq!(Micrograms::from_mg(1e300), None);
    assert_eq!(Micrograms::round_mg(0.1234), Some(Micrograms(123)));
    assert_eq!(Micrograms::round_mg(f64::INFINITY), None);
    assert_eq!(NgPerKg::from_mg_per_kg(0.0125), Some(NgPerKg(12_500)));
    assert_eq!(NgPerKg::from_mg_per_kg(0.33), Some(NgPerKg(330_000)));
    assert_eq!(NgPerKg::round_mg_per_kg(0.3300004), Some(NgPerKg(330_000)));
}

#[test]
fn intensity_times_weight_rounds_once_to_the_microgram() {
    assert_eq!(NgPerKg(330_000).times(Grams(24_000)), Micrograms(7920));
    assert_eq!(NgPerKg(350_000).times(Grams(24_000)), Micrograms(8400));
    // 0.16 mg/kg/week x 24.371 kg = 3.89936 mg
    assert_eq!(NgPerKg(160_000).times(Grams(24_371)), Micrograms(3899));
    assert_eq!(
        NgPerKg::of(Micrograms(7920), Grams(24_000)),
        NgPerKg(330_000)
    );
    assert_eq!(
        NgPerKg(i64::MAX).times(Grams(i64::MAX)),
        Micrograms(i64::MAX)
    );
}

#[test]
fn percent_reduces_to_the_microgram() {
    assert_eq!(Percent(1500).reduce(Micrograms(7200)), Micrograms(6120));
    assert_eq!(Percent(1500).reduce(Micrograms(1001)), Micrograms(851));
    assert_eq!(Percent(1500).to_string(), "15");
}

#[test]
fn exact_steps() {
    let x = Exact { num: 1131, den: 1 };
    assert_eq!(x.floor_steps(25), 45);
    assert_eq!(x.ceil_steps(25), 46);
    assert_eq!(x.nearest_steps(25), 45);
    let y = Exact { num: 1150, den: 1 };
    assert_eq!((y.floor_steps(25), y.ceil_steps(25)), (46, 46));
    assert_eq!(
        Exact::per_injection(NgPerKg(330_000), Grams(24_000), 7).round(),
        Micrograms(1131)
    );
    assert_eq!(x.cmp_ug(Micrograms(1131)), std::cmp::Ordering::Equal);
    assert_eq!(x.split(2).round(), Micrograms(566));
    assert_eq!(x.times(7).round(), Micrograms(7917));
}

#[test]
fn extreme_amounts_saturate_instead_of_wrapping_or_panicking() {
    // At the very ends the half that rounds away saturates.
    assert_eq!(div_round(i128::MAX, 2), i128::MAX / 2);
    assert_eq!(div_round(i128::MIN, 2), -(i128::MAX / 2));
    assert_eq!(div_round(7, 0), 7);
    let huge = Exact::per_injection(NgPerKg(i64::MAX), Grams(i64::MAX), 1);
    assert_eq!(huge.times(7).round(), Micrograms(i64::MAX));
    assert_eq!(huge.times(7).split(255).round(), Micrograms(i64::MAX));
    assert!(huge.times(7).floor_steps(i64::MAX) > 0);
    assert!(huge.ceil_steps(1) > 0);
    let low = Exact {
        num: i128::MIN,
        den: 1,
    };
    assert!(low.ceil_steps(1) < 0 && low.nearest_steps(3) < 0);
    assert_eq!(low.round(), Micrograms(i64::MIN));
    assert_eq!(
        huge.cmp_ug(Micrograms(i64::MAX)),
        std::cmp::Ordering::Greater
    );
    assert_eq!(Micrograms(i64::MAX).times(7), Micrograms(i64::MAX));
    assert_eq!(NgPerKg(i64::MAX).times_n(7), NgPerKg(i64::MAX));
    assert_eq!(
        Percent(-10_000).reduce(Micrograms(i64::MAX)),
        Micrograms(i64::MAX)
    );
    assert_eq!(Grams::from_kg(f64::NAN), Grams(0));
    assert_eq!(Grams::from_kg(1e300), Grams(i64::MAX));
    assert_eq!(NgPerKg::of(Micrograms(i64::MAX), Grams(0)).0, i64::MAX);
}

#[test]
fn decimals_are_formatted_without_trailing_zeros() {
    assert_eq!(fmt_decimal(7920, 3), "7.92");
    assert_eq!(fmt_decimal(1131, 3), "1.131");
    assert_eq!(fmt_decimal(8000, 3), "8");
    assert_eq!(fmt_decimal(-50, 3), "-0.05");
    assert_eq!(fmt_decimal(1005, 3), "1.005");
    assert_eq!(fmt_decimal(0, 3), "0");
    assert_eq!(fmt_decimal(24_000, 3), "24");
    assert_eq!(fmt_decimal(12_345, 6), "0.012345");
    assert_eq!(fmt_decimal(i64::MIN, 3), "-9223372036854775.808");
    assert_eq!(NgPerKg(330_000).to_string(), "0.33");
}
