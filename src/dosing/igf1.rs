//! IGF-1 SDS from what the laboratory reports: a reported SDS, a
//! concentration with the laboratory's reference range (log-normal or
//! Box-Cox approximation), or a concentration against an LMS reference.
//!
//! Formulas (reference-data notes, section 3.5; LMS method of Cole):
//! - log-normal: mu = (ln LL + ln UL)/2, sigma = (ln UL - ln LL)/(2q), SDS = (ln x - mu)/sigma;
//! - Box-Cox with power L: a = LL^L, b = UL^L, M = ((a+b)/2)^(1/L), S = (b-a)/(q L (a+b)),
//!   SDS = ((x/M)^L - 1)/(L S);
//! - LMS: SDS = ((x/M)^L - 1)/(L S), or ln(x/M)/S when L = 0.
//!
//! `q` is the normal quantile of the range's limits (1.96 for a central 95 %
//! range, 2 for a lab that states +/-2 SD); both come from the rule set.

use super::types::Sex;

/// How a laboratory states its reference limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RangeKind {
    /// 2.5th to 97.5th percentile.
    #[default]
    Central95,
    /// Mean +/- 2 SD.
    TwoSd,
}

impl RangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RangeKind::Central95 => "central 95 %",
            RangeKind::TwoSd => "+/-2 SD",
        }
    }
}

/// A laboratory reference range in ng/mL.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabRange {
    pub low_ng_ml: f64,
    pub high_ng_ml: f64,
    pub kind: RangeKind,
    /// Box-Cox power; `None` (or 0) means log-normal.
    pub lambda: Option<f64>,
}

/// One LMS row of a reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LmsRow {
    pub age_years: f64,
    pub l: f64,
    pub m: f64,
    pub s: f64,
}

/// An LMS reference supplied by the user.
#[derive(Debug, Clone, PartialEq)]
pub struct LmsReference {
    pub name: String,
    pub assay: String,
    pub citation: String,
    /// Rows by sex, ordered by strictly increasing age; M in ng/mL.
    pub female: Vec<LmsRow>,
    pub male: Vec<LmsRow>,
}

impl LmsReference {
    /// L, M, S at an age, interpolated linearly between the two nearest rows.
    pub fn at(&self, sex: Sex, age: f64) -> Option<LmsRow> {
        let rows = match sex {
            Sex::Female => &self.female,
            Sex::Male => &self.male,
        };
        let first = rows.first()?;
        let last = rows.last()?;
        if age < first.age_years || age > last.age_years {
            return None;
        }
        let i = rows.iter().rposition(|r| r.age_years <= age)?;
        let a = rows[i];
        let Some(b) = rows.get(i + 1) else {
            return Some(a);
        };
        let t = (age - a.age_years) / (b.age_years - a.age_years);
        let lerp = |x: f64, y: f64| x + t * (y - x);
        Some(LmsRow {
            age_years: age,
            l: lerp(a.l, b.l),
            m: lerp(a.m, b.m),
            s: lerp(a.s, b.s),
        })
    }

    /// The ages covered for a sex.
    pub fn ages(&self, sex: Sex) -> Option<(f64, f64)> {
        let rows = match sex {
            Sex::Female => &self.female,
            Sex::Male => &self.male,
        };
        Some((rows.first()?.age_years, rows.last()?.age_years))
    }
}

/// The unit of an IGF-1 concentration as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Igf1Unit {
    #[default]
    NgPerMl,
    NmolPerL,
}

impl Igf1Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Igf1Unit::NgPerMl => "ng/mL",
            Igf1Unit::NmolPerL => "nmol/L",
        }
    }
}

impl<'de> serde::Deserialize<'de> for Igf1Unit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.to_ascii_lowercase().as_str() {
            "ng/ml" => Ok(Igf1Unit::NgPerMl),
            "nmol/l" => Ok(Igf1Unit::NmolPerL),
            _ => Err(serde::de::Error::custom(format!(
                "'{s}': expected one of: ng/ml, nmol/l"
            ))),
        }
    }
}

impl<'de> serde::Deserialize<'de> for RangeKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.to_ascii_lowercase().as_str() {
            "central95" => Ok(RangeKind::Central95),
            "2sd" => Ok(RangeKind::TwoSd),
            _ => Err(serde::de::Error::custom(format!(
                "'{s}': expected one of: central95, 2sd"
            ))),
        }
    }
}

