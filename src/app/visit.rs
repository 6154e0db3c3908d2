//! A titration that reads the visit record first: every request field the
//! command line left out and the record knows is taken from it, and each
//! is named in the rationale with its line; a field given that differs from
//! the record overrides it and is named too. The patient's identity (sex
//! and birth date) must match.

use crate::cli::TitrateArgs;
use crate::dosing::error::msg;
use crate::dosing::{self, Field, History, Reduction, Route};
use crate::error::{Error, InputError};
use crate::record::{At, GivenDose, Identity, Prior, Provenance};
use crate::rules::RuleSet;
use crate::units::{Grams, Micrograms};
use crate::vocab::Molecule;
use chrono::NaiveDate;

/// A titration's arguments with the record's values filled in.
pub struct Filled {
    pub args: TitrateArgs,
    pub history: History,
    pub how: Provenance,
}

/// A refused request field, worded for its route.
pub fn refuse(field: Field, words: String, route: Route) -> Error {
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

/// The molecule of a product id; a dose without a product is daily
/// somatropin (the rule tables' own doses).
pub fn molecule(id: Option<&str>, rules: &RuleSet) -> Option<Molecule> {
    match id {
        None => Some(Molecule::Somatropin),
        Some(id) => rules.product(id.trim()).map(|p| p.molecule),
    }
}

/// Fills a titration from the record.
pub fn fill(
    a: &TitrateArgs,
    prior: &Prior,
    route: Route,
    rules: &RuleSet,
) -> Result<Filled, Error> {
    let mut args = a.clone();
    let mut t = Taken::default();
    let name = |f: Field| f.spelled(route).into_owned();
    who_and_what(&mut args, prior, &mut t, route);
    let given_current = args.current_mg_per_day.is_some() || args.current_mg_per_week.is_some();
    if prior.dose.is_none() {
        return Err(off_treatment(a, prior, rules, route));
    }
    let (same_molecule, given_molecule) =
        product(&mut args, prior, &mut t, rules, route, given_current)?;
    if let Some(dose) = prior.dose.filter(|_| same_molecule) {
        current(&mut args, &mut t, dose, &name);
    }
    // A dose of another molecule has its own history: the last change, the
    // weight then and a reduction of the record's molecule do not apply.
    let reduction = if same_molecule {
        last_change(&mut args, prior, &mut t, rules, route, given_molecule)
    } else {
        t.notes.push(
            "the current dose is of another molecule than the record's: its last change and the weight then are not read from the record".to_string(),
        );
        None
    };
    growth_dates(&mut args, prior, &mut t, route);
    let mut filled = t.filled(args, reduction);
    filled.history.earlier = earlier(prior);
    Ok(filled)
}

/// The record's earlier weights and heights, for the course checks.
pub fn earlier(prior: &Prior) -> Vec<dosing::Earlier> {
    prior
        .measured
        .iter()
        .map(|m| dosing::Earlier {
            date: m.date,
            line: m.line,
            weight_kg: m.value.weight_kg,
            height_cm: m.value.height_cm,
        })
        .collect()
}

/// Sex, birth date and indication; a stop or withhold at the last visit.
fn who_and_what(args: &mut TitrateArgs, prior: &Prior, t: &mut Taken, route: Route) {
    let name = |f: Field| f.spelled(route).into_owned();
    let last = prior.last;
    let p = &mut args.patient;
    if p.sex.is_none() {
        p.sex = Some(prior.identity.sex);
        t.how.from_record.push(("sex".to_string(), last.number));
    }
    if p.birth_date.is_none() && p.age_years.is_none() {
        p.birth_date = Some(prior.identity.birth_date);
        t.how
            .from_record
            .push(("birth_date".to_string(), last.number));
    }
    match &args.indication {
        Some(given) if !given.trim().eq_ignore_ascii_case(prior.indication) => t.overrode(
            Field::Indication,
            format!(
                "{} {} given: the record's last visit was for {} (line {})",
                name(Field::Indication),
                given.trim(),
                prior.indication,
                last.number
            ),
        ),
        Some(_) => {}
        None => {
            args.indication = Some(prior.indication.to_string());
            t.took(
                Field::Indication,
                format!("indication {}", prior.indication),
                last.number,
            );
        }
    }
}

/// A titration on a record whose last visit stopped or withheld treatment
/// is refused: the patient is off treatment, so there is no dose to titrate
/// and an IGF-1 drawn now (at transition, the retest) is a baseline, not a
/// response. The restart is a start on the record.
fn off_treatment(a: &TitrateArgs, prior: &Prior, rules: &RuleSet, route: Route) -> Error {
    let last = prior.last;
    let file = a
        .record
        .as_ref()
        .map_or_else(|| "FILE".to_string(), |p| p.display().to_string());
    let flags: Vec<&str> = last
        .visit
        .decision
        .flags
        .iter()
        .map(|f| f.as_str())
        .collect();
    let safety = prior
        .off
        .as_ref()
        .is_some_and(|o| o.flags.iter().any(|f| rules.restart.after.contains(f)));
    refuse(
        Field::Record,
        format!(
            "{file}: the last visit ({}, line {}) gave no dose ({}{}): the patient is off treatment, so there is no dose to titrate and an IGF-1 drawn now (at transition, the retest) is a baseline, not a response; the restart is a start: gh-dose start --record {file}{}",
            last.visit.date,
            last.number,
            last.visit.decision.action,
            if flags.is_empty() {
                String::new()
            } else {
                format!(": {}", flags.join(", "))
            },
            if safety {
                format!(
                    " {} (once the signs have resolved; the restart is lower than the dose before the stop)",
                    Field::SignsResolved.spelled(route)
                )
            } else {
                String::new()
            }
        ),
        route,
    )
}

/// The product, pen and region; whether the dose carries over (the same
/// molecule) and the molecule given.
fn product(
    args: &mut TitrateArgs,
    prior: &Prior,
    t: &mut Taken,
    rules: &RuleSet,
    route: Route,
    given_current: bool,
) -> Result<(bool, Option<Molecule>), Error> {
    let name = |f: Field| f.spelled(route).into_owned();
    // The product: the record's, or one given; a dose carries over only
    // within a molecule (mg of different molecules are not comparable).
    let carried = prior.dose.or(prior.given);
    let record_product = carried.and_then(|d| d.value.product.clone());
    let pr = &mut args.product;
    let same_product = match (&pr.product, &record_product) {
        (None, Some(id)) => {
            pr.product = Some(id.clone());
            if let Some(d) = carried {
                t.took(Field::Product, format!("product {id}"), d.line);
            }
            true
        }
        (Some(given), Some(id)) => given.trim().eq_ignore_ascii_case(id),
        (None, None) => true,
        (Some(_), None) => false,
    };
    let given_molecule = molecule(pr.product.as_deref(), rules);
    let same_molecule = given_molecule == molecule(record_product.as_deref(), rules);
    if !same_product && let Some(d) = carried {
        let was = record_product
            .as_deref()
            .unwrap_or("no product (daily somatropin)");
        let given = pr.product.as_deref().unwrap_or_default().trim().to_string();
        if !same_molecule && !given_current {
            // From daily somatropin to a weekly analogue the label's switch
            // start applies; back to daily somatropin it is a plain start.
            let from_daily = molecule(record_product.as_deref(), rules)
                == Some(Molecule::Somatropin)
                && given_molecule != Some(Molecule::Somatropin);
            let file = args
                .record
                .as_ref()
                .map_or_else(|| "FILE".to_string(), |p| p.display().to_string());
            return Err(refuse(
                Field::Product,
                format!(
                    "{given} is another molecule than the record's {was} (line {}): doses are not converted mg-for-mg; switch with gh-dose start --product {given}{} --record {file}, or give the current dose of {given}",
                    d.line,
                    if from_daily {
                        " --switching-from-daily"
                    } else {
                        ""
                    }
                ),
                route,
            ));
        }
        t.overrode(
            Field::Product,
            format!(
                "{} {given} given: the record's dose was on {was} (line {}){}",
                name(Field::Product),
                d.line,
                if same_molecule {
                    "; the same molecule: the dose carries over"
                } else {
                    ""
                }
            ),
        );
    }
    if let Some(d) = carried.filter(|_| same_product) {
        if pr.device.is_none()
            && let Some(dev) = &d.value.device
        {
            pr.device = Some(dev.clone());
            t.took(Field::Device, format!("device {dev}"), d.line);
        }
        match pr.region {
            None => {
                pr.region = Some(d.value.region);
                t.took(Field::Region, format!("region {}", d.value.region), d.line);
            }
            Some(r) if r != d.value.region => t.overrode(
                Field::Region,
                format!(
                    "{} {r} given: the record's dose was on the {} label (line {})",
                    name(Field::Region),
                    d.value.region,
                    d.line
                ),
            ),
            Some(_) => {}
        }
        t.how.device_before = d.value.device.clone();
    }
    Ok((same_molecule, given_molecule))
}

/// The last dose change, the weight then, and a reduction for a high IGF-1
/// of the molecule given.
fn last_change(
    args: &mut TitrateArgs,
    prior: &Prior,
    t: &mut Taken,
    rules: &RuleSet,
    route: Route,
    given_molecule: Option<Molecule>,
) -> Option<Reduction> {
    let name = |f: Field| f.spelled(route).into_owned();
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
            t.overrode(
                Field::LastDoseChange,
                format!(
                    "{} given: overrides the record's {} (line {line})",
                    name(Field::LastDoseChange),
                    c.at.date
                ),
            );
        }
        match (
            args.previous_weight_kg,
            args.prescribed_mg_per_kg_week,
            c.weight_kg,
        ) {
            (None, None, Some(w)) => {
                args.previous_weight_kg = Some(w);
                args.previous_weight_date = Some(c.at.date);
                t.took(
                    Field::PreviousWeightKg,
                    format!("weight {} kg when the dose was set", fmt(w)),
                    line,
                );
            }
            (Some(v), None, Some(w)) if differs(v, w) => t.overrode(
                Field::PreviousWeightKg,
                format!(
                    "{} {} given: overrides the record's {} kg (line {line})",
                    name(Field::PreviousWeightKg),
                    fmt(v),
                    fmt(w)
                ),
            ),
            _ => {}
        }
        let reduced_same_molecule = molecule(c.product.as_deref(), rules) == given_molecule;
        if let (Some(sds), Some(to)) = (c.reduced_for_igf1, c.to_mg_per_week)
            && reduced_same_molecule
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
    reduction
}

