//! A [`Chart`] onto the typed requests. What the request already holds
//! (the command line's flags) wins, and each value the chart also held is
//! named in a note; every value taken from the chart is named with its
//! path, and the core's errors about it spell that path.

use super::read::{Chart, FhirError, Igf1Value, Reading};
use crate::dosing::{self, AgeInput, Field, Igf1Input, Igf1Reference, Measured, Piece, Route};
use crate::dosing::{StartRequest, Subject, TitrateRequest};
use crate::rules::RuleSet;
use crate::vocab::RangeKind;
use chrono::NaiveDate;

/// What was taken from the chart: the notes for the rationale and the FHIR
/// path of each field filled from it.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Applied {
    pub(crate) notes: Vec<String>,
    pub(crate) paths: Vec<(Field, String)>,
}

impl Applied {
    fn took(&mut self, fields: &[Field], path: &str, what: String) {
        for f in fields {
            self.paths.push((*f, path.to_string()));
        }
        self.notes.push(format!("{what} from {path}"));
    }

    fn flag_wins(&mut self, field: Field, path: &str) {
        self.notes.push(format!(
            "{} given on the command line wins over {path}",
            field.flag()
        ));
    }

    /// A core error with the fields taken from the chart spelled as their
    /// FHIR paths, the others as their flags.
    pub(crate) fn render(&self, e: &dosing::Error) -> String {
        self.render_for(e, Route::Flags)
    }

    /// [`Applied::render`] with the other fields spelled for `route`
    /// (`weight_kg` for a JSON caller such as the CDS Hooks service).
    pub(crate) fn render_for(&self, e: &dosing::Error, route: Route) -> String {
        let spell = |f: Field| {
            self.paths
                .iter()
                .find(|(g, _)| *g == f)
                .map_or_else(|| f.spelled(route).into_owned(), |(_, p)| p.clone())
        };
        e.message
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Field(f) => spell(*f),
            })
            .collect()
    }
}

fn kg(x: f64) -> String {
    format!("{} kg", dosing::fmt_num(x))
}

fn cm(x: f64) -> String {
    format!("{} cm", dosing::fmt_num(x))
}

fn measured(r: &Reading, kind: (Field, Field)) -> Measured {
    Measured {
        value: r.value,
        field: if r.imperial { kind.1 } else { kind.0 },
        original: r.original.clone(),
    }
}

