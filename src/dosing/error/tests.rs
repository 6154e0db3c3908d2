use super::*;

#[test]
fn fields_are_spelled_by_route() {
    let e = Error::out_of_range(Field::WeightKg, "-3", 0.5, 250.0, "kg");
    assert_eq!(
        e.render(Route::Flags),
        "--weight-kg must be between 0.5 and 250 kg (got -3)"
    );
    assert_eq!(
        e.render(Route::Json),
        "weight_kg must be between 0.5 and 250 kg (got -3)"
    );
    let e = Error::new(
        Field::PreviousHeightCm,
        msg![
            Field::PreviousHeightCm,
            " and ",
            Field::PreviousHeightDate,
            " go together"
        ],
    );
    assert_eq!(
        e.render(Route::Json),
        "previous_height_cm and previous_height_date go together"
    );
    assert_eq!(
        e.to_string(),
        "--previous-height-cm and --previous-height-date go together"
    );
}

#[test]
fn unknown_ids_suggest_and_are_shortened() {
    let e = Error::unknown(
        Field::Indication,
        "tuner",
        "indication",
        ["ghd", "turner"].into_iter(),
    );
    assert_eq!(
        e.to_string(),
        "--indication 'tuner' is not a known indication (valid: ghd, turner); did you mean 'turner'?"
    );
    let long = "x".repeat(10_000);
    let e = Error::unknown(Field::Product, &long, "product", ["a"].into_iter());
    assert!(e.to_string().len() < 200, "{e}");
    assert!(e.to_string().contains("(10000 bytes)"));
}

#[test]
fn edit_distance_counts_edits() {
    assert_eq!(edit_distance("tuner", "turner"), 1);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("ghd", "ghd"), 0);
}
