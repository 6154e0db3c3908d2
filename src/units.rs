//! Exact units: drug in whole micrograms, dose intensities in whole nanograms
//! per kg, body weight in whole grams, IU in thousandths, percentages in basis
//! points, and exact fractions of a microgram for device rounding.
//!
//! Part of the ground floor: imports nothing of the project. Arithmetic on
//! these types saturates instead of wrapping or panicking (rule values and
//! inputs are checked against their bands before they meet here, so the
//! saturation only keeps a hostile value from becoming a small dose);
//! rounding happens once, at the end, in one place ([`div_round`]).

use serde::{Serialize, Serializer};
use std::fmt;

/// Kilograms per pound (exact, by definition).
pub(crate) const KG_PER_LB: f64 = 0.453_592_37;
/// Centimetres per inch (exact, by definition).
pub(crate) const CM_PER_IN: f64 = 2.54;

/// Integer division rounding half away from zero; a `den` below 1 counts
/// as 1, and the extremes saturate.
pub(crate) fn div_round(num: i128, den: i128) -> i128 {
    let den = den.max(1);
    let half = den / 2;
    if num >= 0 {
        num.saturating_add(half) / den
    } else {
        -(num.saturating_neg().saturating_add(half) / den)
    }
}

/// An `i128` as `i64`, saturating (values here are far inside `i64`; the
/// saturation only keeps hostile inputs from wrapping).
pub(crate) fn saturate(x: i128) -> i64 {
    i64::try_from(x).unwrap_or(if x < 0 { i64::MIN } else { i64::MAX })
}

/// Decimals of an SDS or a centile in the JSON output (the human table
/// shows SDS to 2 and centiles to 1): enough for a registry that averages
/// them over a cohort.
pub(crate) const SCORE_DECIMALS: i32 = 4;

/// Rounds `x` to `decimals` places, for display of values that are not doses.
pub(crate) fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// A mass of drug in whole micrograms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Micrograms(pub i64);

impl Micrograms {
    /// Milligrams, exact to the microgram.
    pub fn mg(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Converts a milligram value with at most 3 decimals; `None` when it has
    /// more precision or is not finite.
    pub(crate) fn from_mg(mg: f64) -> Option<Micrograms> {
        exact_scaled(mg, 1000.0).map(Micrograms)
    }

    /// A milligram value rounded to the microgram; `None` when not finite or
    /// too large to hold.
    pub fn round_mg(mg: f64) -> Option<Micrograms> {
        let ug = (mg * 1000.0).round();
        (ug.is_finite() && ug.abs() < 9.0e15).then_some(Micrograms(ug as i64))
    }

    /// `self * n`, saturating.
    pub fn times(self, n: i64) -> Micrograms {
        Micrograms(self.0.saturating_mul(n))
    }
}

impl Serialize for Micrograms {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.mg())
    }
}

impl fmt::Display for Micrograms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_decimal(self.0, 3))
    }
}

/// A dose intensity in whole nanograms per kg (per week or per day, as the
/// field name says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NgPerKg(pub i64);

impl NgPerKg {
    /// mg/kg rounded to 3 decimals (the contract's precision for mg/kg).
    pub fn mg_per_kg(self) -> f64 {
        div_round(i128::from(self.0), 1000) as f64 / 1000.0
    }

    /// Converts an mg/kg value with at most 6 decimals.
    pub(crate) fn from_mg_per_kg(x: f64) -> Option<NgPerKg> {
        exact_scaled(x, 1_000_000.0).map(NgPerKg)
    }

    /// An mg/kg value rounded to the ng/kg; `None` when not finite or too large.
    pub(crate) fn round_mg_per_kg(x: f64) -> Option<NgPerKg> {
        let ng = (x * 1_000_000.0).round();
        (ng.is_finite() && ng.abs() < 9.0e15).then_some(NgPerKg(ng as i64))
    }

    /// The dose for a weight, rounded once to the microgram.
    pub fn times(self, weight: Grams) -> Micrograms {
        // ng/kg * g / 1e6 = µg
        Micrograms(saturate(div_round(
            i128::from(self.0) * i128::from(weight.0),
            1_000_000,
        )))
    }

    /// The intensity of a weekly amount on a weight (ng/kg, rounded).
    pub(crate) fn of(amount: Micrograms, weight: Grams) -> NgPerKg {
        NgPerKg(saturate(div_round(
            i128::from(amount.0) * 1_000_000,
            i128::from(weight.0.max(1)),
        )))
    }

    /// `self * n`, saturating (mg/kg/day to mg/kg/week).
    pub(crate) fn times_n(self, n: i64) -> NgPerKg {
        NgPerKg(self.0.saturating_mul(n))
    }
}

impl Serialize for NgPerKg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.mg_per_kg())
    }
}

impl fmt::Display for NgPerKg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_decimal(
            saturate(div_round(i128::from(self.0), 1000)),
            3,
        ))
    }
}

/// A body weight in whole grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grams(pub i64);

impl Grams {
    /// Kilograms.
    pub fn kg(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Rounds a kilogram value to the gram (callers check the range first;
    /// beyond `i64` the value saturates and `NaN` gives 0).
    pub(crate) fn from_kg(kg: f64) -> Grams {
        Grams((kg * 1000.0).round() as i64)
    }
}

impl fmt::Display for Grams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_decimal(self.0, 3))
    }
}

/// International units in thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct MilliIu(pub i64);

