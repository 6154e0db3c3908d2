//! IGF-1: the SDS a decision uses, from what the laboratory reports (a
//! reported SDS, a concentration with the laboratory's reference range by
//! the log-normal or Box-Cox approximation, or a concentration against an
//! LMS reference), and the timing of the sample (steady state for daily
//! products, the product's window for weekly ones).
//!
//! Formulas (reference-data notes, section 3.5; LMS method of Cole):
//! - log-normal: mu = (ln LL + ln UL)/2, sigma = (ln UL - ln LL)/(2q), SDS = (ln x - mu)/sigma;
//! - Box-Cox with power L: a = LL^L, b = UL^L, M = ((a+b)/2)^(1/L), S = (b-a)/(q L (a+b)),
//!   SDS = ((x/M)^L - 1)/(L S);
//! - LMS: SDS = ((x/M)^L - 1)/(L S), or ln(x/M)/S when L = 0.
//!
//! `q` is the normal quantile of the range's limits (1.96 for a central 95 %
//! range, 2 for a lab that states +/-2 SD); both come from the rule set.

use super::{Patient, check, fmt_num};
use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::request::{Igf1Input, Igf1Reference, TitrateRequest};
use crate::dosing::trail::Notes;
use crate::lms::{Lms, is_log_limit};
use crate::rules::LmsReference;
use crate::rules::products::Product;
use crate::rules::{Indication, RuleSet};
use crate::units::round_to;
use crate::vocab::{FlagCode, Igf1Unit, Population, RangeKind};

/// A laboratory reference range in ng/mL.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LabRange {
    pub(crate) low_ng_ml: f64,
    pub(crate) high_ng_ml: f64,
    pub(crate) kind: RangeKind,
    /// Box-Cox power; `None` (or 0) means log-normal.
    pub(crate) lambda: Option<f64>,
}

/// SDS from a laboratory range.
pub(crate) fn sds_from_range(x: f64, r: &LabRange, q: f64) -> f64 {
    match r.lambda.filter(|l| !is_log_limit(*l)) {
        None => {
            let mu = (r.low_ng_ml.ln() + r.high_ng_ml.ln()) / 2.0;
            let sigma = (r.high_ng_ml.ln() - r.low_ng_ml.ln()) / (2.0 * q);
            (x.ln() - mu) / sigma
        }
        Some(l) => {
            let (a, b) = (r.low_ng_ml.powf(l), r.high_ng_ml.powf(l));
            let m = ((a + b) / 2.0).powf(1.0 / l);
            let s = (b - a) / (q * l * (a + b));
            Lms { l, m, s }.sds(x)
        }
    }
}

/// An SDS with its sign: `+2.6`, `-1.5`, `0`.
pub(crate) fn fmt_sds(s: f64) -> String {
    if s > 0.0 {
        format!("+{}", round_to(s, 2))
    } else {
        format!("{}", round_to(s, 2))
    }
}

/// How an IGF-1 SDS was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Igf1Method {
    /// Reported by the laboratory.
    Reported,
    /// From the laboratory's range, log-normal.
    LabRangeLognormal,
    /// From the laboratory's range, Box-Cox.
    LabRangeBoxcox,
    /// Against an LMS reference.
    LmsReference,
}

impl Igf1Method {
    /// The name the output echoes.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Igf1Method::Reported => "reported",
            Igf1Method::LabRangeLognormal => "lab-range-lognormal",
            Igf1Method::LabRangeBoxcox => "lab-range-boxcox",
            Igf1Method::LmsReference => "lms-reference",
        }
    }
}

/// The IGF-1 as a decision read it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Igf1Reading {
    /// The SDS the decision uses (unrounded).
    pub(crate) sds: f64,
    pub(crate) method: Igf1Method,
    /// The concentration in ng/mL (after conversion, rounded to 0.1).
    pub(crate) ng_ml: Option<f64>,
    /// The concentration as given when another unit was used.
    pub(crate) input: Option<String>,
    /// The reference the SDS was computed against.
    pub(crate) reference: Option<String>,
}

