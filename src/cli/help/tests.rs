use super::*;

#[test]
fn ranges_are_appended_to_the_help() {
    let cmd = with_ranges(
        super::super::command(),
        &[("weight_kg", "0.5-250 kg".into())],
    );
    let start = cmd.find_subcommand("start").unwrap();
    let arg = start
        .get_arguments()
        .find(|a| a.get_id() == "weight_kg")
        .unwrap();
    assert_eq!(
        arg.get_help().unwrap().to_string(),
        "Body weight in kg [0.5-250 kg]"
    );
}

#[test]
fn every_help_line_fits_80_columns() {
    for text in [
        TOP_TEMPLATE,
        EXIT_CODES,
        START,
        TITRATE,
        INDICATIONS,
        PRODUCTS,
        RULES,
        BATCH,
        SCHEMA,
        COMPLETIONS,
        MAN,
    ] {
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{line}");
        }
    }
}
