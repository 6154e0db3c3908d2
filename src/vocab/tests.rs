use super::*;

#[test]
fn names_round_trip() {
    for c in Condition::ALL {
        assert_eq!(c.as_str().parse::<Condition>(), Ok(*c));
    }
    for f in FlagCode::ALL {
        assert_eq!(f.as_str().parse::<FlagCode>(), Ok(*f));
    }
    assert!("tuner".parse::<Sex>().is_err());
}

#[test]
fn facts_are_the_conditions_and_three_treatment_facts() {
    assert_eq!(Fact::names().len(), Condition::NAMES.len() + 3);
    for n in Fact::names() {
        assert_eq!(n.parse::<Fact>().map(|f| f.as_str()), Ok(*n));
    }
    assert_eq!(
        "Hepatic-Impairment-Moderate".parse::<Fact>(),
        Ok(Fact::Condition(Condition::HepaticImpairmentModerate))
    );
    assert_eq!("oral-estrogen".parse::<Fact>(), Ok(Fact::OralEstrogen));
    assert!("estrogen".parse::<Fact>().is_err());
}

#[test]
fn names_parse_in_any_case() {
    assert_eq!("Female".parse::<Sex>(), Ok(Sex::Female));
    assert_eq!("eu".parse::<Region>(), Ok(Region::Eu));
    assert_eq!("nmol/L".parse::<Igf1Unit>(), Ok(Igf1Unit::NmolPerL));
    assert_eq!("2SD".parse::<RangeKind>(), Ok(RangeKind::TwoSd));
    assert_eq!(Region::Eu.to_string(), "EU");
    assert_eq!(
        "x".parse::<Sex>(),
        Err("expected one of: female, male".to_string())
    );
}

#[test]
fn actions_know_what_they_do() {
    assert!(Action::Stop.stops() && Action::Withhold.stops());
    assert!(!Action::Recheck.stops());
    assert!(Action::Increase.changes() && Action::Decrease.changes());
    assert!(!Action::Maintain.changes());
}