/// The IGF-1 SDS a decision uses, with its method and what it was computed
/// from.
pub(crate) fn sds(
    req: &TitrateRequest,
    p: &Patient,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Option<Igf1Reading>> {
    let limits = &rules.limits;
    let reading = match &req.igf1 {
        None => return Ok(None),
        Some(Igf1Input::Sds(s)) => Igf1Reading {
            sds: check(Field::Igf1Sds, *s, limits.igf1_sds, "")?,
            method: Igf1Method::Reported,
            ng_ml: None,
            input: None,
            reference: None,
        },
        Some(Igf1Input::Concentration {
            value,
            unit,
            reference,
        }) => {
            let c = Concentration { unit: *unit, rules };
            notes.cite(&rules.igf1.cited.sources);
            let x = c.ng(Field::Igf1, *value)?;
            let input = (*unit == Igf1Unit::NmolPerL).then(|| format!("{value} nmol/L"));
            if input.is_some() {
                notes.why(format!(
                    "IGF-1 {value} nmol/L x {} = {} ng/mL",
                    c.factor(),
                    round_to(x, 1)
                ));
            }
            let (s, method, reference) = match reference {
                Igf1Reference::Lab {
                    low,
                    high,
                    kind,
                    lambda,
                } => {
                    let lo = c.ng(Field::Igf1RefLow, *low)?;
                    let hi = c.ng(Field::Igf1RefHigh, *high)?;
                    let range = lab_range(lo, hi, (*low, *high), *kind, *lambda, rules)?;
                    lab_sds(x, &range, rules, notes)
                }
                Igf1Reference::Lms(r) => lms_sds(x, r, p, notes)?,
            };
            sds_within_limits(s, rules)?;
            Igf1Reading {
                sds: s,
                method,
                ng_ml: Some(round_to(x, 1)),
                input,
                reference: Some(reference),
            }
        }
    };
    let sds = reading.sds;
    let beyond = rules.plausibility.igf1_sds_beyond;
    if sds.abs() > beyond {
        notes.raise(FlagCode::UnusualInput);
        notes.cite(&rules.plausibility.cited.sources);
        notes.why(format!(
            "IGF-1 SDS {} is beyond +/-{beyond}: unusual; check the sample and the assay",
            fmt_sds(sds)
        ));
    }
    Ok(Some(reading))
}

/// An SDS computed from a concentration must be inside the rule set's
/// limits (a slip in the value, unit or reference otherwise).
fn sds_within_limits(s: f64, rules: &RuleSet) -> Result<()> {
    let limits = &rules.limits;
    if !limits.igf1_sds.contains(s) {
        return Err(Error::new(
            Field::Igf1,
            msg![
                "the IGF-1 SDS from ",
                Field::Igf1,
                format!(
                    " is {} which is outside {} to {}: check the value, unit and reference",
                    round_to(s, 2),
                    limits.igf1_sds.min,
                    limits.igf1_sds.max
                )
            ],
        ));
    }
    Ok(())
}

/// Concentrations in one unit, converted to ng/mL and checked.
struct Concentration<'a> {
    unit: Igf1Unit,
    rules: &'a RuleSet,
}

impl Concentration<'_> {
    fn factor(&self) -> f64 {
        match self.unit {
            Igf1Unit::NgPerMl => 1.0,
            Igf1Unit::NmolPerL => self.rules.igf1.ng_per_ml_per_nmol_per_l,
        }
    }

    fn ng(&self, field: Field, v: f64) -> Result<f64> {
        let limits = self.rules.limits.igf1_ng_ml;
        if !v.is_finite() || v <= 0.0 {
            return Err(Error::says(
                field,
                format!(
                    "must be a positive concentration between {} and {} ng/mL (got {})",
                    limits.min,
                    limits.max,
                    fmt_num(v)
                ),
            ));
        }
        let ng = v * self.factor();
        if !limits.contains(ng) {
            let shown = if self.unit == Igf1Unit::NgPerMl {
                fmt_num(v)
            } else {
                format!(
                    "{} {} = {} ng/mL",
                    fmt_num(v),
                    self.unit.label(),
                    fmt_num(round_to(ng, 1))
                )
            };
            return Err(Error::says(
                field,
                format!(
                    "must be between {} and {} ng/mL (got {shown})",
                    limits.min, limits.max
                ),
            ));
        }
        Ok(ng)
    }
}

