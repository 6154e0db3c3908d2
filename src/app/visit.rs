//! A titration that reads the visit record first: every request field the
//! command line left out and the record knows is taken from it, and each
//! is named in the rationale with its line; a field given that differs from
//! the record overrides it and is named too. The patient's identity (sex
//! and birth date) must match.

use crate::cli::TitrateArgs;
use crate::dosing::error::msg;
use crate::dosing::{self, Field, History, Reduction, Route};
use crate::error::{Error, InputError};
use crate::record::{Identity, Prior, Provenance};
use crate::units::{Grams, Micrograms};
use chrono::NaiveDate;

/// A titration's arguments with the record's values filled in.
pub struct Filled {
    pub args: TitrateArgs,
    pub history: History,
    pub how: Provenance,
}

fn refuse(field: Field, words: String, route: Route) -> Error {
    let e = dosing::Error::new(field, msg![field, " ", words]);
    Error::Input(InputError::request(&e, route))
}

/// The sex and birth date of a request that writes a record: required, and
/// the record's when it has visits.
pub fn identity(
    sex: Option<crate::vocab::Sex>,
    birth: Option<NaiveDate>,
    age_given: bool,
    known: Option<(Identity, usize)>,
    route: Route,
) -> Result<Identity, Error> {
    if age_given {
        return Err(refuse(
            Field::AgeYears,
            "cannot be used with a visit record: give the birth date (the record's identity)"
                .to_string(),
            route,
        ));
    }
    let sex = sex.or(known.map(|(k, _)| k.sex));
    let birth = birth.or(known.map(|(k, _)| k.birth_date));
    let (Some(sex), Some(birth_date)) = (sex, birth) else {
        let missing = if sex.is_none() {
            Field::Sex
        } else {
            Field::BirthDate
        };
        return Err(refuse(
            missing,
            "is required with a visit record (sex and birth date identify the patient)".to_string(),
            route,
        ));
    };
    if let Some((k, line)) = known {
        if k.sex != sex {
            return Err(refuse(
                Field::Sex,
                format!(
                    "{sex} differs from the record's {} (line {line}): is this the patient's record?",
                    k.sex
                ),
                route,
            ));
        }
        if k.birth_date != birth_date {
            return Err(refuse(
                Field::BirthDate,
                format!(
                    "{birth_date} differs from the record's {} (line {line}): is this the patient's record?",
                    k.birth_date
                ),
                route,
            ));
        }
    }
    Ok(Identity { sex, birth_date })
}

/// A visit dated before the record's last one is refused.
pub fn in_order(
    as_of: NaiveDate,
    last: Option<(NaiveDate, usize)>,
    route: Route,
) -> Result<(), Error> {
    match last {
        Some((date, line)) if as_of < date => Err(refuse(
            Field::AsOf,
            format!(
                "{as_of} is before the record's last visit, {date} (line {line}): visits are added in date order"
            ),
            route,
        )),
        _ => Ok(()),
    }
}

fn differs(a: f64, b: f64) -> bool {
    (a - b).abs() > 0.0005
}

