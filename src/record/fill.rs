//! A titration that reads the visit record first: every request field the
//! clinician left out and the record knows is filled into the typed request,
//! and each is named in the rationale with its line; a field given that
//! differs from the record overrides it and is named too. A dose carries
//! over only within a molecule; the conditions and treatment facts of the
//! latest visit carry over until resolved (`super::facts`). Pure: the caller has read the record.

use super::belongs::refusal;
use super::prior::{At, Prior};
use super::visit::{GivenDose, Provenance};
use crate::dosing::{
    self, AgeInput, Field, History, Measured, ProductChoice, Reduction, Route, TitrateRequest,
};
use crate::rules::RuleSet;
use crate::units::{Grams, Micrograms};
use crate::vocab::Molecule;
use current::current;
#[cfg(test)]
use current::{dose_words, unit_slip};

/// What the typed request cannot tell from its defaults: whether the
/// indication and the label region were given.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Given {
    pub(crate) indication: bool,
    pub(crate) region: bool,
}

/// What the fill adds beside the request: the notes and reduction the core
/// reads, and what came from the record (for the line).
#[derive(Debug, Clone, Default)]
pub(crate) struct Filled {
    pub(crate) history: History,
    pub(crate) how: Provenance,
}

/// Whether two doses in mg differ at the microgram (the record's precision).
fn differs(a: f64, b: f64) -> bool {
    (a * 1000.0).round() != (b * 1000.0).round()
}

/// The molecule of a product id; a dose without a product is daily
/// somatropin (the rule tables' own doses).
pub(crate) fn molecule(id: Option<&str>, rules: &RuleSet) -> Option<Molecule> {
    match id {
        None => Some(Molecule::Somatropin),
        Some(id) => rules.product(id.trim()).map(|p| p.molecule),
    }
}

/// Fills a titration from the record; `file` is the record as the request
/// named it (for the commands a refusal suggests).
pub(crate) fn fill(
    req: &mut TitrateRequest,
    given: Given,
    prior: &Prior,
    file: &str,
    route: Route,
    rules: &RuleSet,
) -> Result<Filled, dosing::Error> {
    let mut t = Taken::default();
    let name = |f: Field| f.spelled(route).into_owned();
    who_and_what(req, given, prior, &mut t, route);
    // The conditions and treatment facts of the latest visit.
    let carried = super::facts::carry(&mut req.subject.patient, Some(prior.last), route)?;
    for (f, what) in carried.taken {
        t.took(f, what, carried.line);
    }
    t.notes.extend(carried.notes);
    let given_current = req.current.is_some();
    if prior.dose.is_none() {
        return Err(off_treatment(file, prior, rules, route));
    }
    let (same_molecule, given_molecule) = product(
        req,
        given,
        prior,
        &mut t,
        rules,
        Where { file, route },
        given_current,
    )?;
    if let Some(dose) = prior.dose.filter(|_| same_molecule) {
        current(req, &mut t, dose, &name)?;
    }
    // A dose of another molecule has its own history: the last change, the
    // weight then and a reduction of the record's molecule do not apply.
    let reduction = if same_molecule {
        last_change(req, prior, &mut t, rules, route, given_molecule)
    } else {
        t.notes.push(
            "the current dose is of another molecule than the record's: its last change and the weight then are not read from the record".to_string(),
        );
        None
    };
    growth_dates(req, prior, &mut t, route);
    let mut filled = t.filled(reduction);
    filled.history.earlier = earlier(prior);
    if same_molecule {
        filled.history.igf1_unanswered = prior
            .igf1_unanswered
            .as_ref()
            .map(|a| (a.date, a.value, a.line));
    }
    Ok(filled)
}

/// The record's earlier weights and heights, for the course checks.
pub(crate) fn earlier(prior: &Prior) -> Vec<crate::dosing::Earlier> {
    prior
        .measured
        .iter()
        .map(|m| crate::dosing::Earlier {
            date: m.date,
            line: m.line,
            weight_kg: m.value.weight_kg,
            height_cm: m.value.height_cm,
        })
        .collect()
}

