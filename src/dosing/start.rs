//! `start`: the first dose for an indication.

use super::flags::{Raised, diabetic, obese, start_flags};
use super::patient::validate;
use super::types::{Action, FlagCode, Grams, Micrograms, MilliIu, NgPerKg, div_round, fmt_decimal};
use super::{
    Dose, DoseRange, IndicationRef, NextReview, Outcome, Patient, Recommendation, SourceList, Span,
    StartRequest,
};
use crate::error::InputError;
use crate::rules::{
    AdultGroup, Indication, Offset, OralEstrogenStart, Regimen, RuleSet, WeightBased,
};
use chrono::{Days, Months, NaiveDate};

/// What a regimen computed, before flags decide whether it is given.
struct Computed {
    dose: Dose,
    range: DoseRange,
    group: Option<String>,
}

/// Computes a starting dose. Errors are bad inputs (exit code 2).
pub fn start(req: &StartRequest, rules: &RuleSet) -> Result<Outcome, InputError> {
    let ind = rules
        .indication(&req.indication)
        .ok_or_else(|| unknown_indication(&req.indication, rules))?;
    let patient = validate(&req.patient, req.as_of, rules)?;
    let mut raised = Raised::default();
    let mut rationale = Vec::new();
    let mut sources = SourceList::default();
    sources.add(&ind.cited.sources);

    let computed = match &ind.regimen {
        Regimen::WeightBased(wb) => weight_based(
            req,
            ind,
            wb,
            &patient,
            rules,
            &mut raised,
            &mut rationale,
            &mut sources,
        )?,
        Regimen::FixedDaily(groups) => fixed_daily(
            req,
            ind,
            groups,
            &patient,
            rules,
            &mut raised,
            &mut rationale,
            &mut sources,
        )?,
    };
    start_flags(&patient, ind, rules, &mut raised);
    raised.raise(FlagCode::NoDeviceRounding);

    let blocks = raised.blocks(rules);
    let (action, dose, next_review) = if blocks.is_empty() {
        let review = next_review(rules, &ind.review, req.as_of, &mut sources);
        (Action::Start, Some(computed.dose), review)
    } else {
        let codes: Vec<&str> = blocks.iter().map(|c| c.as_str()).collect();
        rationale.push(format!("dose withheld: {}", codes.join(", ")));
        (Action::Withhold, None, None)
    };
    let flags = raised.resolve(rules);
    for f in &flags {
        sources.add(std::iter::once(&f.source));
    }
    Ok(Outcome {
        patient,
        indication: IndicationRef {
            id: ind.id.clone(),
            name: ind.name.clone(),
            population: ind.population,
            group: computed.group,
        },
        recommendation: Recommendation {
            action,
            dose,
            range: computed.range,
            change: None,
            next_review,
        },
        flags,
        rationale,
        sources: sources.resolve(rules),
    })
}

