//! What the embedded tables do not repeat on every run (start-up cost): the
//! SHA-256 of the built-in rule and product files is computed at build time
//! (`build.rs`), and their numbers are held to their bands by the tests
//! (`numbers::tests::the_built_in_tables_are_inside_their_bands`) rather
//! than by each command. Every other file, and every other check of the
//! built-in ones (the typed parse, compilation, cross-references), runs as
//! before. The tests below prove the build-time hashes are those of the
//! embedded text.

use super::BUILT_IN;
use super::numbers;
use super::products::BUILT_IN_PRODUCTS;
use crate::bands::FieldBand;
use crate::diagnostic::{Cx, R, sha256_hex};

include!(concat!(env!("OUT_DIR"), "/built_in_sha256.rs"));

/// The hex SHA-256 of a table's text: the build-time one for the built-in
/// texts.
pub(crate) fn sha256(text: &str) -> String {
    if text == BUILT_IN {
        RULES_SHA256.to_string()
    } else if text == BUILT_IN_PRODUCTS {
        PRODUCTS_SHA256.to_string()
    } else {
        sha256_hex(text.as_bytes())
    }
}

/// Every number of a table against its band ([`numbers::check`]), except
/// for the built-in text of that table (`built_in`), which the tests check.
pub(crate) fn check_numbers(cx: &Cx, fields: &[FieldBand], built_in: &str) -> R<()> {
    if cx.text == built_in {
        return Ok(());
    }
    numbers::check(cx, fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bands::{PRODUCT_FIELDS, RULE_FIELDS};

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
