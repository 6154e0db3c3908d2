//! Unit tests of `wrap.rs`.

use super::*;

fn widths(text: &str) -> Vec<usize> {
    text.lines()
        .map(|l| anstream::adapter::strip_str(l).to_string().chars().count())
        .collect()
}

#[test]
fn a_short_line_is_kept_as_it_is() {
    let text = "  Patient       24 kg\n\nFlags\n";
    assert_eq!(wrap(text, 80), text);
}

#[test]
fn a_row_wraps_under_its_value_column() {
    let text = "  Deliverable   0.875 mg (0.263 mL) on Norditropin FlexPro 5 mg/1.5 mL (orange), 0.025 mg steps; 6.125 mg/week = 0.204 mg/kg/week\n";
    let got = wrap(text, 60);
    assert_eq!(
        got,
        "  Deliverable   0.875 mg (0.263 mL) on Norditropin FlexPro 5\n                mg/1.5 mL (orange), 0.025 mg steps;\n                6.125 mg/week = 0.204 mg/kg/week\n"
    );
    assert!(widths(&got).iter().all(|w| *w <= 60));
}

#[test]
fn a_full_label_row_a_flag_and_a_bullet_hang_under_their_text() {
    let row = wrap(
        "  Per injection 1.131 mg (3.394 IU), 7 injections a week, and more words here to wrap\n",
        50,
    );
    assert_eq!(
        row,
        "  Per injection 1.131 mg (3.394 IU), 7 injections\n                a week, and more words here to\n                wrap\n"
    );
    let flag = wrap(
        "  WARNING IGF1_ABOVE_RANGE  IGF-1 is above +2 SDS: reduce the dose. [genotropin-us-pi-2.2]\n",
        60,
    );
    assert_eq!(
        flag,
        "  WARNING IGF1_ABOVE_RANGE  IGF-1 is above +2 SDS: reduce\n                            the dose. [genotropin-us-pi-2.2]\n"
    );
    let bullet = wrap(
        "  - 0.33 mg/kg/week x 24 kg = 7.92 mg/week, and a long tail of words\n",
        40,
    );
    // A number stays with its unit.
    assert_eq!(
        bullet,
        "  - 0.33 mg/kg/week x 24 kg =\n    7.92 mg/week, and a long tail of\n    words\n"
    );
}

#[test]
fn colour_takes_no_columns_and_is_never_cut() {
    let bold = "\u{1b}[1m";
    let reset = "\u{1b}[0m";
    let text = format!(
        "  {bold}Dose         {reset} {bold}7.92 mg/week{reset} = 0.33 mg/kg/week and some more words to go\n"
    );
    let got = wrap(&text, 50);
    assert_eq!(
        anstream::adapter::strip_str(&got).to_string(),
        "  Dose          7.92 mg/week = 0.33 mg/kg/week and\n                some more words to go\n"
    );
    assert_eq!(got.matches(bold).count(), 2);
    assert_eq!(got.matches(reset).count(), 2);
}

#[test]
fn a_word_longer_than_the_room_is_cut_and_no_line_is_wider() {
    let long = "x".repeat(130);
    let got = wrap(&format!("  [{long}] citation\n"), 50);
    assert!(widths(&got).iter().all(|w| *w <= 50), "{got}");
    assert_eq!(got.matches('x').count(), 130);
    // Below the minimum width, the minimum.
    let got = wrap(&"word ".repeat(30), 10);
    assert!(widths(&got).iter().all(|w| *w <= MIN_WIDTH), "{got}");
    assert_eq!(got.matches("word").count(), 30);
}