/// Fills a titration from the record.
pub fn fill(a: &TitrateArgs, prior: &Prior, route: Route) -> Result<Filled, Error> {
    let mut args = a.clone();
    let mut t = Taken::default();
    let name = |f: Field| f.spelled(route).into_owned();
    let last = prior.last;
    let p = &mut args.patient;
    if p.sex.is_none() {
        p.sex = Some(prior.identity.sex);
        t.how.from_record.push("sex".to_string());
    }
    if p.birth_date.is_none() && p.age_years.is_none() {
        p.birth_date = Some(prior.identity.birth_date);
        t.how.from_record.push("birth_date".to_string());
    }
    if let Some(given) = &args.indication
        && !given.trim().eq_ignore_ascii_case(prior.indication)
    {
        t.how
            .overridden
            .push(Field::Indication.as_str().to_string());
        t.notes.push(format!(
            "{} {} given: the record's last visit was for {} (line {})",
            name(Field::Indication),
            given.trim(),
            prior.indication,
            last.number
        ));
    }
    if args.indication.is_none() {
        args.indication = Some(prior.indication.to_string());
        t.took(
            Field::Indication,
            format!("indication {}", prior.indication),
            last.number,
        );
    }
    let Some(dose) = prior.dose else {
        if args.current_mg_per_day.is_none() && args.current_mg_per_week.is_none() {
            return Err(refuse(
                Field::CurrentMgPerWeek,
                format!(
                    "(or {}) is required: the record's last visit ({}, line {}) gave no dose ({})",
                    name(Field::CurrentMgPerDay),
                    last.visit.date,
                    last.number,
                    last.visit.decision.action
                ),
                route,
            ));
        }
        return Ok(t.filled(args, None));
    };
    let d = dose.value;
    let pr = &mut args.product;
    let same_product = match (&pr.product, &d.product) {
        (None, Some(id)) => {
            pr.product = Some(id.clone());
            t.took(Field::Product, format!("product {id}"), dose.line);
            true
        }
        (Some(given), Some(id)) => given.trim().eq_ignore_ascii_case(id),
        (None, None) => true,
        (Some(_), None) => false,
    };
    if same_product
        && pr.device.is_none()
        && let Some(dev) = &d.device
    {
        pr.device = Some(dev.clone());
        t.took(Field::Device, format!("device {dev}"), dose.line);
    }
    if pr.region.is_none() && same_product {
        pr.region = Some(d.region);
    }
    t.how.device_before = d.device.clone().filter(|_| same_product);
    match (args.current_mg_per_day, args.current_mg_per_week) {
        (None, None) => {
            args.current_mg_per_week = Some(d.mg_per_week);
            if d.injections_per_week > 1 && args.injections_per_week.is_none() {
                args.injections_per_week = Some(d.injections_per_week);
            }
            t.took(
                Field::CurrentMgPerWeek,
                format!(
                    "current dose {} mg/week ({} mg x {} a week) since {}",
                    fmt(d.mg_per_week),
                    fmt(d.mg_per_injection),
                    d.injections_per_week,
                    dose.date
                ),
                dose.line,
            );
        }
        (Some(v), _) if differs(v, d.mg_per_injection) => {
            t.how
                .overridden
                .push(Field::CurrentMgPerDay.as_str().to_string());
            t.notes.push(format!(
                "{} {} given: overrides the record's {} mg per injection (line {})",
                name(Field::CurrentMgPerDay),
                fmt(v),
                fmt(d.mg_per_injection),
                dose.line
            ));
        }
        (None, Some(v)) if differs(v, d.mg_per_week) => {
            t.how
                .overridden
                .push(Field::CurrentMgPerWeek.as_str().to_string());
            t.notes.push(format!(
                "{} {} given: overrides the record's {} mg/week (line {})",
                name(Field::CurrentMgPerWeek),
                fmt(v),
                fmt(d.mg_per_week),
                dose.line
            ));
        }
        _ => {}
    }
    let mut reduction = None;
    if let Some(c) = &prior.last_change {
        let line = c.at.line;
        if args.last_dose_change.is_none() {
            args.last_dose_change = Some(c.at.date);
            t.took(
                Field::LastDoseChange,
                format!("last dose change {} ({})", c.at.date, c.at.value),
                line,
            );
        } else if args.last_dose_change != Some(c.at.date) {
            t.how
                .overridden
                .push(Field::LastDoseChange.as_str().to_string());
            t.notes.push(format!(
                "{} given: overrides the record's {} (line {line})",
                name(Field::LastDoseChange),
                c.at.date
            ));
        }
        match (
            args.previous_weight_kg,
            args.prescribed_mg_per_kg_week,
            c.weight_kg,
        ) {
            (None, None, Some(w)) => {
                args.previous_weight_kg = Some(w);
                t.took(
                    Field::PreviousWeightKg,
                    format!("weight {} kg when the dose was set", fmt(w)),
                    line,
                );
            }
            (Some(v), None, Some(w)) if differs(v, w) => {
                t.how
                    .overridden
                    .push(Field::PreviousWeightKg.as_str().to_string());
                t.notes.push(format!(
                    "{} {} given: overrides the record's {} kg (line {line})",
                    name(Field::PreviousWeightKg),
                    fmt(v),
                    fmt(w)
                ));
            }
            _ => {}
        }
        if let (Some(sds), Some(to)) = (c.reduced_for_igf1, c.to_mg_per_week)
            && same_product
        {
            t.notes.push(format!(
                "the dose was reduced on {} for IGF-1 SDS {:+} (line {line}): growth alone does not take it back up",
                c.at.date, sds
            ));
            reduction = Micrograms::round_mg(to).map(|mg_per_week| Reduction {
                date: c.at.date,
                igf1_sds: sds,
                mg_per_week,
                weight: c.weight_kg.map(Grams::from_kg),
            });
        }
    }
    let measured_now = args.patient.height_cm.is_some() || args.patient.height_in.is_some();
    if measured_now
        && args.previous_height_cm.is_none()
        && args.previous_height_date.is_none()
        && let Some(h) = prior.previous_height
    {
        args.previous_height_cm = Some(h.value);
        args.previous_height_date = Some(h.date);
        t.took(
            Field::PreviousHeightCm,
            format!("previous height {} cm on {}", fmt(h.value), h.date),
            h.line,
        );
    }
    if let Some(s) = prior.treatment_start {
        if args.treatment_start.is_none() {
            args.treatment_start = Some(s.date);
            t.took(
                Field::TreatmentStart,
                format!("treatment started {}", s.date),
                s.line,
            );
        } else if args.treatment_start != Some(s.date) {
            t.how
                .overridden
                .push(Field::TreatmentStart.as_str().to_string());
            t.notes.push(format!(
                "{} given: overrides the record's {} (line {})",
                name(Field::TreatmentStart),
                s.date,
                s.line
            ));
        }
    }
    Ok(t.filled(args, reduction))
}

/// What was taken from the record and what overrode it.
#[derive(Default)]
struct Taken {
    notes: Vec<String>,
    how: Provenance,
}

impl Taken {
    fn took(&mut self, f: Field, what: String, line: usize) {
        self.how.from_record.push(f.as_str().to_string());
        self.notes
            .push(format!("from the visit record (line {line}): {what}"));
    }

    fn filled(self, args: TitrateArgs, reduction: Option<Reduction>) -> Filled {
        Filled {
            args,
            history: History {
                notes: self.notes,
                reduction,
            },
            how: self.how,
        }
    }
}

fn fmt(x: f64) -> String {
    crate::units::fmt_decimal((x * 1000.0).round() as i64, 3)
}