/// What start and titrate share: the indication, sex, age, weight, height
/// and the product of the current order.
fn subject(chart: &Chart, s: &mut Subject, a: &mut Applied) -> Result<(), FhirError> {
    let mut named: Vec<&str> = Vec::new();
    for i in &chart.indications {
        if !named.contains(&i.value.as_str()) {
            named.push(&i.value);
        }
    }
    if s.indication.is_empty() {
        match chart.indications.as_slice() {
            [] => {
                return Err(FhirError(
                    "indication: no Condition in the FHIR input names one that gh-dose maps (docs/fhir.md lists the codes): give --indication".to_string(),
                ));
            }
            [first, rest @ ..] => {
                if let Some(other) = rest.iter().find(|o| o.value != first.value) {
                    return Err(FhirError(format!(
                        "{}: names {}, and {} names {}: give --indication",
                        first.path, first.value, other.path, other.value
                    )));
                }
                s.indication = first.value.clone();
                a.took(
                    &[Field::Indication],
                    &first.path,
                    format!("indication {}", first.value),
                );
            }
        }
    } else if let Some(i) = chart.indications.first() {
        a.flag_wins(Field::Indication, &i.path);
    }
    let p = &mut s.patient;
    if let Some(sex) = &chart.sex {
        if p.sex.is_none() {
            p.sex = Some(sex.value);
            a.took(
                &[Field::Sex],
                &sex.path,
                format!("sex {}", sex.value.as_str()),
            );
        } else {
            a.flag_wins(Field::Sex, &sex.path);
        }
    }
    if let Some(b) = &chart.birth_date {
        if p.age.is_none() {
            p.age = Some(AgeInput::BirthDate(b.value));
            a.took(
                &[Field::BirthDate],
                &b.path,
                format!("birth date {}", b.value),
            );
        } else {
            a.flag_wins(Field::BirthDate, &b.path);
        }
    }
    if let Some(w) = chart.weights.last() {
        match &p.weight_kg {
            None => {
                p.weight_kg = Some(measured(w, (Field::WeightKg, Field::WeightLb)));
                a.took(
                    &[Field::WeightKg, Field::WeightLb],
                    &w.path,
                    format!("weight {} measured {}", kg(w.value), w.date),
                );
            }
            Some(m) => a.flag_wins(m.field, &w.path),
        }
    }
    if let Some(h) = chart.heights.last() {
        match &p.height_cm {
            None => {
                p.height_cm = Some(measured(h, (Field::HeightCm, Field::HeightIn)));
                a.took(
                    &[Field::HeightCm, Field::HeightIn],
                    &h.path,
                    format!("height {} measured {}", cm(h.value), h.date),
                );
            }
            Some(m) => a.flag_wins(m.field, &h.path),
        }
    }
    for c in &chart.conditions {
        if !s.patient.conditions.contains(&c.value) {
            s.patient.conditions.push(c.value);
            a.took(
                &[Field::Condition],
                &c.path,
                format!("condition {}", c.value.as_str()),
            );
        }
    }
    if let Some(m) = &chart.medication {
        match (&s.product.product, &m.product) {
            (None, Some(id)) => {
                s.product.product = Some(id.clone());
                a.took(&[Field::Product], &m.path, format!("product {id}"));
                if s.product.device.is_none()
                    && let Some(d) = &m.device
                {
                    s.product.device = Some(d.clone());
                    a.took(&[Field::Device], &m.path, format!("device {d}"));
                }
            }
            (Some(_), Some(_)) => a.flag_wins(Field::Product, &m.path),
            _ => {}
        }
    }
    Ok(())
}

/// A start request with what the chart holds and the request leaves out.
pub(crate) fn apply_start(chart: &Chart, req: &mut StartRequest) -> Result<Applied, FhirError> {
    let mut a = Applied::default();
    subject(chart, &mut req.subject, &mut a)?;
    a.notes.extend(chart.notes.iter().cloned());
    Ok(a)
}

