//! Request builders for the unit tests of the core.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::error::Field;
use super::outcome::Outcome;
use super::request::{
    AgeInput, Chosen, CurrentDose, Igf1Input, Measured, PatientInput, StartRequest, Subject,
    TitrateRequest,
};
use crate::rules::RuleSet;
use crate::vocab::FlagCode;
use chrono::NaiveDate;
use std::sync::LazyLock;

pub(super) static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::built_in().unwrap());

pub(super) fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(super) fn kg(v: f64) -> Measured {
    Measured::plain(v, Field::WeightKg)
}

fn subject(ind: &str, patient: PatientInput) -> Subject {
    Subject::new(ind, date("2026-11-22"), patient)
}

/// A child of `weight` kg (no age).
pub(super) fn child(ind: &str, weight: f64) -> StartRequest {
    StartRequest::new(subject(
        ind,
        PatientInput {
            weight_kg: Some(kg(weight)),
            ..Default::default()
        },
    ))
}

/// An adult of `age` years (no weight).
pub(super) fn adult(ind: &str, age: f64) -> StartRequest {
    StartRequest::new(subject(
        ind,
        PatientInput {
            age: Some(AgeInput::Years(age)),
            ..Default::default()
        },
    ))
}

/// A child's visit: `weight` kg on `weekly` mg/week.
pub(super) fn visit(ind: &str, weight: f64, weekly: f64) -> TitrateRequest {
    let mut q = TitrateRequest::new(child(ind, weight).subject);
    q.current = Some(CurrentDose::PerWeek(weekly));
    q
}

/// An adult-ghd visit: `age` years on `per_day` mg/day with IGF-1 SDS `sds`.
pub(super) fn adult_visit(age: f64, per_day: f64, s: f64) -> TitrateRequest {
    let mut q = TitrateRequest::new(adult("adult-ghd", age).subject);
    q.current = Some(CurrentDose::PerDay(per_day));
    q.igf1 = Some(sds(s));
    q
}

pub(super) fn sds(s: f64) -> Igf1Input {
    Igf1Input::Sds(s)
}

pub(super) fn week(x: f64) -> Chosen {
    Chosen::per_week(x)
}

pub(super) fn day(x: f64) -> Chosen {
    Chosen::per_day(x)
}

pub(super) fn start_ok(q: StartRequest) -> Outcome {
    super::start(&q, &RULES).unwrap()
}

pub(super) fn start_err(q: StartRequest) -> String {
    super::start(&q, &RULES).unwrap_err().to_string()
}

pub(super) fn titrate_ok(q: TitrateRequest) -> Outcome {
    super::titrate(&q, &RULES).unwrap()
}

pub(super) fn titrate_err(q: TitrateRequest) -> String {
    super::titrate(&q, &RULES).unwrap_err().to_string()
}

pub(super) fn has(o: &Outcome, code: FlagCode) -> bool {
    o.flags.iter().any(|f| f.code == code)
}