/// Sex, birth date and indication; a stop or withhold at the last visit.
fn who_and_what(
    req: &mut TitrateRequest,
    given: Given,
    prior: &Prior,
    t: &mut Taken,
    route: Route,
) {
    let name = |f: Field| f.spelled(route).into_owned();
    let last = prior.last;
    let p = &mut req.subject.patient;
    if p.sex.is_none() {
        p.sex = Some(prior.identity.sex);
        t.how.from_record.push(("sex".to_string(), last.number));
    }
    if p.age.is_none() {
        p.age = Some(AgeInput::BirthDate(prior.identity.birth_date));
        t.how
            .from_record
            .push(("birth_date".to_string(), last.number));
    }
    let indication = &mut req.subject.indication;
    match given.indication {
        true if !indication.eq_ignore_ascii_case(prior.indication) => t.overrode(
            Field::Indication,
            format!(
                "{} {} given: the record's last visit was for {} (line {})",
                name(Field::Indication),
                indication,
                prior.indication,
                last.number
            ),
        ),
        true => {}
        false => {
            *indication = prior.indication.trim().to_string();
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
fn off_treatment(file: &str, prior: &Prior, rules: &RuleSet, route: Route) -> dosing::Error {
    let last = prior.last;
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
    refusal(
        Field::Record,
        format!(
            "{file}: the last visit ({}, line {}) gave no dose ({}{}): the patient is off treatment, so there is no dose to titrate and an IGF-1 drawn now (at transition, the retest) is a baseline, not a response; the restart is a start: gh-dose start --indication {} --weight-kg KG{} --record {file}{}",
            last.visit.date,
            last.number,
            last.visit.decision.action,
            if flags.is_empty() {
                String::new()
            } else {
                format!(": {}", flags.join(", "))
            },
            // Stopped for closed epiphyses: the adult course continues at
            // transition.
            if last
                .visit
                .decision
                .flags
                .contains(&crate::vocab::FlagCode::ClosedEpiphyses)
            {
                "transition"
            } else {
                prior.indication
            },
            prior
                .given
                .as_ref()
                .and_then(|g| g.value.product.as_deref())
                .map(|p| format!(" --product {p}"))
                .unwrap_or_default(),
            if safety {
                format!(
                    " {} (once the signs have resolved; the restart is lower than the dose before the stop)",
                    Field::SignsResolved.spelled(route)
                )
            } else if last
                .visit
                .patient_facts
                .as_ref()
                .is_some_and(|f| !f.conditions.is_empty())
            {
                format!(
                    " (the record's conditions are carried: {} NAME for one that no longer holds)",
                    Field::Resolved.spelled(route)
                )
            } else {
                String::new()
            }
        ),
    )
}

/// The record a message names and the route it is spelled for.
#[derive(Clone, Copy)]
struct Where<'a> {
    file: &'a str,
    route: Route,
}

/// The product, pen and region; whether the dose carries over (the same
/// molecule) and the molecule given.
fn product(
    req: &mut TitrateRequest,
    given: Given,
    prior: &Prior,
    t: &mut Taken,
    rules: &RuleSet,
    at: Where,
    given_current: bool,
) -> Result<(bool, Option<Molecule>), dosing::Error> {
    let Where { file, route } = at;
    let name = |f: Field| f.spelled(route).into_owned();
    // The product: the record's, or one given; a dose carries over only
    // within a molecule (mg of different molecules are not comparable).
    let carried = prior.dose.or(prior.given);
    let record_product = carried.and_then(|d| d.value.product.clone());
    let pr = &mut req.subject.product;
    let same_product = match (&pr.product, &record_product) {
        (None, Some(id)) => {
            pr.product = Some(id.trim().to_string());
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
            return Err(refusal(
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
        pen_and_region(pr, d, given, t, route);
    }
    Ok((same_molecule, given_molecule))
}

/// The same product as the record's dose: its pen when none is given, and
/// its region unless one is given (said when it differs).
fn pen_and_region(
    pr: &mut ProductChoice,
    d: At<&GivenDose>,
    given: Given,
    t: &mut Taken,
    route: Route,
) {
    let name = |f: Field| f.spelled(route).into_owned();
    if pr.device.is_none()
        && let Some(dev) = &d.value.device
    {
        pr.device = Some(dev.trim().to_string());
        t.took(Field::Device, format!("device {dev}"), d.line);
    }
    let r = pr.region;
    if !given.region {
        pr.region = d.value.region;
        t.took(Field::Region, format!("region {}", d.value.region), d.line);
    } else if r != d.value.region {
        t.overrode(
            Field::Region,
            format!(
                "{} {r} given: the record's dose was on the {} label (line {})",
                name(Field::Region),
                d.value.region,
                d.line
            ),
        );
    }
    t.how.device_before = d.value.device.clone();
}

/// The last dose change, the weight then, and a reduction for a high IGF-1
/// of the molecule given.
fn last_change(
    req: &mut TitrateRequest,
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
        if req.last_dose_change.is_none() {
            req.last_dose_change = Some(c.at.date);
            t.took(
                Field::LastDoseChange,
                format!("last dose change {} ({})", c.at.date, c.at.value),
                line,
            );
        } else if req.last_dose_change != Some(c.at.date) {
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
            req.previous_weight_kg,
            req.prescribed_mg_per_kg_week,
            c.weight_kg,
        ) {
            (None, None, Some(w)) => {
                req.previous_weight_kg = Some(w);
                req.previous_weight_date = Some(c.at.date);
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
    }
    // The latest reduction for a high IGF-1 of the molecule given, however
    // many weight changes followed it (only a low IGF-1 ends it).
    if let Some(c) = &prior.reduction
        && molecule(c.product.as_deref(), rules) == given_molecule
        && let (Some(sds), Some(to)) = (c.reduced_for_igf1, c.to_mg_per_week)
    {
        let line = c.at.line;
        t.notes.push(format!(
            "the dose was reduced on {} for IGF-1 SDS {:+} (line {line}): it is not raised back toward the dose before without a reason",
            c.at.date,
            crate::units::round_to(sds, 2)
        ));
        reduction = Micrograms::round_mg(to).map(|mg_per_week| Reduction {
            date: c.at.date,
            igf1_sds: sds,
            mg_per_week,
            from: c
                .from_mg_per_week
                .and_then(Micrograms::round_mg)
                .filter(|f| *f > mg_per_week),
            weight: c.weight_kg.map(Grams::from_kg),
        });
    }
    reduction
}

/// The earlier height (beside a current one) and the treatment start.
fn growth_dates(req: &mut TitrateRequest, prior: &Prior, t: &mut Taken, route: Route) {
    let name = |f: Field| f.spelled(route).into_owned();
    let measured_now = req.subject.patient.height_cm.is_some();
    if measured_now
        && req.previous_height_cm.is_none()
        && req.previous_height_date.is_none()
        && let Some(h) = prior.previous_height
    {
        req.previous_height_cm = Some(Measured::plain(h.value, Field::PreviousHeightCm));
        req.previous_height_date = Some(h.date);
        t.took(
            Field::PreviousHeightCm,
            format!("previous height {} cm on {}", fmt(h.value), h.date),
            h.line,
        );
    }
    if let Some(s) = prior.treatment_start {
        if req.treatment_start.is_none() {
            req.treatment_start = Some(s.date);
            t.took(
                Field::TreatmentStart,
                format!("treatment started {}", s.date),
                s.line,
            );
        } else if req.treatment_start != Some(s.date) {
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
        let field = (f.as_str().to_string(), line);
        if !self.how.from_record.contains(&field) {
            self.how.from_record.push(field);
        }
        match self.taken.iter_mut().find(|(l, _)| *l == line) {
            Some((_, all)) => all.push(what),
            None => self.taken.push((line, vec![what])),
        }
    }

    /// One rationale line per record line values were taken from (latest
    /// first), then the overrides and the reduction.
    fn filled(self, reduction: Option<Reduction>) -> Filled {
        let mut taken = self.taken;
        taken.sort_by_key(|t| std::cmp::Reverse(t.0));
        let mut notes: Vec<String> = taken
            .into_iter()
            .map(|(line, all)| format!("from the visit record, line {line}: {}", all.join("; ")))
            .collect();
        notes.extend(self.notes);
        Filled {
            history: History {
                notes,
                reduction,
                earlier: Vec::new(),
                igf1_unanswered: None,
            },
            how: self.how,
        }
    }
}

fn fmt(x: f64) -> String {
    crate::units::fmt_decimal((x * 1000.0).round() as i64, 3)
}

mod current;
#[cfg(test)]
mod tests;
