//! `titrate`: the decision at a follow-up visit from the current dose, the
//! latest IGF-1 SDS and dates (and, for children, weight and growth).
//!
//! Order of precedence: a block flag stops treatment; a mistimed or
//! too-early IGF-1 sample gives `recheck` (except that a decrease for IGF-1
//! above the ceiling or dose-related symptoms is allowed at any time); then
//! the titration table of the regimen.

use super::device::Exact;
use super::flags::{diabetic, safety_flags};
use super::igf1::{
    Igf1Input, Igf1Reference, Igf1Unit, LabRange, RangeKind, sds_from_range, sds_lms,
};
use super::patient::{Measured, check, decimal_age, validate};
use super::start::{
    Notes, OnProduct, Target, adult_group, adult_weekly_label, age_of, deliverable, effective,
    injections, iu, next_review, on_product, outside_ages, span_text, unknown, unusual_notes,
    weight_of, weight_range,
};
use super::types::{
    Action, FlagCode, Grams, Micrograms, NgPerKg, Symptom, div_round, fmt_decimal, round_to,
};
use super::{
    Change, Dose, DoseRange, IndicationRef, NextReview, Outcome, Patient, ProductRef,
    Recommendation, Span, StartRequest,
};
use crate::error::InputError;
use crate::rules::products::{AdultWeekly, LabelDosing, Molecule, Product, Schedule};
use crate::rules::{AdultGroup, Indication, Regimen, RuleSet, SdsStep, WeightBased};
use chrono::{Days, NaiveDate};

/// The current dose as given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CurrentDose {
    /// mg per daily injection (`--current-mg-per-day`).
    PerDay(f64),
    /// mg per week (`--current-mg-per-week`).
    PerWeek(f64),
}

/// `gh-dose titrate`.
#[derive(Debug, Clone, PartialEq)]
pub struct TitrateRequest {
    /// Indication, date, patient, product, device, region, injections.
    pub base: StartRequest,
    pub current: Option<CurrentDose>,
    pub prescribed_mg_per_kg_week: Option<f64>,
    pub previous_weight_kg: Option<f64>,
    pub igf1: Option<Igf1Input>,
    pub igf1_date: Option<NaiveDate>,
    pub last_dose_change: Option<NaiveDate>,
    pub last_injection: Option<NaiveDate>,
    pub previous_height_cm: Option<Measured>,
    pub previous_height_date: Option<NaiveDate>,
    pub pretreatment_hv_cm_per_year: Option<f64>,
    pub treatment_start: Option<NaiveDate>,
}

impl TitrateRequest {
    /// A request with nothing but the base filled in.
    pub fn new(base: StartRequest) -> TitrateRequest {
        TitrateRequest {
            base,
            current: None,
            prescribed_mg_per_kg_week: None,
            previous_weight_kg: None,
            igf1: None,
            igf1_date: None,
            last_dose_change: None,
            last_injection: None,
            previous_height_cm: None,
            previous_height_date: None,
            pretreatment_hv_cm_per_year: None,
            treatment_start: None,
        }
    }
}

/// What a regimen decided.
struct Decision {
    action: Action,
    dose: Option<Dose>,
    range: DoseRange,
    target: Option<Target>,
    review: Option<NextReview>,
    group: Option<String>,
    labelled: bool,
}

/// IGF-1 facts shared by the regimens.
struct Igf1 {
    sds: Option<f64>,
    /// The sample came too soon after a dose change (daily products).
    not_steady: bool,
    /// The sample came outside the product's window (weekly products).
    mistimed: bool,
}

const DOSE_SYMPTOMS: [Symptom; 5] = [
    Symptom::Edema,
    Symptom::Arthralgia,
    Symptom::Myalgia,
    Symptom::Paresthesia,
    Symptom::Hyperglycemia,
];

