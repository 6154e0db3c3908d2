use super::*;

#[test]
fn ages_in_messages_are_short() {
    assert_eq!(years(2.0), "2");
    assert_eq!(years(35.5 / 12.0), "2.958");
    assert_eq!(years(0.5), "0.5");
    assert_eq!(years(-0.25), "-0.25");
    assert_eq!(years(f64::NAN), "NaN");
}

#[test]
fn measurements_name_their_units() {
    let units: Vec<_> = Measurement::ALL.iter().map(|m| m.unit()).collect();
    assert_eq!(units, ["cm", "cm", "kg", "kg/m2", "cm"]);
    assert_eq!(
        "head-circumference".parse(),
        Ok(Measurement::HeadCircumference)
    );
    let e = GrowthError::AgeOutsideReference {
        reference: "R".into(),
        sex: Sex::Female,
        age_years: 1.5,
        min_years: 2.0,
        max_years: 20.0,
    };
    assert_eq!(
        e.to_string(),
        "R covers girls aged 2 to 20 years; age 1.5 years is outside it"
    );
}