/// The earlier height (beside a current one) and the treatment start.
fn growth_dates(args: &mut TitrateArgs, prior: &Prior, t: &mut Taken, route: Route) {
    let name = |f: Field| f.spelled(route).into_owned();
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
            t.overrode(
                Field::TreatmentStart,
                format!(
                    "{} given: overrides the record's {} (line {})",
                    name(Field::TreatmentStart),
                    s.date,
                    s.line
                ),
            );
        }
    }
}

/// The current dose: the record's, or the one given (named when it differs).
fn current(
    args: &mut TitrateArgs,
    t: &mut Taken,
    dose: At<&GivenDose>,
    name: &dyn Fn(Field) -> String,
) {
    let d = dose.value;
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
                    u32::from(d.injections_per_week) * u32::from(d.injections_per_dose),
                    dose.date
                ),
                dose.line,
            );
        }
        (Some(v), _) if differs(v, d.mg_per_injection) => t.overrode(
            Field::CurrentMgPerDay,
            format!(
                "{} {} given: overrides the record's {} mg per injection (line {})",
                name(Field::CurrentMgPerDay),
                fmt(v),
                fmt(d.mg_per_injection),
                dose.line
            ),
        ),
        (None, Some(v)) if differs(v, d.mg_per_week) => t.overrode(
            Field::CurrentMgPerWeek,
            format!(
                "{} {} given: overrides the record's {} mg/week (line {})",
                name(Field::CurrentMgPerWeek),
                fmt(v),
                fmt(d.mg_per_week),
                dose.line
            ),
        ),
        _ => {}
    }
}