fn lab_range(
    lo: f64,
    hi: f64,
    (low, high): (f64, f64),
    kind: RangeKind,
    lambda: Option<f64>,
    rules: &RuleSet,
) -> Result<LabRange> {
    if lo >= hi {
        return Err(Error::new(
            Field::Igf1RefLow,
            msg![
                Field::Igf1RefLow,
                format!(" ({low}) must be below "),
                Field::Igf1RefHigh,
                format!(" ({high})")
            ],
        ));
    }
    if let Some(l) = lambda {
        check(Field::Igf1RefLambda, l, rules.limits.igf1_lambda, "")?;
    }
    Ok(LabRange {
        low_ng_ml: lo,
        high_ng_ml: hi,
        kind,
        lambda,
    })
}

/// The SDS from a laboratory range, its method and the range as named.
fn lab_sds(
    x: f64,
    range: &LabRange,
    rules: &RuleSet,
    notes: &mut Notes,
) -> (f64, Igf1Method, String) {
    let q = match range.kind {
        RangeKind::Central95 => rules.igf1.central_95_quantile,
        RangeKind::TwoSd => rules.igf1.two_sd_quantile,
    };
    let s = sds_from_range(x, range, q);
    let boxcox = range.lambda.is_some_and(|l| !is_log_limit(l));
    let (lo, hi) = (round_to(range.low_ng_ml, 1), round_to(range.high_ng_ml, 1));
    let method = if boxcox {
        Igf1Method::LabRangeBoxcox
    } else {
        Igf1Method::LabRangeLognormal
    };
    let reference = format!(
        "laboratory range {lo}-{hi} ng/mL ({}{})",
        range.kind.label(),
        range
            .lambda
            .filter(|l| *l != 0.0)
            .map(|l| format!(", Box-Cox power {l}"))
            .unwrap_or_default()
    );
    notes.raise(FlagCode::ApproximateIgf1Sds);
    notes.why(format!(
        "IGF-1 {} ng/mL against {lo}-{hi} ng/mL ({}, {}): SDS {}",
        round_to(x, 1),
        range.kind.label(),
        if boxcox { "Box-Cox" } else { "log-normal" },
        fmt_sds(s)
    ));
    (s, method, reference)
}

/// The SDS on an LMS reference, its method and the reference as named.
fn lms_sds(
    x: f64,
    r: &LmsReference,
    p: &Patient,
    notes: &mut Notes,
) -> Result<(f64, Igf1Method, String)> {
    let sex = p.sex.ok_or_else(|| {
        Error::new(
            Field::Sex,
            msg![
                Field::Sex,
                " is required with ",
                Field::Igf1Reference,
                " (the reference is by sex)"
            ],
        )
    })?;
    let age = p.age_exact.ok_or_else(|| {
        Error::new(
            Field::AgeYears,
            msg![
                Field::AgeYears,
                " or ",
                Field::BirthDate,
                " is required with ",
                Field::Igf1Reference,
                " (the reference is by age)"
            ],
        )
    })?;
    let row = r.at(sex, age).ok_or_else(|| {
        let ages = r
            .ages(sex)
            .map(|(a, b)| format!("{a}-{b} years"))
            .unwrap_or_else(|| "no rows".into());
        Error::says(
            Field::Igf1Reference,
            format!(
                "'{}' does not cover a {sex} aged {} (it covers {ages})",
                r.name,
                round_to(age, 2)
            ),
        )
    })?;
    let s = row.sds(x);
    let reference = format!("{} (assay: {}; {})", r.name, r.assay, r.citation);
    notes.why(format!(
        "IGF-1 {} ng/mL against {} at {} years ({sex}): L {}, M {}, S {}: SDS {}",
        round_to(x, 1),
        r.name,
        round_to(age, 2),
        round_to(row.l, 3),
        round_to(row.m, 1),
        round_to(row.s, 3),
        fmt_sds(s)
    ));
    Ok((s, Igf1Method::LmsReference, reference))
}