/// Decides at a follow-up visit. Errors are bad inputs (exit code 2).
pub fn titrate(req: &TitrateRequest, rules: &RuleSet) -> Result<Outcome, InputError> {
    let base = &req.base;
    let as_of = base.as_of;
    let ind = rules.indication(&base.indication).ok_or_else(|| {
        unknown(
            "--indication",
            &base.indication,
            "indication",
            rules.indications.iter().map(|i| i.id.as_str()),
        )
    })?;
    let mut patient = validate(&base.patient, as_of, rules)?;
    let on = on_product(base, ind, rules)?;
    check_dates(req)?;
    let current = req.current.ok_or_else(|| {
        InputError::new("error: --current-mg-per-day or --current-mg-per-week is required for titrate (the dose now given)")
    })?;
    let current_value = match current {
        CurrentDose::PerDay(v) => ("--current-mg-per-day", v),
        CurrentDose::PerWeek(v) => ("--current-mg-per-week", v),
    };
    let dose_limit = rules.limits.dose_mg;
    if !(current_value.1.is_finite()
        && current_value.1 > dose_limit.min
        && current_value.1 <= dose_limit.max)
    {
        return Err(InputError::new(format!(
            "error: {} must be a positive number of mg up to {} (got {})",
            current_value.0, dose_limit.max, current_value.1
        )));
    }
    let mut notes = Notes::default();
    let sds = igf1_sds(req, &mut patient, rules, &mut notes)?;
    patient.igf1_date = req.igf1_date;
    patient.last_dose_change = req.last_dose_change;
    patient.last_injection = req.last_injection;
    patient.treatment_start = req.treatment_start;
    patient.pretreatment_hv_cm_per_year = req.pretreatment_hv_cm_per_year;
    patient.previous_height_date = req.previous_height_date;

    notes.sources.add(&ind.cited.sources);
    let weekly = on
        .as_ref()
        .filter(|o| o.product.schedule == Schedule::Weekly);
    let igf1 = igf1_timing(req, sds, weekly, ind, rules, &mut notes)?;
    let mut decision = match (&ind.regimen, weekly) {
        (Regimen::WeightBased(wb), None) => pediatric_daily(
            req,
            ind,
            wb,
            current,
            &mut patient,
            on.as_ref(),
            &igf1,
            rules,
            &mut notes,
        )?,
        (Regimen::WeightBased(_), Some(on)) => pediatric_weekly(
            req,
            ind,
            current,
            &mut patient,
            on,
            &igf1,
            rules,
            &mut notes,
        )?,
        (Regimen::FixedDaily(groups), None) => adult_daily(
            req,
            ind,
            groups,
            current,
            &patient,
            on.as_ref(),
            &igf1,
            rules,
            &mut notes,
        )?,
        (Regimen::FixedDaily(_), Some(on)) => {
            adult_weekly(req, ind, current, &patient, on, &igf1, rules, &mut notes)?
        }
    };
    if ind.population == crate::dosing::types::Population::Pediatric {
        growth(req, &mut patient, rules, &mut notes)?;
    }
    if let (Some(o), Some(t)) = (&on, decision.target)
        && decision.dose.is_some()
    {
        let d = deliverable(o, t, patient.weight, &mut notes)?;
        if let Some(dose) = decision.dose.as_mut() {
            dose.deliverable = d;
        }
    }
    safety_flags(&patient, ind, rules, &mut notes.raised);
    unusual_notes(&patient, rules, &mut notes);
    if ind.pws_checks && patient.reports(Symptom::Snoring) {
        notes.raised.raise(FlagCode::PwsScreening);
        notes.why("snoring in Prader-Willi syndrome: interrupt treatment if it is new or worse and assess for sleep apnea".into());
    }

    let blocks = notes.raised.blocks(rules);
    if !blocks.is_empty() {
        let codes: Vec<&str> = blocks.iter().map(|c| c.as_str()).collect();
        notes.why(format!("stop: {}", codes.join(", ")));
        decision.action = Action::Stop;
        decision.dose = None;
        decision.review = None;
    }
    // From the current dose to the new one (the deliverable dose with a product).
    let change = match (decision.action, &decision.dose) {
        (Action::Increase | Action::Decrease, Some(d)) => {
            let from = current_weekly(current, d.injections_per_week);
            let to = d
                .deliverable
                .as_ref()
                .map_or(d.mg_per_week, |x| x.mg_per_week);
            (to != from).then(|| Change {
                from_mg_per_week: from,
                to_mg_per_week: to,
                percent: round_to((to.0 - from.0) as f64 * 100.0 / from.0.max(1) as f64, 1),
            })
        }
        _ => None,
    };
    // A deliverable dose equal to the current one is no change at all.
    if matches!(decision.action, Action::Increase | Action::Decrease) && change.is_none() {
        notes.why("the deliverable dose equals the current dose: maintain".into());
        decision.action = Action::Maintain;
    }
    if matches!(decision.action, Action::Recheck) {
        decision.dose = None;
    }
    if on.is_none() && decision.dose.is_some() {
        notes.raised.raise(FlagCode::NoDeviceRounding);
    }
    let product = on
        .as_ref()
        .map(|o| ProductRef::of(o.product, base.region, decision.labelled));
    let (flags, rationale, sources) = notes.finish(rules);
    Ok(Outcome {
        patient,
        indication: IndicationRef {
            id: ind.id.clone(),
            name: ind.name.clone(),
            population: ind.population,
            group: decision.group,
        },
        product,
        recommendation: Recommendation {
            action: decision.action,
            dose: decision.dose,
            range: decision.range,
            change,
            next_review: decision.review,
            label_range: None,
            supply: None,
        },
        flags,
        rationale,
        sources,
    })
}

/// The current weekly dose in µg, with `n` injections a week.
fn current_weekly(current: CurrentDose, n: u8) -> Micrograms {
    match current {
        CurrentDose::PerWeek(w) => Micrograms((w * 1000.0).round() as i64),
        CurrentDose::PerDay(d) => Micrograms((d * 1000.0).round() as i64 * i64::from(n)),
    }
}

fn check_dates(req: &TitrateRequest) -> Result<(), InputError> {
    let as_of = req.base.as_of;
    for (flag, date) in [
        ("--igf1-date", req.igf1_date),
        ("--last-dose-change", req.last_dose_change),
        ("--last-injection", req.last_injection),
        ("--treatment-start", req.treatment_start),
    ] {
        if let Some(d) = date
            && d > as_of
        {
            return Err(InputError::new(format!(
                "error: {flag} {d} is after the as-of date {as_of} (dates must be on or before --as-of)"
            )));
        }
    }
    if let Some(d) = req.previous_height_date
        && d >= as_of
    {
        return Err(InputError::new(format!(
            "error: --previous-height-date {d} must be before the current height's date {as_of} (--as-of)"
        )));
    }
    if let (Some(sample), Some(change)) = (req.igf1_date, req.last_dose_change)
        && sample < change
    {
        return Err(InputError::new(format!(
            "error: --igf1-date {sample} is before --last-dose-change {change}: the sample does not reflect the current dose"
        )));
    }
    if req.previous_height_cm.is_some() != req.previous_height_date.is_some() {
        return Err(InputError::new(
            "error: --previous-height-cm and --previous-height-date go together (height velocity needs both)",
        ));
    }
    Ok(())
}

