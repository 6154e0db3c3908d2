//! Domain vocabulary: units, codes and enumerations shared by the rule set,
//! the engine and the renderers.
//!
//! Doses are whole micrograms, dose intensities whole nanograms per kg and
//! weights whole grams, so that arithmetic is exact and rounding happens once,
//! at the end, in one place ([`div_round`]).

use serde::{Serialize, Serializer};
use std::fmt;

/// Integer division rounding half away from zero; `den` must be positive.
pub fn div_round(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0);
    if num >= 0 {
        (num + den / 2) / den
    } else {
        -((-num + den / 2) / den)
    }
}

/// Rounds `x` to `decimals` places, for display of values that are not doses.
pub fn round_to(x: f64, decimals: i32) -> f64 {
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
    pub fn from_mg(mg: f64) -> Option<Micrograms> {
        exact_scaled(mg, 1000.0).map(Micrograms)
    }
}

impl Serialize for Micrograms {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.mg())
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

impl fmt::Display for Micrograms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", fmt_decimal(self.0, 3))
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
    pub fn from_mg_per_kg(x: f64) -> Option<NgPerKg> {
        exact_scaled(x, 1_000_000.0).map(NgPerKg)
    }

    /// The dose for a weight, rounded once to the microgram.
    pub fn times(self, weight: Grams) -> Micrograms {
        // ng/kg * g / 1e6 = µg
        Micrograms(div_round(i128::from(self.0) * i128::from(weight.0), 1_000_000) as i64)
    }
}

impl Serialize for NgPerKg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.mg_per_kg())
    }
}

impl fmt::Display for NgPerKg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}",
            fmt_decimal(div_round(i128::from(self.0), 1000) as i64, 3)
        )
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

    /// Rounds a kilogram value to the gram.
    pub fn from_kg(kg: f64) -> Grams {
        Grams((kg * 1000.0).round() as i64)
    }
}

impl fmt::Display for Grams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", fmt_decimal(self.0, 3))
    }
}

/// International units in thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MilliIu(pub i64);

impl Serialize for MilliIu {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0 as f64 / 1000.0)
    }
}

impl fmt::Display for MilliIu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", fmt_decimal(self.0, 3))
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

/// Formats `units / 10^decimals` without trailing zeros ("1.131", "7.92", "8").
pub fn fmt_decimal(units: i64, decimals: u32) -> String {
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

/// Declares a closed set of kebab-case names with `FromStr`, `Display`,
/// `Serialize` and the list of names (for `--help` and error messages).
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The stable name used on the command line and in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> ::std::result::Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("expected one of: {}", $name::NAMES.join(", "))),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(|e: String| ::serde::de::Error::custom(format!("'{s}': {e}")))
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string", "enum": $name::NAMES })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use named_enum;

named_enum!(
    /// Sex, as used by adult dosing and reference ranges.
    Sex { Female => "female", Male => "male" }
);

named_enum!(
    /// Who an indication is for.
    Population { Pediatric => "pediatric", Adult => "adult" }
);

named_enum!(
    /// Evidence grade of a rule row.
    Grade {
        /// Product label text.
        L => "L",
        /// EU SmPC text (or an SmPC-aligned regulator text).
        Eu => "EU",
        /// Guideline or consensus statement.
        G => "G",
        /// Practice guide.
        Pg => "PG",
        /// Secondary source.
        S => "S",
        /// gh-dose protocol default.
        P => "P",
    }
);

named_enum!(
    /// How serious a flag is.
    Severity {
        /// The dose is withheld (exit code 4).
        Block => "block",
        /// The dose is computed; the clinician must read this.
        Warning => "warning",
        /// Context for the clinician.
        Info => "info",
    }
);

named_enum!(
    /// What the recommendation says to do.
    Action {
        Start => "start",
        Increase => "increase",
        Decrease => "decrease",
        Maintain => "maintain",
        Recheck => "recheck",
        Withhold => "withhold",
        Stop => "stop",
    }
);

named_enum!(
    /// Clinical conditions given with `--condition`.
    Condition {
        ActiveMalignancy => "active-malignancy",
        CriticalIllness => "critical-illness",
        ClosedEpiphyses => "closed-epiphyses",
        DiabeticRetinopathy => "diabetic-retinopathy",
        PwsSevereObesity => "pws-severe-obesity",
        PwsRespiratoryImpairment => "pws-respiratory-impairment",
        PwsSleepApnea => "pws-sleep-apnea",
        PwsUpperAirwayObstruction => "pws-upper-airway-obstruction",
        Hypersensitivity => "hypersensitivity",
        RenalTransplant => "renal-transplant",
        MalignancyHistory => "malignancy-history",
        CranialIrradiation => "cranial-irradiation",
        Scoliosis => "scoliosis",
        Hypopituitarism => "hypopituitarism",
        GlucocorticoidReplacement => "glucocorticoid-replacement",
        ThyroidReplacement => "thyroid-replacement",
        GlucoseIntolerance => "glucose-intolerance",
        HepaticImpairmentModerate => "hepatic-impairment-moderate",
        HepaticImpairmentSevere => "hepatic-impairment-severe",
    }
);

