use super::*;

fn table() -> Vec<Micrograms> {
    [3000, 3600, 4300, 5200, 6300, 7600]
        .map(Micrograms)
        .to_vec()
}

#[test]
fn a_walk_moves_whole_table_doses_and_stops_at_the_ends() {
    let mut notes = Notes::default();
    let t = table();
    assert_eq!(
        walk(&t, Micrograms(4300), 2, &mut notes),
        (Micrograms(4300), Micrograms(6300))
    );
    assert_eq!(
        walk(&t, Micrograms(6300), 5, &mut notes),
        (Micrograms(6300), Micrograms(7600))
    );
    assert_eq!(
        walk(&t, Micrograms(3600), -3, &mut notes),
        (Micrograms(3600), Micrograms(3000))
    );
    assert!(notes.rationale.is_empty());
}

#[test]
fn a_walk_from_off_the_table_never_crosses_the_current_dose() {
    let mut notes = Notes::default();
    let t = table();
    // Nearest is 6300, one down is 5200: below 6400, as asked.
    assert_eq!(
        walk(&t, Micrograms(6400), -1, &mut notes),
        (Micrograms(6300), Micrograms(5200))
    );
    // Nearest is 6300, one up is 7600: above 6200.
    assert_eq!(
        walk(&t, Micrograms(6200), 1, &mut notes),
        (Micrograms(6300), Micrograms(7600))
    );
    // Nearest is 3000 and nothing is below 2000: kept.
    assert_eq!(
        walk(&t, Micrograms(2000), -1, &mut notes),
        (Micrograms(2000), Micrograms(2000))
    );
    // Nearest is 7600 and nothing is above 9000: kept.
    assert_eq!(
        walk(&t, Micrograms(9000), 1, &mut notes),
        (Micrograms(9000), Micrograms(9000))
    );
    assert_eq!(
        notes.rationale,
        [
            "6.4 mg/week is not a table dose; nearest table dose 6.3 mg/week",
            "6.2 mg/week is not a table dose; nearest table dose 6.3 mg/week",
            "2 mg/week is not a table dose; nearest table dose 3 mg/week",
            "no table dose is below 2 mg/week: the dose is kept",
            "9 mg/week is not a table dose; nearest table dose 7.6 mg/week",
            "no table dose is above 9 mg/week: the dose is kept",
        ]
    );
}