/// What was taken from the record and what overrode it.
#[derive(Default)]
struct Taken {
    /// Values taken from the record, by the line they are on.
    taken: Vec<(usize, Vec<String>)>,
    notes: Vec<String>,
    how: Provenance,
}

impl Taken {
    fn overrode(&mut self, f: Field, note: String) {
        self.how.overridden.push(f.as_str().to_string());
        self.notes.push(note);
    }

    fn took(&mut self, f: Field, what: String, line: usize) {
        self.how.from_record.push((f.as_str().to_string(), line));
        match self.taken.iter_mut().find(|(l, _)| *l == line) {
            Some((_, all)) => all.push(what),
            None => self.taken.push((line, vec![what])),
        }
    }

    /// One rationale line per record line values were taken from (latest
    /// first), then the overrides and the reduction.
    fn filled(self, args: TitrateArgs, reduction: Option<Reduction>) -> Filled {
        let mut taken = self.taken;
        taken.sort_by_key(|t| std::cmp::Reverse(t.0));
        let mut notes: Vec<String> = taken
            .into_iter()
            .map(|(line, all)| format!("from the visit record, line {line}: {}", all.join("; ")))
            .collect();
        notes.extend(self.notes);
        Filled {
            args,
            history: History {
                notes,
                reduction,
                earlier: Vec::new(),
            },
            how: self.how,
        }
    }
}

fn fmt(x: f64) -> String {
    crate::units::fmt_decimal((x * 1000.0).round() as i64, 3)
}
