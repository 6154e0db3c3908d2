//! Snapshots of the human output and of `--help`: any change to what a
//! clinician reads shows in review.

use super::gh;

fn stdout(args: &[&str]) -> String {
    let out = gh(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn human(args: &[&str]) -> String {
    let mut all = [args, &["--format", "human"]].concat();
    if matches!(args.first(), Some(&"start" | &"titrate")) {
        all.extend(["--as-of", "2026-11-22"]);
    }
    stdout(&all)
}

macro_rules! snap {
    ($name:expr, $text:expr) => {
        insta::with_settings!({
            filters => vec![
                (r"sha256 [0-9a-f]{12}", "sha256 [hash]"),
                (r"gh-dose \d+\.\d+\.\d+", "gh-dose [version]"),
            ]
        }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

#[test]
fn human_turner() {
    snap!(
        "human_turner",
        human(&[
            "start",
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--age-years",
            "8",
            "--sex",
            "female"
        ])
    );
}

#[test]
fn human_adult_oral_estrogen() {
    snap!(
        "human_adult_oral_estrogen",
        human(&[
            "start",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--sex",
            "female",
            "--oral-estrogen"
        ])
    );
}

#[test]
fn human_pws_withheld() {
    snap!(
        "human_pws_withheld",
        human(&[
            "start",
            "--indication",
            "pws",
            "--weight-kg",
            "30",
            "--condition",
            "pws-sleep-apnea"
        ])
    );
}

#[test]
fn human_noonan_pounds() {
    snap!(
        "human_noonan_pounds",
        human(&[
            "start",
            "--indication",
            "noonan",
            "--weight-lb",
            "48.5",
            "--injections-per-week",
            "6"
        ])
    );
}

#[test]
fn human_products() {
    snap!(
        "human_norditropin_turner",
        human(&[
            "start",
            "--indication",
            "turner",
            "--product",
            "norditropin",
            "--weight-kg",
            "24",
            "--supply-days",
            "28"
        ])
    );
    snap!(
        "human_skytrofa",
        human(&[
            "start",
            "--indication",
            "ghd",
            "--product",
            "skytrofa",
            "--weight-kg",
            "65",
            "--age-years",
            "13"
        ])
    );
    snap!("human_products", human(&["products"]));
}

#[test]
fn human_titrate() {
    snap!(
        "human_titrate_adult_increase",
        human(&[
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "45",
            "--current-mg-per-day",
            "0.3",
            "--igf1-sds",
            "-1.5",
            "--igf1-date",
            "2026-11-20",
            "--last-dose-change",
            "2026-10-09",
        ])
    );
    snap!(
        "human_titrate_child_product",
        human(&[
            "titrate",
            "--indication",
            "ghd",
            "--weight-kg",
            "30",
            "--current-mg-per-week",
            "7.2",
            "--igf1-sds",
            "2.6",
            "--product",
            "norditropin",
            "--height-cm",
            "132",
            "--previous-height-cm",
            "128",
            "--previous-height-date",
            "2026-05-22",
        ])
    );
    snap!(
        "human_titrate_weekly_recheck",
        human(&[
            "titrate",
            "--indication",
            "adult-ghd",
            "--age-years",
            "50",
            "--product",
            "sogroya",
            "--current-mg-per-week",
            "1.5",
            "--igf1-sds",
            "-0.8",
            "--igf1-date",
            "2026-11-22",
            "--last-injection",
            "2026-11-16",
        ])
    );
}

#[test]
fn human_indications() {
    snap!("human_indications", human(&["indications"]));
}

#[test]
fn help_texts() {
    snap!("help", stdout(&["--help"]));
    snap!("help_start", stdout(&["start", "--help"]));
    snap!("help_rules", stdout(&["rules", "--help"]));
    snap!("help_indications", stdout(&["indications", "--help"]));
    snap!("help_titrate", stdout(&["titrate", "--help"]));
    snap!("help_products", stdout(&["products", "--help"]));
    snap!("help_batch", stdout(&["batch", "--help"]));
    snap!("help_schema", stdout(&["schema", "--help"]));
}