/// IGF-1 facts the regimens decide on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Igf1 {
    pub(crate) sds: Option<f64>,
    /// The sample came too soon after a dose change (daily products).
    pub(crate) not_steady: bool,
    /// The sample came outside the product's window (weekly products).
    pub(crate) mistimed: bool,
    /// The sample is too old to titrate on.
    pub(crate) stale: bool,
}

impl Igf1 {
    /// Whether the sample may drive a change of dose at all (beyond a
    /// decrease for a high value, which is allowed at any time).
    pub(crate) fn interpretable(self) -> bool {
        !(self.mistimed || self.not_steady || self.stale)
    }
}

/// Sampling time: steady state for daily products, the product's window for
/// weekly ones.
pub(crate) fn timing(
    req: &TitrateRequest,
    sds: Option<f64>,
    weekly: Option<&Product>,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Igf1> {
    let sample = req.igf1_date.unwrap_or(req.subject.as_of);
    let age_days = (req.subject.as_of - sample).num_days();
    let stale_after = rules.plausibility.igf1_stale_days;
    let stale = sds.is_some() && age_days > i64::from(stale_after);
    if stale {
        notes.raise(FlagCode::Igf1Stale);
        notes.cite(&rules.plausibility.cited.sources);
        notes.why(format!(
            "IGF-1 drawn {age_days} days before the decision (more than {stale_after}): too old to titrate on; repeat it"
        ));
    }
    if let Some(on) = weekly {
        let mut i = window(req, sample, sds, on, notes)?;
        i.stale = stale;
        return Ok(i);
    }
    let min_days = min_days_after_change(ind.population, rules);
    let mut not_steady = false;
    if let (Some(change), Some(_)) = (req.last_dose_change, sds) {
        let days = (sample - change).num_days();
        if days < i64::from(min_days) {
            not_steady = true;
            notes.raise(FlagCode::Igf1NotSteadyState);
            notes.why(format!(
                "IGF-1 drawn {days} days after the last dose change (< {min_days} days): not at steady state"
            ));
        }
    }
    Ok(Igf1 {
        sds,
        not_steady,
        mistimed: false,
        stale,
    })
}

fn window(
    req: &TitrateRequest,
    sample: chrono::NaiveDate,
    sds: Option<f64>,
    p: &Product,
    notes: &mut Notes,
) -> Result<Igf1> {
    let last = req.last_injection.ok_or_else(|| {
        Error::says(
            Field::LastInjection,
            format!(
                "is required for {} (a weekly product: IGF-1 depends on the day after the injection)",
                p.id
            ),
        )
    })?;
    if sample < last {
        return Err(Error::new(
            Field::Igf1Date,
            msg![
                Field::Igf1Date,
                format!(" {sample} is before "),
                Field::LastInjection,
                format!(" {last}")
            ],
        ));
    }
    let day = (sample - last).num_days();
    let mut mistimed = false;
    if let Some((lo, hi)) = p.igf1_sample_days
        && sds.is_some()
    {
        if day < i64::from(lo) || day > i64::from(hi) {
            mistimed = true;
            notes.raise(FlagCode::Igf1SampleTiming);
            notes.why(format!(
                "IGF-1 drawn on day {day} after the injection; {} samples belong on day {}: no titration on this sample",
                p.name,
                if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}-{hi}")
                }
            ));
        } else {
            notes.why(format!(
                "IGF-1 drawn on day {day} after the injection: inside the {} window",
                p.name
            ));
        }
    }
    Ok(Igf1 {
        sds,
        not_steady: false,
        mistimed,
        stale: false,
    })
}

/// The fewest days after a dose change before an IGF-1 sample shows the
/// new dose (daily somatropin tables, by population).
pub(crate) fn min_days_after_change(population: Population, rules: &RuleSet) -> u32 {
    match population {
        Population::Adult => rules.titration.adult_daily.min_days_after_change_for_igf1,
        Population::Pediatric => {
            rules
                .titration
                .pediatric_daily
                .min_days_after_change_for_igf1
        }
    }
}

#[cfg(test)]
mod tests;
