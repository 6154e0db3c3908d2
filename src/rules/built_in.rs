//! What the embedded tables do not repeat on every run (start-up cost): the
//! SHA-256 of the built-in rule and product files is computed at build time
//! (`build.rs`), their typed parse is done there too (the rows are stored in
//! postcard's binary form, read here by [`rows`]), and their numbers are held
//! to their bands by the tests
//! (`numbers::tests::the_built_in_tables_are_inside_their_bands`) rather
//! than by each command. Every other file is parsed from its TOML as before,
//! and every other check of the built-in ones (compilation,
//! cross-references) runs as before. The tests below prove the build-time
//! hashes are those of the embedded text and the stored rows compile to the
//! rule set and product table their TOML compiles to.

use super::BUILT_IN;
use super::numbers;
use super::products::BUILT_IN_PRODUCTS;
use crate::bands::FieldBand;
use crate::diagnostic::{Cx, R, sha256_hex};
use serde::de::DeserializeOwned;

include!(concat!(env!("OUT_DIR"), "/built_in_sha256.rs"));

/// The rows of the built-in rule file, parsed at build time (postcard).
pub(crate) static RULE_ROWS: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/indications.postcard"));

/// The rows of the built-in product table, parsed at build time (postcard).
pub(crate) static PRODUCT_ROWS: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/products.postcard"));

/// Whether `text` is the built-in text `built_in`: the embedded text itself
/// (same address and length, not compared byte by byte) or the same bytes.
pub(crate) fn is(text: &str, built_in: &str) -> bool {
    std::ptr::eq(text, built_in) || text == built_in
}

/// The rows of a table file: for the built-in text of that table
/// (`built_in`), the ones stored at build time (`stored`); for any other
/// text, or when nothing was stored, its TOML parsed with `file:line:col`
/// errors ([`Cx::parse`]).
pub(crate) fn rows<T: DeserializeOwned>(cx: &Cx, built_in: &str, stored: &[u8]) -> R<T> {
    if is(cx.text, built_in)
        && let Ok(rows) = postcard::from_bytes(stored)
    {
        return Ok(rows);
    }
    cx.parse()
}

/// The hex SHA-256 of a table's text: the build-time one for the built-in
/// texts.
pub(crate) fn sha256(text: &str) -> String {
    if is(text, BUILT_IN) {
        RULES_SHA256.to_string()
    } else if is(text, BUILT_IN_PRODUCTS) {
        PRODUCTS_SHA256.to_string()
    } else {
        sha256_hex(text.as_bytes())
    }
}

