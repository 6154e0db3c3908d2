use super::*;

#[test]
fn a_summary_is_cut_under_140_characters_on_a_character_boundary() {
    let long = "é".repeat(300);
    let s = fit(&long);
    assert_eq!(s.chars().count(), MAX_SUMMARY_CHARS);
    assert!(s.ends_with('…'));
    assert_eq!(fit("short"), "short");
}

#[test]
fn markdown_in_chart_text_is_escaped() {
    assert_eq!(
        md("a*b_[x](y)\n<script>"),
        "a\\*b\\_\\[x\\](y) \\<script\\>"
    );
}

#[test]
fn a_refusal_card_is_critical_without_a_suggestion() {
    let c = refusal("weight_kg: 2400 is outside 0.5-250", "u1");
    assert_eq!(c["indicator"], "critical");
    assert!(c.get("suggestions").is_none());
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .starts_with("No dose: weight_kg")
    );
    assert!(
        c["source"]["label"]
            .as_str()
            .unwrap()
            .starts_with("gh-dose ")
    );
}