/// Where an IGF-1 concentration is referred to (values in the input's unit).
#[derive(Debug, Clone, PartialEq)]
pub enum Igf1Reference {
    /// The laboratory's reference limits.
    Lab {
        low: f64,
        high: f64,
        kind: RangeKind,
        lambda: Option<f64>,
    },
    /// An LMS reference (M already in ng/mL).
    Lms(LmsReference),
}

/// IGF-1 as given.
#[derive(Debug, Clone, PartialEq)]
pub enum Igf1Input {
    /// The SDS the laboratory reported.
    Sds(f64),
    /// A concentration in its unit, and its reference.
    Concentration {
        value: f64,
        unit: Igf1Unit,
        reference: Igf1Reference,
    },
}

/// SDS from a laboratory range.
pub fn sds_from_range(x: f64, r: &LabRange, q: f64) -> f64 {
    match r.lambda.filter(|l| *l != 0.0) {
        None => {
            let mu = (r.low_ng_ml.ln() + r.high_ng_ml.ln()) / 2.0;
            let sigma = (r.high_ng_ml.ln() - r.low_ng_ml.ln()) / (2.0 * q);
            (x.ln() - mu) / sigma
        }
        Some(l) => {
            let (a, b) = (r.low_ng_ml.powf(l), r.high_ng_ml.powf(l));
            let m = ((a + b) / 2.0).powf(1.0 / l);
            let s = (b - a) / (q * l * (a + b));
            sds_lms(x, l, m, s)
        }
    }
}

/// SDS from L, M, S.
pub fn sds_lms(x: f64, l: f64, m: f64, s: f64) -> f64 {
    if l == 0.0 {
        (x / m).ln() / s
    } else {
        ((x / m).powf(l) - 1.0) / (l * s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q95: f64 = 1.959964;

    #[test]
    fn log_normal_matches_the_worked_example() {
        // Lo 100, Hi 300, x 250: +1.31 (reference notes).
        let r = LabRange {
            low_ng_ml: 100.0,
            high_ng_ml: 300.0,
            kind: RangeKind::Central95,
            lambda: None,
        };
        assert!((sds_from_range(250.0, &r, 1.96) - 1.31).abs() < 0.005);
        // The limits sit at -q and +q; the geometric mean at 0.
        assert!((sds_from_range(100.0, &r, Q95) + Q95).abs() < 1e-9);
        assert!((sds_from_range(300.0, &r, Q95) - Q95).abs() < 1e-9);
        assert!(sds_from_range((100.0f64 * 300.0).sqrt(), &r, Q95).abs() < 1e-9);
    }

    #[test]
    fn box_cox_puts_the_limits_at_plus_minus_q() {
        let r = LabRange {
            low_ng_ml: 97.0,
            high_ng_ml: 407.0,
            kind: RangeKind::Central95,
            lambda: Some(0.46),
        };
        assert!((sds_from_range(97.0, &r, Q95) + Q95).abs() < 1e-9);
        assert!((sds_from_range(407.0, &r, Q95) - Q95).abs() < 1e-9);
        // A lambda of 0 is the log-normal approximation.
        let ln = LabRange {
            lambda: Some(0.0),
            ..r
        };
        let plain = LabRange { lambda: None, ..r };
        assert_eq!(
            sds_from_range(150.0, &ln, Q95),
            sds_from_range(150.0, &plain, Q95)
        );
    }

    #[test]
    fn lms_interpolates_in_age() {
        let row = |age, m| LmsRow {
            age_years: age,
            l: 0.5,
            m,
            s: 0.3,
        };
        let reference = LmsReference {
            name: "t".into(),
            assay: "t".into(),
            citation: "t".into(),
            female: vec![row(5.0, 100.0), row(7.0, 140.0)],
            male: vec![],
        };
        let at = reference.at(Sex::Female, 6.0).unwrap();
        assert!((at.m - 120.0).abs() < 1e-9);
        assert!(reference.at(Sex::Female, 4.9).is_none());
        assert!(reference.at(Sex::Female, 7.1).is_none());
        assert!(reference.at(Sex::Male, 6.0).is_none());
        assert_eq!(reference.at(Sex::Female, 7.0).unwrap().m, 140.0);
        assert_eq!(sds_lms(120.0, 0.5, 120.0, 0.3), 0.0);
        assert!((sds_lms(120.0, 0.0, 100.0, 0.2) - (1.2f64).ln() / 0.2).abs() < 1e-12);
    }
}