/// Every number of a table against its band ([`numbers::check`]), except
/// for the built-in text of that table (`built_in`), which the tests check.
pub(crate) fn check_numbers(cx: &Cx, fields: &[FieldBand], built_in: &str) -> R<()> {
    if is(cx.text, built_in) {
        return Ok(());
    }
    numbers::check(cx, fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bands::{PRODUCT_FIELDS, RULE_FIELDS};
    use crate::rules::RuleSet;
    use crate::rules::file::RuleFile;
    use crate::rules::products::ProductSet;

    const RULES_CX: Cx = Cx {
        text: BUILT_IN,
        path: "built-in",
    };
    const PRODUCTS_CX: Cx = Cx {
        text: BUILT_IN_PRODUCTS,
        path: "built-in products",
    };

    #[test]
    fn the_stored_rows_are_the_rows_of_the_toml() {
        // Every value and every position (`Spanned`'s Debug shows its range).
        assert!(!RULE_ROWS.is_empty() && !PRODUCT_ROWS.is_empty());
        let stored: RuleFile = postcard::from_bytes(RULE_ROWS).unwrap();
        let parsed: RuleFile = RULES_CX.parse().unwrap();
        assert_eq!(format!("{stored:?}"), format!("{parsed:?}"));
        let stored = rows::<RuleFile>(&RULES_CX, BUILT_IN, RULE_ROWS).unwrap();
        assert_eq!(format!("{stored:?}"), format!("{parsed:?}"));
        assert!(format!("{parsed:?}").contains("turner"));
    }

    #[test]
    fn the_stored_rows_compile_to_the_tables_the_toml_compiles_to() {
        // The fast path (the rows stored at build time) ...
        let fast = RuleSet::built_in().unwrap();
        // ... against the typed parse of the embedded TOML, compiled alike.
        let rules = crate::rules::compile::compile(&RULES_CX, RULES_CX.parse().unwrap(), None);
        let mut slow = rules.unwrap();
        let products = crate::rules::products::compile_parsed(&PRODUCTS_CX, &slow).unwrap();
        slow.products = Some(products);
        assert_eq!(fast, slow);
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
        assert_eq!(fast.origin.sha256, sha256_hex(BUILT_IN.as_bytes()));
        let p = fast.products.as_ref().unwrap();
        assert_eq!(p.origin.sha256, sha256_hex(BUILT_IN_PRODUCTS.as_bytes()));
        assert!(fast.indications.len() >= 10 && p.products.len() >= 5);
    }

    #[test]
    fn only_the_built_in_text_reads_the_stored_rows() {
        // A copy of the built-in text with one more key is parsed as TOML:
        // its error is the TOML's, at its line and column.
        let text = BUILT_IN.replacen("[limits]", "[limits]\nwheight_kg = 1", 1);
        let cx = Cx {
            text: &text,
            path: "t.toml",
        };
        let e = rows::<RuleFile>(&cx, BUILT_IN, RULE_ROWS).unwrap_err();
        assert!(e.message.contains("unknown field `wheight_kg`"), "{e}");
        let line = BUILT_IN.lines().position(|l| l == "[limits]").unwrap() + 2;
        assert_eq!((e.path.as_str(), e.line, e.col), ("t.toml", line, 1));
        // Nothing stored, or stored rows that do not read: the TOML is parsed.
        let parsed: RuleFile = RULES_CX.parse().unwrap();
        for stored in [&[][..], &[0xff; 8][..], PRODUCT_ROWS] {
            let rows = rows::<RuleFile>(&RULES_CX, BUILT_IN, stored).unwrap();
            assert_eq!(format!("{rows:?}"), format!("{parsed:?}"));
        }
        // The built-in products under rules of their own are checked in full.
        let p = ProductSet::parse(BUILT_IN_PRODUCTS, "p.toml", &RuleSet::built_in().unwrap());
        assert_eq!(p.unwrap().origin.source, "p.toml");
    }

    #[test]
    fn the_build_time_hashes_are_those_of_the_embedded_text() {
        assert_eq!(RULES_SHA256, sha256_hex(BUILT_IN.as_bytes()));
        assert_eq!(PRODUCTS_SHA256, sha256_hex(BUILT_IN_PRODUCTS.as_bytes()));
        assert_eq!(sha256(BUILT_IN), sha256_hex(BUILT_IN.as_bytes()));
        assert_eq!(sha256(BUILT_IN_PRODUCTS), PRODUCTS_SHA256);
        // Any other text is hashed as it is, one byte more included.
        let copy = format!("{BUILT_IN}\n");
        assert_eq!(sha256(&copy), sha256_hex(copy.as_bytes()));
        assert_ne!(sha256(&copy), RULES_SHA256);
    }

    #[test]
    fn the_built_in_text_is_known_by_its_bytes_wherever_it_lies() {
        assert!(is(BUILT_IN, BUILT_IN));
        // A copy elsewhere in memory (a file with the same bytes) is it too.
        let copy = BUILT_IN.to_string();
        assert!(!std::ptr::eq(copy.as_str(), BUILT_IN));
        assert!(is(&copy, BUILT_IN));
        // The same address with another length, or other bytes, is not.
        assert!(!is(&BUILT_IN[..BUILT_IN.len() - 1], BUILT_IN));
        assert!(!is(&copy.replacen("turner", "turnex", 1), BUILT_IN));
        assert!(!is(BUILT_IN_PRODUCTS, BUILT_IN));
    }

    #[test]
    fn only_the_built_in_text_skips_the_band_check() {
        // A number out of its band in a copy of the built-in text is still
        // refused; the built-in text itself passes the full check.
        let cx = |text| Cx {
            text,
            path: "t.toml",
        };
        numbers::check(&cx(BUILT_IN), RULE_FIELDS).unwrap();
        numbers::check(&cx(BUILT_IN_PRODUCTS), PRODUCT_FIELDS).unwrap();
        check_numbers(&cx(BUILT_IN), RULE_FIELDS, BUILT_IN).unwrap();
        let bad = format!("{BUILT_IN}\n[extra]\nweight_kg = 1e400\n");
        let e = check_numbers(&cx(&bad), RULE_FIELDS, BUILT_IN).unwrap_err();
        assert!(e.message.contains("weight_kg"), "{e}");
        // The built-in rules given as a product table are checked too.
        assert!(check_numbers(&cx(BUILT_IN), PRODUCT_FIELDS, BUILT_IN_PRODUCTS).is_err());
    }
}
