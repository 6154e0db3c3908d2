use super::*;

#[test]
fn dates_parse_within_the_years_the_output_can_write() {
    assert_eq!(
        parse_date(" 2026-11-22 ").unwrap().to_string(),
        "2026-11-22"
    );
    assert!(parse_date("1900-01-01").is_ok() && parse_date("2200-12-31").is_ok());
    for bad in [
        "0000-01-01",
        "9999-12-31",
        "1899-12-31",
        "2201-01-01",
        "+10000-01-01",
    ] {
        assert_eq!(
            parse_date(bad).unwrap_err(),
            "expected a date in the years 1900-2200",
            "{bad}"
        );
    }
    assert!(
        parse_date("2026-02-30")
            .unwrap_err()
            .starts_with("expected a calendar date")
    );
}