/// The IGF-1 SDS the decision uses: reported, from the laboratory range, or
/// from an LMS reference; echoed with its method and the concentration.
fn igf1_sds(
    req: &TitrateRequest,
    p: &mut Patient,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Option<f64>, InputError> {
    let limits = &rules.limits;
    let sds = match &req.igf1 {
        None => return Ok(None),
        Some(Igf1Input::Sds(s)) => {
            let s = check("--igf1-sds", *s, limits.igf1_sds, "")?;
            p.igf1_sds_method = Some("reported");
            s
        }
        Some(Igf1Input::Concentration {
            value,
            unit,
            reference,
        }) => {
            let conv = &rules.igf1;
            notes.sources.add(&conv.cited.sources);
            let factor = match unit {
                Igf1Unit::NgPerMl => 1.0,
                Igf1Unit::NmolPerL => conv.ng_per_ml_per_nmol_per_l,
            };
            let to_ng = |flag: &str, v: f64| -> Result<f64, InputError> {
                if !v.is_finite() || v <= 0.0 {
                    return Err(InputError::new(format!(
                        "error: {flag} must be a positive concentration (got {v})"
                    )));
                }
                let ng = v * factor;
                if !limits.igf1_ng_ml.contains(ng) {
                    let shown = if factor == 1.0 {
                        format!("{v}")
                    } else {
                        format!("{v} {} = {} ng/mL", unit.as_str(), round_to(ng, 1))
                    };
                    return Err(InputError::new(format!(
                        "error: {flag} must be between {} and {} ng/mL (got {shown})",
                        limits.igf1_ng_ml.min, limits.igf1_ng_ml.max
                    )));
                }
                Ok(ng)
            };
            let x = to_ng("--igf1", *value)?;
            p.igf1_ng_ml = Some(round_to(x, 1));
            if *unit == Igf1Unit::NmolPerL {
                p.igf1_input = Some(format!("{value} nmol/L"));
                notes.why(format!(
                    "IGF-1 {value} nmol/L x {factor} = {} ng/mL",
                    round_to(x, 1)
                ));
            }
            match reference {
                Igf1Reference::Lab {
                    low,
                    high,
                    kind,
                    lambda,
                } => {
                    let lo = to_ng("--igf1-ref-low", *low)?;
                    let hi = to_ng("--igf1-ref-high", *high)?;
                    if lo >= hi {
                        return Err(InputError::new(format!(
                            "error: --igf1-ref-low ({low}) must be below --igf1-ref-high ({high})"
                        )));
                    }
                    if let Some(l) = lambda {
                        check("--igf1-ref-lambda", *l, limits.igf1_lambda, "")?;
                    }
                    let q = match kind {
                        RangeKind::Central95 => conv.central_95_quantile,
                        RangeKind::TwoSd => conv.two_sd_quantile,
                    };
                    let range = LabRange {
                        low_ng_ml: lo,
                        high_ng_ml: hi,
                        kind: *kind,
                        lambda: *lambda,
                    };
                    let s = sds_from_range(x, &range, q);
                    let boxcox = lambda.is_some_and(|l| l != 0.0);
                    p.igf1_sds_method = Some(if boxcox {
                        "lab-range-boxcox"
                    } else {
                        "lab-range-lognormal"
                    });
                    p.igf1_reference = Some(format!(
                        "laboratory range {}-{} ng/mL ({}{})",
                        round_to(lo, 1),
                        round_to(hi, 1),
                        kind.as_str(),
                        lambda
                            .filter(|l| *l != 0.0)
                            .map(|l| format!(", Box-Cox power {l}"))
                            .unwrap_or_default()
                    ));
                    notes.raised.raise(FlagCode::ApproximateIgf1Sds);
                    notes.why(format!(
                        "IGF-1 {} ng/mL against {}-{} ng/mL ({}, {}): SDS {}",
                        round_to(x, 1),
                        round_to(lo, 1),
                        round_to(hi, 1),
                        kind.as_str(),
                        if boxcox { "Box-Cox" } else { "log-normal" },
                        fmt_sds(s)
                    ));
                    s
                }
                Igf1Reference::Lms(r) => {
                    let sex = p.sex.ok_or_else(|| InputError::new("error: --sex is required with --igf1-reference (the reference is by sex)"))?;
                    let age = p.age_exact.ok_or_else(|| {
                        InputError::new("error: --age-years or --birth-date is required with --igf1-reference (the reference is by age)")
                    })?;
                    let row = r.at(sex, age).ok_or_else(|| {
                        let ages = r.ages(sex).map(|(a, b)| format!("{a}-{b} years")).unwrap_or_else(|| "no rows".into());
                        InputError::new(format!(
                            "error: --igf1-reference '{}' does not cover a {sex} aged {} (it covers {ages})",
                            r.name,
                            round_to(age, 2)
                        ))
                    })?;
                    let s = sds_lms(x, row.l, row.m, row.s);
                    p.igf1_sds_method = Some("lms-reference");
                    p.igf1_reference =
                        Some(format!("{} (assay: {}; {})", r.name, r.assay, r.citation));
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
                    s
                }
            }
        }
    };
    if !limits.igf1_sds.contains(sds) {
        return Err(InputError::new(format!(
            "error: the IGF-1 SDS from --igf1 is {} which is outside {} to {}: check the value, unit and reference",
            round_to(sds, 2),
            limits.igf1_sds.min,
            limits.igf1_sds.max
        )));
    }
    p.igf1_sds = Some(round_to(sds, 2));
    let beyond = rules.plausibility.igf1_sds_beyond;
    if sds.abs() > beyond {
        notes.raised.raise(FlagCode::UnusualInput);
        notes.sources.add(&rules.plausibility.cited.sources);
        notes.why(format!(
            "IGF-1 SDS {} is beyond +/-{beyond}: unusual; check the sample and the assay",
            fmt_sds(sds)
        ));
    }
    Ok(Some(sds))
}

/// Sampling time: steady state for daily products, the product's window for weekly ones.
fn igf1_timing(
    req: &TitrateRequest,
    sds: Option<f64>,
    weekly: Option<&OnProduct>,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Igf1, InputError> {
    let sample = req.igf1_date.unwrap_or(req.base.as_of);
    if let Some(on) = weekly {
        let p = on.product;
        let last = req.last_injection.ok_or_else(|| {
            InputError::new(format!(
                "error: --last-injection is required for {} (a weekly product: IGF-1 depends on the day after the injection)",
                p.id
            ))
        })?;
        if sample < last {
            return Err(InputError::new(format!(
                "error: --igf1-date {sample} is before --last-injection {last}"
            )));
        }
        let day = (sample - last).num_days();
        let mut mistimed = false;
        if let Some((lo, hi)) = p.igf1_sample_days
            && sds.is_some()
        {
            if day < i64::from(lo) || day > i64::from(hi) {
                mistimed = true;
                notes.raised.raise(FlagCode::Igf1SampleTiming);
                notes.why(format!(
                    "IGF-1 drawn on day {day} after the injection; {} samples belong on day {}: no titration on this sample",
                    p.name,
                    if lo == hi { lo.to_string() } else { format!("{lo}-{hi}") }
                ));
            } else {
                notes.why(format!(
                    "IGF-1 drawn on day {day} after the injection: inside the {} window",
                    p.name
                ));
            }
        }
        return Ok(Igf1 {
            sds,
            not_steady: false,
            mistimed,
        });
    }
    let min_days = match ind.population {
        crate::dosing::types::Population::Adult => {
            rules.titration.adult_daily.min_days_after_change_for_igf1
        }
        crate::dosing::types::Population::Pediatric => {
            rules
                .titration
                .pediatric_daily
                .min_days_after_change_for_igf1
        }
    };
    let mut not_steady = false;
    if let (Some(change), Some(_)) = (req.last_dose_change, sds) {
        let days = (sample - change).num_days();
        if days < i64::from(min_days) {
            not_steady = true;
            notes.raised.raise(FlagCode::Igf1NotSteadyState);
            notes.why(format!(
                "IGF-1 drawn {days} days after the last dose change (< {min_days} days): not at steady state"
            ));
        }
    }
    Ok(Igf1 {
        sds,
        not_steady,
        mistimed: false,
    })
}

/// The first step whose bound the SDS is below (steps ordered by increasing SDS).
fn step_below(steps: &[SdsStep], sds: f64) -> Option<Micrograms> {
    steps.iter().find(|s| sds < s.sds).map(|s| s.step)
}

/// The first step whose bound the SDS is above (steps ordered by decreasing SDS).
fn step_above(steps: &[SdsStep], sds: f64) -> Option<Micrograms> {
    steps.iter().find(|s| sds > s.sds).map(|s| s.step)
}

fn fmt_sds(s: f64) -> String {
    if s > 0.0 {
        format!("+{}", round_to(s, 2))
    } else {
        format!("{}", round_to(s, 2))
    }
}

/// A review window counted from `from`.
fn review_from(
    rules: &RuleSet,
    id: &str,
    from: NaiveDate,
    notes: &mut Notes,
) -> Option<NextReview> {
    next_review(rules, id, from, &mut notes.sources)
}

fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

#[allow(clippy::too_many_arguments)]
fn adult_daily(
    req: &TitrateRequest,
    ind: &Indication,
    groups: &[AdultGroup],
    current: CurrentDose,
    p: &Patient,
    on: Option<&OnProduct>,
    igf1: &Igf1,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Decision, InputError> {
    let t = &rules.titration.adult_daily;
    notes.sources.add(&t.cited.sources);
    let age = age_of(p, ind)?;
    let n = injections(&req.base, &[7], 7, &ind.id)?;
    let now = match current {
        CurrentDose::PerDay(d) => Micrograms((d * 1000.0).round() as i64),
        CurrentDose::PerWeek(w) => Micrograms(div_round((w * 1000.0).round() as i128, 7) as i64),
    };
    let (group, _) = adult_group(ind, groups, p, age, rules)?;
    let careful = age >= t.older_age_years || diabetic(p);
    let (cap, cap_why) = super::adult_cap(p.weight, age, t);
    let as_of = req.base.as_of;
    notes.why(format!("current dose {now} mg/day"));

    let symptoms: Vec<&str> = DOSE_SYMPTOMS
        .iter()
        .filter(|s| p.reports(**s))
        .map(|s| s.as_str())
        .collect();
    let mut new = now;
    let mut action = Action::Maintain;
    let mut review_id = t.review_stable.clone();
    let mut review_from_date = as_of;
    let mut recheck = false;

    if now > cap {
        new = cap;
        action = Action::Decrease;
        notes.raised.raise(FlagCode::DoseCapped);
        notes.why(format!(
            "{cap_why}; the current dose is above it: decrease to {cap} mg/day"
        ));
    } else {
        let above = igf1.sds.filter(|s| *s > t.ceiling_sds);
        let mut down = Micrograms(0);
        if let Some(s) = above {
            notes.raised.raise(FlagCode::Igf1AboveRange);
            let step = step_above(&t.step_down, s).unwrap_or(t.step_down_symptoms);
            notes.why(format!(
                "IGF-1 SDS {} is above the ceiling {}: step down {step} mg/day",
                fmt_sds(s),
                fmt_sds(t.ceiling_sds)
            ));
            down = step;
            if igf1.not_steady {
                notes.why(
                    "a decrease for IGF-1 above the ceiling is allowed before steady state".into(),
                );
            }
        }
        if !symptoms.is_empty() {
            notes.why(format!(
                "dose-related symptoms ({}): step down {} mg/day",
                symptoms.join(", "),
                t.step_down_symptoms
            ));
            down = down.max(t.step_down_symptoms);
        }
        if down.0 > 0 {
            let floor = t.min_per_day;
            new = Micrograms((now.0 - down.0).max(floor.0));
            if new < now {
                action = Action::Decrease;
                notes.why(format!(
                    "{now} - {down} = {new} mg/day (not below {floor} mg/day)"
                ));
            } else {
                notes.why(format!("already at the lowest dose {floor} mg/day: re-evaluate (adherence, assay, indication)"));
            }
            review_id = t.review_after_change.clone();
        } else if igf1.not_steady {
            recheck = true;
            action = Action::Recheck;
            review_id = "igf1-recheck".into();
            review_from_date = req.last_dose_change.unwrap_or(as_of);
        } else {
            match igf1.sds {
                None => notes.why("no IGF-1 SDS given: the dose cannot be titrated; measure IGF-1".into()),
                Some(s) if s < t.target.min => {
                    let mut step = step_below(&t.step_up, s).unwrap_or(t.step_up_max_older_or_diabetes);
                    if careful && step > t.step_up_max_older_or_diabetes {
                        step = t.step_up_max_older_or_diabetes;
                        notes.why(format!("age {} or over, or diabetes: steps of at most {step} mg/day", t.older_age_years));
                    }
                    if s < t.low_sds {
                        notes.raised.raise(FlagCode::Igf1LowOnTreatment);
                    }
                    let weeks = t.min_weeks_between_increases;
                    let earliest = req.last_dose_change.map(|c| plus(c, u64::from(weeks) * 7));
                    match earliest {
                        Some(e) if e > as_of => {
                            notes.raised.raise(FlagCode::TitrationTooSoon);
                            notes.why(format!(
                                "IGF-1 SDS {} is below the target band {}-{}: an increase of {step} mg/day is due, but not before {e} ({weeks} weeks after the last change)",
                                fmt_sds(s),
                                t.target.min,
                                t.target.max
                            ));
                            review_id = t.review_after_change.clone();
                            review_from_date = req.last_dose_change.unwrap_or(as_of);
                        }
                        _ => {
                            if req.last_dose_change.is_none() {
                                notes.why("no --last-dose-change given: the minimum interval between increases was not checked".into());
                            }
                            new = Micrograms(now.0 + step.0);
                            if new > cap {
                                notes.raised.raise(FlagCode::DoseCapped);
                                notes.why(format!("{cap_why}: the increase is limited to it"));
                                new = cap;
                            }
                            if new > now {
                                action = Action::Increase;
                                notes.why(format!(
                                    "IGF-1 SDS {} is below the target band {}-{}: {now} + {step} = {new} mg/day",
                                    fmt_sds(s),
                                    t.target.min,
                                    t.target.max
                                ));
                                review_id = t.review_after_change.clone();
                            }
                        }
                    }
                }
                Some(s) if s > t.target.max => notes.why(format!(
                    "IGF-1 SDS {} is above the target band {}-{} but within the normal range (up to {}): maintain",
                    fmt_sds(s),
                    t.target.min,
                    t.target.max,
                    fmt_sds(t.ceiling_sds)
                )),
                Some(s) => notes.why(format!(
                    "IGF-1 SDS {} is inside the target band {}-{}: maintain",
                    fmt_sds(s),
                    t.target.min,
                    t.target.max
                )),
            }
        }
    }
    if new > t.typical_maintenance_max && !recheck {
        notes.raised.raise(FlagCode::AboveTypicalMaintenance);
    }
    let review = review_from(rules, &review_id, review_from_date, notes);
    let weekly = Micrograms(new.0 * i64::from(n));
    let range = DoseRange {
        mg_per_kg_per_week: None,
        mg_per_week: Some(Span {
            min: Some(Micrograms(t.min_per_day.0 * 7)),
            max: Micrograms(cap.0 * 7),
        }),
        mg_per_injection: Some(Span {
            min: Some(t.min_per_day),
            max: cap,
        }),
        mg_per_day: Some(Span {
            min: Some(t.min_per_day),
            max: cap,
        }),
    };
    let labelled = label_check(on, ind, req, notes);
    Ok(Decision {
        action,
        dose: Some(Dose {
            mg_per_week: weekly,
            mg_per_kg_per_week: None,
            injections_per_week: n,
            mg_per_injection: new,
            iu_per_injection: Some(iu(Exact::ug(new), rules)),
            deliverable: None,
        }),
        range,
        target: Some(Target {
            dose: Exact::ug(new),
            lo: Some(Exact::ug(new.min(t.min_per_day))),
            hi: Exact::ug(cap.max(new)),
            injections_per_week: n,
        }),
        review,
        group: Some(group.id.clone()),
        labelled,
    })
}

/// OFF_LABEL for a daily product not labelled for the indication.
fn label_check(
    on: Option<&OnProduct>,
    ind: &Indication,
    req: &TitrateRequest,
    notes: &mut Notes,
) -> bool {
    let Some(o) = on else {
        return true;
    };
    notes.product(o.product);
    if o.label.is_none() {
        notes.off_label(format!(
            "{} is not labelled for {} in the {} label",
            o.product.name, ind.id, req.base.region
        ));
        return false;
    }
    true
}

#[allow(clippy::too_many_arguments)]
fn adult_weekly(
    req: &TitrateRequest,
    ind: &Indication,
    current: CurrentDose,
    p: &Patient,
    on: &OnProduct,
    igf1: &Igf1,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Decision, InputError> {
    let product = on.product;
    let (label, aw) = adult_weekly_label(ind, on)?;
    let CurrentDose::PerWeek(w) = current else {
        return Err(InputError::new(format!(
            "error: {} is weekly: give --current-mg-per-week, not --current-mg-per-day",
            product.id
        )));
    };
    let age = age_of(p, ind)?;
    notes.sources.add(&label.cited.sources);
    notes.sources.add(&aw.cited.sources);
    let now = Micrograms((w * 1000.0).round() as i64);
    let max = if p.has(crate::dosing::types::Condition::HepaticImpairmentModerate) {
        aw.hepatic_moderate_max
    } else {
        aw.max
    };
    let older = age > aw.older_than_years;
    let as_of = req.base.as_of;
    notes.why(format!(
        "current dose {now} mg/week of {}; maximum {max} mg/week",
        product.name
    ));
    let window = product.igf1_sample_days;
    let (action, new, review) = weekly_adult_step(aw, now, max, older, window, igf1, req, notes);
    let review_id = if action == Action::Maintain {
        rules.titration.adult_daily.review_stable.clone()
    } else {
        aw.review_after_change.clone()
    };
    let review = match (action, review) {
        (Action::Recheck, Some(r)) => Some(r),
        _ => review_from(rules, &review_id, as_of, notes),
    };
    let range = DoseRange {
        mg_per_kg_per_week: None,
        mg_per_week: Some(Span { min: None, max }),
        mg_per_injection: Some(Span { min: None, max }),
        mg_per_day: None,
    };
    Ok(Decision {
        action,
        dose: Some(Dose {
            mg_per_week: new,
            mg_per_kg_per_week: None,
            injections_per_week: 1,
            mg_per_injection: new,
            iu_per_injection: None,
            deliverable: None,
        }),
        range,
        target: Some(Target {
            dose: Exact::ug(new),
            lo: None,
            hi: Exact::ug(max.max(new)),
            injections_per_week: 1,
        }),
        review,
        group: Some(format!("{}-adult", product.id)),
        labelled: true,
    })
}

/// The weekly adult step (Sogroya): target band, steps by distance, interval, maximum.
#[allow(clippy::too_many_arguments)]
fn weekly_adult_step(
    aw: &AdultWeekly,
    now: Micrograms,
    max: Micrograms,
    older: bool,
    window: Option<(u32, u32)>,
    igf1: &Igf1,
    req: &TitrateRequest,
    notes: &mut Notes,
) -> (Action, Micrograms, Option<NextReview>) {
    let as_of = req.base.as_of;
    if now > max {
        notes.raised.raise(FlagCode::DoseCapped);
        notes.why(format!(
            "the current dose is above the maximum: decrease to {max} mg/week"
        ));
        return (Action::Decrease, max, None);
    }
    if igf1.mistimed {
        // A mistimed sample implies the product has a window.
        let next = req
            .last_injection
            .zip(window)
            .map(|(l, w)| next_window(l, as_of, w));
        return (Action::Recheck, now, next);
    }
    let Some(s) = igf1.sds else {
        notes.why(
            "no IGF-1 SDS given: the dose cannot be titrated; measure IGF-1 in the sampling window"
                .into(),
        );
        return (Action::Maintain, now, None);
    };
    if s > aw.target.max {
        notes.raised.raise(FlagCode::Igf1AboveRange);
        let step = step_above(&aw.step_down, s).unwrap_or(now);
        let new = Micrograms(now.0 - step.0);
        if new.0 <= 0 {
            notes.why(format!(
                "IGF-1 SDS {} is above {} at the lowest dose: re-evaluate",
                fmt_sds(s),
                fmt_sds(aw.target.max)
            ));
            return (Action::Maintain, now, None);
        }
        notes.why(format!(
            "IGF-1 SDS {} is above the target band {}-{}: {now} - {step} = {new} mg/week",
            fmt_sds(s),
            aw.target.min,
            aw.target.max
        ));
        return (Action::Decrease, new, None);
    }
    if s >= aw.target.min {
        notes.why(format!(
            "IGF-1 SDS {} is inside the target band {}-{}: maintain",
            fmt_sds(s),
            aw.target.min,
            aw.target.max
        ));
        return (Action::Maintain, now, None);
    }
    let mut step = step_below(&aw.step_up, s).unwrap_or(aw.step_up_max_older);
    if older && step > aw.step_up_max_older {
        step = aw.step_up_max_older;
        notes.why(format!(
            "older than {} years: steps of at most {step} mg",
            aw.older_than_years
        ));
    }
    let weeks = aw.min_weeks_between_increases;
    if let Some(change) = req.last_dose_change {
        let earliest = plus(change, u64::from(weeks) * 7);
        if earliest > as_of {
            notes.raised.raise(FlagCode::TitrationTooSoon);
            notes.why(format!("an increase of {step} mg is due, but not before {earliest} ({weeks} weeks after the last change)"));
            return (Action::Maintain, now, None);
        }
    }
    let mut new = Micrograms(now.0 + step.0);
    if new > max {
        notes.raised.raise(FlagCode::DoseCapped);
        new = max;
    }
    if new <= now {
        notes.why(format!("already at the maximum {max} mg/week"));
        return (Action::Maintain, now, None);
    }
    notes.why(format!(
        "IGF-1 SDS {} is below the target band {}-{}: {now} + {step} = {new} mg/week",
        fmt_sds(s),
        aw.target.min,
        aw.target.max
    ));
    (Action::Increase, new, None)
}

/// The next sampling window after the next injection on or after `as_of`.
fn next_window(last: NaiveDate, as_of: NaiveDate, (lo, hi): (u32, u32)) -> NextReview {
    let mut next = last;
    while next < as_of {
        next = plus(next, 7);
    }
    NextReview {
        earliest: plus(next, u64::from(lo)),
        latest: plus(next, u64::from(hi)),
        what: vec![format!(
            "IGF-1 on day {}-{} after the injection of {next}",
            lo, hi
        )],
    }
}

/// The intensity the child is on: prescribed, from the previous weight, or
/// from the current weight clamped into the range.
#[allow(clippy::too_many_arguments)]
fn intensity_now(
    req: &TitrateRequest,
    weekly_now: Micrograms,
    weight: Grams,
    wb_min: Option<NgPerKg>,
    wb_max: NgPerKg,
    ceiling: NgPerKg,
    rules: &RuleSet,
    p: &mut Patient,
    notes: &mut Notes,
) -> Result<NgPerKg, InputError> {
    if let Some(x) = req.prescribed_mg_per_kg_week {
        if !(x.is_finite() && x > 0.0) || NgPerKg((x * 1e6).round() as i64) > ceiling {
            return Err(InputError::new(format!(
                "error: --prescribed-mg-per-kg-week must be a positive number up to {ceiling} for {} (got {x})",
                req.base.indication
            )));
        }
        let i = NgPerKg((x * 1e6).round() as i64);
        notes.why(format!(
            "prescribed intensity {i} mg/kg/week (--prescribed-mg-per-kg-week)"
        ));
        return Ok(i);
    }
    if let Some(prev) = req.previous_weight_kg {
        check("--previous-weight-kg", prev, rules.limits.weight_kg, "kg")?;
        let g = Grams::from_kg(prev);
        p.previous_weight_kg = Some(g.kg());
        let change = (weight.0 - g.0) as f64 * 100.0 / g.0 as f64;
        if change.abs() > rules.plausibility.weight_change_percent {
            p.unusual.push(format!(
                "weight changed {}% since the previous visit ({g} -> {weight} kg; more than {}%)",
                round_to(change, 1),
                rules.plausibility.weight_change_percent
            ));
        }
        let i = NgPerKg(div_round(i128::from(weekly_now.0) * 1_000_000, i128::from(g.0)) as i64);
        notes.why(format!(
            "intensity {weekly_now} mg/week / {g} kg (previous weight) = {i} mg/kg/week"
        ));
        return Ok(i);
    }
    let raw = NgPerKg(div_round(i128::from(weekly_now.0) * 1_000_000, i128::from(weight.0)) as i64);
    let clamped = raw.clamp(wb_min.unwrap_or(raw).min(wb_max), wb_max);
    notes.why(format!(
        "intensity {weekly_now} mg/week / {weight} kg = {raw} mg/kg/week{}",
        if clamped == raw {
            String::new()
        } else {
            format!(", clamped into the range: {clamped} mg/kg/week")
        }
    ));
    Ok(clamped)
}

#[allow(clippy::too_many_arguments)]
fn pediatric_daily(
    req: &TitrateRequest,
    ind: &Indication,
    wb: &WeightBased,
    current: CurrentDose,
    p: &mut Patient,
    on: Option<&OnProduct>,
    igf1: &Igf1,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Decision, InputError> {
    let t = &rules.titration.pediatric_daily;
    notes.sources.add(&t.cited.sources);
    let weight = weight_of(p, ind)?;
    let conv = &rules.conventions;
    let n = match on {
        Some(o) => injections(
            &req.base,
            &o.product.injections_per_week,
            conv.default_injections_per_week,
            &o.product.id,
        )?,
        None => injections(
            &req.base,
            &conv.allowed_injections_per_week,
            conv.default_injections_per_week,
            &ind.id,
        )?,
    };
    let now = match current {
        CurrentDose::PerWeek(w) => Micrograms((w * 1000.0).round() as i64),
        CurrentDose::PerDay(d) => Micrograms((d * 1000.0).round() as i64 * i64::from(n)),
    };
    notes.why(format!(
        "current dose {now} mg/week ({n} injections a week)"
    ));
    let (min, max) = (wb.min, wb.max);
    let intensity = intensity_now(req, now, weight, min, max, wb.ceiling, rules, p, notes)?;
    if intensity > max {
        notes.raised.raise(FlagCode::DoseAboveRange);
        notes.why(format!(
            "{intensity} mg/kg/week is above the recommended {}",
            span_text(min, max, "mg/kg/week")
        ));
    }
    let rescaled = intensity.times(weight);
    notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {rescaled} mg/week"
    ));
    let (new, action_igf) = pediatric_igf1(
        rescaled,
        weight,
        max,
        igf1,
        t.ceiling_sds,
        t.low_sds,
        t.reduce_above_ceiling,
        notes,
    );
    let labelled = label_check(on, ind, req, notes);
    let action = if action_igf == Some(Action::Recheck) {
        Action::Recheck
    } else if new > now {
        Action::Increase
    } else if new < now {
        Action::Decrease
    } else {
        Action::Maintain
    };
    let review = review_from(rules, &t.review, req.base.as_of, notes);
    let exact = Exact {
        num: i128::from(new.0),
        den: i128::from(n),
    };
    let somatropin = on.is_none_or(|o| o.product.molecule == Molecule::Somatropin);
    let new_intensity = effective(new, weight);
    let lo = min.map(|m| Exact::per_injection(m.min(new_intensity), weight, n));
    let hi = Exact::per_injection(max.max(new_intensity).max(intensity), weight, n);
    Ok(Decision {
        action,
        dose: Some(Dose {
            mg_per_week: new,
            mg_per_kg_per_week: Some(new_intensity),
            injections_per_week: n,
            mg_per_injection: exact.round(),
            iu_per_injection: somatropin.then(|| iu(exact, rules)),
            deliverable: None,
        }),
        range: weight_range(min, max, weight, n),
        target: Some(Target {
            dose: exact,
            lo,
            hi,
            injections_per_week: n,
        }),
        review,
        group: None,
        labelled,
    })
}

/// The IGF-1 part of a child's decision: a percentage reduction above the
/// ceiling, never an automatic increase when low.
#[allow(clippy::too_many_arguments)]
fn pediatric_igf1(
    rescaled: Micrograms,
    weight: Grams,
    max: NgPerKg,
    igf1: &Igf1,
    ceiling: f64,
    low: f64,
    reduce: crate::rules::Percent,
    notes: &mut Notes,
) -> (Micrograms, Option<Action>) {
    if igf1.mistimed {
        return (rescaled, Some(Action::Recheck));
    }
    let Some(s) = igf1.sds else {
        return (rescaled, None);
    };
    if igf1.not_steady {
        notes.why("IGF-1 not interpretable yet: dose by weight only; repeat IGF-1".into());
        return (rescaled, None);
    }
    if s > ceiling {
        notes.raised.raise(FlagCode::Igf1AboveRange);
        let new = reduce.reduce(rescaled);
        notes.why(format!(
            "IGF-1 SDS {} is above {}: reduce by {reduce} %: {rescaled} -> {new} mg/week",
            fmt_sds(s),
            fmt_sds(ceiling)
        ));
        return (new, None);
    }
    if s < low {
        notes.raised.raise(FlagCode::Igf1LowOnTreatment);
        let headroom = Micrograms((max.times(weight).0 - rescaled.0).max(0));
        notes.why(format!(
            "IGF-1 SDS {} is below {}: no automatic increase; headroom to the range maximum {max} mg/kg/week: {headroom} mg/week",
            fmt_sds(s),
            fmt_sds(low)
        ));
    }
    (rescaled, None)
}

#[allow(clippy::too_many_arguments)]
fn pediatric_weekly(
    req: &TitrateRequest,
    ind: &Indication,
    current: CurrentDose,
    p: &mut Patient,
    on: &OnProduct,
    igf1: &Igf1,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Decision, InputError> {
    let product = on.product;
    let weight = weight_of(p, ind)?;
    let Some((label, LabelDosing::WeightBased { min, max, bands })) =
        on.label.map(|l| (l, &l.dosing))
    else {
        return Err(InputError::new(format!(
            "error: --product {} is not labelled for {} in the {} label",
            product.id, ind.id, req.base.region
        )));
    };
    let CurrentDose::PerWeek(w) = current else {
        return Err(InputError::new(format!(
            "error: {} is weekly: give --current-mg-per-week, not --current-mg-per-day",
            product.id
        )));
    };
    notes.product(product);
    notes.sources.add(&label.cited.sources);
    let mut labelled = true;
    if let Some(why) = outside_ages(label, p) {
        labelled = false;
        notes.off_label(format!("{} is {why}: off-label by age", product.name));
    }
    let now = Micrograms((w * 1000.0).round() as i64);
    notes.why(format!("current dose {now} mg/week of {}", product.name));
    let t = &rules.titration.pediatric_daily;
    let (new, recheck) = match bands {
        Some(table) => skytrofa_step(product, table, now, weight, igf1, notes)?,
        None => {
            let intensity = intensity_now(req, now, weight, *min, *max, *max, rules, p, notes)?;
            let rescaled = intensity.times(weight);
            notes.why(format!(
                "{intensity} mg/kg/week x {weight} kg = {rescaled} mg/week"
            ));
            let (reduce, ceiling) = match product.reduce_above_sds {
                Some(r) => (r.percent, r.sds),
                None => {
                    notes.why(format!("{}: no IGF-1 reduction rule in the label read; the rule set's pediatric rule applies", product.name));
                    (t.reduce_above_ceiling, t.ceiling_sds)
                }
            };
            let (new, a) = pediatric_igf1(
                rescaled, weight, *max, igf1, ceiling, t.low_sds, reduce, notes,
            );
            (new, a == Some(Action::Recheck))
        }
    };
    let action = if recheck {
        Action::Recheck
    } else if new > now {
        Action::Increase
    } else if new < now {
        Action::Decrease
    } else {
        Action::Maintain
    };
    let review = if recheck {
        req.last_injection
            .zip(product.igf1_sample_days)
            .map(|(l, w)| next_window(l, req.base.as_of, w))
    } else {
        review_from(rules, &t.review, req.base.as_of, notes)
    };
    let exact = Exact::ug(new);
    let new_intensity = effective(new, weight);
    let skytrofa = bands.is_some();
    Ok(Decision {
        action,
        dose: Some(Dose {
            mg_per_week: new,
            mg_per_kg_per_week: Some(new_intensity),
            injections_per_week: 1,
            mg_per_injection: new,
            iu_per_injection: None,
            deliverable: None,
        }),
        range: weight_range(*min, *max, weight, 1),
        target: (!skytrofa).then_some(Target {
            dose: exact,
            lo: Some(Exact::ug(new.min(min.map_or(new, |m| m.times(weight))))),
            hi: Exact::ug(new.max(max.times(weight))),
            injections_per_week: 1,
        }),
        review,
        group: None,
        labelled,
    })
}

/// Skytrofa: move whole strengths of the weight-band dose list by IGF-1 SDS
/// (EU table); inside -2..+2 follow the weight band for the current weight.
fn skytrofa_step(
    product: &Product,
    table: &crate::rules::products::BandTable,
    now: Micrograms,
    weight: Grams,
    igf1: &Igf1,
    notes: &mut Notes,
) -> Result<(Micrograms, bool), InputError> {
    notes.sources.add(&table.cited.sources);
    let doses: Vec<Micrograms> = table.bands.iter().map(|b| b.per_week).collect();
    if igf1.mistimed {
        return Ok((now, true));
    }
    let steps = igf1.sds.and_then(|s| {
        product
            .igf1_strength_steps
            .iter()
            .find(|x| s > x.sds_above)
            .map(|x| (s, x.steps))
    });
    match steps {
        Some((s, k)) if k != 0 => {
            let idx = doses
                .iter()
                .enumerate()
                .min_by_key(|(_, d)| (d.0 - now.0).abs())
                .map_or(0, |(i, _)| i);
            if doses[idx] != now {
                notes.why(format!(
                    "{now} mg/week is not a table dose; nearest table dose {} mg/week",
                    doses[idx]
                ));
            }
            let to = (idx as i64 + i64::from(k)).clamp(0, doses.len() as i64 - 1) as usize;
            notes.why(format!(
                "IGF-1 SDS {} (average): move {} strength(s): {} -> {} mg/week",
                fmt_sds(s),
                k,
                doses[idx],
                doses[to]
            ));
            if k > 0 {
                notes.raised.raise(FlagCode::Igf1LowOnTreatment);
            } else {
                notes.raised.raise(FlagCode::Igf1AboveRange);
            }
            Ok((doses[to], false))
        }
        _ => match table.band(weight) {
            Some(b) => {
                notes.why(format!(
                    "weight band {}-{} kg: {} mg/week",
                    b.from, b.to, b.per_week
                ));
                Ok((b.per_week, false))
            }
            None => Err(InputError::new(format!(
                "error: --weight-kg {weight} is outside the {} weight-band table",
                product.name
            ))),
        },
    }
}

/// Height velocity and the growth flags.
fn growth(
    req: &TitrateRequest,
    p: &mut Patient,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<(), InputError> {
    let t = &rules.titration.pediatric_daily;
    let (Some(prev), Some(date)) = (&req.previous_height_cm, req.previous_height_date) else {
        return Ok(());
    };
    let Some(now_cm) = p.height_cm else {
        return Err(InputError::new(
            "error: --height-cm (or --height-in) is required with --previous-height-cm (height velocity needs the current height)",
        ));
    };
    let before = check(prev.flag, prev.value, rules.limits.height_cm, "cm")?;
    p.previous_height_cm = Some(round_to(before, 1));
    let years = decimal_age(date, req.base.as_of, rules.conventions.days_per_year);
    let gain = now_cm - before;
    if gain < -t.height_measurement_error_cm {
        notes.raised.raise(FlagCode::HeightDecrease);
        notes.why(format!(
            "height fell {} cm since {date}: more than measurement error",
            fmt_decimal((-gain * 10.0).round() as i64, 1)
        ));
        return Ok(());
    }
    let hv = gain / years;
    p.height_velocity_cm_per_year = Some(round_to(hv, 2));
    notes.why(format!(
        "height velocity ({now_cm} - {before}) cm / {} years = {} cm/year",
        round_to(years, 2),
        round_to(hv, 2)
    ));
    if hv < t.near_final_height_cm_per_year {
        notes.raised.raise(FlagCode::NearFinalHeight);
    }
    if let (Some(start), Some(pre)) = (req.treatment_start, req.pretreatment_hv_cm_per_year) {
        let on_years = decimal_age(start, req.base.as_of, rules.conventions.days_per_year);
        if t.first_year_window_years.contains(on_years) && date >= start {
            let delta = hv - pre;
            notes.why(format!(
                "first-year response: {} - {pre} = {} cm/year over pre-treatment",
                round_to(hv, 2),
                round_to(delta, 2)
            ));
            if delta < t.poor_first_year_gain_cm_per_year {
                notes.raised.raise(FlagCode::PoorGrowthResponse);
            }
        }
    }
    Ok(())
}