/// A titrate request with what the chart holds and the request leaves
/// out: the current dose, the previous weight and height (the readings
/// before the latest), the latest IGF-1 and its date.
pub(crate) fn apply_titrate(
    chart: &Chart,
    req: &mut TitrateRequest,
    rules: &RuleSet,
) -> Result<Applied, FhirError> {
    let mut a = Applied::default();
    subject(chart, &mut req.subject, &mut a)?;
    if let Some(m) = &chart.medication {
        if req.current.is_none() {
            // mg of different molecules are not comparable: the order's
            // dose is read only for a product of its molecule.
            let product = req.subject.product.product.as_deref();
            let molecule = product.and_then(|id| {
                rules
                    .all_products()
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.molecule.to_string())
            });
            match (product, molecule) {
                (Some(id), Some(mol)) if mol != m.molecule => {
                    return Err(FhirError(format!(
                        "{}: the current order is {}, and the product {id} is {mol}: mg of different molecules are not comparable (give the current dose of {id} with --current-mg-per-day or --current-mg-per-week)",
                        m.path, m.molecule
                    )));
                }
                (None, _) if m.molecule != "somatropin" => {
                    return Err(FhirError(format!(
                        "{}: the current order is {} with no gh-dose product code: name the product with --product",
                        m.path, m.molecule
                    )));
                }
                _ => {}
            }
            req.current = Some(m.dose);
            let (field, mg) = match m.dose {
                dosing::CurrentDose::PerDay(mg) => (
                    Field::CurrentMgPerDay,
                    format!("{} mg per day", dosing::fmt_num(mg)),
                ),
                dosing::CurrentDose::PerWeek(mg) => (
                    Field::CurrentMgPerWeek,
                    format!("{} mg per week", dosing::fmt_num(mg)),
                ),
            };
            a.took(
                &[field],
                &m.path,
                format!(
                    "current dose {mg} ({} {})",
                    m.molecule, m.injections_per_week
                ),
            );
            if req.subject.injections_per_week.is_none() && m.injections_per_week != 1 {
                req.subject.injections_per_week = Some(m.injections_per_week);
                a.paths.push((Field::InjectionsPerWeek, m.path.clone()));
            }
        } else {
            let field = match req.current {
                Some(dosing::CurrentDose::PerWeek(_)) => Field::CurrentMgPerWeek,
                _ => Field::CurrentMgPerDay,
            };
            a.flag_wins(field, &m.path);
        }
    }
    let before_last =
        |list: &[Reading]| list.len().checked_sub(2).and_then(|i| list.get(i)).cloned();
    if let Some(w) = before_last(&chart.weights) {
        if req.previous_weight_kg.is_none() && req.prescribed_mg_per_kg_week.is_none() {
            req.previous_weight_kg = Some(w.value);
            req.previous_weight_date = Some(w.date);
            a.took(
                &[Field::PreviousWeightKg, Field::PreviousWeightDate],
                &w.path,
                format!("previous weight {} measured {}", kg(w.value), w.date),
            );
        } else if req.previous_weight_kg.is_some() {
            a.flag_wins(Field::PreviousWeightKg, &w.path);
        }
    }
    if let Some(h) = before_last(&chart.heights) {
        if req.previous_height_cm.is_none() {
            req.previous_height_cm = Some(Measured {
                value: h.value,
                field: Field::PreviousHeightCm,
                original: h.original.clone(),
            });
            req.previous_height_date = Some(h.date);
            a.took(
                &[Field::PreviousHeightCm, Field::PreviousHeightDate],
                &h.path,
                format!("previous height {} measured {}", cm(h.value), h.date),
            );
        } else {
            a.flag_wins(Field::PreviousHeightCm, &h.path);
        }
    }
    if let Some(i) = latest_igf1(chart) {
        if req.igf1.is_none() {
            let (input, fields, words) = match &i.value {
                Igf1Value::Sds(s) => (
                    Igf1Input::Sds(*s),
                    vec![Field::Igf1Sds],
                    format!("IGF-1 SDS {}", dosing::fmt_num(*s)),
                ),
                Igf1Value::Concentration {
                    value,
                    unit,
                    low,
                    high,
                } => (
                    Igf1Input::Concentration {
                        value: *value,
                        unit: *unit,
                        reference: Igf1Reference::Lab {
                            low: *low,
                            high: *high,
                            kind: RangeKind::default(),
                            lambda: None,
                        },
                    },
                    vec![
                        Field::Igf1,
                        Field::Igf1Unit,
                        Field::Igf1RefLow,
                        Field::Igf1RefHigh,
                    ],
                    format!(
                        "IGF-1 {} {} (laboratory range {}-{})",
                        dosing::fmt_num(*value),
                        unit.label(),
                        dosing::fmt_num(*low),
                        dosing::fmt_num(*high)
                    ),
                ),
            };
            req.igf1 = Some(input);
            let mut fields = fields;
            if req.igf1_date.is_none() {
                req.igf1_date = Some(i.date);
                fields.push(Field::Igf1Date);
            }
            a.took(&fields, &i.path, format!("{words} drawn {}", i.date));
        } else {
            let field = match req.igf1 {
                Some(Igf1Input::Sds(_)) => Field::Igf1Sds,
                _ => Field::Igf1,
            };
            a.flag_wins(field, &i.path);
        }
    }
    a.notes.extend(chart.notes.iter().cloned());
    Ok(a)
}

/// The latest IGF-1 result; on one date the laboratory's Z-score before a
/// concentration (it needs no reference).
fn latest_igf1(chart: &Chart) -> Option<&super::read::Igf1Result> {
    let last: NaiveDate = chart.igf1.last()?.date;
    let same_day = chart.igf1.iter().filter(|r| r.date == last);
    let mut best = None;
    for r in same_day {
        match (&best, &r.value) {
            (None, _) | (Some(_), Igf1Value::Sds(_)) => best = Some(r),
            _ => {}
        }
    }
    best
}
