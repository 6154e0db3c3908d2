use crate::cli::{Cli, Command};
use crate::dosing::Field;
use clap::Parser;

fn start(args: &[&str]) -> crate::dosing::StartRequest {
    let all = [&["gh-dose", "start", "--indication", "ghd"], args].concat();
    let Command::Start(a) = Cli::try_parse_from(all).unwrap().command else {
        panic!("expected start");
    };
    a.to_request("2026-11-22".parse().unwrap())
}

#[test]
fn pounds_and_inches_are_converted_and_remembered() {
    let r = start(&["--weight-lb", "52.91", "--height-in", "50"]);
    let w = r.subject.patient.weight_kg.unwrap();
    assert!((w.value - 24.0).abs() < 0.001, "{}", w.value);
    assert_eq!(w.original.as_deref(), Some("52.91 lb"));
    assert_eq!(w.field, Field::WeightLb);
    let h = r.subject.patient.height_cm.unwrap();
    assert!((h.value - 127.0).abs() < 1e-9);
}

#[test]
fn negative_numbers_reach_the_core() {
    let r = start(&["--weight-kg", "-5"]);
    assert_eq!(r.subject.patient.weight_kg.unwrap().value, -5.0);
}

#[test]
fn a_per_day_intensity_is_seven_times_per_week() {
    let r = start(&["--mg-per-kg-day", "0.035"]);
    let c = r.chosen.unwrap();
    assert!((c.mg_per_kg_week() - 0.245).abs() < 1e-12);
    assert_eq!(c.field, Field::MgPerKgDay);
}

#[test]
fn names_are_read_in_any_case() {
    let r = start(&[
        "--sex",
        "Female",
        "--region",
        "EU",
        "--condition",
        "Scoliosis",
    ]);
    assert_eq!(r.subject.patient.sex, Some(crate::vocab::Sex::Female));
    assert_eq!(r.subject.product.region, crate::vocab::Region::Eu);
    assert_eq!(
        r.subject.patient.conditions,
        [crate::vocab::Condition::Scoliosis]
    );
}