impl Serialize for MilliIu {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0 as f64 / 1000.0)
    }
}

impl fmt::Display for MilliIu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_decimal(self.0, 3))
    }
}

/// A percentage held in basis points (15 % = 1500).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Percent(pub i64);

impl Percent {
    /// `amount` reduced by this percentage, rounded to the microgram.
    pub(crate) fn reduce(self, amount: Micrograms) -> Micrograms {
        Micrograms(saturate(div_round(
            i128::from(amount.0) * i128::from(10_000 - self.0),
            10_000,
        )))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_decimal(self.0, 2))
    }
}

/// An exact amount of drug in µg as a fraction `num / den` (den > 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Exact {
    pub(crate) num: i128,
    pub(crate) den: i128,
}

impl Exact {
    /// A whole number of micrograms.
    pub(crate) fn ug(m: Micrograms) -> Exact {
        Exact {
            num: i128::from(m.0),
            den: 1,
        }
    }

    /// `intensity x weight / n` in µg.
    pub(crate) fn per_injection(intensity: NgPerKg, weight: Grams, n: u8) -> Exact {
        Exact {
            num: i128::from(intensity.0) * i128::from(weight.0),
            den: 1_000_000 * i128::from(n.max(1)),
        }
    }

    /// This amount split over `k` injections.
    pub(crate) fn split(self, k: u8) -> Exact {
        Exact {
            num: self.num,
            den: self.den.saturating_mul(i128::from(k.max(1))),
        }
    }

    /// This amount times `k` (per injection to per week), saturating.
    pub(crate) fn times(self, k: u8) -> Exact {
        Exact {
            num: self.num.saturating_mul(i128::from(k)),
            den: self.den,
        }
    }

    /// Rounded to the microgram.
    pub(crate) fn round(self) -> Micrograms {
        Micrograms(saturate(div_round(self.num, self.den)))
    }

    /// The divisor of `step`s, at least 1.
    fn per_step(self, step: i64) -> i128 {
        self.den.max(1).saturating_mul(i128::from(step.max(1)))
    }

    /// Whole `step`s not above this amount.
    pub(crate) fn floor_steps(self, step: i64) -> i128 {
        self.num.div_euclid(self.per_step(step))
    }

    /// Whole `step`s not below this amount.
    pub(crate) fn ceil_steps(self, step: i64) -> i128 {
        self.num
            .saturating_neg()
            .div_euclid(self.per_step(step))
            .saturating_neg()
    }

    /// Whole `step`s nearest to this amount (half away from zero).
    pub(crate) fn nearest_steps(self, step: i64) -> i128 {
        div_round(self.num, self.per_step(step))
    }

    /// Compares with a whole number of micrograms.
    pub(crate) fn cmp_ug(self, m: Micrograms) -> std::cmp::Ordering {
        self.num.cmp(&i128::from(m.0).saturating_mul(self.den))
    }
}

/// `value * scale` as an integer when it is exact (to 1e-6 of a unit).
fn exact_scaled(value: f64, scale: f64) -> Option<i64> {
    if !value.is_finite() {
        return None;
    }
    let scaled = value * scale;
    let rounded = scaled.round();
    if (scaled - rounded).abs() > 1e-6 || rounded.abs() > 9.0e15 {
        return None;
    }
    Some(rounded as i64)
}

/// An age or interval in years, singular for exactly one ("1 year").
pub(crate) fn years(x: f64) -> String {
    if x == 1.0 {
        "1 year".to_string()
    } else {
        format!("{x} years")
    }
}

/// Formats `units / 10^decimals` without trailing zeros ("1.131", "7.92", "8").
pub(crate) fn fmt_decimal(units: i64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let abs = units.unsigned_abs();
    let (whole, mut frac) = (abs / scale, abs % scale);
    let mut out = String::with_capacity(24);
    if units < 0 {
        out.push('-');
    }
    push_digits(&mut out, whole);
    if frac != 0 {
        out.push('.');
        let mut width = decimals;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        let digits = frac.checked_ilog10().map_or(1, |l| l + 1);
        for _ in digits..width {
            out.push('0');
        }
        push_digits(&mut out, frac);
    }
    out
}

/// Appends the decimal digits of `n`.
fn push_digits(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// A JSON number schema with a description of its unit.
fn number_schema(description: &str) -> schemars::Schema {
    schemars::json_schema!({ "type": "number", "description": description })
}

impl schemars::JsonSchema for Micrograms {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Milligrams".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        number_schema("mg, at most 3 decimals (exact to the microgram)")
    }
}

impl schemars::JsonSchema for NgPerKg {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MilligramsPerKg".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        number_schema("mg/kg, at most 3 decimals")
    }
}

impl schemars::JsonSchema for MilliIu {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "InternationalUnits".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        number_schema("IU, at most 3 decimals")
    }
}

/// The years a date may take, inclusive. A format limit, not a clinical
/// one: outputs write dates as YYYY-MM-DD (the JSON schema's `date`), and
/// a date far outside this band is a slip, never a visit.
pub(crate) const DATE_YEARS: (i32, i32) = (1900, 2200);

/// Whether a date lies within [`DATE_YEARS`].
pub(crate) fn in_years(d: chrono::NaiveDate) -> bool {
    (DATE_YEARS.0..=DATE_YEARS.1).contains(&chrono::Datelike::year(&d))
}

#[cfg(test)]
mod tests;