named_enum!(
    /// Symptoms given with `--symptom`.
    Symptom {
        Edema => "edema",
        Arthralgia => "arthralgia",
        Myalgia => "myalgia",
        Paresthesia => "paresthesia",
        Headache => "headache",
        Papilledema => "papilledema",
        VisualChange => "visual-change",
        Hyperglycemia => "hyperglycemia",
        Limp => "limp",
        Snoring => "snoring",
    }
);

named_enum!(
    /// Stable flag codes. Messages and severities live in the rule file.
    FlagCode {
        ActiveMalignancy => "ACTIVE_MALIGNANCY",
        CriticalIllness => "CRITICAL_ILLNESS",
        PwsContraindication => "PWS_CONTRAINDICATION",
        ClosedEpiphyses => "CLOSED_EPIPHYSES",
        DiabeticRetinopathy => "DIABETIC_RETINOPATHY",
        Hypersensitivity => "HYPERSENSITIVITY",
        RenalTransplant => "RENAL_TRANSPLANT",
        IntracranialHypertension => "INTRACRANIAL_HYPERTENSION",
        PwsScreening => "PWS_SCREENING",
        PwsEuDailyCap => "PWS_EU_DAILY_CAP",
        MalignancyHistory => "MALIGNANCY_HISTORY",
        GlucoseMonitoring => "GLUCOSE_MONITORING",
        OralEstrogen => "ORAL_ESTROGEN",
        AdrenalThyroid => "ADRENAL_THYROID",
        Fundoscopy => "FUNDOSCOPY",
        ScfeEvaluation => "SCFE_EVALUATION",
        Scoliosis => "SCOLIOSIS",
        Igf1AboveRange => "IGF1_ABOVE_RANGE",
        Igf1LowOnTreatment => "IGF1_LOW_ON_TREATMENT",
        Igf1NotSteadyState => "IGF1_NOT_STEADY_STATE",
        Igf1SampleTiming => "IGF1_SAMPLE_TIMING",
        TitrationTooSoon => "TITRATION_TOO_SOON",
        DoseAboveRange => "DOSE_ABOVE_RANGE",
        RoundedOutsideRange => "ROUNDED_OUTSIDE_RANGE",
        DeviceCannotDeliver => "DEVICE_CANNOT_DELIVER",
        SevereHepaticImpairment => "SEVERE_HEPATIC_IMPAIRMENT",
        DoseCapped => "DOSE_CAPPED",
        HeightDecrease => "HEIGHT_DECREASE",
        UnusualInput => "UNUSUAL_INPUT",
        AboveTypicalMaintenance => "ABOVE_TYPICAL_MAINTENANCE",
        OffLabel => "OFF_LABEL",
        AgeIndicationMismatch => "AGE_INDICATION_MISMATCH",
        NearFinalHeight => "NEAR_FINAL_HEIGHT",
        PoorGrowthResponse => "POOR_GROWTH_RESPONSE",
        NoDeviceRounding => "NO_DEVICE_ROUNDING",
        ApproximateIgf1Sds => "APPROXIMATE_IGF1_SDS",
    }
);

#[cfg(test)]
mod tests {
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
        assert_eq!(NgPerKg::from_mg_per_kg(0.0125), Some(NgPerKg(12_500)));
        assert_eq!(NgPerKg::from_mg_per_kg(0.33), Some(NgPerKg(330_000)));
    }

    #[test]
    fn intensity_times_weight_rounds_once_to_the_microgram() {
        assert_eq!(NgPerKg(330_000).times(Grams(24_000)), Micrograms(7920));
        assert_eq!(NgPerKg(350_000).times(Grams(24_000)), Micrograms(8400));
        // 0.16 mg/kg/week x 24.371 kg = 3.89936 mg
        assert_eq!(NgPerKg(160_000).times(Grams(24_371)), Micrograms(3899));
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

    #[test]
    fn names_round_trip() {
        for c in Condition::ALL {
            assert_eq!(c.as_str().parse::<Condition>(), Ok(*c));
        }
        for f in FlagCode::ALL {
            assert_eq!(f.as_str().parse::<FlagCode>(), Ok(*f));
        }
        assert!("tuner".parse::<Sex>().is_err());
    }
}
