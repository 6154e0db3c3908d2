use super::*;

#[test]
fn numbers_are_fixed_and_text_is_escaped() {
    assert_eq!(num(-0.001), "0.00");
    assert_eq!(num(1.005e3), "1005.00");
    assert_eq!(num(f64::NAN), "0.00");
    assert_eq!(amount(8.05, 3), "8.05");
    assert_eq!(amount(7.0, 3), "7");
    assert_eq!(signed(2.0, 1), "+2");
    assert_eq!(signed(-13.0, 1), "-13");
    assert_eq!(escape("<a & 'b\">\u{1}"), "&lt;a &amp; &apos;b&quot;&gt; ");
    let mut s = Svg::new(10.0, 5.0);
    s.text(1.0, 2.0, 10.0, "start", "x < y");
    let doc = s.finish();
    assert!(
        doc.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- gh-dose chart -->\n<svg "
        )
    );
    assert!(doc.contains(">x &lt; y</text>"));
}