/// `error: --indication 'x' is not known (valid: ...)`, with a suggestion.
fn unknown_indication(id: &str, rules: &RuleSet) -> InputError {
    let ids: Vec<&str> = rules.indications.iter().map(|i| i.id.as_str()).collect();
    let hint = ids
        .iter()
        .map(|c| (edit_distance(id, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| format!("; did you mean '{c}'?"))
        .unwrap_or_default();
    InputError::new(format!(
        "error: --indication '{id}' is not a known indication (valid: {}){hint}",
        ids.join(", ")
    ))
}

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn injections(
    req: &StartRequest,
    allowed: &[u8],
    default: u8,
    ind: &Indication,
) -> Result<u8, InputError> {
    match req.injections_per_week {
        None => Ok(default),
        Some(n) if allowed.contains(&n) => Ok(n),
        Some(n) => Err(InputError::new(format!(
            "error: --injections-per-week must be one of {} for {} (got {n})",
            allowed
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            ind.id
        ))),
    }
}

/// Exact weekly amount `intensity x weight / n`, rounded once.
fn per_injection(intensity: NgPerKg, weight: Grams, n: u8) -> Micrograms {
    Micrograms(div_round(
        i128::from(intensity.0) * i128::from(weight.0),
        1_000_000 * i128::from(n),
    ) as i64)
}

/// IU per injection from the exact weekly amount in µg x 1000 / n.
fn iu(weekly_ug_num: i128, weekly_ug_den: i128, n: u8, milli_iu_per_mg: i64) -> MilliIu {
    // µg * (mIU/mg) / 1000 = mIU
    MilliIu(div_round(
        weekly_ug_num * i128::from(milli_iu_per_mg),
        weekly_ug_den * 1000 * i128::from(n),
    ) as i64)
}

#[allow(clippy::too_many_arguments)]
fn weight_based(
    req: &StartRequest,
    ind: &Indication,
    wb: &WeightBased,
    p: &Patient,
    rules: &RuleSet,
    raised: &mut Raised,
    rationale: &mut Vec<String>,
    sources: &mut SourceList,
) -> Result<Computed, InputError> {
    let weight = p.weight.ok_or_else(|| {
        InputError::new(format!(
            "error: --weight-kg (or --weight-lb) is required for {} (a weight-based indication)",
            ind.id
        ))
    })?;
    let conv = &rules.conventions;
    let n = injections(
        req,
        &conv.allowed_injections_per_week,
        conv.default_injections_per_week,
        ind,
    )?;
    let range_text = match wb.min {
        Some(min) if min == wb.max => format!("{} mg/kg/week", wb.max),
        Some(min) => format!("{min}-{} mg/kg/week", wb.max),
        None => format!("up to {} mg/kg/week", wb.max),
    };
    rationale.push(format!(
        "{}: recommended {range_text} (grade {}); suggested start {} mg/kg/week",
        ind.id, ind.cited.grade, wb.start
    ));

    let intensity = match req.mg_per_kg_week {
        Some(chosen) => chosen_intensity(chosen, ind, wb, raised, rationale)?,
        None => {
            let hit = wb.overrides.iter().find(|o| {
                o.height_sds_below
                    .is_some_and(|t| p.height_sds.is_some_and(|s| s < t))
                    || o.pubertal.is_some_and(|want| want && p.pubertal)
            });
            match hit {
                Some(o) => {
                    rationale.push(format!("start {} mg/kg/week: {}", o.intensity, o.reason));
                    sources.add(&o.cited.sources);
                    o.intensity
                }
                None => wb.start,
            }
        }
    };

    let weekly = intensity.times(weight);
    let per_inj = per_injection(intensity, weight, n);
    let milli_iu = iu(
        i128::from(intensity.0) * i128::from(weight.0),
        1_000_000,
        n,
        conv.milli_iu_per_mg,
    );
    sources.add(&conv.cited.sources);
    rationale.push(format!(
        "{intensity} mg/kg/week x {weight} kg = {weekly} mg/week"
    ));
    rationale.push(format!("{weekly} mg / {n} injections = {per_inj} mg"));
    rationale.push(format!(
        "{per_inj} mg x {} IU/mg = {milli_iu} IU per injection",
        fmt_decimal(conv.milli_iu_per_mg, 3)
    ));

    if let Some(cap) = &wb.daily_cap
        && per_inj > cap.per_day
    {
        raised.raise(FlagCode::PwsEuDailyCap);
        sources.add(&cap.cited.sources);
        rationale.push(format!(
            "{per_inj} mg per daily injection is above the {} cap of {} mg/day",
            cap.region, cap.per_day
        ));
    }

    let range = DoseRange {
        mg_per_kg_per_week: Some(Span {
            min: wb.min,
            max: wb.max,
        }),
        mg_per_week: Some(Span {
            min: wb.min.map(|m| m.times(weight)),
            max: wb.max.times(weight),
        }),
        mg_per_injection: Some(Span {
            min: wb.min.map(|m| per_injection(m, weight, n)),
            max: per_injection(wb.max, weight, n),
        }),
        mg_per_day: None,
    };
    Ok(Computed {
        dose: Dose {
            mg_per_week: weekly,
            mg_per_kg_per_week: Some(intensity),
            injections_per_week: n,
            mg_per_injection: per_inj,
            iu_per_injection: Some(milli_iu),
            deliverable: None,
        },
        range,
        group: None,
    })
}

/// A clinician-chosen intensity: refused above the ceiling, flagged above the range.
fn chosen_intensity(
    chosen: f64,
    ind: &Indication,
    wb: &WeightBased,
    raised: &mut Raised,
    rationale: &mut Vec<String>,
) -> Result<NgPerKg, InputError> {
    if !chosen.is_finite() || chosen <= 0.0 {
        return Err(InputError::new(format!(
            "error: --mg-per-kg-week must be a positive number up to {} for {} (got {chosen})",
            wb.ceiling, ind.id
        )));
    }
    let intensity = NgPerKg((chosen * 1_000_000.0).round() as i64);
    if intensity > wb.ceiling {
        let note = wb
            .ceiling_note
            .as_deref()
            .map(|n| format!("; {n}"))
            .unwrap_or_default();
        return Err(InputError::new(format!(
            "error: --mg-per-kg-week must be at most {} for {}, the highest labelled dose (got {chosen}){note}",
            wb.ceiling, ind.id
        )));
    }
    rationale.push(format!(
        "chosen intensity {intensity} mg/kg/week (--mg-per-kg-week)"
    ));
    if intensity > wb.max {
        raised.raise(FlagCode::DoseAboveRange);
        let note = wb
            .ceiling_note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        rationale.push(format!(
            "{intensity} mg/kg/week is above the recommended maximum {} mg/kg/week{note}",
            wb.max
        ));
    } else if wb.min.is_some_and(|m| intensity < m) {
        rationale.push(format!(
            "{intensity} mg/kg/week is below the recommended range; the label minimum is {} mg/kg/week",
            wb.min.map(|m| m.to_string()).unwrap_or_default()
        ));
    }
    Ok(intensity)
}

#[allow(clippy::too_many_arguments)]
fn fixed_daily(
    req: &StartRequest,
    ind: &Indication,
    groups: &[AdultGroup],
    p: &Patient,
    rules: &RuleSet,
    raised: &mut Raised,
    rationale: &mut Vec<String>,
    sources: &mut SourceList,
) -> Result<Computed, InputError> {
    if req.mg_per_kg_week.is_some() {
        return Err(InputError::new(format!(
            "error: --mg-per-kg-week applies only to weight-based indications; {} is dosed in mg/day",
            ind.id
        )));
    }
    let age = p.age_exact.ok_or_else(|| {
        InputError::new(format!(
            "error: --age-years or --birth-date is required for {} (the starting dose depends on age)",
            ind.id
        ))
    })?;
    let n = injections(req, &[7], 7, ind)?;
    let diabetic = diabetic(p);
    let obese = obese(p, ind.population, rules);
    let group = groups
        .iter()
        .find(|g| match g.when_any {
            None => true,
            Some(w) => {
                w.age_years_at_least.is_some_and(|a| age >= a)
                    || (w.diabetes && diabetic)
                    || (w.obesity && obese)
            }
        })
        .ok_or_else(|| {
            InputError::new(format!(
                "error: no dosing group of {} matches the patient",
                ind.id
            ))
        })?;
    sources.add(&group.cited.sources);
    let mut why = Vec::new();
    if let Some(w) = group.when_any {
        if w.age_years_at_least.is_some_and(|a| age >= a) {
            why.push(format!(
                "age {} years",
                fmt_decimal((age * 100.0).round() as i64, 2)
            ));
        }
        if w.diabetes && diabetic {
            why.push("diabetes or glucose intolerance".to_string());
        }
        if w.obesity && obese {
            why.push(match p.bmi {
                Some(b) if !p.obesity => format!("obesity (BMI {b})"),
                _ => "obesity".to_string(),
            });
        }
    }
    let because = if why.is_empty() {
        String::new()
    } else {
        format!(" because of {}", why.join(", "))
    };
    rationale.push(format!(
        "{} group '{}'{because}: range {}-{} mg/day (grade {}), suggested start {} mg/day",
        ind.id,
        group.id,
        group.min_per_day,
        group.max_per_day,
        group.cited.grade,
        group.start_per_day
    ));

    let mut per_day = group.start_per_day;
    if p.oral_estrogen {
        raised.raise(FlagCode::OralEstrogen);
        sources.add(&rules.oral_estrogen.cited.sources);
        if rules.oral_estrogen.start == OralEstrogenStart::GroupMax {
            per_day = group.max_per_day;
            rationale.push(format!(
                "oral estrogen: start at the group maximum {per_day} mg/day"
            ));
        }
    }
    if let Some(cap) = adult_cap(p, age, rules, rationale)
        && per_day > cap
    {
        raised.raise(FlagCode::DoseCapped);
        sources.add(&rules.titration.adult_daily.sources.get_ref().clone());
        rationale.push(format!(
            "{per_day} mg/day is above the hard cap; limited to {cap} mg/day"
        ));
        per_day = cap;
    }
    let weekly = Micrograms(per_day.0 * i64::from(n));
    let milli_iu = MilliIu(div_round(
        i128::from(per_day.0) * i128::from(rules.conventions.milli_iu_per_mg),
        1000,
    ) as i64);
    sources.add(&rules.conventions.cited.sources);
    rationale.push(format!("{per_day} mg/day x {n} days = {weekly} mg/week"));
    rationale.push(format!(
        "{per_day} mg x {} IU/mg = {milli_iu} IU per injection",
        fmt_decimal(rules.conventions.milli_iu_per_mg, 3)
    ));
    let week = |m: Micrograms| Micrograms(m.0 * i64::from(n));
    let range = DoseRange {
        mg_per_kg_per_week: None,
        mg_per_week: Some(Span {
            min: Some(week(group.min_per_day)),
            max: week(group.max_per_day),
        }),
        mg_per_injection: Some(Span {
            min: Some(group.min_per_day),
            max: group.max_per_day,
        }),
        mg_per_day: Some(Span {
            min: Some(group.min_per_day),
            max: group.max_per_day,
        }),
    };
    Ok(Computed {
        dose: Dose {
            mg_per_week: weekly,
            mg_per_kg_per_week: None,
            injections_per_week: n,
            mg_per_injection: per_day,
            iu_per_injection: Some(milli_iu),
            deliverable: None,
        },
        range,
        group: Some(group.id.clone()),
    })
}

/// The adult hard cap per day: weight-based by age when the weight is known,
/// otherwise the fixed cap.
fn adult_cap(
    p: &Patient,
    age: f64,
    rules: &RuleSet,
    rationale: &mut Vec<String>,
) -> Option<Micrograms> {
    let t = &rules.titration.adult_daily;
    match p.weight {
        Some(w) => {
            let row = t
                .cap_mg_per_kg_day
                .get_ref()
                .iter()
                .find(|c| c.age_years_at_most.is_none_or(|a| age <= a))?;
            let ng = NgPerKg::from_mg_per_kg(row.mg_per_kg_day)?;
            // Never above the cap: round down to the microgram.
            let cap = Micrograms((i128::from(ng.0) * i128::from(w.0) / 1_000_000) as i64);
            rationale.push(format!(
                "hard cap {} mg/kg/day x {w} kg = {cap} mg/day",
                row.mg_per_kg_day
            ));
            Some(cap)
        }
        None => Micrograms::from_mg(*t.cap_without_weight_mg_per_day.get_ref()),
    }
}

/// The review window after a start, from the as-of date.
fn next_review(
    rules: &RuleSet,
    id: &str,
    as_of: NaiveDate,
    sources: &mut SourceList,
) -> Option<NextReview> {
    let r = rules.review(id)?;
    sources.add(&r.cited.sources);
    Some(NextReview {
        earliest: add(as_of, r.earliest)?,
        latest: add(as_of, r.latest)?,
        what: r.what.clone(),
    })
}

/// A date plus an offset; month ends clamp (Jan 31 + 1 month = Feb 28).
pub fn add(date: NaiveDate, offset: Offset) -> Option<NaiveDate> {
    match offset {
        Offset::Days(d) => date.checked_add_days(Days::new(u64::from(d))),
        Offset::Weeks(w) => date.checked_add_days(Days::new(u64::from(w) * 7)),
        Offset::Months(m) => date.checked_add_months(Months::new(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dosing::types::{Condition, Severity};
    use crate::dosing::{AgeInput, Measured, PatientInput};

    fn rules() -> RuleSet {
        RuleSet::built_in().unwrap()
    }

    fn req(ind: &str, weight: Option<f64>) -> StartRequest {
        StartRequest {
            indication: ind.into(),
            as_of: "2026-11-22".parse().unwrap(),
            patient: PatientInput {
                weight_kg: weight.map(|w| Measured {
                    value: w,
                    flag: "--weight-kg",
                    original: None,
                }),
                ..Default::default()
            },
            injections_per_week: None,
            mg_per_kg_week: None,
        }
    }

    fn adult(age: f64) -> StartRequest {
        let mut r = req("adult-ghd", None);
        r.patient.age = Some(AgeInput::Years(age));
        r
    }

    fn codes(o: &Outcome) -> Vec<&'static str> {
        o.flags.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn turner_24_kg_matches_the_contract_example() {
        let o = start(&req("turner", Some(24.0)), &rules()).unwrap();
        let d = o.recommendation.dose.clone().unwrap();
        assert_eq!(o.recommendation.action, Action::Start);
        assert_eq!(d.mg_per_week, Micrograms(7920));
        assert_eq!(d.mg_per_kg_per_week, Some(NgPerKg(330_000)));
        assert_eq!(d.injections_per_week, 7);
        assert_eq!(d.mg_per_injection, Micrograms(1131));
        assert_eq!(d.iu_per_injection, Some(MilliIu(3394)));
        let r = &o.recommendation.range;
        assert_eq!(
            r.mg_per_week,
            Some(Span {
                min: Some(Micrograms(7920)),
                max: Micrograms(10_800)
            })
        );
        assert_eq!(
            r.mg_per_injection,
            Some(Span {
                min: Some(Micrograms(1131)),
                max: Micrograms(1543)
            })
        );
        assert_eq!(r.mg_per_day, None);
        let review = o.recommendation.next_review.clone().unwrap();
        assert_eq!(review.earliest.to_string(), "2027-02-22");
        assert_eq!(review.latest.to_string(), "2027-05-22");
        assert!(codes(&o).contains(&"GLUCOSE_MONITORING"));
        assert!(codes(&o).contains(&"FUNDOSCOPY"));
        assert_eq!(
            o.rationale[1..3],
            [
                "0.33 mg/kg/week x 24 kg = 7.92 mg/week",
                "7.92 mg / 7 injections = 1.131 mg"
            ]
        );
    }

    #[test]
    fn adult_start_depends_on_age() {
        let o = start(&adult(45.0), &rules()).unwrap();
        let d = o.recommendation.dose.clone().unwrap();
        assert_eq!(d.mg_per_injection, Micrograms(200));
        assert_eq!(d.mg_per_week, Micrograms(1400));
        assert_eq!(d.mg_per_kg_per_week, None);
        assert_eq!(
            o.recommendation.range.mg_per_day,
            Some(Span {
                min: Some(Micrograms(100)),
                max: Micrograms(300)
            })
        );
        assert_eq!(o.indication.group.as_deref(), Some("standard"));
        let o = start(&adult(67.0), &rules()).unwrap();
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_injection,
            Micrograms(100)
        );
        assert_eq!(
            o.recommendation.range.mg_per_day,
            Some(Span {
                min: Some(Micrograms(100)),
                max: Micrograms(200)
            })
        );
        assert_eq!(o.indication.group.as_deref(), Some("older-or-metabolic"));
    }

    #[test]
    fn adult_age_boundary_is_inclusive_at_60() {
        assert_eq!(
            start(&adult(59.99), &rules())
                .unwrap()
                .indication
                .group
                .as_deref(),
            Some("standard")
        );
        assert_eq!(
            start(&adult(60.0), &rules())
                .unwrap()
                .indication
                .group
                .as_deref(),
            Some("older-or-metabolic")
        );
    }

    #[test]
    fn oral_estrogen_starts_at_the_group_maximum() {
        let mut r = adult(45.0);
        r.patient.oral_estrogen = true;
        let o = start(&r, &rules()).unwrap();
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_injection,
            Micrograms(300)
        );
        assert!(codes(&o).contains(&"ORAL_ESTROGEN"));
    }

    #[test]
    fn obesity_by_bmi_selects_the_lower_group() {
        let mut r = adult(40.0);
        r.patient.bmi = Some(30.0);
        let o = start(&r, &rules()).unwrap();
        assert_eq!(o.indication.group.as_deref(), Some("older-or-metabolic"));
        assert!(codes(&o).contains(&"GLUCOSE_MONITORING"));
        r.patient.bmi = Some(29.9);
        let o = start(&r, &rules()).unwrap();
        assert_eq!(o.indication.group.as_deref(), Some("standard"));
        assert!(!codes(&o).contains(&"GLUCOSE_MONITORING"));
    }

    #[test]
    fn adult_start_is_capped_by_weight() {
        // 45 y, 10 kg: 0.0125 mg/kg/day x 10 kg = 0.125 mg/day < 0.2
        let mut r = adult(45.0);
        r.patient.weight_kg = Some(Measured {
            value: 10.0,
            flag: "--weight-kg",
            original: None,
        });
        let o = start(&r, &rules()).unwrap();
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_injection,
            Micrograms(125)
        );
        assert!(codes(&o).contains(&"DOSE_CAPPED"));
    }

    #[test]
    fn pws_with_sleep_apnea_is_withheld() {
        let mut r = req("pws", Some(30.0));
        r.patient.conditions = vec![Condition::PwsSleepApnea];
        let o = start(&r, &rules()).unwrap();
        assert_eq!(o.recommendation.action, Action::Withhold);
        assert!(o.recommendation.dose.is_none());
        assert!(o.withheld());
        assert_eq!(o.flags[0].code, FlagCode::PwsContraindication);
        assert_eq!(o.flags[0].severity, Severity::Block);
        assert!(o.recommendation.next_review.is_none());
    }

    #[test]
    fn pws_eu_cap_is_a_flag_not_a_clamp() {
        // 0.24 x 112.5 kg = 27 mg/week; /7 = 3.857 mg > 2.7
        let o = start(&req("pws", Some(112.5)), &rules()).unwrap();
        assert!(codes(&o).contains(&"PWS_EU_DAILY_CAP"));
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_week,
            Micrograms(27_000)
        );
        // 0.24 x 78 kg / 7 = 2.674 mg <= 2.7
        let o = start(&req("pws", Some(78.0)), &rules()).unwrap();
        assert!(!codes(&o).contains(&"PWS_EU_DAILY_CAP"));
    }

    #[test]
    fn sga_starts_high_when_very_short_or_pubertal() {
        let r = rules();
        let base = start(&req("sga", Some(20.0)), &r).unwrap();
        assert_eq!(
            base.recommendation.dose.unwrap().mg_per_kg_per_week,
            Some(NgPerKg(230_000))
        );
        let mut q = req("sga", Some(20.0));
        q.patient.height_sds = Some(-3.1);
        assert_eq!(
            start(&q, &r)
                .unwrap()
                .recommendation
                .dose
                .unwrap()
                .mg_per_kg_per_week,
            Some(NgPerKg(470_000))
        );
        q.patient.height_sds = Some(-3.0);
        assert_eq!(
            start(&q, &r)
                .unwrap()
                .recommendation
                .dose
                .unwrap()
                .mg_per_kg_per_week,
            Some(NgPerKg(230_000))
        );
        q.patient.pubertal = true;
        assert_eq!(
            start(&q, &r)
                .unwrap()
                .recommendation
                .dose
                .unwrap()
                .mg_per_kg_per_week,
            Some(NgPerKg(470_000))
        );
    }

    #[test]
    fn chosen_intensity_above_range_is_flagged_and_above_ceiling_refused() {
        let mut q = req("ghd", Some(30.0));
        q.mg_per_kg_week = Some(0.3);
        let o = start(&q, &rules()).unwrap();
        assert!(codes(&o).contains(&"DOSE_ABOVE_RANGE"));
        assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(9000));
        q.mg_per_kg_week = Some(0.71);
        let e = start(&q, &rules()).unwrap_err();
        assert!(
            e.message
                .contains("--mg-per-kg-week must be at most 0.7 for ghd"),
            "{}",
            e.message
        );
    }

    #[test]
    fn bad_requests_are_refused() {
        let r = rules();
        let e = start(&req("tuner", Some(24.0)), &r).unwrap_err();
        assert!(
            e.message.contains("did you mean 'turner'?"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("valid: ghd, turner, pws"),
            "{}",
            e.message
        );
        let e = start(&req("turner", None), &r).unwrap_err();
        assert!(
            e.message
                .contains("--weight-kg (or --weight-lb) is required for turner")
        );
        let e = start(&req("adult-ghd", None), &r).unwrap_err();
        assert!(
            e.message
                .contains("--age-years or --birth-date is required for adult-ghd")
        );
        let mut q = req("turner", Some(24.0));
        q.injections_per_week = Some(3);
        let e = start(&q, &r).unwrap_err();
        assert_eq!(
            e.message,
            "error: --injections-per-week must be one of 6, 7 for turner (got 3)"
        );
    }

    #[test]
    fn age_indication_mismatch_warns() {
        let mut q = req("turner", Some(50.0));
        q.patient.age = Some(AgeInput::Years(18.0));
        assert!(codes(&start(&q, &rules()).unwrap()).contains(&"AGE_INDICATION_MISMATCH"));
        q.patient.age = Some(AgeInput::Years(17.99));
        assert!(!codes(&start(&q, &rules()).unwrap()).contains(&"AGE_INDICATION_MISMATCH"));
        assert!(
            codes(&start(&adult(17.0), &rules()).unwrap()).contains(&"AGE_INDICATION_MISMATCH")
        );
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("tuner", "turner"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ghd", "ghd"), 0);
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        let d: NaiveDate = "2026-08-31".parse().unwrap();
        assert_eq!(add(d, Offset::Months(6)).unwrap().to_string(), "2027-02-28");
        assert_eq!(add(d, Offset::Weeks(4)).unwrap().to_string(), "2026-09-28");
    }
}
